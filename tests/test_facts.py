"""The facts view of the statements: every figure a report states, extracted with the answerers' own grammar.

`tests/data/facts_sample.jsonl` is a sample of 136 facts across the five reports checked by hand (value, unit,
period and whether the metric words say what the number counts; a corrected metric where they did not).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.text.tokens import tokenize
from rag.chunking import chunk_report
from rag.corpus import load_corpus
from rag.text.script import to_simplified
from rag.statements import extract_statements
from rag.settings import Settings
from rag.types import CatalogEntry, Chunk, Report

SAMPLE = Path(__file__).parent / "data" / "facts_sample.jsonl"


@pytest.fixture(scope="module")
def facts():
    corpus = load_corpus(Settings().seeds_dir)
    return [f for r in corpus.reports for f in extract_statements(r, chunk_report(r)) if f.as_written], corpus


def _report(text: str, year: int = 2024) -> Report:
    entry = CatalogEntry("t-1", "t.txt", "测试区2024年法治政府建设报告", "某市测试区", ("测试区",), "district", "某市", year,
                         None, "simplified")
    return Report(entry, text, to_simplified(text), "0" * 64)


def _one(text: str, kind: str = "成效"):
    report = _report(text)
    return [f for f in extract_statements(report, [Chunk("t-1", ("一、成效",), kind, text, 0, len(text))]) if f.as_written]


@pytest.mark.parametrize("text,value,unit,approx", [
    ("共接收行政复议申请1723件。", 1723, "件", False),
    ("全年行政检查量2.73萬件。", 27300, "件", False),
    ("群众满意度达到百分之六十。", 60, "%", False),
    ("共开展联合检查五批次。", 5, "批次", False),
    ("组织普法活动300余场次。", 300, "场次", True),
    ("完成固定资产投资324.77億元。", 3.2477e10, "元", False),
    ("兑现惠企政策资金1949.39万元。", 19493900, "元", False),
])
def test_each_written_form_becomes_its_value(text, value, unit, approx):
    [fact] = _one(text)
    assert fact.value == pytest.approx(value) and fact.unit == unit and fact.approx is approx
    assert fact.text == text[fact.start:fact.end]


def test_last_years_figure_is_the_year_before():
    facts = _one("案件总量6件,比去年15件案件降低了9件。")
    by_value = {f.value: f for f in facts}
    assert by_value[15].period == "previous" and by_value[15].year == 2023
    assert by_value[6].period == "current" and by_value[9].period == "current"


def test_a_plan_figure_is_a_target_for_the_year_planned():
    [fact] = _one("计划培训执法人员500人次。", kind="下一年安排")
    assert fact.period == "target" and fact.year == 2025


def test_names_are_not_figures():
    assert not _one("依托12345热线受理群众诉求。")


def test_offsets_are_exact(facts):
    found, corpus = facts
    texts = {r.doc_id: r.text for r in corpus.reports}
    for f in found:
        assert texts[f.doc_id][f.start:f.end] == f.text
        assert texts[f.doc_id][f.value_start:f.value_end] == f.as_written


def test_hand_checked_sample(facts):
    """Value and unit right for >= 98% of the sample, metric words right for >= 90%."""
    found, _ = facts
    by_key: dict[tuple, list] = {}
    for f in found:
        by_key.setdefault((f.doc_id, f.start, f.as_written), []).append(f)
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 100
    value_ok = metric_ok = 0
    for row in rows:
        correct = row["correct"] or {}
        cands = by_key.get((row["doc_id"], row["start"], row["as_written"]), [])
        if correct.get("drop"):  # a name, not a figure: it must not be extracted
            value_ok += not cands
            metric_ok += not cands
            continue
        want_value = correct.get("value", row["value"])
        want_unit = correct.get("unit", row["unit"])
        value_ok += any(f.value == pytest.approx(want_value) and f.unit == want_unit for f in cands)
        want_metric = correct.get("metric", row["metric"]) if not row["metric_ok"] else row["metric"]
        words = [t for t in tokenize(to_simplified(want_metric)) if len(t) > 1]
        metric_ok += any(words and sum(t in f.metric_simplified for t in words) / len(words) >= 0.6 for f in cands)
    print(f"facts sample: n={len(rows)} value+unit {value_ok / len(rows):.1%} metric {metric_ok / len(rows):.1%}")
    assert value_ok / len(rows) >= 0.98
    assert metric_ok / len(rows) >= 0.90
