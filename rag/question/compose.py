"""A follow-up over earlier answers, composed from their queries (never from their text): 「这两个加起来」
「两者相差多少」「前者是后者的几倍」「哪个更多」 after two questions that each asked one figure.

The composed query keeps the two earlier queries as its operands; each is answered as it was asked, and
the sum, difference, ratio or comparison is computed over their figures (rag.answer.compose).
"""
from __future__ import annotations

from dataclasses import replace

from . import vocab


def compose(normalised: str, earlier: list) -> "object | None":
    """The composed ParsedQuestion, or None when the question is not a computation over two earlier answers."""
    if not vocab.BOTH_BACK.search(normalised):
        return None
    operation = next((op for op, words in vocab.OVER_ANSWERS if words.search(normalised)), None)
    figures = [q for q in earlier if q.operation == "value" and q.wants_number and not q.scope.empty]
    if operation is None or len(figures) < 2:
        return None
    first, second = figures[-2], figures[-1]
    if "后者" in normalised and "前者" in normalised and normalised.find("后者") < normalised.find("前者"):
        first, second = second, first  # 「后者是前者的几倍」
    down = bool(vocab.ASKS_DOWN.search(normalised.replace("多少", "")))
    words = {"sum": "加起来是多少", "difference": "相差多少", "ratio": "是后者的多少倍",
             "compare": "哪个更少" if down else "哪个更多"}[operation]
    resolved = f"{label(first)}和{label(second)}，{words}"
    return replace(second, resolved=resolved, scope=_both(first.scope, second.scope), operation=operation, operands=(first, second), parts=(),
                   shape="compare" if operation == "compare" else "aggregate",
                   aggregate=None if operation == "compare" else operation, wants_number=True,
                   asked_direction="down" if down else "up", threshold=None, premise=None,
                   carried=("operands",), rewrites=())


def _both(a, b):
    """One scope over both operands: their places in order, their years, their reports."""
    docs = None if a.doc_ids is None or b.doc_ids is None else tuple(dict.fromkeys(a.doc_ids + b.doc_ids))
    return replace(b, doc_ids=docs, regions=tuple(dict.fromkeys(a.regions + b.regions)),
                   years=tuple(dict.fromkeys(a.years + b.years)), mentions=a.mentions + b.mentions,
                   content=b.content)


def label(q) -> str:
    """「昌平区2024年接收行政复议申请」: the operand's place, year and asked thing, as the user named them."""
    places = "和".join(n for n, _ in q.scope.mentions) or "、".join(q.scope.regions)
    years = "".join(f"{y}年" for y in q.scope.years)
    return f"{places}{years}{q.asked_thing}"
