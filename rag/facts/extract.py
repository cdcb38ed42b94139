"""Report → Facts: every stated quantity, with the words it belongs to, read by the answerer's own rules.

The quantity grammar is `rag.numbers`; the words a number owns come from `extractive.number_words`,
so a fact's metric is exactly what the answerer would match a question against.
"""
from __future__ import annotations

import re

from ..answer.extractive import number_words
from ..answer.safety import is_instruction
from ..corpus import to_simplified
from ..sections import sentence_spans
from ..types import Chunk, Fact, Report

_PREVIOUS = re.compile(r"(去年|上年|上一年|前一年)(同期)?")
_CHANGE = re.compile(r"增长|下降|减少|增加|提高|降低|上升|提升|下滑|回落|增幅|降幅|减幅")
_TRIM = " \t\r\n\u3000，,、；;：:。"


def extract_facts(report: Report, chunks: list[Chunk]) -> list[Fact]:
    entry = report.entry
    out: list[Fact] = []
    for chunk in chunks:
        simple = to_simplified(chunk.text)
        for a, b in sentence_spans(simple, 0, len(simple)):
            sentence = simple[a:b]
            if is_instruction(sentence):
                continue
            original = chunk.text[a:b]
            lstrip = len(original) - len(original.lstrip(_TRIM))
            rstrip = len(original) - len(original.rstrip(_TRIM.replace("。", "")))
            for nw in number_words(sentence):
                q = nw.quantity
                tail_len = len(nw.own) - len(nw.lead) - len(q.text) if not nw.respective else 0
                lead_start = q.start - len(nw.lead)
                if nw.respective:
                    metric = nw.own.replace(q.text, "")
                else:
                    metric = original[lead_start:q.start] + original[q.end:q.end + max(tail_len, 0)]
                metric = metric.strip(_TRIM)
                period, year = _period(nw.clause, chunk.kind, entry.year)
                out.append(Fact(
                    doc_id=report.doc_id, region=entry.short_region, year=year, kind=chunk.kind,
                    metric=metric, metric_simplified=to_simplified(metric), value=q.value, unit=q.unit,
                    as_written=original[q.start:q.end], approx=q.approx, period=period,
                    text=original[lstrip:len(original) - rstrip], start=chunk.start + a + lstrip,
                    end=chunk.start + b - rstrip, value_start=chunk.start + a + q.start,
                    value_end=chunk.start + a + q.end, section=chunk.section_path, title=entry.title,
                    own=nw.own, wide=nw.wide))
    return out


def is_previous_year(lead: str) -> bool:
    """「去年15件」「上年同期为…」: the figure is the year before's, not a change since then."""
    m = None
    for m in _PREVIOUS.finditer(lead):
        pass
    return bool(m) and not _CHANGE.search(lead, m.end())


def _period(lead: str, kind: str, year: int) -> tuple[str, int]:
    """去年/上年 figures are the year before; a plan's figures are targets for the year planned."""
    if is_previous_year(lead):
        return "previous", year - 1
    if kind == "下一年安排":
        return "target", year + 1
    return "current", year
