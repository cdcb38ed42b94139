"""Yes/no questions: lead with 是/否 (or 有/没有), then the figure and its sentence; every test in code."""
from __future__ import annotations

from dataclasses import replace

from ..question import ParsedQuestion
from ..statements.change import change_phrase, direction_of
from ..text.quantity import RANK_UNIT
from ..types import Answer
from . import extractive
from .across import _comparable, compare_answer, per_place
from .context import AnswerContext
from .exists import exists_answer
from .single import refuse_metric, value_pick
from .wording import evidence_line, fmt_number

_OP_WORDS = {">": "超过", ">=": "达到", "<": "低于", "<=": "不超过", "=": "等于"}


def _words(pq: ParsedQuestion) -> tuple[str, str]:
    return ("Yes", "No") if pq.language == "en" else pq.yes_no


def yesno_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    yes, no = _words(pq)
    if len(pq.scope.mentions) >= 2:
        return _two_places(pq, ctx, yes, no)
    passages = ctx.search(pq)
    if pq.threshold is not None:
        # The threshold's number may well be the report's own figure: it is a candidate here.
        t = pq.threshold
        metric = replace(pq.metric, numbers=(), units=(t.unit,) if t.unit else pq.metric.units,
                         frame="delta" if pq.threshold_of_change else pq.metric.frame,
                         measures=(t.unit,) if t.ordinal else pq.metric.measures)
        pick = value_pick(pq, passages, ctx, metric)
        if pick is None:
            return refuse_metric(pq, passages)
        q, t = pick.quantity, pq.threshold
        value = extractive.state_value(pick)
        if q.is_percent != (t.unit == "%"):
            lead = f"无法直接判断：报告给出的是{value}，与问题中的{t.text}口径不同"
            return Answer(pq.text, f"{lead}。\n{evidence_line(1, extractive.quote(pick), pq.language)}", True,
                          [pick.citation()], "extractive")
        verdict = yes if t.holds(q.value) else no
        if t.unit == RANK_UNIT or t.ordinal:  # a place or an ordinal: 「否。报告写明第3（问题问的是第一）」
            asked = ("top " if t.op == "<=" else "No. ") + fmt_number(t.value)
            lead = f"{verdict}。报告写明{value}（问题问的是{t.text}）。" if pq.language != "en" \
                else f"{verdict}. The report states place {fmt_number(q.value)} ({value}; asked: {asked})."
            return Answer(pq.text, f"{lead}\n{evidence_line(1, extractive.quote(pick), pq.language)}", True,
                          [pick.citation()], "extractive")
        approx = "（报告为约数）" if q.approx and abs(q.value - t.value) / max(t.value, 1) < 0.1 else ""
        lead = f"{verdict}。报告写明{value}{approx}（问题中的标准：{_OP_WORDS[t.op]}{fmt_number(t.value)}{t.unit}）" \
            if pq.language != "en" else f"{verdict}. The report states {value} (threshold: {t.op} {fmt_number(t.value)}{t.unit})"
        return Answer(pq.text, f"{lead}。\n{evidence_line(1, extractive.quote(pick), pq.language)}", True,
                      [pick.citation()], "extractive")
    if pq.aggregate == "change" or pq.versus_previous:
        return _changed(pq, ctx, passages, yes, no)
    return exists_answer(pq, ctx)


def _changed(pq, ctx, passages, yes, no) -> Answer:
    """「比上一年多吗」「是否增长」: the direction the report states for the figure."""
    asks = pq.asked_direction
    for pick in extractive.candidates(pq.metric, passages, ctx.idf)[:8]:
        if pick.support < extractive.MIN_SUPPORT:
            break
        sentence = extractive.quote(pick)
        phrase = change_phrase(sentence)
        said = direction_of(phrase)
        if said is None:
            continue
        verdict = yes if asks is None or said == asks else no
        lead = f"{verdict}。报告写明{phrase}" if pq.language != "en" else f"{verdict}. The report states {phrase}"
        return Answer(pq.text, f"{lead}。\n{evidence_line(1, sentence, pq.language)}", True, [pick.citation()],
                      "extractive")
    pick = value_pick(pq, passages, ctx)
    if pick is None:
        return refuse_metric(pq, passages)
    text = (f"报告写明{extractive.state_value(pick)}，但没有给出与上一年的比较，无法判断。\n"
            f"{evidence_line(1, extractive.quote(pick), pq.language)}")
    return Answer(pq.text, text, False, [pick.citation()], "extractive")


def _two_places(pq, ctx, yes, no) -> Answer:
    """「昌平比恩阳多吗」: the first place named against the second."""
    found, missing = per_place(pq, ctx)
    base = compare_answer(pq, ctx, (found, missing))  # one lookup per place, not two
    if missing or len(found) < 2 or not _comparable(found[0], found[1]):
        return base
    less = pq.asked_direction == "down"
    first, second = found[0].value, found[1].value
    verdict = yes if (first < second if less else first > second) else no
    return Answer(pq.text, f"{verdict}。{base.text}", True, base.citations, "extractive", chart=base.chart)
