"""The 数据 tab: the facts table for analysts. Pick a measured thing from the list (with how many reports
state it) or type one, see every report's figure for it (or every stated figure), filter by place and year,
sort, chart it, download it as CSV. Everything comes from the Assistant's public API (`measures`,
`match_metric`, `facts`); this module only formats, and its formatters are plain functions."""
from __future__ import annotations

import csv
import os
import re
import tempfile
import time

from rag import export
from rag.export import csv_cell as escape_cell

from .chart import chart_html
from .format import esc, nearest_anchor, open_href

COLUMNS = ("地区", "年份", "指标", "数值", "单位", "原文写法", "报告", "原句", "doc_id", "start", "end")
SORTS = {"数值从大到小": ("数值", True), "数值从小到大": ("数值", False), "地区": ("地区", False),
         "年份（新到旧）": ("年份", True), "年份（旧到新）": ("年份", False), "指标": ("指标", False)}
NUMERIC = frozenset({"年份", "数值", "start", "end"})  # written by us as numbers, never escaped
PAGE_ROWS = 200  # rows shown on the page; the CSV holds up to MAX_EXPORT_ROWS
MAX_EXPORT_ROWS = 20_000


def fact_rows(facts) -> list[dict]:
    return [{"地区": f.region, "年份": f.year, "指标": f.metric, "数值": f.value, "单位": f.unit,
             "原文写法": f.as_written, "报告": f.title, "原句": f.text, "doc_id": f.doc_id,
             "start": f.start, "end": f.end} for f in facts]


def measure_choices(measures) -> list[tuple[str, str]]:
    """`Assistant.measures()` → dropdown choices: 「行政复议案件（3 份报告）」 → 行政复议案件."""
    return [(f"{m}（{n} 份报告）", m) for m, n in measures]


def plain_number(value) -> str:
    """1723.0 → 1723, 1949.39 → 1949.39, 19493900.0 → 19493900 (never 1.94939e+07)."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return str(value)
    v = float(value)
    if v.is_integer():
        return str(int(v))
    text = repr(v)
    if "e" in text:  # tiny or huge: fixed notation without trailing zeros
        text = f"{v:.15f}".rstrip("0").rstrip(".")
    return text


def csv_cell(column: str, value) -> str:
    """One CSV cell: numbers plain; text starting with = + - @ (or tab/CR) prefixed with ' so a
    spreadsheet shows it as text instead of running it as a formula."""
    if column in NUMERIC and isinstance(value, (int, float)):
        return plain_number(value)
    return escape_cell("" if value is None else str(value))


def csv_text(rows: list[dict]) -> str:
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([csv_cell(c, r.get(c)) for c in COLUMNS])
    return out.getvalue()


_NOT_NAME = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


def csv_name(metric: str | None, regions=None, years=None, today: str | None = None) -> str:
    """A readable file name: 数据-行政复议案件-昌平区-2024-20261202.csv."""
    parts = ["数据", (metric or "").strip() or "全部数字", *(regions or [])[:3], *[str(y) for y in (years or [])[:3]],
             today or time.strftime("%Y%m%d")]
    name = "-".join(p for p in (_NOT_NAME.sub("_", str(p)).strip("._") for p in parts) if p)
    return name[:100] + ".csv"


def write_csv(rows: list[dict], name: str = "数据.csv") -> str:
    """The rows as a UTF-8 (with BOM, for Excel) CSV file under its readable name, in the process's download
    folder (rag.export: old downloads pruned by age and count, the folder removed at exit)."""
    folder = tempfile.mkdtemp(dir=export.downloads_dir())  # one folder per download: the name stays readable
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(csv_text(rows[:MAX_EXPORT_ROWS]))
    export.prune_downloads()
    return path


def run_query(assistant, anchors_of, metric, regions, years, best_only, sort) -> tuple[str, str | None]:
    """One query of the tab: (chart + at most PAGE_ROWS table rows, a CSV of at most MAX_EXPORT_ROWS)."""
    metric = (metric or "").strip()
    rows = query_facts(assistant, metric, regions, years, best_only, sort)
    chart_rows = [{"place": r["地区"], "year": r["年份"], "value": r["数值"], "unit": r["单位"],
                   "as_written": r["原文写法"]} for r in rows[:30]]
    chart = chart_html(chart_rows, f"「{metric}」各地对比") if best_only and metric else ""
    name = csv_name(metric, regions, years)
    return chart + table_html(rows, anchors_of), (write_csv(rows, name) if rows else None)


def table_html(rows: list[dict], anchors_of=None) -> str:
    if not rows:
        return '<div class="rag-muted">没有找到对应的数字。</div>'
    head = "".join(f"<th>{c}</th>" for c in ("地区", "年份", "指标（原文）", "数值", "报告", "原句", ""))
    body = []
    total = len(rows)
    rows = rows[:PAGE_ROWS]
    for r in rows:
        anchor = nearest_anchor(anchors_of(r["doc_id"]) if anchors_of else None, r["start"])
        link = (f'<a class="rag-src-link" href="{open_href(r["doc_id"], r["start"], anchor)}" '
                f'title="原文第 {int(r["start"])}–{int(r["end"])} 字">在报告中查看 ›</a>')
        body.append(f'<tr><td>{esc(r["地区"])}</td><td>{esc(r["年份"])}</td><td>{esc(r["指标"])}</td>'
                    f'<td>{esc(r["原文写法"])}</td><td class="rag-facts-title">{esc(r["报告"])}</td>'
                    f'<td>{esc(r["原句"])}</td><td>{link}</td></tr>')
    shown = f"共 {total} 条" if total <= PAGE_ROWS else \
        f"共 {total} 条，页面只显示前 {PAGE_ROWS} 条（CSV 含{'全部' if total <= MAX_EXPORT_ROWS else f'前 {MAX_EXPORT_ROWS} 条'}）；请用指标、地区、年份缩小范围"
    return (f'<div class="rag-muted">{shown}</div><div class="rag-facts-wrap"><table class="rag-facts">'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def sort_rows(rows: list[dict], sort: str) -> list[dict]:
    field, reverse = SORTS.get(sort, SORTS["数值从大到小"])
    return sorted(rows, key=lambda r: (r[field] is None, r[field]), reverse=reverse)


def query_facts(assistant, metric: str, regions, years, best_only: bool, sort: str) -> list[dict]:
    metric = (metric or "").strip()
    regions = list(regions or []) or None
    years = [int(y) for y in years or []] or None
    if metric and best_only:
        facts = [m.statement for m in assistant.match_metric(metric) if m.statement is not None]
        facts = [f for f in facts if (not regions or any(r in f.region or f.region in r for r in regions))
                 and (not years or f.year in years)]
    else:
        facts = assistant.facts(metric=metric or None, regions=regions, years=years)
    return sort_rows(fact_rows(facts), sort)


def filter_choices(catalog) -> tuple[list[str], list[str]]:
    """The region and year filters' choices: the library's places and years, as the catalogue names them."""
    return sorted({e.short_region for e in catalog}), sorted({str(e.year) for e in catalog})


def data_tab(gr, assistant):
    """Build the tab; returns `refresh()` → updates for (measure list, region filter, year filter)."""
    from .format import report_anchors

    anchors_cache: dict[tuple, list[int]] = {}

    def anchors_of(doc_id):
        report = assistant.report(doc_id)
        key = (doc_id, getattr(report, "sha256", None))
        if key not in anchors_cache:
            anchors_cache[key] = report_anchors(report) if report else []
        return anchors_cache[key]

    def run(metric, regions, years, best_only, sort):
        return run_query(assistant, anchors_of, metric, regions, years, best_only, sort)

    regions_now, years_now = filter_choices(assistant.catalog)
    with gr.Tab("数据", id="data", elem_id="rag-tab-data"):
        gr.Markdown("报告中写明的每一个数字。从列表中选一个指标（括号里是写明它的报告数），或直接输入指标用词；"
                    "勾选「每份报告取最匹配的一条」时每份报告取一条并作图，否则列出所有含该词的数字。")
        with gr.Row():
            metric = gr.Dropdown(measure_choices(assistant.measures()), value=None, allow_custom_value=True,
                                 filterable=True, label="指标（可输入）", scale=3, elem_id="rag-data-metric")
            best = gr.Checkbox(value=True, label="每份报告取最匹配的一条", scale=1, elem_id="rag-data-best")
            sort = gr.Dropdown(list(SORTS), value="数值从大到小", label="排序", scale=1, elem_id="rag-data-sort")
        with gr.Row():
            regions = gr.Dropdown(regions_now, multiselect=True, label="地区", elem_id="rag-data-regions")
            years = gr.Dropdown(years_now, multiselect=True, label="年份", elem_id="rag-data-years")
            go = gr.Button("查询", variant="primary", elem_id="rag-data-go", scale=0, min_width=90)
        result = gr.HTML(elem_id="rag-data-result", apply_default_css=False)
        download = gr.File(label="下载 CSV", elem_id="rag-data-csv", interactive=False)
        inputs = [metric, regions, years, best, sort]
        opts = {"api_visibility": "undocumented", "concurrency_limit": 4, "trigger_mode": "always_last"}
        go.click(run, inputs, [result, download], **opts)
        for component in (metric, regions, years, best, sort):  # any change re-queries
            component.change(run, inputs, [result, download], **opts)

    def refresh():
        regions_now, years_now = filter_choices(assistant.catalog)
        return (gr.update(choices=measure_choices(assistant.measures())), gr.update(choices=regions_now),
                gr.update(choices=years_now))

    return refresh, [metric, regions, years]
