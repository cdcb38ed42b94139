"""Corpus loading, the section tree and chunk offsets, over all five reports."""
from __future__ import annotations

import re

import pytest

from rag.chunking import chunk_report, count_tokens
from rag.corpus import load_corpus
from rag.text.script import to_simplified
from rag.sections import find_headings

from .conftest import SEEDS

CORPUS = load_corpus(SEEDS)
REPORTS = {r.doc_id: r for r in CORPUS.reports}


def test_all_five_reports_load_with_catalogue():
    assert not CORPUS.errors
    assert set(REPORTS) == {"changping-2024", "tongzhou-2020", "enyang-2024", "zhangziying-2023", "xicheng-2023"}
    assert REPORTS["tongzhou-2020"].entry.script == "traditional"
    assert "通州區" in REPORTS["tongzhou-2020"].entry.aliases


@pytest.mark.parametrize("doc_id", sorted(REPORTS))
def test_every_chunk_maps_back_to_the_original_exactly(doc_id):
    report = REPORTS[doc_id]
    chunks = chunk_report(report)
    assert chunks
    for c in chunks:
        assert report.text[c.start:c.end] == c.text
        assert c.text == c.text.strip()


@pytest.mark.parametrize("doc_id", sorted(REPORTS))
def test_nothing_is_lost_between_chunks(doc_id):
    """Every character is in some chunk, except web residue and headings (they live in the paths)."""
    report = REPORTS[doc_id]
    covered = [False] * len(report.text)
    for c in chunk_report(report):
        covered[c.start:c.end] = [True] * (c.end - c.start)
    skipped = {i for a, b in report.skip for i in range(a, b)}
    for h in find_headings(report):
        if h.standalone or h.level == 0:
            skipped.update(range(h.start, h.line_end))
        elif h.level < 4:  # an inline heading sentence: its label and closing 。
            skipped.update(range(h.start, h.start + len(h.label) + 1))
    lost = "".join(ch for i, ch in enumerate(report.text)
                   if not covered[i] and i not in skipped and not ch.isspace())
    assert lost == ""


def test_heading_paths_read_as_the_report_does():
    paths = {c.section_path for c in chunk_report(REPORTS["changping-2024"])}
    assert "一、2024年法治政府建设主要举措和成效 › (五)坚持优化法治服务,保障基层法治供给 › 一是发挥行政复议主渠道作用" in paths
    tz = {c.section_path for c in chunk_report(REPORTS["tongzhou-2020"])}
    # Traditional report: paths stay in the original script.
    assert "一、2020年法治政府建設主要措施 › (七)依法有效化解社會矛盾糾紛 › 19.充分發揮行政復議化解行政爭議“主渠道”作用" in tz
    ey = {c.section_path for c in chunk_report(REPORTS["enyang-2024"])}
    assert any(p.startswith("一、主要举措及成效 › (三)规范决策程序,落实审查制度") for p in ey)
    zz = {c.section_path for c in chunk_report(REPORTS["zhangziying-2023"])}
    assert "一、推进法治政府建设的主要举措和成效 › (三)加快推进政府职能转变 › 1.积极走访企业,稳企解困" in zz


@pytest.mark.parametrize("doc_id", sorted(REPORTS))
def test_heading_labels_stand_in_the_text(doc_id):
    report = REPORTS[doc_id]
    heads = find_headings(report)
    assert any(h.level == 1 for h in heads) and any(h.level == 4 for h in heads)
    for h in heads:
        assert report.text[h.start:h.start + len(h.label)] == h.label


def test_section_kinds_tell_achievements_from_plans():
    kinds = {}
    for doc_id, report in REPORTS.items():
        for c in chunk_report(report):
            kinds.setdefault(doc_id, set()).add(c.kind)
    for doc_id, ks in kinds.items():
        assert {"成效", "下一年安排"} <= ks, doc_id
    plans = [c for c in chunk_report(REPORTS["tongzhou-2020"]) if c.kind == "下一年安排"]
    assert all("2021" in c.section[0] for c in plans)


def test_web_residue_is_not_indexed():
    report = REPORTS["zhangziying-2023"]
    assert len(report.skip) == 1
    assert all("打印" not in c.text and "来源:" not in c.text for c in chunk_report(report))


def test_long_sections_split_at_sentence_ends_never_inside_numbers():
    report = REPORTS["zhangziying-2023"]
    chunks = chunk_report(report, budget=120)
    whole = chunk_report(report, budget=4000)
    assert len(chunks) > len(whole)
    for c in chunks:
        assert count_tokens(c.text) <= 120  # a sentence over the budget is cut at its clause marks
        before = report.text[c.start - 1] if c.start else "\n"
        assert not (before.isdigit() and c.text[0].isdigit())
        assert c.text[-1] in "。；;!?！？，,、" or c.end == len(report.text.rstrip()) or report.text[c.end] in "\n "


def test_simplified_search_text_keeps_offsets():
    report = REPORTS["tongzhou-2020"]
    assert len(report.search_text) == len(report.text)
    i = report.text.index("黑名單592家")
    assert report.search_text[i:i + 7] == "黑名单592家"
    assert to_simplified("通州區") == "通州区"
