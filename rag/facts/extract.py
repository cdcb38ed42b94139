"""Report → Facts: every stated quantity, with the words it belongs to, read by the answerer's own rules.

The quantity grammar is `rag.numbers`; the words a number owns come from `extractive.number_words`,
so a fact's metric is exactly what the answerer would match a question against.
"""
from __future__ import annotations

import re

from ..answer.extractive import number_words
from ..answer.safety import is_instruction
from ..corpus import to_simplified
from ..question import vocab
from ..sections import sentence_spans
from ..types import Chunk, Fact, Report

_PREVIOUS = re.compile(f"({'|'.join(vocab.PREVIOUS_YEAR)})(同期)?")
_CHANGE = re.compile("|".join(vocab.CHANGE_VERBS + ("增幅", "降幅", "减幅")))
_LEADING_YEAR = re.compile(r"^(?:截至)?(?:19|20)\d{2}年(?:度|底|末|全年)?")
_CLOSERS = ")）”」』’"
# Words that name no thing: a metric of only these borrows the previous figure's words.
_BARE = re.compile(r"同比|环比|增长|下降|减少|增加|提高|提升|降低|上升|均为|均|分别|为|是|达到|达|共计|共|约|率|全区|全镇|全市"
                   r"|排名第|排名|位列|参与人次|人次|满意|启动|占比|比例|比重|[，,、：:的了和及与在其中\s]")
_TRIM = " \t\r\n\u3000，,、；;：:。"


def extract_facts(report: Report, chunks: list[Chunk]) -> list[Fact]:
    entry = report.entry
    out: list[Fact] = []
    for chunk in chunks:
        simple = to_simplified(chunk.text)
        heading = to_simplified(chunk.section_path)
        for a, b in sentence_spans(simple, 0, len(simple)):
            sentence = simple[a:b]
            if is_instruction(sentence):
                continue
            original = chunk.text[a:b]
            lstrip = len(original) - len(original.lstrip(_TRIM))
            rstrip = len(original) - len(original.rstrip(_TRIM.replace("。", "")))
            words = number_words(sentence)
            for k, nw in enumerate(words):
                q = nw.quantity
                if _is_name(sentence, q):
                    continue  # 12345热线, “12条”措施, 五项制度: a name, not a figure
                tail_len = len(nw.own) - len(nw.lead) - len(q.text) if not nw.respective else 0
                lead_start = q.start - len(nw.lead)
                if nw.respective:
                    metric = nw.own.replace(q.text, "")
                else:
                    metric = original[lead_start:q.start] + original[q.end:q.end + max(tail_len, 0)]
                metric = _LEADING_YEAR.sub("", metric.strip(_TRIM)).strip(_TRIM).lstrip(_CLOSERS)
                if k and len(_BARE.sub("", metric)) < 3:
                    # 「…申请1723件,同比增长48.2%」: a bare rate or change word names the previous figure's thing.
                    prev = _LEADING_YEAR.sub("", words[k - 1].lead.strip(_TRIM)).strip(_TRIM)
                    metric = prev + metric
                period, year = _period(nw.clause, chunk.kind, entry.year)
                if period == "previous" and not _PREVIOUS.search(metric):
                    metric = "上年" + metric
                out.append(Fact(
                    doc_id=report.doc_id, region=entry.short_region, year=year, kind=chunk.kind,
                    metric=metric, metric_simplified=to_simplified(metric), value=q.value, unit=q.unit,
                    as_written=original[q.start:q.end], approx=q.approx, period=period,
                    text=original[lstrip:len(original) - rstrip], start=chunk.start + a + lstrip,
                    end=chunk.start + b - rstrip, value_start=chunk.start + a + q.start,
                    value_end=chunk.start + a + q.end, section=chunk.section_path, title=entry.title,
                    own=nw.own, wide=nw.wide, lead=nw.lead, context=sentence + heading))
    return out


def _is_name(sentence: str, q) -> bool:
    """A number that names something: a bare number run into words (12345热线), or one inside a short quoted
    or titled name (“12条”措施, 《…十个问题》), or a 「N项制度」 title."""
    from ..numbers import _in_short_name

    after = sentence[q.end:q.end + 1]
    if not q.unit and not q.is_percent and re.match(r"[\u4e00-\u9fffA-Za-z]", after):
        return True
    if _in_short_name(sentence, q.start, q.end):
        return True
    return bool(re.match(r"(制度|机制|工程|行动|体系)", sentence[q.end:q.end + 2]))


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
