"""ParsedQuestion → Answer: one answerer per shape, each computed in code and cited.

The question is parsed once (rag.question) before it arrives here; nothing below reads its text again
except through the ParsedQuestion's fields. The query's operation picks its answerer (rag.answer.registry). In LLM mode the model writes value, list and several-value
answers; shapes whose answer is a computation (yes/no, compare, rank, totals, about) stay in code.
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Callable, Iterator

from ..question import ParsedQuestion
from ..types import Answer
from .about import about_answer
from .context import AnswerContext
from .registry import answerer_for

log = logging.getLogger(__name__)
LLM_OPERATIONS = ("value", "multi", "list")
COMPUTED_NOTICE = "此题由程序根据报告原文计算或判断作答，未交给大模型"


class _Clock:
    def __init__(self):
        self.timings: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + (now - self._t) * 1000
        self._t = now


def extractive_answer(pq: ParsedQuestion, ctx: AnswerContext, texts: Callable[[], dict] | None = None) -> Answer:
    """The offline answer for any operation: the registry's answerer for it."""
    if pq.operation == "catalogue":
        return about_answer(pq, ctx, texts() if texts else None)
    return answerer_for(pq)(pq, ctx)


def stream_answer(pq: ParsedQuestion, ctx: AnswerContext, *, history: list, use_llm: bool,
                  llm: Callable[[], object] | None = None, texts: Callable[[], dict] | None = None,
                  started: float | None = None) -> Iterator[Answer]:
    clock = _Clock()
    if started is not None:
        clock.timings["parse"] = (time.perf_counter() - started) * 1000

    def finish(ans: Answer) -> Answer:
        clock.lap("answer")
        notice = "；".join(n for n in (*pq.notices, ans.notice) if n) or None
        return replace(ans, question=pq.text, notice=notice, shape=pq.shape, query=pq,
                       timings={**clock.timings, **ans.timings})

    def offline() -> Answer:
        return extractive_answer(pq, ctx, texts)

    if use_llm and pq.operation in LLM_OPERATIONS and not pq.operands and llm is not None:
        from .llm_answer import stream_with_llm

        passages = ctx.search(pq)
        clock.lap("retrieve")
        final = None
        for final in stream_with_llm(llm(), pq, passages, history, fallback=offline):
            yield replace(final, question=pq.text)
        if final is not None:
            yield finish(final)
        return
    ans = offline()
    if use_llm and llm is not None and (pq.operation not in LLM_OPERATIONS or pq.operands):
        # Computed and judged answers stay in code: the model would add nothing it could prove.
        ans = replace(ans, notice="；".join(n for n in (ans.notice, COMPUTED_NOTICE) if n))
    if ans.text and ans.answered:
        # Extractive answers are ready at once; stream the lead first so UIs show it immediately.
        yield Answer(pq.text, ans.text.split("\n", 1)[0], ans.answered, [], ans.mode, None, None,
                     dict(clock.timings), shape=pq.shape)
    yield finish(ans)
