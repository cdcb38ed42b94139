"""The section tree of a report: title lines, 一、 / (一) / 1. headings and 一是… items.

Markers are found on the Simplified search text (same offsets as the original);
heading labels are cut from the original text, so paths read as the report does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text.sentences import sentence_spans  # noqa: F401 - sections cut sentences too
from .types import Report

CN_DIGITS = "一二三四五六七八九十"

# Line-level headings, by level.
_LEVEL1 = re.compile(rf"[{CN_DIGITS}]+、")
_LEVEL2 = re.compile(rf"[(（][{CN_DIGITS}]+[)）]")
_LEVEL3 = re.compile(r"\d{1,2}[.、．](?!\d)")
# Inline enumeration items: 一是… at a paragraph or sentence start.
_ITEM = re.compile(rf"(?:(?<=^)|(?<=[。；;：:\n]))[ \t\u3000]*([{CN_DIGITS}]是)", re.M)
_LABEL_END = re.compile(r"[。；;：:，,！？!?]")
_HEADING_END = re.compile(r"[。；;！？!?]")
_LINE = re.compile(r"[^\n]*\n?")

KIND_RULES = (  # first match on the top-level heading wins
    ("第一责任人", "第一责任人"),
    ("不足", "不足"),
    ("问题", "不足"),
    ("安排", "下一年安排"),
    ("打算", "下一年安排"),
    ("计划", "下一年安排"),
    ("工作重点", "下一年安排"),
    ("思路", "下一年安排"),
    ("其他", "其他"),
    ("举措", "成效"),
    ("措施", "成效"),
    ("成效", "成效"),
)


@dataclass(frozen=True)
class Heading:
    level: int  # 0 title, 1 一、, 2 (一), 3 1., 4 一是
    label: str  # original script
    start: int  # where the marker starts
    line_end: int  # end of the heading's line (without newline)
    standalone: bool  # the line holds nothing but the heading


@dataclass(frozen=True)
class Segment:
    """Text between one marker and the next, with its heading path."""

    path: tuple[Heading, ...]
    start: int
    end: int
    kind: str


def section_kind(top_label: str | None) -> str:
    if top_label is None:
        return "概述"
    for needle, kind in KIND_RULES:
        if needle in top_label:
            return kind
    return "其他"


def _label(original: str, search: str, start: int, line_end: int) -> tuple[str, bool]:
    """Heading label: the whole line if it is only a heading, else its first sentence."""
    line = search[start:line_end].rstrip()
    if len(line) <= 60 and not line.endswith("。"):
        return original[start:start + len(line)].strip(), True
    m = _HEADING_END.search(search, start, line_end)
    cut = m.start() if m and m.start() - start <= 80 else _clause_end(search, start, line_end)
    return original[start:cut].strip(), False


def _clause_end(search: str, start: int, line_end: int) -> int:
    m = _LABEL_END.search(search, start, line_end)
    return m.start() if m else min(line_end, start + 40)


def find_headings(report: Report) -> list[Heading]:
    text, search = report.text, report.search_text
    headings: list[Heading] = []
    seen_numbered = False
    for m in _LINE.finditer(search):
        if m.start() == m.end():
            break
        line_start, line_end = m.start(), m.end() - (1 if m.group().endswith("\n") else 0)
        if any(a <= line_start < b for a, b in report.skip):
            continue
        lead = len(search[line_start:line_end]) - len(search[line_start:line_end].lstrip(" \t\u3000"))
        s = line_start + lead
        body = search[s:line_end]
        if not body.strip():
            continue
        level = None
        for lvl, pattern in ((1, _LEVEL1), (2, _LEVEL2), (3, _LEVEL3)):
            if pattern.match(body):
                level = lvl
                break
        if level is None and not seen_numbered and _is_title_line(body):
            level = 0
        if level is not None:
            seen_numbered = seen_numbered or level > 0
            label, standalone = _label(text, search, s, line_end)
            headings.append(Heading(level, label, s, line_end, standalone))
        # Items inside this line (一是…), also when the line itself is a heading.
        for im in _ITEM.finditer(search, line_start, line_end):
            item_start = im.start(1)
            if level is not None and item_start == s:
                continue
            label_end = _clause_end(search, item_start, line_end)
            headings.append(Heading(4, text[item_start:label_end].strip(), item_start, line_end, False))
    headings.sort(key=lambda h: h.start)
    return headings


def _is_title_line(body: str) -> bool:
    body = body.strip()
    return len(body) <= 60 and not body.endswith(("。", "：", ":")) and any(
        w in body for w in ("报告", "人民政府", "情况")
    )


def segments(report: Report) -> list[Segment]:
    """Split the report at every marker; each segment knows its heading path."""
    heads = find_headings(report)
    text = report.text
    out: list[Segment] = []
    stack: list[Heading] = []
    bounds = [h.start for h in heads] + [len(text)]
    first = bounds[0] if heads else len(text)
    if first > 0:
        out.append(Segment((), 0, first, "概述"))
    for i, h in enumerate(heads):
        while stack and stack[-1].level >= h.level:
            stack.pop()
        stack.append(h)
        start = h.start
        if h.standalone:  # the heading line alone carries no content
            start = h.line_end
        # The title is the report's, not a section: keep it out of paths.
        path = tuple(x for x in stack if x.level > 0)
        out.append(Segment(path, start, bounds[i + 1], _kind_of(stack)))
    trimmed = [_trim(s, report) for s in out if _has_content(s, report)]
    return [s for s in trimmed if not _heading_only(s, report)]


def _heading_only(seg: Segment, report: Report) -> bool:
    """An inline heading sentence followed straight by its items: nothing of its own."""
    if not seg.path or seg.path[-1].level == 4:
        return False
    rest = report.text[seg.start:seg.end].strip(" \t\r\n\u3000")
    return rest.rstrip("。") == seg.path[-1].label


def _kind_of(stack: list[Heading]) -> str:
    from .text.script import to_simplified

    top = next((h.label for h in stack if h.level == 1), None)
    return section_kind(to_simplified(top) if top else None)


def _has_content(seg: Segment, report: Report) -> bool:
    body = report.text[seg.start:seg.end]
    for a, b in report.skip:  # residue never counts as content
        if seg.start <= a < seg.end:
            body = report.text[seg.start:a] + report.text[b:seg.end]
    return bool(body.strip(" \t\r\n\u3000"))


def _trim(seg: Segment, report: Report) -> Segment:
    """Shrink a segment to its non-blank text, skipping web residue."""
    start, end = seg.start, seg.end
    for a, b in report.skip:
        if start <= a < end and not report.text[start:a].strip(" \t\r\n\u3000"):
            start = b
    text = report.text
    while start < end and text[start] in " \t\r\n\u3000":
        start += 1
    while end > start and text[end - 1] in " \t\r\n\u3000":
        end -= 1
    return Segment(seg.path, start, end, seg.kind)




# The start of one enumerated item inside a section's text: 一是… / (一)… / 一、… / 1.… / 第一，… / 首先….
_ITEM_START = re.compile(r"(?:^|[。；;\n])\s*(?:[一二三四五六七八九十]+是|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、"
                         r"|\d{1,2}[.．、](?!\d)|第[一二三四五六七八九十]+[，,、]|首先|其次|再次|最后)")


def item_starts(text: str) -> list[int]:
    """Offsets in `text` where an enumerated item begins (see `item_spans`)."""
    return [start for start, _ in item_spans(text)]


def item_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) in `text` (Simplified, so 一是 reads the same in either script) of each enumerated item:
    一是… / (一)… / 1.…, each running to the next. With no enumerator, the items one sentence lists with
    semicolons (「主要表现在A；B；C。」), the last ending with that sentence."""
    from .text.script import to_simplified

    simple = to_simplified(text)
    found = sorted({m.end() - len(m.group().lstrip("。；;\n \u3000")) for m in _ITEM_START.finditer(simple)})
    if found:
        return [(s, found[i + 1] if i + 1 < len(found) else len(text)) for i, s in enumerate(found)]
    return _semicolon_items(simple)


_LIST_LEAD = re.compile(r"(?:主要)?(?:表现在|体现在|表现为|主要是|包括)[：:]?")


def _semicolon_items(text: str) -> list[tuple[int, int]]:
    """「…主要表现在A;B;C。」: the items of the first sentence that lists two or more with semicolons."""
    first = re.search(r"[；;]", text)
    if not first:
        return []
    lead = None
    for m in _LIST_LEAD.finditer(text, 0, first.start()):
        lead = m
    start = lead.end() if lead else text.rfind("。", 0, first.start()) + 1
    stop = text.find("。", first.end())
    stop = len(text) if stop < 0 else stop  # the listing sentence ends the list
    cuts = [m.end() for m in re.finditer(r"[；;]", text[:stop])]
    starts = [start] + cuts
    return [(s, starts[i + 1] if i + 1 < len(starts) else stop) for i, s in enumerate(starts) if s < stop]
