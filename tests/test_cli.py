"""The `rag` command line, run as users run it (a real subprocess)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT


def run_rag(*args, data_dir, stdin=None):
    env = {**os.environ, "RAG_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_search_batch_json_contract(built_settings, tmp_path):
    batch = tmp_path / "q.jsonl"
    lines = [{"id": "a", "question": "昌平区2024年共接收行政复议申请多少件？"},
             {"id": 7, "question": "海淀区2024年行政复议多少件"},
             {"id": "c", "question": "通州区2020年黑名单多少家"}]
    batch.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    out = run_rag("search", "--batch", str(batch), "--json", "-k", "3", data_dir=built_settings.data_dir)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", 7, "c"]
    assert set(rows[0]) == {"id", "question", "passages"}
    assert set(rows[0]["passages"][0]) == {"doc_id", "title", "section", "text", "start", "end", "score"}
    assert len(rows[0]["passages"]) == 3 and "1723件" in rows[0]["passages"][0]["text"]
    assert rows[1]["passages"] == []
    assert "黑名單592家" in rows[2]["passages"][0]["text"]


def test_index_reports_counts_and_unchanged_costs_nothing(built_settings):
    out = run_rag("index", data_dir=built_settings.data_dir)
    assert out.returncode == 0, out.stderr
    assert "未变 5" in out.stdout and "计算向量 0 个" in out.stdout


def test_empty_question_exits_nonzero_with_message(built_settings):
    out = run_rag("search", "   ", data_dir=built_settings.data_dir)
    assert out.returncode != 0 and "问题不能为空" in out.stderr


def test_batch_keeps_one_output_line_per_input_line(built_settings, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": 1, "question": "昌平区2024年共接收行政复议申请多少件？"}\n'
                     'not json\n'
                     '{"id": 3, "question": "   "}\n', encoding="utf-8")
    out = run_rag("search", "--batch", str(batch), "--json", data_dir=built_settings.data_dir)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 3 and out.returncode == 1
    assert rows[0]["passages"] and "error" in rows[1] and rows[2]["passages"] == []


def test_missing_batch_file_is_a_clean_error(built_settings, tmp_path):
    out = run_rag("ask", "--batch", str(tmp_path / "nope.jsonl"), data_dir=built_settings.data_dir)
    assert out.returncode == 2 and "无法读取" in out.stderr and "Traceback" not in out.stderr
