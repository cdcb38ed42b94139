"""`rag eval` end to end on a small question file: tables on stdout, Markdown + JSON reports on disk."""
from __future__ import annotations

import io
import json
from argparse import Namespace
from types import SimpleNamespace

import pytest

from evals import runner
from evals.retrieval import QUESTIONS, load_questions
from rag import cli

CATEGORIES = ("direct", "traditional", "comparison", "multi_value", "unanswerable")


@pytest.fixture
def small_set(tmp_path):
    """The first gold question of five categories, incl. one refuse and one comparison."""
    gold = load_questions(QUESTIONS)
    picked = [next(q for q in gold if q["category"] == c) for c in CATEGORIES]
    path = tmp_path / "small.jsonl"
    path.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in picked) + "\n", encoding="utf-8")
    return path, picked


def _args(questions, **kw):
    values = dict(mode="extractive", questions=str(questions), retrieval_only=False, no_ablation=False, data_dir=None)
    return Namespace(**{**values, **kw})


def test_cli_eval_writes_reports_and_prints_tables(built_settings, small_set, tmp_path, monkeypatch, capsys):
    path, picked = small_set
    reports = tmp_path / "reports"
    monkeypatch.setenv("RAG_EVAL_REPORTS_DIR", str(reports))
    rc = cli.main(["--data-dir", str(built_settings.data_dir), "eval", "--questions", str(path)])
    out = capsys.readouterr().out
    assert rc == 0

    stamped_md = sorted(reports.glob("eval-*.md"))
    stamped_json = sorted(reports.glob("eval-*.json"))
    assert len(stamped_md) == 1 and len(stamped_json) == 1
    assert stamped_md[0].stem.startswith("eval-2") and stamped_md[0].stem.endswith("Z")
    assert (reports / "latest.md").read_text(encoding="utf-8") == stamped_md[0].read_text(encoding="utf-8")
    assert str(stamped_md[0]) in out and str(stamped_json[0]) in out

    data = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    assert data["n_questions"] == 5 and data["mode"] == "extractive"
    assert set(data["categories"]) == set(CATEGORIES)
    for cat in CATEGORIES:
        c = data["categories"][cat]
        assert c["n"] == 1
        for key in ("strict", "lenient", "refusal", "p50_ms", "p95_ms"):
            assert c[key] is not None, (cat, key)
    assert data["categories"]["unanswerable"]["citation"] is None  # nothing to cite
    assert data["categories"]["unanswerable"]["hit5"] is None
    assert 0.0 <= data["categories"]["direct"]["hit5"] <= 1.0
    assert data["overall"]["n"] == 5 and data["overall"]["answerable"] == 4
    assert [r["id"] for r in data["rows"]] == [q["id"] for q in picked]
    assert {m["mode"] for m in data["modes"]} == {"extractive", "llm"}
    assert len(data["retrieval"]) == 6

    for cat in CATEGORIES:
        assert f"| {cat} | 1 |" in out
    assert "| **overall** | 5 |" in out
    assert "检索配置对比" in out and "| fused + filters | 4 |" in out
    assert "未配置 LLM" in out  # the tests run without an LLM


def test_retrieval_only_prints_only_retrieval_tables(assistant, small_set, tmp_path):
    path, _ = small_set
    buf = io.StringIO()
    rc = runner.main(_args(path, retrieval_only=True), assistant=assistant, reports_dir=tmp_path, out=buf)
    out = buf.getvalue()
    assert rc == 0
    assert "检索配置对比" in out and "检索按类别" in out
    assert "## 按类别" not in out and "失败题目" not in out and "回答模式对比" not in out
    data = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert data["mode"] == "retrieval" and "modes" not in data
    assert all(r["answered"] is None for r in data["rows"])


def test_no_ablation_skips_the_comparison_tables(assistant, small_set, tmp_path):
    path, _ = small_set
    buf = io.StringIO()
    args = _args(path, no_ablation=True)
    assert runner.main(args, assistant=assistant, reports_dir=tmp_path, out=buf) == 0
    out = buf.getvalue()
    assert "## 按类别" in out and "## 失败题目" in out
    assert "检索配置对比" not in out and "回答模式对比" not in out


class _WrongAssistant:
    """Answers every question with the same wrong number and cites nothing."""

    settings = SimpleNamespace(llm_configured=False, embedding="stub")

    def ask(self, question, history=None, *, mode=None):
        return SimpleNamespace(as_dict=lambda: {"answer": "共9999件。\n第二行不打印", "answered": True,
                                                "citations": []})

    def search(self, question, k=5, **kw):
        return SimpleNamespace(passages=[])


def test_every_failure_is_listed_with_its_answer(small_set, tmp_path):
    path, picked = small_set
    buf = io.StringIO()
    args = _args(path, no_ablation=True)
    assert runner.main(args, assistant=_WrongAssistant(), reports_dir=tmp_path, out=buf) == 0
    out = buf.getvalue()
    assert "5 题未通过" in out
    for q in picked:
        assert f"`{q['id']}`" in out
    assert out.count("答：共9999件。") == 5 and "第二行不打印" not in out
    data = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert data["overall"]["strict"] == 0.0 and data["overall"]["refusal"] == 0.8  # only the refuse gold
    assert data["overall"]["hit5"] == 0.0
    refuse_id = next(q["id"] for q in picked if q.get("refuse"))
    assert {"id": refuse_id, "failed": ["strict", "refusal"]} in data["failures"]


def test_llm_mode_without_llm_and_missing_file_are_errors(built_settings, small_set, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RAG_EVAL_REPORTS_DIR", str(tmp_path / "reports"))
    path, _ = small_set
    rc = cli.main(["--data-dir", str(built_settings.data_dir), "eval", "--mode", "llm", "--questions", str(path)])
    assert rc != 0 and "未配置 LLM" in capsys.readouterr().err
    rc = cli.main(["--data-dir", str(built_settings.data_dir), "eval", "--questions", str(tmp_path / "none.jsonl")])
    assert rc != 0 and "找不到题集文件" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()
