"""The offline answerer: pick the asked number from the retrieved passages and quote its sentence.

Every number in a passage is a candidate. It is scored by how well the words it
"owns" (the text between the previous number and it, plus the words right after
its unit) and its sentence match the question's metric words, whether its unit
is the one asked for, and how highly its passage was retrieved.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Callable

from ..bm25 import tokenize
from ..corpus import to_simplified
from ..numbers import Quantity, find_counted, find_quantities, units_compatible
from ..sections import sentence_spans
from ..types import Citation, Passage
from ..question.metric import Intent
from .safety import is_instruction

_CLAUSE_BREAK = re.compile(r"[，,；;。：:！？!?\n（(]")
_LINK_ONLY = re.compile(r"[共计达约为合和及与、\s]*$")
_ALL_ARE = re.compile(r"[\u4e00-\u9fff]{0,8}(均为|均达到?|都为|都达到?|均是|全部为|全部达到?)$")
_TAIL_BREAK = re.compile(r"[，,、；;。：:！？!?\n（(]|\d")
# Calibrated on the gold set (answerable vs unanswerable questions; see the README):
MIN_SUPPORT = 0.28
MIN_SCORE = 2.0


@dataclass(frozen=True)
class Pick:
    """A chosen number, the sentence that states it, and how sure we are."""

    quantity: Quantity  # offsets relative to the report text
    passage: Passage
    sent_start: int
    sent_end: int
    score: float
    support: float  # share of metric words found around the number and in its sentence
    lead: str = ""  # the whole clause before the number (Simplified): 上年 figures say so here

    def citation(self) -> Citation:
        c = self.passage.chunk
        rel_a, rel_b = self.sent_start - c.start, self.sent_end - c.start
        return Citation(c.doc_id, self.passage.title, c.section_path, c.text[rel_a:rel_b],
                        self.sent_start, self.sent_end, self.passage.score, c.text)


IdfFn = Callable[[str], "float | None"]


def _weights(intent: Intent, idf: IdfFn | None) -> dict[str, float]:
    """Rare words weigh more (纠错 over 行政复议); words the reports never use weigh a middling amount;
    words beside the question word (多少/几) weigh more still."""
    terms = intent.terms
    focus = intent.focus or (1.0,) * len(terms)
    if idf is None:
        return {t: math.log1p(len(t)) * f for t, f in zip(terms, focus)}
    known = {t: idf(t) for t in terms}
    values = sorted(v for v in known.values() if v)
    fallback = values[len(values) // 2] if values else 1.0
    return {t: (known[t] or fallback) * f for t, f in zip(terms, focus)}


def _coverage(text: str, weights: dict[str, float]) -> float:
    total = sum(weights.values())
    if not total:
        return 0.0
    text = text.lower()  # tokens are lower-cased (A类 → a类)
    return sum(w for t, w in weights.items() if t in text) / total


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


def score_number(nw: NumberWords, sentence_and_heading: str, intent: Intent, measures: tuple[str, ...],
                 weights: dict[str, float], plain: dict[str, float], retrieval: float = 0.0,
                 rank: int = 0) -> tuple[float, float]:
    """(score, support) of one number for a question: the one scoring rule of answers and facts."""
    sent_cov = _coverage(sentence_and_heading, weights)
    sent_plain = _coverage(sentence_and_heading, plain)
    extra = _extra_share(nw.lead if not nw.respective else nw.own, weights)
    own_cov = max(_coverage(nw.own, weights), 0.75 * _coverage(nw.wide, weights))
    unit_fit = _unit_fit(nw.quantity, intent.units, measures)
    # The question's verb (审结) and counted thing (问题) among the number's own words.
    slots = sum(1.0 for w in (intent.predicate, intent.counted) if w and w in nw.own)
    score = (2.5 * own_cov + 1.2 * sent_cov + 1.0 * unit_fit - 0.6 * extra + 0.8 * slots
             + 0.6 * retrieval - 0.08 * rank)
    own_plain = max(_coverage(nw.own, plain), 0.75 * _coverage(nw.wide, plain))
    return score, 0.65 * own_plain + 0.35 * sent_plain


def question_weights(intent: Intent, idf: IdfFn | None) -> tuple[dict[str, float], dict[str, float]]:
    """(weights with focus, plain weights): how much each metric word of the question counts."""
    return _weights(intent, idf), _weights(replace(intent, focus=()), idf)


def candidates(intent: Intent, passages: list[Passage], idf: IdfFn | None = None) -> list[Pick]:
    weights, plain = question_weights(intent, idf)  # plain: is the metric there at all, focus aside
    measures = intent.measures
    asked = set(intent.numbers)
    top = max((p.score for p in passages), default=1.0) or 1.0
    picks: list[Pick] = []
    for rank, passage in enumerate(passages):
        chunk = passage.chunk
        text = to_simplified(chunk.text)
        heading = to_simplified(chunk.section_path)
        for a, b in sentence_spans(text, 0, len(text)):
            sentence = text[a:b]
            if is_instruction(sentence):
                continue  # text addressed to a model, not a statement of fact: never evidence
            for nw in number_words(sentence, measures, asked):
                q = nw.quantity
                score, support = score_number(nw, sentence + heading, intent, measures, weights, plain,
                                              passage.score / top, rank)
                abs_q = Quantity(chunk.text[a + q.start:a + q.end], chunk.start + a + q.start,
                                 chunk.start + a + q.end, q.number, q.value, q.unit, q.approx, q.is_year,
                                 q.is_percent)
                picks.append(Pick(abs_q, passage, chunk.start + a, chunk.start + b, score, support, nw.clause))
    picks.sort(key=lambda p: -p.score)
    return picks


_RESPECTIVE = re.compile(r"分别(?:为|是|达到?|达|有)?")
_CLAUSE_END = re.compile(r"[。；;！？!?\n]")


def _respective(sentence: str, quantities: list[Quantity]) -> dict[int, str]:
    """「案件总量和败诉率分别降低60%和75%」: the n-th number after 分别 belongs to the n-th item before it."""
    from ..question.metric import split_items

    owned: dict[int, str] = {}
    for m in _RESPECTIVE.finditer(sentence):
        start = _clause_start(sentence, m.start(), 0)
        end_m = _CLAUSE_END.search(sentence, m.end())
        end = end_m.start() if end_m else len(sentence)
        items = [i for i in split_items(sentence[start:m.start()]) if i]
        after = [q for q in quantities if m.end() <= q.start < end and not q.is_year]
        if len(items) >= 2 and len(after) == len(items):
            verb = sentence[m.end():after[0].start]
            for item, q in zip(items, after):
                owned[q.start] = item + verb + q.text
    return owned


def _clause_start(sentence: str, start: int, prev_end: int) -> int:
    """Where the words a number owns begin: after the previous number or clause break."""
    cut = prev_end
    for m in _CLAUSE_BREAK.finditer(sentence, prev_end, start):
        cut = m.end()
    return cut


def _tail(sentence: str, end: int) -> str:
    """Words right after the unit (抽查3199户“市场主体”), up to the next break."""
    m = _TAIL_BREAK.search(sentence, end)
    return sentence[end:m.start() if m else len(sentence)][:24]


def _unit_fit(q: Quantity, units: tuple[str, ...], measures: tuple[str, ...] = ()) -> float:
    if measures and q.text.rstrip().endswith(measures):
        return 1.0
    if not units:
        return 0.0
    for u in units:
        if u == "%":
            if q.is_percent:
                return 1.0
            continue
        if not q.is_percent and q.unit and (units_compatible(q.unit, u) or (u == "次" and q.unit.endswith("次"))):
            return 1.0  # 几次 is answered by 5件次 / 3场次 as well
    return -1.0


def _quantities(sentence: str, measures: tuple[str, ...]) -> list[Quantity]:
    """Numbers in a sentence; for 「几X」 questions also numerals used as names (六大提升, 第三批)."""
    found = find_quantities(sentence)
    for measure in measures:
        for q in find_counted(sentence, measure):
            if not any(q.start < f.end and f.start < q.end for f in found):
                found.append(q)
    found.sort(key=lambda q: q.start)
    return found


def _extra_share(context: str, weights: dict[str, float]) -> float:
    """How much of the words a number owns the question did not ask about (行政诉讼 in 「复议和诉讼共6件」)."""
    words = [t for t in tokenize(context) if len(t) > 1]
    if not words:
        return 0.0
    return sum(1 for t in words if t not in weights) / len(words)


def best(intent: Intent, passages: list[Passage], exclude: set[int] = frozenset(),
         idf: IdfFn | None = None, accept: Callable[[Pick], bool] | None = None) -> Pick | None:
    """The best supported number, or None when the passages do not hold the asked fact."""
    for pick in candidates(intent, passages, idf):
        if pick.quantity.start in exclude or (accept is not None and not accept(pick)):
            continue
        if pick.support < MIN_SUPPORT or pick.score < MIN_SCORE:
            return None
        return pick
    return None


def relevant_sentences(intent: Intent, passages: list[Passage], idf: IdfFn | None = None,
                       limit: int = 6, per_passage: int = 3) -> list[tuple[float, Citation]]:
    """For questions that want a passage, not a number: each top passage's best sentence, and up to
    `per_passage` of its sentences when several speak of the asked topic (一是…二是… items)."""
    weights = _weights(intent, idf)
    out = []
    for passage in passages:
        chunk = passage.chunk
        text = to_simplified(chunk.text)
        heading = to_simplified(chunk.section_path)
        spans = [(a, b) for a, b in sentence_spans(text, 0, len(text)) if not is_instruction(text[a:b])]
        if not spans:
            continue
        scored = sorted(((_coverage(text[a:b] + heading, weights), a, b) for a, b in spans), reverse=True)
        best = scored[:1] + [x for x in scored[1:per_passage] if x[0] >= MIN_SUPPORT and
                             _coverage(text[x[1]:x[2]], weights) > 0]
        for cov, a, b in best:
            raw = chunk.text[a:b]
            a += len(raw) - len(raw.lstrip())  # the quote's offsets must match its stripped text
            quote_text = raw.strip()
            out.append((cov, Citation(chunk.doc_id, passage.title, chunk.section_path, quote_text,
                                      chunk.start + a, chunk.start + a + len(quote_text), passage.score, chunk.text)))
        if len(out) >= limit:
            break
    return out[:limit]


def state_value(pick: Pick) -> str:
    """The value in the report's own unit; a Traditional form also gets its Simplified reading."""
    surface = pick.quantity.text
    simple = to_simplified(surface)
    return surface if simple == surface else f"{surface}（{simple}）"


def quote(pick: Pick) -> str:
    c = pick.passage.chunk
    return c.text[pick.sent_start - c.start:pick.sent_end - c.start].strip()
