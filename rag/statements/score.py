"""The one scoring rule: how well a statement answers an asked metric (answers, rankings and facts alike).

A figure is scored by how well the words it owns and its sentence cover the question's metric words, how
well its measured thing does (「27个部门单位的278项」: 部门单位 is 27's, not 278's), whether its unit and frame
are the ones asked (提升至多少 takes the "to" of 由A提升至B), and how highly its passage was retrieved.
`intent` is the question's metric (rag.question.metric.Intent), read through its fields only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

from ..text.tokens import tokenize
from ..text.quantity import _T2S, RANK_UNIT, UNIT_FAMILIES, Quantity, counts_other_than, units_compatible
from ..types import Statement
from .status import asked_stage_word, verb_stage
from .words import NumberWords

# Calibrated on the gold set (answerable vs unanswerable questions; see the README):
MIN_SUPPORT = 0.28
MIN_SCORE = 2.0



IdfFn = Callable[[str], "float | None"]


def _weights(intent, idf: IdfFn | None) -> dict[str, float]:
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


def coverage(text: str, weights: dict[str, float]) -> float:
    """The share of the question's metric weight whose words stand in `text`, 0..1."""
    return _coverage(text, weights)


def support_ceiling(st: Statement, plain: dict[str, float]) -> float:
    """The most support the statement can have: the coverage of all its texts together."""
    return _coverage(_texts(st).joined, plain)


def _coverage(text: str, weights: dict[str, float]) -> float:
    text = text.lower()  # tokens are lower-cased (A类 → a类)
    total = hit = 0.0
    for t, w in weights.items():  # a plain loop: this runs for every candidate of every question
        total += w
        if t in text:
            hit += w
    return hit / total if total else 0.0



def _both_lower(text: str, weights: dict[str, float], plain: dict[str, float]) -> tuple[float, float]:
    """(`_coverage` with `weights`, `_coverage` with `plain`) of one lower-cased text, in one scan: both hold
    the question's terms in the same order (`question_weights`), so the sums run in `_coverage`'s order."""
    if len(weights) != len(plain):
        return _coverage(text, weights), _coverage(text, plain)
    total_w = total_p = hit_w = hit_p = 0.0
    for (t, w), p in zip(weights.items(), plain.values()):
        total_w += w
        total_p += p
        if t in text:
            hit_w += w
            hit_p += p
    return (hit_w / total_w if total_w else 0.0), (hit_p / total_p if total_p else 0.0)


def question_weights(intent, idf: IdfFn | None) -> tuple[dict[str, float], dict[str, float]]:
    """(weights with focus, plain weights): how much each metric word of the question counts."""
    return _weights(intent, idf), _weights(replace(intent, focus=()), idf)



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



def _long_tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in _tokens(text) if len(t) > 1)


def _extra_of(words: tuple[str, ...], weights: dict[str, float]) -> float:
    if not words:
        return 0.0
    return sum(1 for t in words if t not in weights) / len(words)


# How a statement's frame fits the frame the question asks (「提升到多少」 → to, 「原来是多少」 → from,
# 「提升了多少」 → delta; None: a plain value, which is the current figure, not the base of a change).
_FRAME_FIT = {
    "to": {"to": 1.2, "from": -1.6, "delta": -0.8},
    "from": {"from": 1.2, "to": -1.6, "delta": -0.8},
    "delta": {"delta": 1.0, "from": -0.6, "to": -0.3},
    None: {"from": -1.0, "delta": -0.5},
}


NO_FIT = (-10.0, 0.0)  # (score, support) of a statement that cannot answer the question at all


def score_statement(st: Statement, intent, weights: dict[str, float], plain: dict[str, float],
                    retrieval: float = 0.0, rank: int = 0, measures: tuple[str, ...] = ()) -> tuple[float, float]:
    """(score, support) of one statement for a question: its words, its measured thing and its frame.
    Reads the statement's texts lower-cased once per statement (`_texts`): a ranking scores thousands."""
    if (st.unit == RANK_UNIT) != (RANK_UNIT in intent.units):
        return NO_FIT  # a place answers only a question asking one (「排名第几」), and only a place does
    t = _texts(st)
    nw = t.words
    sent_cov, sent_plain = _both_lower(t.sentence, weights, plain)
    own_w, own_p = _both_lower(t.own, weights, plain)
    wide_w, wide_p = _both_lower(t.wide, weights, plain)
    extra = _extra_of(t.extra_words, weights)
    own_cov = max(own_w, 0.75 * wide_w)
    unit_fit = _unit_fit(nw.quantity, intent.units, measures)
    slots = sum(1.0 for w in (intent.predicate, intent.counted) if w and w in nw.own)
    score = (2.5 * own_cov + 1.2 * sent_cov + 1.0 * unit_fit - 0.6 * extra + 0.8 * slots
             + 0.6 * retrieval - 0.08 * rank)
    support = 0.65 * max(own_p, 0.75 * wide_p) + 0.35 * sent_plain
    # 「几级」「几大」: the asked measure word identifies the figure; otherwise its thing and act count too.
    if st.measures and not measures:
        thing = t.thing
        near = _near_question_word(intent, weights)
        score += 1.4 * _coverage(thing, near) if near else 0.0
        if intent.counted and intent.counted in thing:
            score += 0.6
    if st.act and st.act == intent.predicate and not measures:
        score += 0.6  # the asked act (「审结了多少件」) is the figure's own act
    score += _FRAME_FIT.get(getattr(intent, "frame", None), {}).get(st.frame, 0.0)
    return score, support


CHANGE_TERMS = ("增长", "下降", "增幅", "降幅", "涨幅", "增速", "变化", "增加", "减少", "提高", "提升", "降低", "上升", "同比",
                "环比", "比上年", "较上年")


def change_for_level(st: Statement, intent) -> bool:
    """A stated change (同比增长48.2%) offered for a rate the question asks as a level (「纠错率哪个最高」):
    another kind of figure, whatever its words."""
    return st.frame == "delta" and _level_asked(intent)


def _level_asked(intent) -> bool:
    if getattr(intent, "frame", None) is not None or tuple(intent.units) != ("%",):
        return False
    return not any(w in t for t in intent.terms for w in CHANGE_TERMS)


def names_asked_thing(st: Statement, intent) -> bool:
    """Whether the statement's measured thing or act holds a word the question puts beside 多少/几 (what it
    asks to be measured): 「办结群众诉求1.2万件」 does not name 受理行政复议案件. True when either side is unknown."""
    near = _near_question_word(intent, _weights(intent, None))
    thing = f"{st.measures}{st.act}".lower()
    return not near or not thing or any(t in thing for t in near)


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(tokenize(text))


def _near_question_word(intent, weights: dict[str, float]) -> dict[str, float]:
    """The metric words right beside 多少/几 (they name what is measured), with their weights."""
    focus = getattr(intent, "focus", ()) or ()
    return {t: weights[t] for t, f in zip(intent.terms, focus) if f > 1.7 and t in weights}


@dataclass(frozen=True)
class _Texts:
    """A statement's texts as the scoring rule reads them: lower-cased, its words tokenised."""

    words: NumberWords
    sentence: str  # the sentence and its heading
    own: str
    wide: str
    extra_words: tuple[str, ...]  # the words of its lead (its own words in a 分别 list), two characters or more
    thing: str  # its measured thing
    joined: str  # own | wide | sentence: no part's coverage exceeds this one's


def _texts(st: Statement) -> _Texts:
    """Computed once per statement object and kept on it (outside its fields: equality, `to_dict` and
    `replace` never see it), so a warm process scores a statement without re-reading its texts."""
    got = st.__dict__.get("_texts")
    if got is None:
        nw = words_of(st)
        got = _Texts(nw, (st.context or st.text).lower(), nw.own.lower(), nw.wide.lower(),
                     _long_tokens(nw.lead if not nw.respective else nw.own),
                     " ".join((st.measures, *st.each)).lower(),  # a figure said of each thing of a list: theirs too
                     f"{st.own}|{st.wide}|{st.context or st.text}".lower())
        object.__setattr__(st, "_texts", got)
    return got


def words_of(st: Statement) -> NumberWords:
    """The statement's figure and words as the scoring rule reads them."""
    surface = st.as_written.translate(_T2S)  # the few Traditional characters a figure's unit uses
    value = st.value if st.value is not None else 0.0
    q = Quantity(surface, 0, len(surface), value, value, st.unit, st.approx, False, st.unit == "%")
    at = st.own.find(surface)
    lead = st.lead or (st.own[:at] if at >= 0 else st.metric_simplified)
    return NumberWords(q, st.own, st.wide, lead, st.item >= 0)


def asked_kind(intent) -> tuple[tuple[str, ...], str]:
    """What a ranking never offers for a question: (units of another family than the one it asks in, 多少名 →
    件 项 次…; the stage of handling it asks, received / concluded…, or ""). A report whose best figure is of
    another kind is ranked by its best figure of the asked kind, if it states one."""
    units = intent.units
    asked = units[0] if len(units) == 1 and not intent.measures else ""
    return _other_units(asked), verb_stage(asked_stage_word(intent))


@lru_cache(maxsize=256)
def _other_units(asked: str) -> tuple[str, ...]:
    """The measure words of every family but the asked one's (cached: the answerers ask it of each candidate)."""
    if not asked:
        return ()
    return tuple(sorted({u for family in UNIT_FAMILIES.values() for u in family if counts_other_than(asked, u)}))


def in_kind(st: Statement, kind: tuple[tuple[str, ...], str]) -> bool:
    """The statement is of the asked kind (`asked_kind`): its unit in the asked family, its stage the asked one."""
    other_units, stage = kind
    return st.unit not in other_units and not (stage and st.stage and st.stage != stage)


# --- the same rule as plain data, for a store that scores candidates in its own query language -------------

@dataclass(frozen=True)
class ScoreSpec:
    """`score_statement`'s inputs for one question (no retrieval score, no passage rank): what a store needs
    to score its candidates where they lie (`sql_score` renders it for SQLite) instead of sending every one of
    thousands to Python. All plain values but `unit_fit`, which the store asks of each unit it holds.
    `tests/test_sql_score.py` holds both renderings equal."""

    weights: tuple[tuple[str, float], ...]  # focused weights, in the rule's order
    plain: tuple[tuple[str, float], ...]  # the same terms unfocused
    near: tuple[tuple[str, float], ...]  # the words beside 多少/几, focused weights ((): none)
    predicate: str
    counted: str
    unit_fit: Callable[[str], float]  # a statement's unit → its unit fit
    wants_rank: bool  # a place (「排名第几」) is asked: only a place answers, and only it
    frame_fit: tuple[tuple[str, float], ...]
    skip_delta: bool  # a rate asked as a level: stated changes are another kind of figure
    other_units: tuple[str, ...] = ()  # `asked_kind`: units of another family than the asked one
    asked_stage: str = ""  # `asked_kind`: the asked stage of handling; another stage's figures are passed over
    min_support: float = MIN_SUPPORT
    min_score: float = MIN_SCORE


def score_spec(intent, idf: IdfFn | None) -> ScoreSpec:
    weights, plain = question_weights(intent, idf)
    units = tuple(intent.units)

    def unit_fit(unit: str) -> float:
        return _unit_fit(Quantity(unit, 0, 0, 0.0, 0.0, unit, False, False, unit == "%"), units)

    return ScoreSpec(tuple(weights.items()), tuple(plain.items()),
                     tuple(_near_question_word(intent, weights).items()), intent.predicate or "",
                     intent.counted or "", unit_fit, RANK_UNIT in units,
                     tuple(_FRAME_FIT.get(getattr(intent, "frame", None), {}).items()), _level_asked(intent),
                     *asked_kind(intent))


EXTRA_SEP = "\x1f"  # wraps each lead word in the stored column (never in report text)


def stored_texts(st: Statement) -> dict[str, str | int]:
    """The texts the rule reads, as a store keeps them beside the statement (lower-cased where the rule
    lower-cases; the lead's words each wrapped in EXTRA_SEP, so a store can count the unasked ones)."""
    t = _texts(st)
    return {"sentence_lc": t.sentence, "own_lc": t.own, "wide_lc": t.wide, "own_raw": t.words.own,
            "thing_lc": t.thing, "extra_n": len(t.extra_words),
            "extra_words": "".join(f"{EXTRA_SEP}{w.replace(EXTRA_SEP, '')}{EXTRA_SEP}" for w in t.extra_words)}
