"""Chart and data-tab formatters, without a browser."""
from __future__ import annotations

import csv

from rag.types import Answer, Statement as Fact
from ui.chart import chart_html
from ui.data_tab import COLUMNS, fact_rows, table_html, write_csv
from ui.format import format_answer_html

ROWS = [{"place": "昌平区", "year": 2024, "value": 1723.0, "unit": "件", "as_written": "1723件"},
        {"place": "通州区", "year": 2020, "value": 172.0, "unit": "件", "as_written": "172件"}]


def test_chart_has_one_labelled_bar_per_place_scaled_to_the_largest():
    html = chart_html(ROWS, "行政复议案件")
    assert html.count('class="rag-bar-row"') == 2
    assert "昌平区（2024年）" in html and "1723件" in html and "通州区（2020年）" in html
    assert 'style="width:100.0%"' in html and 'style="width:10.0%"' in html


def test_no_chart_for_a_single_value_and_text_is_escaped():
    assert chart_html(ROWS[:1]) == ""
    html = chart_html([{**ROWS[0], "place": "<b>x</b>"}, ROWS[1]])
    assert "<b>x</b>" not in html and "&lt;b&gt;" in html


def test_answer_with_chart_rows_shows_the_chart():
    ans = Answer("q", "昌平区最多：1723件[1]", True, [], chart=tuple(ROWS))
    assert "rag-chart" in format_answer_html(ans)
    assert "rag-chart" not in format_answer_html(Answer("q", "1723件", True, []))


def _fact(region, value):
    return Fact("d", region, 2024, "成效", "共接收行政复议申请", "共接收行政复议申请", value, "件", f"{value:g}件", False,
                "current", f"共接收行政复议申请{value:g}件。", 10, 30, 19, 24)


def test_table_and_csv_columns(tmp_path):
    rows = fact_rows([_fact("昌平区", 1723), _fact("通州区", 172)])
    html = table_html(rows, lambda doc_id: [])
    assert html.count("<tr>") == 3 and "#open/d/10/" in html
    path = write_csv(rows)
    with open(path, encoding="utf-8-sig") as fh:
        table = list(csv.DictReader(fh))
    assert list(table[0]) == list(COLUMNS) and table[0]["地区"] == "昌平区" and table[1]["数值"] == "172"


def test_the_report_listing_follows_the_library(assistant):
    """The 报告 catalogue and pickers are rebuilt from the Assistant on each page load (ui.app refresh)."""
    from ui.reports_tab import current_listing

    html, choices = current_listing(assistant)
    assert len(choices) == len(assistant.catalog) and all(e.title in html for e in assistant.catalog)


# ---- the 数据 tab for analysts (issue 19 item 6, issue 20 finding 7) --------------------------
def test_csv_numbers_are_plain_and_named_readably(tmp_path):
    from ui.data_tab import csv_name, plain_number

    assert [plain_number(v) for v in (1723.0, 1949.39, 19493900.0, 48.2, 0.5, 3, 1e12, 1e-7)] == \
        ["1723", "1949.39", "19493900", "48.2", "0.5", "3", "1000000000000", "0.0000001"]
    rows = fact_rows([_fact("昌平区", 1723.0)])
    rows[0]["报告"] = "北京市昌平区2024年法治政府建设年度情况报告"
    path = write_csv(rows, csv_name("行政复议 案件", ["昌平区"], [2024], today="20261202"))
    assert path.endswith("数据-行政复议_案件-昌平区-2024-20261202.csv")
    with open(path, encoding="utf-8-sig") as fh:
        table = list(csv.DictReader(fh))
    assert table[0]["数值"] == "1723" and table[0]["年份"] == "2024" and table[0]["start"] == "10"
    assert table[0]["指标"] == "共接收行政复议申请" and table[0]["报告"].startswith("北京市昌平区")
    assert {"地区", "年份", "指标", "数值", "单位", "原文写法", "报告", "原句"} <= set(table[0])
    assert csv_name("a/b:c", today="1") == "数据-a_b_c-1.csv" and csv_name(None, today="1") == "数据-全部数字-1.csv"


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped():
    from ui.data_tab import csv_cell, csv_text

    for evil in ("=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell("原句", evil) == "'" + evil
    assert csv_cell("原句", "正常的句子=1") == "正常的句子=1"
    assert csv_cell("数值", -5.0) == "-5"  # our own numbers stay numbers
    row = fact_rows([_fact("昌平区", 3.0)])[0]
    row.update({"报告": "=cmd|' /C calc'!A0", "原句": "@x", "地区": "-y"})
    line = csv_text([row]).splitlines()[1]
    assert "'=cmd" in line and "'@x" in line and "'-y" in line


def test_rows_carry_measure_year_and_title_and_any_sort(tmp_path):
    from ui.data_tab import measure_choices, sort_rows

    facts = [_fact("昌平区", 1723.0), _fact("通州区", 172.0)]
    rows = fact_rows(facts)
    html = table_html(rows, None)
    assert "共接收行政复议申请" in html and "2024" in html and "指标（原文）" in html and "报告" in html
    assert 'title="原文第 10–30 字"' in html
    assert [r["地区"] for r in sort_rows(rows, "数值从小到大")] == ["通州区", "昌平区"]
    assert [r["地区"] for r in sort_rows(rows, "地区")] == sorted(["昌平区", "通州区"])
    assert measure_choices([("行政复议案件", 3)]) == [("行政复议案件（3 份报告）", "行政复议案件")]


def test_measures_come_from_the_statements_with_report_counts(assistant):
    measures = assistant.measures()
    assert measures and all(isinstance(m, str) and isinstance(n, int) and n >= 1 for m, n in measures)
    counts = [n for _, n in measures]
    assert counts == sorted(counts, reverse=True)
    top, n = measures[0]
    assert n == len({f.doc_id for f in assistant.facts() if f.measures == top})
