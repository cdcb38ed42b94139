"""LLM answer mode: numbered passages in, a grounded answer (or the extractive fallback) out.

Flow: number the passages [1]..[n] in the prompt (prompts/system.md, prompts/qa.md),
generate, run the grounding check (rag.answer.grounding).  A failed check gets one
repair attempt that names the unsupported numbers; a second failure, or any
LLMError, returns `fallback()` (the extractive answer) with a notice.

In the returned Answer the markers are renumbered in order of first use, so
`[k]` in `answer.text` is `answer.citations[k-1]` (the model's [3] may become [1]).
"""
from __future__ import annotations

import re
from dataclasses import replace
from time import perf_counter
from typing import Callable, Iterator, Sequence

from ..errors import LLMError
from ..llm import LLM
from ..prompts import render
from ..types import Answer, Citation, Passage
from .grounding import (
    MARKER_RE,
    GroundingResult,
    check_grounding,
    find_markers,
    marker_numbers,
    stated_numbers,
)
from .safety import redact

__all__ = ["answer_with_llm", "stream_with_llm", "build_prompt", "UNVERIFIED_NOTICE", "unavailable_notice"]

UNVERIFIED_NOTICE = "大模型回答中的数字无法在引文中核实，已改用摘录式回答。"
HISTORY_TURNS = 3  # question/answer pairs kept in the prompt
HISTORY_CHARS = 300  # per message
_REFUSAL = re.compile(r"(未|没有)(找到|提及|提到|查到|涉及|披露)|无法(回答|确定|找到)")
_REPAIR = ("\n## 需要更正\n\n你上一次的回答是：\n{previous}\n\n"
           "其中这些内容在你引用的段落中找不到：{items}。请重新回答：只写编号段落中原样出现的数字，"
           "并在每个数字后用 [n] 标注真正写有它的段落；段落中没有的信息就回答「报告中未找到……」。\n")

Fallback = Callable[[], Answer]


def unavailable_notice(err: LLMError) -> str:
    reason = str(err).strip().rstrip("。") or "未知错误"
    return f"大模型服务不可用（{reason}），已改用摘录式回答。"


# --- prompt -------------------------------------------------------------------

def format_passages(passages: Sequence[Passage]) -> str:
    blocks = []
    for i, p in enumerate(passages, 1):
        head = f"[{i}] 《{p.title}》"
        if p.chunk.section_path:
            head += f" › {p.chunk.section_path}"
        blocks.append(f"{head}\n{redact(p.chunk.text).strip()}")
    return "\n\n".join(blocks)


def _content(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, list):  # [{"type": "text", "text": ...}, ...]
        content = " ".join(str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content)
    return "" if content is None else str(content)


def format_history(history: Sequence[dict] | None) -> str:
    turns = []
    for message in history or ():
        role = message.get("role") if isinstance(message, dict) else None
        if role not in ("user", "assistant"):
            continue
        text = re.sub(r"\s+", " ", MARKER_RE.sub("", _content(message))).strip()
        if text:
            if len(text) > HISTORY_CHARS:
                text = text[:HISTORY_CHARS] + "……"
            turns.append(f"{'用户' if role == 'user' else '助手'}：{text}")
    return "\n".join(turns[-2 * HISTORY_TURNS:]) or "（无）"


def build_prompt(question: str, passages: Sequence[Passage], history: Sequence[dict] | None,
                 feedback: str = "") -> str:
    return render("qa", question=question, passages=format_passages(passages),
                  history=format_history(history), feedback=feedback)


def _repair_feedback(previous: str, result: GroundingResult) -> str:
    return _REPAIR.format(previous=previous.strip(), items="、".join(result.unsupported))


# --- answers --------------------------------------------------------------------

def _renumber(text: str, order: list[int]) -> str:
    """Markers renumbered by first use (`order`); markers naming no passage stay as written."""
    new = {old: i for i, old in enumerate(order, 1)}

    def sub(m: re.Match) -> str:
        nums = marker_numbers(m.group(1))
        if not nums or any(n not in new for n in nums):
            return m.group()
        return "".join(f"[{k}]" for k in dict.fromkeys(new[n] for n in nums))

    return MARKER_RE.sub(sub, text)


def _citation(p: Passage) -> Citation:
    c = p.chunk
    return Citation(doc_id=c.doc_id, title=p.title, section=c.section_path, text=c.text,
                    start=c.start, end=c.end, score=p.score, passage=c.text)


def _is_refusal(text: str, cited: list[int], question: str) -> bool:
    if not _REFUSAL.search(text):
        return False
    return not cited or not stated_numbers(text, question)


def _llm_answer(question: str, reply: str, passages: Sequence[Passage], model: str,
                started: float, cited: list[int] | None = None) -> Answer:
    if cited is None:  # a partial: whatever valid markers have streamed so far
        cited = [n for n in find_markers(reply) if 1 <= n <= len(passages)]
    text = _renumber(reply.strip(), cited)
    return Answer(question=question, text=text, answered=not _is_refusal(text, cited, question),
                  citations=[_citation(passages[n - 1]) for n in cited], mode="llm", model=model,
                  timings={"llm": (perf_counter() - started) * 1000})


def _fallback(fallback: Fallback, notice: str, started: float) -> Answer:
    answer = fallback()
    answer = replace(answer, notice=f"{notice} {answer.notice}" if answer.notice else notice,
                     timings={**answer.timings, "llm": (perf_counter() - started) * 1000})
    return answer


def _ground(llm: LLM, question: str, passages: Sequence[Passage], history: Sequence[dict] | None,
            system: str, reply: str, fallback: Fallback, started: float) -> Answer:
    """Check `reply`; repair once; the grounded Answer or the fallback with a notice."""
    evidence = [redact(p.chunk.text) for p in passages]  # numbers only an instruction holds prove nothing
    result = check_grounding(reply, evidence, question)
    if not result.ok:
        prompt = build_prompt(question, passages, history, feedback=_repair_feedback(reply, result))
        try:
            reply = llm.complete(system, prompt)
        except LLMError as err:
            return _fallback(fallback, unavailable_notice(err), started)
        result = check_grounding(reply, evidence, question)
        if not result.ok:
            return _fallback(fallback, UNVERIFIED_NOTICE, started)
    return _llm_answer(question, reply, passages, llm.model, started, cited=result.cited)


def answer_with_llm(llm: LLM, question: str, passages: list[Passage], history: list[dict] | None,
                    fallback: Fallback) -> Answer:
    """A grounded LLM answer over `passages`, else `fallback()` with a notice saying why.

    With no passages there is nothing to ground an answer in: `fallback()` as is.
    """
    if not passages:
        return fallback()
    started = perf_counter()
    system = render("system")
    try:
        reply = llm.complete(system, build_prompt(question, passages, history))
    except LLMError as err:
        return _fallback(fallback, unavailable_notice(err), started)
    return _ground(llm, question, passages, history, system, reply, fallback, started)


def stream_with_llm(llm: LLM, question: str, passages: list[Passage], history: list[dict] | None,
                    fallback: Fallback) -> Iterator[Answer]:
    """Growing partial Answers (mode "llm") as tokens arrive; the last one is final and grounded.

    The final Answer is what `answer_with_llm` would return for the streamed reply:
    the grounded text, a repaired one, or `fallback()` with a notice replacing the text.
    """
    if not passages:
        yield fallback()
        return
    started = perf_counter()
    system = render("system")
    reply = ""
    try:
        pieces = llm.stream(system, build_prompt(question, passages, history))
        try:
            for piece in pieces:
                reply += piece
                yield _llm_answer(question, reply, passages, llm.model, started)
        finally:  # the consumer may stop early: release the HTTP stream now
            close = getattr(pieces, "close", None)
            if close is not None:
                close()
    except LLMError as err:
        yield _fallback(fallback, unavailable_notice(err), started)
        return
    yield _ground(llm, question, passages, history, system, reply, fallback, started)
