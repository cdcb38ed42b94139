"""The 报告 tab → HTML. Plain functions: no gradio here.

A report's full text is rendered only when it is opened (its tab entry or a source card's link),
never for every report on every page load. Every sentence and heading start gets an anchored span
(`anchor_id(doc_id, offset)`, with data-start/data-end) so a link can land on a cited sentence.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterable, Sequence

from rag.sections import Heading, find_headings
from rag.types import CatalogEntry, Report

from .format import _WS, anchor_id, esc, open_href, report_anchors, report_dom_id

LEVEL_NAMES = {"province": "省级", "city": "市级", "district": "区县", "county": "区县", "town": "乡镇街道"}
SCRIPT_NAMES = {"simplified": "简体", "traditional": "繁体"}


def entry_html(entry: CatalogEntry) -> str:
    rows = [("地区", entry.region), ("年度", f"{entry.year} 年"),
            ("层级", LEVEL_NAMES.get(entry.level, entry.level or "—")), ("上级", entry.parent or "—"),
            ("发布日期", entry.published or "—"), ("文字", SCRIPT_NAMES.get(entry.script, entry.script)),
            ("文件", entry.file), ("编号", entry.doc_id)]
    cells = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f'<table class="rag-entry">{cells}</table>'


def outline_html(report: Report, headings: Sequence[Heading] | None = None, max_level: int = 3) -> str:
    """The section tree as nested lists; each heading links to its anchor."""
    headings = find_headings(report) if headings is None else headings
    root: list = []
    stack: list[tuple[int, list]] = [(0, root)]
    for h in headings:
        if not 1 <= h.level <= max_level:
            continue
        while stack[-1][0] >= h.level:
            stack.pop()
        node = (h, [])
        stack[-1][1].append(node)
        stack.append((h.level, node[1]))

    def render(nodes) -> str:
        items = "".join(
            f'<li><a class="rag-outline-link" href="#{anchor_id(report.doc_id, h.start)}">{esc(h.label)}</a>'
            f"{render(children) if children else ''}</li>"
            for h, children in nodes)
        return f"<ul>{items}</ul>"

    return f'<nav class="rag-outline">{render(root)}</nav>' if root else '<p class="rag-muted">（未识别到章节标题）</p>'


def fulltext_html(report: Report, headings: Sequence[Heading] | None = None,
                  anchors: Sequence[int] | None = None) -> str:
    """The original text, one <p> per line, one anchored <span> per sentence or heading.
    A heading on a line of its own styles the line; a heading that shares its line with body
    text (「一、…。正文…」) styles only the heading's own sentence."""
    text, doc = report.text, report.doc_id
    headings = find_headings(report) if headings is None else headings
    anchors = report_anchors(report, headings) if anchors is None else list(anchors)
    heading_at = {}
    for h in headings:
        if 1 <= h.level <= 3:
            heading_at.setdefault(h.start, h)
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        ls, le = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        if not text[ls:le].strip(_WS):
            continue
        cuts = anchors[bisect_left(anchors, ls):bisect_left(anchors, le)]
        starts = [ls] + [c for c in cuts if c > ls] if (not cuts or cuts[0] > ls) else cuts
        lead = next((heading_at[c] for c in cuts if c in heading_at and not text[ls:c].strip(_WS)), None)
        whole_line = lead is not None and (lead.standalone or len(cuts) <= 1)
        spans = []
        for i, a in enumerate(starts):
            b = starts[i + 1] if i + 1 < len(starts) else le
            seg = esc(text[a:b])
            if cuts and a in cuts:
                cls = "rag-s"
                if lead is not None and not whole_line and a == lead.start:
                    cls += f" rag-hs rag-hs{lead.level}"  # the heading sentence only
                spans.append(f'<span class="{cls}" id="{anchor_id(doc, a)}" data-start="{a}" data-end="{b}">{seg}</span>')
            else:
                spans.append(seg)
        classes = ["rag-p"]
        if whole_line:
            classes.append(f"rag-h{lead.level}")
        if any(a < le and ls < b for a, b in report.skip):
            classes.append("rag-residue")
        out.append(f'<p class="{" ".join(classes)}">{"".join(spans)}</p>')
    return f'<div class="rag-fulltext">{"".join(out)}</div>'


BACK_LINK = '<a class="rag-back" href="#rag-back" title="关闭报告，回到打开它之前的位置">‹ 返回（关闭报告）</a>'


def report_html(report: Report, loaded_at: int = 0) -> str:
    """One opened report: back link, catalogue entry, outline and anchored full text.
    `loaded_at` changes on every load, so the page re-renders even when the text did not."""
    headings = find_headings(report)
    return (
        f'<section class="rag-report" id="{report_dom_id(report.doc_id)}" data-doc="{esc(report.doc_id)}" '
        f'data-loaded="{int(loaded_at)}">'
        f'<div class="rag-report-nav rag-panel-bar">{BACK_LINK}</div>'
        f"<h3>{esc(report.entry.title)}</h3>"
        f"{entry_html(report.entry)}"
        f'<details class="rag-outline-box" open><summary>目录</summary>{outline_html(report, headings)}</details>'
        f'<div class="rag-text-title">全文（{len(report.text)} 字）</div>'
        f"{fulltext_html(report, headings)}"
        "</section>"
    )


def catalogue_html(catalog: Sequence[CatalogEntry], available: Iterable[str],
                   errors: Iterable[str] = ()) -> str:
    """The 报告 tab's index: one row per catalogue entry; a title opens that report (loaded then)."""
    available = set(available)
    rows = []
    for e in sorted(catalog, key=lambda e: (e.region, e.year)):
        link = (f'<a href="{open_href(e.doc_id)}" class="rag-report-link">'
                f"{esc(e.title)}</a>" if e.doc_id in available else f"{esc(e.title)}（未能加载）")
        rows.append(f"<tr><td>{esc(e.region)}</td><td>{e.year}</td><td>{link}</td></tr>")
    head = ('<table class="rag-catalog"><thead><tr><th>地区</th><th>年度</th><th>报告</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')
    errs = "".join(f'<div class="rag-notice">⚠️ {esc(m)}</div>' for m in errors)
    return f'<div class="rag-reports">{head}{errs}</div>'


def report_view_html(report: Report | None, doc_id: str = "", loaded_at: int = 0) -> str:
    """The opened report, or a hint (nothing chosen yet, or a report that is gone)."""
    if report is None:
        if doc_id:
            return (f'<div class="rag-reports"><div class="rag-report-nav rag-panel-bar">{BACK_LINK}</div>'
                    f'<p class="rag-muted rag-gone">报告「{esc(doc_id)}」已不在报告库中（可能已被删除）。</p></div>')
        return ('<div class="rag-reports"><p class="rag-muted">在「报告」页选择一份报告，或点击答案来源卡片中的'
                '「在报告中查看 ›」，报告原文会显示在这里。</p></div>')
    return f'<div class="rag-reports">{report_html(report, loaded_at)}</div>'
