"""The words a number owns in its sentence: what the number is *of* (the raw binding a Statement is built on).

Read by the statement extractor (index time and answer time alike), so a figure is bound to its words by
one rule everywhere.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.quantity import Quantity, find_counted, find_quantities, find_ranks
from ..text.tokens import split_items

_CLAUSE_BREAK = re.compile(r"[，,；;。：:！？!?\n（(]")
_LINK_ONLY = re.compile(r"[共计达约为合和及与、\s]*$")
_ALL_ARE = re.compile(r"[\u4e00-\u9fff]{0,8}(均为|均达到?|都为|都达到?|均是|全部为|全部达到?)$")
_TAIL_BREAK = re.compile(r"[，,、；;。：:！？!?\n（(]|\d")


@dataclass(frozen=True)
class NumberWords:
    """A number in a sentence and the words it owns: what the number is *of*.

    `own`: from the clause break (or previous number) to the number, plus the words right after its unit;
    `wide`: all words since the previous number; `lead`: the words before it in its clause.
    Shared by the answerer (scoring candidates) and the facts table (a fact's metric words).
    """

    quantity: Quantity  # offsets relative to the sentence
    own: str
    wide: str
    lead: str
    respective: bool
    clause: str = ""  # the whole clause before the number, other numbers included (「与去年同期A率85%和B率」)


def number_words(sentence: str, measures: tuple[str, ...] = (), skip: set[float] = frozenset()) -> list[NumberWords]:
    out: list[NumberWords] = []
    prev_end, prev_clause = 0, 0
    quantities = _quantities(sentence, measures)
    respective = _respective(sentence, quantities)
    for q in quantities:
        if q.is_year:
            continue  # 「合法性审查全覆盖,2024年审查…323件次」: a year does not cut a number off its words
        if q.value in skip or q.number in skip:
            prev_end = prev_clause = q.end
            continue
        clause_start = _clause_start(sentence, q.start, prev_end)
        if prev_end and (_LINK_ONLY.match(sentence[prev_end:q.start]) or _ALL_ARE.match(sentence[prev_end:q.start])):
            # 「50批次3.2萬餘人」「案卷二次共20份」: a number right after another shares its words;
            # 「A率和B率两项指标均为100%」: what 均为 gives is the items named before the count
            clause_start = prev_clause
        prev_clause = clause_start
        tail = _tail(sentence, q.end)
        if q.start in respective:  # 「A和B分别…X和Y」: each number owns its item only
            own = wide = lead = respective[q.start]
        else:
            own = sentence[clause_start:q.start] + q.text + tail
            # All the words since the previous number (「坚持合法性审查全覆盖,2024年审查…323件次」).
            wide = sentence[min(prev_end, clause_start):q.start] + q.text + tail
            lead = sentence[clause_start:q.start]
        clause = sentence[_clause_start(sentence, q.start, 0):q.start]
        out.append(NumberWords(q, own, wide, lead, q.start in respective, clause))
        prev_end = q.end
    return out




_RESPECTIVE = re.compile(r"分别(?:为|是|达到?|达|有)?")
_CLAUSE_END = re.compile(r"[。；;！？!?\n]")


def _respective(sentence: str, quantities: list[Quantity]) -> dict[int, str]:
    """「案件总量和败诉率分别降低60%和75%」: the n-th number after 分别 belongs to the n-th item before it."""
    owned: dict[int, str] = {}
    for m in _RESPECTIVE.finditer(sentence):
        start = _clause_start(sentence, m.start(), 0)
        end_m = _CLAUSE_END.search(sentence, m.end())
        end = end_m.start() if end_m else len(sentence)
        items = [i for i in split_items(sentence[start:m.start()]) if i]
        after = [q for q in quantities if m.end() <= q.start < end and not q.is_year]
        if len(items) < 2 and start > 1:
            # 「法规规章和规范性文件清理中，修改或废止的分别有103件和4818件」: the items open the clause before
            opens = _clause_start(sentence, start - 1, 0)
            named = [q for q in quantities if opens <= q.start < start and not q.is_year]
            if named:
                # 「受理A120件、B80件，同比分别增长10%和5%」: the items are what the clause's own figures count
                cuts = [opens] + [q.end for q in named[:-1]]
                earlier = [sentence[a:q.start].strip("、，,和及与 ") for a, q in zip(cuts, named)]
            else:  # 「法规规章和规范性文件清理中，修改或废止的分别有…」: a clause of names
                earlier = [i for i in split_items(sentence[opens:start - 1]) if i]
            if len(earlier) == len(after) >= 2 and all(earlier):
                items = earlier
        if len(items) >= 2 and len(after) == len(items):
            verb = sentence[m.end():after[0].start]
            for item, q in zip(items, after):
                owned[q.start] = item + verb + q.text
    return owned


def _clause_start(sentence: str, start: int, prev_end: int) -> int:
    """Where the words a number owns begin: after the previous number or clause break."""
    cut = prev_end
    for m in _CLAUSE_BREAK.finditer(sentence, prev_end, start):
        if m.group() in "（(" and re.search(r"[)）]", sentence[m.end():start]):
            continue  # 「州党委常委(扩大)会议」: a bracket closed before the number is part of a name
        cut = m.end()
    return cut


def _tail(sentence: str, end: int) -> str:
    """Words right after the unit (抽查3199户“市场主体”), up to the next break."""
    m = _TAIL_BREAK.search(sentence, end)
    return sentence[end:m.start() if m else len(sentence)][:24]




def _quantities(sentence: str, measures: tuple[str, ...]) -> list[Quantity]:
    """Numbers and ranks in a sentence; for 「几X」 questions also numerals used as names (六大提升, 第三批)."""
    ranks = find_ranks(sentence)  # 「居全省第二」「排名第3」: a place, stated as a figure of its own
    found = [f for f in find_quantities(sentence) if not any(r.start < f.end and f.start < r.end for r in ranks)]
    found += ranks
    for measure in measures:
        for q in find_counted(sentence, measure):
            if not any(q.start < f.end and f.start < q.end for f in found):
                found.append(q)
    found.sort(key=lambda q: q.start)
    return found
