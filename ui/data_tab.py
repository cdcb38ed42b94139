"""The 数据 tab: the facts table. Type a metric, see every report's figure for it (or every stated figure),
filter by place and year, sort, chart it, download it as CSV. Everything comes from the Assistant's
public API (`match_metric`, `facts`); this module only formats."""
from __future__ import annotations

from rag.export import temp_csv

from .chart import chart_html
from .format import esc, nearest_anchor, open_href, report_anchors

COLUMNS = ("地区", "年份", "数值", "单位", "原文写法", "指标", "原句", "doc_id", "start", "end")
PAGE_ROWS = 200  # rows shown on the page; the CSV holds up to MAX_EXPORT_ROWS
MAX_EXPORT_ROWS = 20_000
SORTS = {"数值从大到小": ("value", True), "数值从小到大": ("value", False), "地区": ("region", False), "年份": ("year", False)}


def fact_rows(facts) -> list[dict]:
    return [{"地区": f.region, "年份": f.year, "数值": f.value, "单位": f.unit, "原文写法": f.as_written,
             "指标": f.metric, "原句": f.text, "doc_id": f.doc_id, "start": f.start, "end": f.end} for f in facts]


def table_html(rows: list[dict], anchors_of) -> str:
    if not rows:
        return '<div class="rag-muted">没有找到对应的数字。</div>'
    head = "".join(f"<th>{c}</th>" for c in ("地区", "年份", "数值", "原句", ""))
    body = []
    for r in rows:
        anchor = nearest_anchor(anchors_of(r["doc_id"]), r["start"])
        link = f'<a class="rag-src-link" href="{open_href(r["doc_id"], r["start"], anchor)}">在报告中查看 ›</a>'
        body.append(f'<tr><td>{esc(r["地区"])}</td><td>{r["年份"]}</td><td>{esc(r["原文写法"])}</td>'
                    f'<td>{esc(r["原句"])}</td><td>{link}</td></tr>')
    return f'<table class="rag-facts"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def write_csv(rows: list[dict]) -> str:
    """Formula-like cells escaped (rag.export.csv_cell); old downloads pruned."""
    return temp_csv(COLUMNS, rows[:MAX_EXPORT_ROWS])


def page_note(total: int) -> str:
    if total <= PAGE_ROWS:
        return ""
    more = f"CSV 含全部 {total} 条" if total <= MAX_EXPORT_ROWS else f"CSV 含前 {MAX_EXPORT_ROWS} 条"
    return f'<div class="rag-muted">共 {total} 条，页面只显示前 {PAGE_ROWS} 条；{more}。请用指标、地区、年份缩小范围。</div>'


def query_facts(assistant, metric: str, regions, years, best_only: bool, sort: str) -> list[dict]:
    regions = list(regions or []) or None
    years = [int(y) for y in years or []] or None
    if metric and metric.strip() and best_only:
        facts = [m.statement for m in assistant.match_metric(metric) if m.statement is not None]
        facts = [f for f in facts if (not regions or f.region in regions) and (not years or f.year in years)]
    else:
        facts = assistant.facts(metric=(metric or "").strip() or None, regions=regions, years=years)
    key, reverse = SORTS.get(sort, SORTS["数值从大到小"])
    rows = fact_rows(facts)
    field = {"value": "数值", "region": "地区", "year": "年份"}[key]
    return sorted(rows, key=lambda r: r[field], reverse=reverse)


def run_query(assistant, anchors_of, metric, regions, years, best_only, sort) -> tuple[str, str | None]:
    """One query of the tab: (chart + at most PAGE_ROWS table rows, a CSV of at most MAX_EXPORT_ROWS)."""
    rows = query_facts(assistant, metric, regions, years, best_only, sort)
    chart_rows = [{"place": r["地区"], "year": r["年份"], "value": r["数值"], "unit": r["单位"],
                   "as_written": r["原文写法"]} for r in rows[:30]]
    title = f"「{metric.strip()}」各地对比" if metric and metric.strip() else ""
    chart = chart_html(chart_rows, title) if best_only and metric and metric.strip() else ""
    page = page_note(len(rows)) + table_html(rows[:PAGE_ROWS], anchors_of)
    return chart + page, (write_csv(rows) if rows else None)


def data_tab(gr, assistant) -> None:
    catalog = assistant.catalog
    anchors_cache: dict[str, list[int]] = {}

    def anchors_of(doc_id):
        if doc_id not in anchors_cache:
            report = assistant.report(doc_id)
            anchors_cache[doc_id] = report_anchors(report) if report else []
        return anchors_cache[doc_id]

    def run(metric, regions, years, best_only, sort):
        return run_query(assistant, anchors_of, metric, regions, years, best_only, sort)

    with gr.Tab("数据", id="data", elem_id="rag-tab-data"):
        gr.Markdown("报告中写明的每一个数字。输入指标（如「行政复议案件」「主动公开信息」），"
                    "默认每份报告取最匹配的一条并作图；取消勾选则列出所有含该词的数字。")
        with gr.Row():
            metric = gr.Textbox(label="指标", placeholder="例如：行政复议案件", scale=3, elem_id="rag-data-metric")
            best = gr.Checkbox(value=True, label="每份报告取最匹配的一条", scale=1, elem_id="rag-data-best")
            sort = gr.Dropdown(list(SORTS), value="数值从大到小", label="排序", scale=1, elem_id="rag-data-sort")
        with gr.Row():
            regions = gr.Dropdown(sorted({e.short_region for e in catalog}), multiselect=True, label="地区",
                                  elem_id="rag-data-regions")
            years = gr.Dropdown(sorted({str(e.year) for e in catalog}), multiselect=True, label="年份",
                                elem_id="rag-data-years")
            go = gr.Button("查询", variant="primary", elem_id="rag-data-go")
        result = gr.HTML(elem_id="rag-data-result", apply_default_css=False)
        download = gr.File(label="下载 CSV", elem_id="rag-data-csv")
        inputs = [metric, regions, years, best, sort]
        go.click(run, inputs, [result, download], api_visibility="undocumented", concurrency_limit=4)
        metric.submit(run, inputs, [result, download], api_visibility="undocumented", concurrency_limit=4)
