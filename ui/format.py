"""Answers, citations and reports → HTML/Markdown. Plain functions: no gradio here.

Everything that comes from a report (titles, sections, passages, quotes) or from the
user is HTML-escaped. Offsets are offsets into `Report.text`; the 报告 tab puts an
anchor (`anchor_id(doc_id, offset)`) at every sentence and heading start, and a
source card links to the nearest anchor at or before its quote.
"""
from __future__ import annotations

import html
import re
from urllib.parse import quote
from bisect import bisect_right
from typing import Iterable, Mapping, Sequence

from rag.sections import Heading, find_headings

from rag.text.sentences import sentence_spans
from rag.types import Answer, CatalogEntry, Citation, Report

EXTRACTIVE_LABEL = "离线摘录"
CONTEXT_CHARS = 90  # passage text shown on each side of the quote (short enough for a phone screen)
_WS = " \t\r\n\u3000"


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


def open_href(doc_id: str, start: int | None = None, anchor: int | None = None) -> str:
    """A link the page script turns into "open this report (at this place)". Everything rides in
    the href: the chat's sanitizer strips data-* attributes.
    Form: #open/<doc_id, URL-quoted>[/<offset>/<anchor id>]."""
    href = f"#open/{quote(doc_id, safe='')}"
    if start is not None:
        href += f"/{int(start)}/{anchor_id(doc_id, start if anchor is None else anchor)}"
    return esc(href)


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


def card_place(citation: Citation) -> str:
    """Where a quote stands, in words a reader can use: the innermost section, else the report's start."""
    parts = [p.strip() for p in (citation.section or "").split("›") if p.strip()]
    return f"见「{parts[-1]}」" if parts else "见报告正文"


def source_card(citation: Citation, number: int, anchors: Mapping[str, Sequence[int]] | None = None,
                *, highlight_quote: bool = True) -> str:
    """One source card. `highlight_quote=False` for refusals: the passage is only the nearest one,
    not evidence, so nothing in it is marked. Offsets stay in the link (href, title) for tools."""
    c = citation
    anchor = nearest_anchor((anchors or {}).get(c.doc_id), c.start)
    section = f'<div class="rag-card-section">{esc(c.section)}</div>' if c.section else ""
    # where the quote stands, in words: the section above, else this (offsets: in the link)
    place = "" if c.section else f'<span class="rag-card-pos">{esc(card_place(c))}</span>'
    passage = highlight(c.passage, c.text) if highlight_quote else _lines_to_html(
        " ".join(_plain_context(c.passage, c.text).split()))
    return (
        f'<div class="rag-card rag-card-{int(number)}">'
        f'<div class="rag-card-title"><span class="rag-card-num">{number}</span>{esc(c.title)}</div>'
        f"{section}"
        f'<div class="rag-card-passage">{passage}</div>'
        '<div class="rag-card-foot">'
        f'<a class="rag-src-link" href="{open_href(c.doc_id, c.start, anchor)}" '
        f'title="原文第 {int(c.start)}–{int(c.end)} 字">在报告中查看 ›</a>'
        f"{place}"
        "</div></div>"
    )


def _plain_context(passage: str, quote: str, context: int = CONTEXT_CHARS) -> str:
    """The passage around the quote as plain text (no mark), trimmed like `highlight`."""
    i = passage.find(quote) if (passage and quote) else -1
    if i < 0:
        return passage[: 2 * context] + ("…" if len(passage) > 2 * context else "") if passage else quote
    a, b = max(0, i - context), min(len(passage), i + len(quote) + context)
    return ("…" if a else "") + passage[a:b] + ("…" if b < len(passage) else "")


_MARKER = re.compile(r"\[(\d{1,2})\]")


def link_markers(text_html: str, citations: Sequence[Citation]) -> str:
    """[n] in the (escaped) answer → a link to card n, with the quote as its hover title."""
    def one(m: re.Match) -> str:
        n = int(m.group(1))
        if not 1 <= n <= len(citations):
            return m.group(0)
        c = citations[n - 1]
        tip = esc(f"《{c.title}》{card_place(c)}：{' '.join(c.text.split())[:120]}")
        return f'<a class="rag-cite" href="#cite-{n}" title="{tip}">[{n}]</a>'

    return _MARKER.sub(one, text_html)


INFO_PREFIXES = ("理解为：",)  # notices that inform (a follow-up rewritten) rather than warn


def _notices(answer: Answer, extra: Iterable[str | None]) -> list[str]:
    out = []
    parts = [*extra, *((answer.notice or "").split("；"))]
    for n in parts:
        n = (n or "").strip()
        if n and n not in out:
            out.append(n)
    return out


def notice_html(text: str) -> str:
    if text.startswith(INFO_PREFIXES):
        return f'<div class="rag-info">{esc(text)}</div>'
    return f'<div class="rag-notice">⚠️ {esc(text)}</div>'


REFUSAL_SOURCES = "最接近的段落：仅供参考，不是答案的依据"


def format_answer_html(answer: Answer, anchors: Mapping[str, Sequence[int]] | None = None,
                       notices: Iterable[str | None] = (), streaming: bool = False,
                       question: str | None = None) -> str:
    """One chat message: mode badge, answer, notices, source cards. A single line of HTML
    (no blank lines), so Markdown renderers pass it through as one HTML block."""
    copy = "" if streaming else COPY_LINK
    parts = [f'<div class="rag-reply{" rag-streaming" if streaming else ""}'
             f'{"" if answer.answered else " rag-refusal"}">',
             f'<div class="rag-meta">{mode_badge(answer)}{copy}</div>',
             f'<div class="rag-answer">{link_markers(_lines_to_html(answer.text), answer.citations)}</div>']
    if getattr(answer, "chart", None) and not streaming:
        from .chart import chart_html

        parts.append(chart_html(answer.chart))
    parts.extend(notice_html(n) for n in _notices(answer, notices))
    if answer.citations:
        n = len(answer.citations)
        heading = f"来源（{n}）" if answer.answered else f"{REFUSAL_SOURCES}（{n}）"
        parts.append(f'<div class="rag-sources"><div class="rag-sources-title">{heading}</div>')
        parts.extend(source_card(c, i, anchors, highlight_quote=answer.answered)
                     for i, c in enumerate(answer.citations, 1))
        parts.append("</div>")
    if not streaming:  # the answer as Markdown, for 「复制」 and 「导出对话」 (hidden; newlines kept as &#10;)
        parts.append(f'<div class="rag-md">{markdown_block(answer, notices, question)}</div>')
    parts.append("</div>")
    return "".join(parts)


COPY_LINK = '<a class="rag-copy" href="#rag-copy" title="复制这条回答（Markdown 格式，含出处）">复制</a>'


def markdown_block(answer: Answer, notices: Iterable[str | None] = (), question: str | None = None) -> str:
    """The question (as typed, else as the answer read it) and its answer as Markdown, escaped for an
    HTML text node on one line."""
    asked = " ".join(str(question if question is not None else answer.question or "").split())
    md = f"### 问：{md_escape(asked)}\n\n{format_answer_markdown(answer, notices)}"
    return esc(md).replace("\n", "&#10;")


STOPPED = "已停止。"
STOPPED_UNCHECKED = "已停止：大模型的回答尚未核对，未显示。"
STOPPED_PARTIAL = "已停止：回答未完成。"


def checking_html(partial: Answer | None = None, seconds: float | None = None) -> str:
    """What an LLM answer shows while it streams: not its text (unchecked) but that it is being checked."""
    got = f"（已收到 {len(partial.text)} 字" if partial is not None and partial.text else ""
    waited = f"，{int(seconds)} 秒" if got and seconds else ""
    got = f"{got}{waited}）" if got else ""
    return ('<div class="rag-reply rag-streaming rag-checking"><div class="rag-answer rag-status">'
            f"大模型正在作答，正在核对…{esc(got)}（核对引文与数字后才显示）</div></div>")


def stopped_html(message: str = STOPPED) -> str:
    return f'<div class="rag-reply rag-stopped"><div class="rag-answer rag-status">{esc(message)}</div></div>'


def stopped_history(history: list) -> list:
    """The chat after 「停止回答」: an answer still streaming says it was stopped. An LLM answer not yet
    checked is not shown at all; an extractive lead (computed from the reports) stays, marked unfinished."""
    history = list(history or [])
    if not history or history[-1].get("role") != "assistant":
        return history + [{"role": "assistant", "content": stopped_html()}] if history else history
    text = message_text(history[-1].get("content"))
    if "rag-streaming" not in text:
        return history  # it had finished
    if "rag-checking" in text:
        reply = stopped_html(STOPPED_UNCHECKED)
    elif "rag-status" in text:
        reply = stopped_html(STOPPED)
    else:
        body = text.replace(" rag-streaming", "", 1)
        reply = body[: body.rfind("</div>")] + f'<div class="rag-notice">⚠️ {STOPPED_PARTIAL}</div></div>'
    return history[:-1] + [{**history[-1], "content": reply}]


def format_error_html(message: str) -> str:
    return f'<div class="rag-reply rag-error">⚠️ {_lines_to_html(message)}</div>'


def thinking_html(status: str = "正在检索报告…") -> str:
    return f'<div class="rag-reply rag-streaming"><div class="rag-answer rag-status">{esc(status)}</div></div>'


def waiting_status(seconds: float, llm: bool) -> str:
    """What the answer is waiting for. Retrieval takes a second or two; after that, in LLM
    mode, the wait is the model's (the pipeline reports no stages, so time decides)."""
    s = int(seconds)
    if s < 2:
        return "正在检索报告…"
    if llm:
        return f"正在等待大模型…（已等待 {s} 秒）"
    return f"正在检索报告…（{s} 秒）"


_MD_SPECIAL = re.compile(r"([\\`*_<>\[\]!()#|~$])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def format_answer_markdown(answer: Answer, notices: Iterable[str | None] = ()) -> str:
    """The answer as plain Markdown (what the `/chat` API returns)."""
    lines = [md_escape(answer.text).strip(), "", f"*{md_escape(mode_label(answer))}*"]
    for n in _notices(answer, notices):
        lines += ["", f"> {'' if n.startswith(INFO_PREFIXES) else '⚠️ '}{md_escape(n)}"]
    if answer.citations:
        lines += ["", "**来源**" if answer.answered else f"**{REFUSAL_SOURCES}**", ""]
        for i, c in enumerate(answer.citations, 1):
            where = f" · {md_escape(c.section)}" if c.section else ""
            quote = md_escape(" ".join(c.text.split()))
            lines.append(f"{i}. 《{md_escape(c.title)}》{where}：「{quote}」（第 {c.start}–{c.end} 字）")
    return "\n".join(lines).strip() + "\n"


# ---- chat history ------------------------------------------------------------
_ANSWER_DIV = re.compile(r'<div class="rag-answer">(.*?)</div>', re.S)
_QUESTION_DIV = re.compile(r'^<div class="rag-question">(.*)</div>$', re.S)
_TAG = re.compile(r"<[^>]+>")

# What the server accepts from a client's chat history (it arrives with every request):
# older turns are dropped, so a forged 2,000-turn history costs what a normal one does.
MAX_HISTORY_MESSAGES = 40
MAX_HISTORY_CHARS = 60_000


def user_message_html(question: str) -> str:
    """The user's question as text: escaped and wrapped in one HTML block, so neither
    Markdown (images, links) nor HTML in it renders. One line: no blank line ends the block."""
    return f'<div class="rag-question">{_lines_to_html(question)}</div>'


def user_text(content) -> str:
    """The question as typed, back from `user_message_html` (or a plain/escaped string)."""
    text = message_text(content)
    found = _QUESTION_DIV.match(text.strip())
    if found:
        text = re.sub(r"<br\s*/?>", "\n", found.group(1))
    return html.unescape(text)


def message_text(content) -> str:
    """Text of a chat message's content: a string, or gradio's list of {type: text} parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "")
    if isinstance(content, (list, tuple)):
        return "".join(message_text(part) for part in content)
    return ""


def bound_history(messages, max_messages: int = MAX_HISTORY_MESSAGES,
                  max_chars: int = MAX_HISTORY_CHARS) -> list:
    """The most recent messages within both limits (whole messages, oldest dropped first);
    anything that is not a role/content dict is dropped."""
    if not isinstance(messages, (list, tuple)):
        return []
    out, total = [], 0
    for m in reversed(messages[-max_messages:] if max_messages > 0 else []):
        if not isinstance(m, Mapping):
            continue
        size = len(message_text(m.get("content")))
        if total + size > max_chars:
            break
        total += size
        out.append(m)
    return out[::-1]


def history_for_assistant(messages: Iterable[Mapping] | None) -> list[dict]:
    """Chat messages → [{role, content}] with the plain answer text (no badge/cards/HTML).
    Error replies and empty messages are left out."""
    out = []
    for m in messages or []:
        role = m.get("role")
        text = message_text(m.get("content"))
        if role == "assistant":
            if "rag-error" in text or "rag-stopped" in text:
                continue
            found = _ANSWER_DIV.search(text)
            raw = found.group(1) if found else text
            text = html.unescape(_TAG.sub("", re.sub(r"<br\s*/?>", "\n", raw)))
        elif role == "user":
            text = user_text(text)
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
