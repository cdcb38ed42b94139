"""Answers, citations and reports → HTML/Markdown. Plain functions: no gradio here.

Everything that comes from a report (titles, sections, passages, quotes) or from the
user is HTML-escaped. Offsets are offsets into `Report.text`; the 报告 tab puts an
anchor (`anchor_id(doc_id, offset)`) at every sentence and heading start, and a
source card links to the nearest anchor at or before its quote.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_right, bisect_left
from typing import Iterable, Mapping, Sequence

from rag.sections import Heading, find_headings, sentence_spans
from rag.types import Answer, CatalogEntry, Citation, Report

EXTRACTIVE_LABEL = "离线摘录"
CONTEXT_CHARS = 160  # passage text shown on each side of the quote
_WS = " \t\r\n\u3000"

LEVEL_NAMES = {"province": "省级", "city": "市级", "district": "区县", "county": "区县", "town": "乡镇街道"}
SCRIPT_NAMES = {"simplified": "简体", "traditional": "繁体"}

# Questions known to have answers in the seed reports; shown when their region is catalogued.
CURATED_EXAMPLES = (
    ("昌平区", "昌平区2024年共接收行政复议申请多少件？"),
    ("通州区", "通州区2020年黑名单有多少家？"),
    ("恩阳区", "恩阳区给企业兑现了多少惠企政策资金？"),
)


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _lines_to_html(text: str) -> str:
    return esc(text).replace("\r\n", "\n").replace("\n", "<br>")


# ---- anchors ---------------------------------------------------------------
_NOT_ID = re.compile(r"[^\w-]")


def anchor_id(doc_id: str, offset: int) -> str:
    """The HTML id of the place `offset` in report `doc_id` (shown in the 报告 tab)."""
    return f"r-{_NOT_ID.sub('_', doc_id)}-{int(offset)}"


def report_dom_id(doc_id: str) -> str:
    return f"rpt-{_NOT_ID.sub('_', doc_id)}"


def report_anchors(report: Report, headings: Sequence[Heading] | None = None) -> list[int]:
    """Offsets that get an anchor: every heading and every sentence start (whitespace skipped)."""
    text = report.text
    headings = find_headings(report) if headings is None else headings
    offsets = {h.start for h in headings}
    for a, b in sentence_spans(text, 0, len(text)):
        while a < b and text[a] in _WS:
            a += 1
        if a < b:
            offsets.add(a)
    return sorted(o for o in offsets if 0 <= o < len(text))


def nearest_anchor(anchors: Sequence[int] | None, offset: int) -> int:
    """The last anchor at or before `offset` (the offset itself when none is known)."""
    if not anchors:
        return offset
    i = bisect_right(anchors, offset)
    return anchors[i - 1] if i else anchors[0]


# ---- answers ---------------------------------------------------------------
def mode_label(answer: Answer) -> str:
    if answer.mode == "llm":
        return answer.model or "大模型"
    return EXTRACTIVE_LABEL


def mode_badge(answer: Answer) -> str:
    mode = "llm" if answer.mode == "llm" else "extractive"
    title = "由大模型根据引文生成" if mode == "llm" else "离线模式：答案摘录自报告原文"
    return f'<span class="rag-badge rag-badge-{mode}" title="{title}">{esc(mode_label(answer))}</span>'


def highlight(passage: str, quote: str, context: int = CONTEXT_CHARS) -> str:
    """The passage around the quote, escaped, with the quote in <mark>."""
    quote = quote or ""
    i = passage.find(quote) if (passage and quote) else -1
    if i < 0 and quote.strip(_WS):
        quote = quote.strip(_WS)
        i = passage.find(quote) if passage else -1
    if i < 0:
        if not quote:
            return _lines_to_html(passage)
        return f"<mark>{_lines_to_html(quote)}</mark>"
    a, b = max(0, i - context), min(len(passage), i + len(quote) + context)
    pre = ("…" if a > 0 else "") + _lines_to_html(passage[a:i].lstrip(_WS) if a == 0 else passage[a:i])
    post = _lines_to_html(passage[i + len(quote):b]) + ("…" if b < len(passage) else "")
    return f"{pre}<mark>{_lines_to_html(quote)}</mark>{post}"


def source_card(citation: Citation, number: int, anchors: Mapping[str, Sequence[int]] | None = None) -> str:
    c = citation
    anchor = nearest_anchor((anchors or {}).get(c.doc_id), c.start)
    section = f'<div class="rag-card-section">{esc(c.section)}</div>' if c.section else ""
    return (
        '<div class="rag-card">'
        f'<div class="rag-card-title"><span class="rag-card-num">{number}</span>{esc(c.title)}</div>'
        f"{section}"
        f'<div class="rag-card-passage">{highlight(c.passage, c.text)}</div>'
        '<div class="rag-card-foot">'
        f'<a class="rag-src-link" href="#{anchor_id(c.doc_id, anchor)}">在报告中查看 ›</a>'
        f'<span class="rag-card-pos">第 {int(c.start)}–{int(c.end)} 字</span>'
        "</div></div>"
    )


def _notices(answer: Answer, extra: Iterable[str | None]) -> list[str]:
    out = []
    for n in (*extra, answer.notice):
        if n and n not in out:
            out.append(n)
    return out


def format_answer_html(answer: Answer, anchors: Mapping[str, Sequence[int]] | None = None,
                       notices: Iterable[str | None] = (), streaming: bool = False) -> str:
    """One chat message: mode badge, answer, notices, source cards. A single line of HTML
    (no blank lines), so Markdown renderers pass it through as one HTML block."""
    parts = [f'<div class="rag-reply{" rag-streaming" if streaming else ""}">',
             f'<div class="rag-meta">{mode_badge(answer)}</div>',
             f'<div class="rag-answer">{_lines_to_html(answer.text)}</div>']
    for n in _notices(answer, notices):
        parts.append(f'<div class="rag-notice">⚠️ {esc(n)}</div>')
    if answer.citations:
        heading = "来源" if answer.answered else "相关段落"
        parts.append(f'<div class="rag-sources"><div class="rag-sources-title">{heading}（{len(answer.citations)}）</div>')
        parts.extend(source_card(c, i, anchors) for i, c in enumerate(answer.citations, 1))
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def format_error_html(message: str) -> str:
    return f'<div class="rag-reply rag-error">⚠️ {_lines_to_html(message)}</div>'


def thinking_html() -> str:
    return '<div class="rag-reply rag-streaming"><div class="rag-answer">正在检索报告…</div></div>'


_MD_SPECIAL = re.compile(r"([\\`*_<>])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def format_answer_markdown(answer: Answer, notices: Iterable[str | None] = ()) -> str:
    """The answer as plain Markdown (what the `/chat` API returns)."""
    lines = [md_escape(answer.text).strip(), "", f"*{md_escape(mode_label(answer))}*"]
    for n in _notices(answer, notices):
        lines += ["", f"> ⚠️ {md_escape(n)}"]
    if answer.citations:
        lines += ["", "**来源**" if answer.answered else "**相关段落**", ""]
        for i, c in enumerate(answer.citations, 1):
            where = f" · {md_escape(c.section)}" if c.section else ""
            quote = md_escape(" ".join(c.text.split()))
            lines.append(f"{i}. 《{md_escape(c.title)}》{where}：「{quote}」（第 {c.start}–{c.end} 字）")
    return "\n".join(lines).strip() + "\n"


# ---- chat history ------------------------------------------------------------
_ANSWER_DIV = re.compile(r'<div class="rag-answer">(.*?)</div>', re.S)
_TAG = re.compile(r"<[^>]+>")


def message_text(content) -> str:
    """Text of a chat message's content: a string, or gradio's list of {type: text} parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "")
    if isinstance(content, (list, tuple)):
        return "".join(message_text(part) for part in content)
    return ""


def history_for_assistant(messages: Iterable[Mapping] | None) -> list[dict]:
    """Chat messages → [{role, content}] with the plain answer text (no badge/cards/HTML).
    Error replies and empty messages are left out."""
    out = []
    for m in messages or []:
        role = m.get("role")
        text = message_text(m.get("content"))
        if role == "assistant":
            if "rag-error" in text:
                continue
            found = _ANSWER_DIV.search(text)
            raw = found.group(1) if found else text
            text = html.unescape(_TAG.sub("", re.sub(r"<br\s*/?>", "\n", raw)))
        elif role == "user":
            text = html.unescape(text)  # the chat shows the question escaped
        else:
            continue
        text = text.strip()
        if text:
            out.append({"role": role, "content": text})
    return out


# ---- catalogue and examples ------------------------------------------------
def catalog_label(entry: CatalogEntry) -> str:
    return f"{entry.short_region}（{entry.year}）"


def catalog_choices(catalog: Iterable[CatalogEntry]) -> list[tuple[str, str]]:
    """(label, doc_id) pairs, by region then year, for a CheckboxGroup."""
    return [(catalog_label(e), e.doc_id) for e in sorted(catalog, key=lambda e: (e.region, e.year))]


def example_questions(catalog: Sequence[CatalogEntry], limit: int = 6) -> list[str]:
    names = {n for e in catalog for n in (e.region, *e.aliases)}
    out = [q for region, q in CURATED_EXAMPLES if region in names]
    covered = {region for region, _ in CURATED_EXAMPLES if region in names}
    for e in catalog:
        if e.short_region not in covered and len(out) < limit:
            out.append(f"{e.short_region}{e.year}年法治政府建设有哪些主要举措？")
            covered.add(e.short_region)
    return out[:limit]


# ---- the 报告 tab ------------------------------------------------------------
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
    """The original text, one <p> per line, one anchored <span> per sentence or heading."""
    text, doc = report.text, report.doc_id
    headings = find_headings(report) if headings is None else headings
    anchors = report_anchors(report, headings) if anchors is None else list(anchors)
    line_level = {}
    for h in headings:
        if 1 <= h.level <= 3:
            line_level.setdefault(h.start, h.level)
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        ls, le = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        if not text[ls:le].strip(_WS):
            continue
        cuts = anchors[bisect_left(anchors, ls):bisect_left(anchors, le)]
        starts = [ls] + [c for c in cuts if c > ls] if (not cuts or cuts[0] > ls) else cuts
        spans = []
        for i, a in enumerate(starts):
            b = starts[i + 1] if i + 1 < len(starts) else le
            seg = esc(text[a:b])
            if cuts and a in cuts:
                spans.append(f'<span class="rag-s" id="{anchor_id(doc, a)}" data-start="{a}" data-end="{b}">{seg}</span>')
            else:
                spans.append(seg)
        classes = ["rag-p"]
        level = next((line_level[c] for c in cuts if c in line_level and not text[ls:c].strip(_WS)), None)
        if level:
            classes.append(f"rag-h{level}")
        if any(a < le and ls < b for a, b in report.skip):
            classes.append("rag-residue")
        out.append(f'<p class="{" ".join(classes)}">{"".join(spans)}</p>')
    return f'<div class="rag-fulltext">{"".join(out)}</div>'


def report_html(report: Report) -> str:
    """One report: its catalogue entry, outline and anchored full text."""
    headings = find_headings(report)
    return (
        f'<section class="rag-report" id="{report_dom_id(report.doc_id)}">'
        f"<h3>{esc(report.entry.title)}</h3>"
        f"{entry_html(report.entry)}"
        f'<details class="rag-outline-box" open><summary>目录</summary>{outline_html(report, headings)}</details>'
        f'<details class="rag-text-box"><summary>全文（{len(report.text)} 字）</summary>'
        f"{fulltext_html(report, headings)}</details>"
        "</section>"
    )


def reports_page_html(catalog: Sequence[CatalogEntry], reports: Mapping[str, Report],
                      errors: Iterable[str] = ()) -> str:
    """The whole 报告 tab: a table of the catalogue, then each report."""
    rows = []
    for e in sorted(catalog, key=lambda e: (e.region, e.year)):
        link = (f'<a href="#{report_dom_id(e.doc_id)}" class="rag-report-link">{esc(e.title)}</a>'
                if e.doc_id in reports else f"{esc(e.title)}（未能加载）")
        rows.append(f"<tr><td>{esc(e.region)}</td><td>{e.year}</td><td>{link}</td></tr>")
    head = ('<table class="rag-catalog"><thead><tr><th>地区</th><th>年度</th><th>报告</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')
    errs = "".join(f'<div class="rag-notice">⚠️ {esc(m)}</div>' for m in errors)
    body = "".join(report_html(reports[e.doc_id]) for e in catalog if e.doc_id in reports)
    return f'<div class="rag-reports">{head}{errs}{body}</div>'
