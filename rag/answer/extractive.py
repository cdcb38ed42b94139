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
from ..text.tokens import tokenize
from ..statements.describe import counted_act
from ..statements import rules
from ..statements.rules import MEETING
from ..statements.status import asked_stage_word, verb_stage
from ..statements.extract import chunk_statements
from ..statements.score import (MIN_SCORE, MIN_SUPPORT, IdfFn, _coverage, _weights, asked_kind, change_for_level,
                                in_kind, names_asked_thing, question_weights, score_statement)
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
        for st in chunk_statements(chunk, chunk.doc_id, "", passage.year, passage.title, measures=intent.measures, skip=skip,
                                   names=True):
            if st.value is None or not st.as_written:
                continue  # an act with no figure: read by yes/no answers, not here
            score, support = score_statement(st, intent, weights, plain, passage.score / top, rank, intent.measures)
            if near and support >= MIN_SUPPORT and score >= MIN_SCORE and \
                    any(st.doc_id == d and a <= st.value_start < b for d, a, b in near):
                score += NEAR_BONUS  # only a figure that could answer anyway: `best` stops at the first that cannot
            picks.append(Pick(st, passage, score, support))
    if intent.predicate:  # 「收到申请5862件…受理4976件」 asked 受理: the figure of the asked act
        picks = _below_siblings(picks, lambda st: st.act == intent.predicate,
                                lambda st: bool(st.act) and st.act != intent.predicate)
    picks = _below_siblings(picks, *_named_part_rule(picks, intent.terms))
    if idf is not None:
        picks = _below_siblings(picks, *_rarest_word_rule(intent, idf))
    picks.sort(key=lambda p: -p.score)
    return picks


NOT_THE_ASKED = 1.0  # how much lower a figure goes whose sibling in its sentence answers what is asked

StatementTest = Callable[[Statement], bool]


def _below_siblings(picks: list[Pick], answers: StatementTest, loses: StatementTest,
                    key: Callable[[Statement], tuple] = lambda st: (st.doc_id, st.start)) -> list[Pick]:
    """Where a sentence holds a figure that `answers` the question, it takes the place of the best of its
    figures that `lose` to it, and those go below it (and NOT_THE_ASKED lower): which of a sentence's numbers
    measures the asked thing is decided by meaning, not by how many of the question's words each one owns."""
    top_loser: dict[tuple, float] = {}
    top_answer: dict[tuple, float] = {}
    for p in picks:
        k = key(p.statement)
        if answers(p.statement):
            top_answer[k] = max(top_answer.get(k, p.score), p.score)
        elif loses(p.statement):
            top_loser[k] = max(top_loser.get(k, p.score), p.score)
    out = []
    for p in picks:
        k = key(p.statement)
        if k in top_answer and k in top_loser:
            # the answers rise together (their order kept) to where the best loser stood; the losers go below
            lift = max(0.0, top_loser[k] - top_answer[k])
            if answers(p.statement):
                p = replace(p, score=p.score + lift)
            elif loses(p.statement):
                p = replace(p, score=min(p.score, top_answer[k] + lift) - NOT_THE_ASKED)
        out.append(p)
    return out


def _rarest_word_rule(intent: Intent, idf: IdfFn) -> tuple[StatementTest, StatementTest, Callable]:
    """「保留区级政务服务事项1286项，其中即办件712项，实现“全程网办”的事项1019项」 asked 「能全程网办的区级政务服务事项
    有多少项」: of a sentence's counts in one measure word, the one whose own words hold the question's most
    specific word (全程网办) and that counts the asked thing (not 「一个中心,两个巡查点的…格局」) answers."""
    rarest = rarest_word(intent, idf) if sum(len(t) >= 2 for t in intent.terms) >= 2 else ""
    counts = ("plain", "part", "total")

    def holds(st: Statement) -> bool:  # its own words or its measured thing (「…申请3120件，受理2875件」: 申请)
        return rarest in to_simplified(st.own + st.measures)

    def answers(st: Statement) -> bool:
        return bool(rarest) and st.frame in counts and holds(st) and names_asked_thing(st, intent)

    def loses(st: Statement) -> bool:  # a part shares its total's words (「办件量31.7万件，其中网上办件19.4万件」)
        return st.frame in ("plain", "total") and not holds(st)

    return answers, loses, lambda st: (st.doc_id, st.start, st.unit)


def _named_part_rule(picks: list[Pick], terms: tuple[str, ...]) -> tuple[StatementTest, StatementTest]:
    """「…等法律服务机构46家，其中律师事务所31家」 asked 「律师事务所有多少家」, 「…事项23项，其中…行政检查事项6项」
    asked 「行政检查事项有几项」: a part the question names answers, not its total, when the question does not name
    the total or names a word of the part's that the total lacks."""
    asked, joined = set(terms), "".join(terms)

    def words(st: Statement) -> set[str]:
        return {t for t in tokenize(to_simplified(st.measures)) if len(t) >= 2}

    totals = {(p.statement.doc_id, p.statement.start): p.statement for p in picks if p.statement.frame == "total"}

    def answers(st: Statement) -> bool:
        total = totals.get((st.doc_id, st.start))
        if st.frame != "part" or total is None or len(st.measures) < 2:
            return False
        own = words(st)
        if not (to_simplified(st.measures) in joined or (own and own <= asked)):
            return False  # the question does not name this part
        return to_simplified(total.measures) not in joined or bool((own - words(total)) & asked)

    return answers, lambda st: st.frame == "total"


def best(intent: Intent, passages: list[Passage], exclude: set[int] = frozenset(),
         idf: IdfFn | None = None, accept: Callable[[Pick], bool] | None = None,
         near: tuple[tuple[str, int, int], ...] = (), stages: bool = True) -> Pick | None:
    """The best supported number, or None when the passages do not hold the asked fact. `stages=False`: a figure
    of another stage of handling is not passed over (to say what the report states instead)."""
    passed_over = False  # a better-scored figure measured an act at the asked thing (or its negation), not it
    for pick in candidates(intent, passages, idf, near):
        if pick.quantity.start in exclude or (accept is not None and not accept(pick)):
            continue
        if pick.support < MIN_SUPPORT or pick.score < MIN_SCORE:
            return None
        if _other_kind(pick, intent):
            continue  # 「应诉率是多少」 is not answered by 「6次」, nor 「多少件」 by 「48.2%」
        if _counts_other_kind(pick, intent):
            passed_over = True
            continue  # 「多少名法律顾问」 is not answered by 「法律顾问参与审查42件次」
        if (stages and _another_stage(pick, intent)) or _another_rate(pick, intent):
            passed_over = True
            continue  # 「新收了多少件」 is not 「审结…834件」; 「优秀率」 is not 「合格率为97.1%」
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


def answers_in_kind(pick: Pick, intent: Intent) -> bool:
    """The figure is of the kind asked: a rate for a rate, a count in the asked family of units, the asked stage
    of handling and rate name (what `best` passes over otherwise; the LLM's grounding checks the same)."""
    return not (_other_kind(pick, intent) or _counts_other_kind(pick, intent) or _another_stage(pick, intent)
                or _another_rate(pick, intent))


def _another_stage(pick: Pick, intent: Intent) -> bool:
    """The question asks one stage of handling (收到, 受理, 审结, 命名, 申报…) and the figure states another."""
    return not in_kind(pick.statement, ((), verb_stage(asked_stage_word(intent))))  # the ranking's rule too


def _another_rate(pick: Pick, intent: Intent) -> bool:
    """The question names a rate (优秀率) and the figure is a rate named otherwise (评查合格率)."""
    asked = [t for t in intent.terms if t.endswith("率") and len(t) >= 3]
    if not asked or not pick.quantity.is_percent:
        return False
    st = pick.statement
    said = to_simplified(f"{st.measures} {st.own or ''}")
    return "率" in to_simplified(st.measures) and not any(t in said for t in asked)


def _negates_asked(pick: Pick, intent: Intent) -> bool:
    """The figure's measured thing is the negation of an asked word (不予处罚 of 处罚, 不予受理 of 受理) and the
    question does not ask the negation: it counts the opposite."""
    if any(t.startswith(rules.NEGATORS) for t in intent.terms):
        return False
    st = pick.statement
    thing = to_simplified(f"{st.measures} {st.lead or ''}")  # the lead: 「不予处罚、减轻处罚的案件」 is one list
    return any(len(t) >= 2 and f"{n}{t}" in thing for t in intent.terms for n in rules.NEGATORS)


def _measures_rarest_word(pick: Pick, intent: Intent, idf: IdfFn | None) -> bool:
    """The figure's measured thing holds the question's most specific word (or a two-character piece of it)."""
    rarest = rarest_word(intent, idf) if idf is not None else ""
    return not rarest or shares_a_pair(rarest, to_simplified(pick.statement.measures))


def rarest_word(intent: Intent, idf: IdfFn) -> str:
    """The question's most specific word of two or more characters (highest idf, then longest); "" if none."""
    words = [t for t in intent.terms if len(t) >= 2]
    return max(words, key=lambda t: (idf(t) or 0.0, len(t))) if words else ""


def shares_a_pair(a: str, b: str) -> bool:
    """Some two characters of `a` stand together in `b` (行政复议案件 / 复议申请 share 复议)."""
    return any(a[i:i + 2] in b for i in range(len(a) - 1))


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


def _counts_other_kind(pick: Pick, intent: Intent) -> bool:
    """The figure counts in another family of measure words than the question asks (多少名 / 42件次, 多少支 / 431项)."""
    return not in_kind(pick.statement, (asked_kind(intent)[0], ""))  # the ranking's rule too


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
