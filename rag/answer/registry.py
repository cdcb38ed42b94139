"""One answerer per operation: the query's `operation` picks it here, never an if-chain on strings."""
from __future__ import annotations

from typing import Callable

from ..question import ParsedQuestion
from ..types import Answer
from .about import about_answer
from .across import compare_answer, rank_answer, sum_answer
from .arith import apply_answer, average_answer, base_answer, rate_from_counts, ratio_answer, share_answer
from .compose import composed_answer
from .context import AnswerContext
from .exists import mentions_answer
from .single import change_answer, count_answer, items_answer, list_answer, multi_answer, refuse_scope, value_answer
from .yesno import yesno_answer

Answerer = Callable[[ParsedQuestion, AnswerContext], Answer]


def _sum(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    # Items of one report (「A和B一共多少」) or one figure per place (「昌平和通州加起来」).
    return items_answer(pq, ctx) if pq.parts and len(pq.scope.mentions) < 2 and pq.parts[0].label else sum_answer(pq, ctx)


def _difference(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    return items_answer(pq, ctx) if pq.parts and len(pq.scope.mentions) < 2 and pq.parts[0].label else \
        change_answer(pq, ctx)


def _value(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    # 「2023年大约有多少件」 of a 2024 report that states no 上年 figure: computed back from its stated rate.
    ans = value_answer(pq, ctx)
    if not ans.answered and pq.period != "previous":
        return rate_from_counts(pq, ctx) or ans  # 「成功率是多少」 from 「调解267件，调解成功265件」
    if ans.answered or pq.period != "previous":
        return ans
    base = base_answer(pq, ctx)
    return base if base.answered else ans


ANSWERERS: dict[str, Answerer] = {
    "value": _value,
    "multi": multi_answer,
    "exists": yesno_answer,
    "compare": compare_answer,
    "rank": rank_answer,
    "sum": _sum,
    "difference": _difference,
    "change": change_answer,
    "ratio": ratio_answer,
    "share": share_answer,
    "base": base_answer,
    "average": average_answer,
    "apply": apply_answer,
    "count": count_answer,
    "mentions": mentions_answer,
    "list": list_answer,
    "refuse": refuse_scope,
}


def answerer_for(pq: ParsedQuestion) -> Answerer:
    """A query over earlier answers (its operands) is computed over them; any other by its operation."""
    return composed_answer if pq.operands else ANSWERERS.get(pq.operation, value_answer)
