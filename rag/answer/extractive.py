"""The offline answerer: pick the asked figure from the retrieved passages' statements and quote its sentence.

Every statement with a figure in a passage is a candidate, scored by the one rule of `rag.statements.score`
(its words, its measured thing, its unit and frame, and how highly its passage was retrieved).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Callable

from ..text.script import to_simplified
from ..text.quantity import Quantity, parse_quantity
from ..question.metric import Intent
from ..text.sentences import sentence_spans
from ..statements.describe import counted_act
from ..statements.rules import MEETING
from ..statements.extract import chunk_statements
from ..statements.score import (MIN_SCORE, MIN_SUPPORT, IdfFn, _coverage, _weights, change_for_level, question_weights,
                                score_statement)
from ..types import Citation, Passage, Statement
from ..text.instructions import is_instruction

@dataclass(frozen=True)
class Pick:
    """A statement chosen from a retrieved passage, and how sure we are that it answers the question."""

    statement: Statement
    passage: Passage
    score: float
    support: float  # share of metric words found around the figure and in its sentence

    @cached_property
    def quantity(self) -> Quantity:
        """The figure, offsets into the report text (read once: answerers ask for it in loops)."""
        st = self.statement
        q = parse_quantity(to_simplified(st.as_written)) if st.as_written else None
        number = q.number if q is not None else (st.value or 0.0)
        return Quantity(st.as_written, st.value_start, st.value_end, number, st.value or 0.0, st.unit, st.approx,
                        False, st.unit == "%")

    @property
    def sent_start(self) -> int:
        return self.statement.start

    @property
    def sent_end(self) -> int:
        return self.statement.end

    @property
    def lead(self) -> str:
        """The whole clause before the figure (Simplified): 上年 figures say so here."""
        return self.statement.lead

    def citation(self) -> Citation:
        c = self.passage.chunk
        st = self.statement
        return Citation(c.doc_id, self.passage.title, c.section_path, st.text, st.start, st.end, self.passage.score,
                        c.text)


NEAR_BONUS = 1.0  # a figure in a sentence the last answer quoted, for a follow-up about it


def candidates(intent: Intent, passages: list[Passage], idf: IdfFn | None = None,
               near: tuple[tuple[str, int, int], ...] = ()) -> list[Pick]:
    """Every figure the passages state, scored for the question, best first; `near`: the spans the last
    answer quoted (a follow-up that names a new thing of the same place asks about them first)."""
    weights, plain = question_weights(intent, idf)  # plain: is the metric there at all, focus aside
    skip = tuple(sorted(set(intent.numbers)))
    top = max((p.score for p in passages), default=1.0) or 1.0
    picks: list[Pick] = []
    for rank, passage in enumerate(passages):
        chunk = passage.chunk
        for st in chunk_statements(chunk, chunk.doc_id, "", 0, passage.title, measures=intent.measures, skip=skip,
                                   names=True):
            if st.value is None or not st.as_written:
                continue  # an act with no figure: read by yes/no answers, not here
            score, support = score_statement(st, intent, weights, plain, passage.score / top, rank, intent.measures)
            if near and support >= MIN_SUPPORT and score >= MIN_SCORE and \
                    any(st.doc_id == d and a <= st.value_start < b for d, a, b in near):
                score += NEAR_BONUS  # only a figure that could answer anyway: `best` stops at the first that cannot
            picks.append(Pick(st, passage, score, support))
    if intent.predicate:
        picks = _other_acts_lowered(picks, intent.predicate)
    picks = _totals_of_named_parts_lowered(picks, "".join(intent.terms))
    picks.sort(key=lambda p: -p.score)
    return picks


def _totals_of_named_parts_lowered(picks: list[Pick], asked: str) -> list[Pick]:
    """「…等法律服务机构46家，其中律师事务所31家」 asked 「律师事务所有多少家」: the part the question names is
    the answer, not the total that lists it among others."""
    named = {(p.statement.doc_id, p.statement.start) for p in picks if p.statement.frame == "part"
             and len(p.statement.measures) >= 2 and to_simplified(p.statement.measures) in asked}
    return [replace(p, score=p.score - NOT_THE_ASKED)
            if p.statement.frame == "total" and (p.statement.doc_id, p.statement.start) in named
            and to_simplified(p.statement.measures) not in asked else p for p in picks]


NOT_THE_ASKED = 1.0  # a figure of a sentence whose other figure states the asked act or part exactly


def _other_acts_lowered(picks: list[Pick], predicate: str) -> list[Pick]:
    """「收到申请5862件…受理4976件」 asked 「受理了多少件」: where a sentence states the asked act, its figures of
    other acts are not the answer, however many of the question's words they own."""
    asked = {(p.statement.doc_id, p.statement.start) for p in picks if p.statement.act == predicate}
    return [replace(p, score=p.score - NOT_THE_ASKED)
            if (p.statement.doc_id, p.statement.start) in asked and p.statement.act and p.statement.act != predicate
            else p for p in picks]


def best(intent: Intent, passages: list[Passage], exclude: set[int] = frozenset(),
         idf: IdfFn | None = None, accept: Callable[[Pick], bool] | None = None,
         near: tuple[tuple[str, int, int], ...] = ()) -> Pick | None:
    """The best supported number, or None when the passages do not hold the asked fact."""
    passed_over = False  # a better-scored figure measured an act at the asked thing (or its negation), not it
    for pick in candidates(intent, passages, idf, near):
        if pick.quantity.start in exclude or (accept is not None and not accept(pick)):
            continue
        if pick.support < MIN_SUPPORT or pick.score < MIN_SCORE:
            return None
        if _other_kind(pick, intent):
            continue  # 「应诉率是多少」 is not answered by 「6次」, nor 「多少件」 by 「48.2%」
        if _negates_asked(pick, intent):
            passed_over = True
            continue  # 「办理了多少件行政处罚案件」 is not answered by 「适用不予处罚…的案件1452件」
        if intent.counts_meetings and not _a_meeting(pick):
            passed_over = True
            continue  # 「常委会一共开了多少次会」 is not answered by 「…组织学习…7次」
        if _counts_an_occasions_act(pick, intent):
            passed_over = True
            continue  # 「常务会议开了几次」 is not answered by 「常务会会前学法6次」
        if passed_over and not _measures_rarest_word(pick, intent, idf):
            continue  # nor by its neighbour 「出庭应诉5件次」: after such a miss, the thing itself must be named
        return pick
    return None


# The administrative negations of an act (不予受理, 免予处罚): a single 不 / 未 is too often part of a word the
# question shares (执法不规范, 不平等对待).
_NEGATORS = ("不予", "免予", "未予")


def _negates_asked(pick: Pick, intent: Intent) -> bool:
    """The figure's measured thing is the negation of an asked word (不予处罚 of 处罚, 不予受理 of 受理) and the
    question does not ask the negation: it counts the opposite."""
    if any(t.startswith(_NEGATORS) for t in intent.terms):
        return False
    st = pick.statement
    thing = to_simplified(f"{st.measures} {st.lead or ''}")  # the lead: 「不予处罚、减轻处罚的案件」 is one list
    return any(len(t) >= 2 and f"{n}{t}" in thing for t in intent.terms for n in _NEGATORS)


def _measures_rarest_word(pick: Pick, intent: Intent, idf: IdfFn | None) -> bool:
    """The figure's measured thing holds the question's most specific word (or a two-character piece of it)."""
    words = [t for t in intent.terms if len(t) >= 2]
    if not words or idf is None:
        return True
    rarest = max(words, key=lambda t: (idf(t) or 0.0, len(t)))
    thing = to_simplified(pick.statement.measures)
    return any(rarest[i:i + 2] in thing for i in range(len(rarest) - 1))


def _a_meeting(pick: Pick) -> bool:
    """The figure counts meetings: its measured thing is one (常务会议), or its act is holding one (召开)."""
    st = pick.statement
    thing = to_simplified(st.measures)
    return st.act in _HOLDING or (bool(MEETING.search(thing)) and not counted_act(thing))


_HOLDING = frozenset(("召开", "开", "举行", "举办"))


def _counts_an_occasions_act(pick: Pick, intent: Intent) -> bool:
    """The figure counts an act done at an occasion (会前学法) and the question names only the occasion."""
    act = counted_act(to_simplified(pick.statement.measures))
    return bool(act) and not any(act in t or t in act for t in intent.terms if len(t) >= 2)


def _other_kind(pick: Pick, intent: Intent) -> bool:
    """The question asks one kind of figure (a rate, or a count in one measure word) and this is the other."""
    units = intent.units
    if change_for_level(pick.statement, intent):
        return True  # 「纠错率是多少」 is not answered by 「同比增长48.2%」
    return len(units) == 1 and not intent.measures and pick.quantity.is_percent != (units[0] == "%")


def same_sentence(pick: Pick, passages: list[Passage], idf: IdfFn | None = None) -> list[Pick]:
    """The other figures of `pick`'s own sentence (its total, its rate, the count a rate is of), in order."""
    st = pick.statement
    return [p for p in candidates(Intent((), ()), passages, idf)
            if p.statement.doc_id == st.doc_id and p.statement.start == st.start
            and p.quantity.start != pick.quantity.start]


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
