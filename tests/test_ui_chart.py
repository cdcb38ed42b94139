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
