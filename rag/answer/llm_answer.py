"""LLM answer mode: delimited passages in, a grounded answer (or the extractive fallback) out.

Flow: put the passages in the prompt as numbered <资料> blocks (prompts/system.md, qa.md),
trimmed so prompt + reply fit the model's context; generate within one wall-clock budget
(RAG_LLM_TIMEOUT covers the whole answer, repair included); keep only what the model wrote
itself (rag.answer.llm_reply: no prompt echo, no junk); run the grounding check (numbers
in cited passages, and the first number is the asked metric's).  A failed check gets one
repair attempt if time remains; anything else returns `fallback()` (the extractive answer)
with a notice that says why.

In the returned Answer the markers are renumbered in order of first use, so
`[k]` in `answer.text` is `answer.citations[k-1]` (the model's [3] may become [1]).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from time import perf_counter
from typing import Callable, Iterator, Sequence

from ..errors import LLMError
from ..llm import LLM, LLMTimeout, estimate_tokens
from ..prompts import render
from ..question import ParsedQuestion
from ..types import Answer, Citation, Passage
from .context import passage_citation
from .grounding import (MARKER_RE, check_grounding, check_kind, check_metric, marker_inner, marker_numbers,
                        stated_numbers)
from .llm_reply import EchoFilter, is_refusal, junk_reason
from ..text.instructions import as_data, redact

__all__ = ["answer_with_llm", "stream_with_llm", "build_prompt", "fit_prompt", "UNVERIFIED_NOTICE",
           "METRIC_NOTICE", "KIND_NOTICE", "unavailable_notice", "timeout_notice", "junk_notice"]

UNVERIFIED_NOTICE = "大模型回答中的数字无法在引文中核实，已改用摘录式回答。"
METRIC_NOTICE = "大模型回答中的数字不是引文中所问指标的数值，已改用摘录式回答。"
KIND_NOTICE = "大模型回答中的数字不是所问的那一类（计划、或与上年相比的变化），已改用摘录式回答。"
CONTEXT_NOTICE = "大模型的上下文放不下问题和规则，已改用摘录式回答。"
HISTORY_TURNS = 3  # question/answer pairs kept in the prompt
HISTORY_CHARS = 300  # per message
PREVIOUS_CHARS = 400  # the model's own earlier answer, quoted in the repair prompt
MIN_PASSAGE_TOKENS = 80  # a passage trimmed below this is not worth sending

Fallback = Callable[[], Answer]


def unavailable_notice(err: LLMError) -> str:
    if isinstance(err, LLMTimeout):
        return timeout_notice(err)
    reason = str(err).strip().rstrip("。") or "未知错误"
    return f"大模型服务不可用（{reason}），已改用摘录式回答。"


def timeout_notice(err: LLMError) -> str:
    return f"大模型未能在时限内写完回答（{str(err).strip().rstrip('。')}），已改用摘录式回答。"


def junk_notice(reason: str) -> str:
    return f"大模型的回答无法使用（{reason}），已改用摘录式回答。"


# --- prompt -------------------------------------------------------------------

def _block(i: int, p: Passage) -> str:
    source = f"《{p.title}》" + (f" › {p.chunk.section_path}" if p.chunk.section_path else "")
    source = source.replace('"', "”").replace("<", "＜").replace(">", "＞")
    return f'<资料 编号="{i}" 来源="{source}">\n{as_data(p.chunk.text).strip()}\n</资料>'


def format_passages(passages: Sequence[Passage]) -> str:
    return "\n\n".join(_block(i, p) for i, p in enumerate(passages, 1))


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
        text = " ".join(MARKER_RE.sub("", _content(message)).split())
        if text:
            if len(text) > HISTORY_CHARS:
                text = text[:HISTORY_CHARS] + "……"
            turns.append(f"{'用户' if role == 'user' else '助手'}：{text}")
    return "\n".join(turns[-2 * HISTORY_TURNS:]) or "（无）"


_FRAME_WORDS = {"from": "变化前", "to": "变化后", "delta": "变化量", "part": "其中部分", "total": "总数"}
_STATUS_WORDS = {"exploring": "探索中", "preparing": "筹备/创建中", "planned": "计划", "target": "目标", "ongoing": "推进中"}
_PERIOD_WORDS = {"previous": "上年数字", "target": "目标/计划年度"}


def format_statements(pq: ParsedQuestion, passages: Sequence[Passage], limit: int = 6) -> str:
    """The passages' statements that measure the asked thing, best first: what the model should state."""
    from . import extractive

    if not passages:
        return "（无）"
    marker = {id(p): i for i, p in enumerate(passages, 1)}
    lines = []
    for pick in extractive.candidates(pq.metric, list(passages)):
        if pick.support < extractive.MIN_SUPPORT or len(lines) >= limit:
            break
        st = pick.statement
        notes = [w for w in (st.act, _FRAME_WORDS.get(st.frame, ""), _STATUS_WORDS.get(st.status, ""),
                             _PERIOD_WORDS.get(st.period, ""), st.scope) if w]
        thing = as_data(st.measures or st.metric_simplified)
        lines.append(f"[{marker[id(pick.passage)]}] {st.as_written}：{thing}" + (f"（{'；'.join(notes)}）" if notes else ""))
    return "\n".join(lines) or "（无）"


def build_prompt(pq: ParsedQuestion, passages: Sequence[Passage], history: Sequence[dict] | None,
                 feedback: str = "") -> str:
    """The question as resolved (a follow-up made self-contained), the passages and their statements."""
    return render("qa", question=pq.resolved, passages=format_passages(passages),
                  statements=format_statements(pq, passages), history=format_history(history),
                  feedback=feedback)


def _limits(llm: LLM) -> tuple[int, int, float]:
    return (int(getattr(llm, "context_tokens", 8192)), int(getattr(llm, "max_tokens", 512)),
            float(getattr(llm, "timeout", 30.0)))


def _trimmed(p: Passage, tokens: int) -> Passage:
    """`p` cut to about `tokens` (its start kept: offsets stay exact)."""
    text = p.chunk.text[:max(0, tokens)]
    while text and estimate_tokens(text) > tokens:
        text = text[:int(len(text) * 0.9)]
    return replace(p, chunk=replace(p.chunk, text=text, end=p.chunk.start + len(text)))


def fit_prompt(llm: LLM, system: str, pq: ParsedQuestion, passages: Sequence[Passage],
               history: Sequence[dict] | None, feedback: str = "") -> tuple[str, list[Passage]]:
    """The prompt and the passages it holds, so that system + prompt + max_tokens fit the context.

    Passages are dropped from the end (and the last one kept is trimmed); the rules, the
    question and the feedback never are.  LLMError when not even one passage fits.
    """
    context, max_tokens, _ = _limits(llm)
    budget = context - max_tokens - (32 + context // 20)  # chat-template tokens and estimate slack
    fixed = estimate_tokens(system) + estimate_tokens(build_prompt(pq, [], history, feedback))
    if fixed + MIN_PASSAGE_TOKENS > budget and history:
        history = None  # the conversation is the one optional part
        fixed = estimate_tokens(system) + estimate_tokens(build_prompt(pq, [], None, feedback))
    room = budget - fixed
    used: list[Passage] = []
    for p in passages:
        need = estimate_tokens(_block(len(used) + 1, p)) + 2
        if need <= room:
            used.append(p)
            room -= need
            continue
        header = estimate_tokens(_block(len(used) + 1, replace(p, chunk=replace(p.chunk, text="")))) + 2
        if room - header >= MIN_PASSAGE_TOKENS:
            used.append(_trimmed(p, room - header))
        break
    if not used:
        raise LLMError("上下文不足")
    return build_prompt(pq, used, history, feedback), used


def _echo_filter(system: str, pq: ParsedQuestion, passages: Sequence[Passage]) -> EchoFilter:
    fixed = [system, render("qa", question="", passages="", statements="", history="", feedback=""),
             render("repair", previous="", problem="")]
    statements = format_statements(pq, passages).splitlines()  # read back whole, they are echoes too
    return EchoFilter(fixed, [p.chunk.text for p in passages], pq.resolved, lines=statements)


# --- reading a reply ------------------------------------------------------------------

def _renumber(text: str, order: list[int]) -> str:
    """Markers renumbered by first use (`order`) and written [k]; markers naming no passage stay."""
    new = {old: i for i, old in enumerate(order, 1)}

    def sub(m) -> str:
        nums = marker_numbers(marker_inner(m))
        if not nums or any(n not in new for n in nums):
            return m.group()
        return "".join(f"[{k}]" for k in dict.fromkeys(new[n] for n in nums))

    return MARKER_RE.sub(sub, text)


def _citation(p: Passage) -> Citation:
    return passage_citation(p)


def _answer(pq: ParsedQuestion, text: str, passages: Sequence[Passage], cited: list[int], answered: bool,
            model: str, started: float) -> Answer:
    return Answer(question=pq.text, text=_renumber(text, cited), answered=answered,
                  citations=[_citation(passages[n - 1]) for n in cited], mode="llm", model=model,
                  timings={"llm": (perf_counter() - started) * 1000})


@dataclass
class _Verdict:
    answer: Answer | None = None
    notice: str = ""
    problem: str = ""  # set when a repair prompt could fix it
    own: str = ""


def _judge(pq: ParsedQuestion, reply: str, passages: Sequence[Passage], echo: EchoFilter,
           model: str, started: float) -> _Verdict:
    text = echo.own_text(reply)
    reason = junk_reason(text)
    if reason:
        return _Verdict(notice=junk_notice(reason), own=text)
    evidence = [redact(p.chunk.text) for p in passages]  # numbers only an instruction holds prove nothing
    result = check_grounding(text, evidence, pq.metric.numbers)
    if not result.ok:
        return _Verdict(notice=UNVERIFIED_NOTICE, own=text,
                        problem=f"这些内容在你引用的资料中找不到：{'、'.join(result.unsupported)}")
    cites_number = bool(result.cited) and bool(stated_numbers(text, pq.metric.numbers))
    if is_refusal(text, cites_number):
        return _Verdict(_answer(pq, text, passages, result.cited, False, model, started))
    wrong = check_metric(text, [passages[n - 1] for n in result.cited], pq.metric) if pq.wants_number else None
    if wrong:
        return _Verdict(notice=METRIC_NOTICE, own=text,
                        problem=f"{wrong} 在你引用的资料中不是问题所问指标的数字")
    other = check_kind(text, [passages[n - 1] for n in result.cited], pq.metric, plan=pq.plan_only,
                       against_before=pq.against_before) if pq.wants_number else None
    if other:
        asked = "计划或目标的数字" if pq.plan_only else "与上年相比的变化（或上年的数字）"
        return _Verdict(notice=KIND_NOTICE, own=text,
                        problem=f"{other} 在你引用的资料中不是{asked}；资料没有写明时请如实说明")
    return _Verdict(_answer(pq, text, passages, result.cited, True, model, started))


def _fallback(fallback: Fallback, notice: str, started: float) -> Answer:
    answer = fallback()
    answer = replace(answer, notice=f"{notice} {answer.notice}" if answer.notice else notice,
                     timings={**answer.timings, "llm": (perf_counter() - started) * 1000})
    return answer


def _settle(llm: LLM, pq: ParsedQuestion, passages: Sequence[Passage], history: Sequence[dict] | None,
            system: str, reply: str, fallback: Fallback, started: float, deadline: float) -> Answer:
    """Judge `reply`; repair once if it can be fixed and time remains; else the fallback."""
    echo = _echo_filter(system, pq, passages)
    verdict = _judge(pq, reply, passages, echo, llm.model, started)
    if verdict.answer is not None:
        return verdict.answer
    if not verdict.problem or time.monotonic() >= deadline:
        return _fallback(fallback, verdict.notice, started)
    feedback = render("repair", previous=verdict.own[:PREVIOUS_CHARS], problem=verdict.problem)
    try:
        prompt, used = fit_prompt(llm, system, pq, passages, history, feedback)
        reply = llm.complete(system, prompt, deadline=deadline)
    except LLMError as err:
        return _fallback(fallback, unavailable_notice(err), started)
    verdict = _judge(pq, reply, used, _echo_filter(system, pq, used), llm.model, started)
    return verdict.answer or _fallback(fallback, verdict.notice, started)


# --- answers --------------------------------------------------------------------

def answer_with_llm(llm: LLM, pq: ParsedQuestion, passages: list[Passage], history: list[dict] | None,
                    fallback: Fallback) -> Answer:
    """A grounded LLM answer over `passages`, else `fallback()` with a notice saying why.

    With no passages there is nothing to ground an answer in: `fallback()` as is.
    """
    if not passages:
        return fallback()
    started = perf_counter()
    system = render("system")
    try:
        prompt, used = fit_prompt(llm, system, pq, passages, history)
    except LLMError:
        return _fallback(fallback, CONTEXT_NOTICE, started)
    deadline = time.monotonic() + _limits(llm)[2]  # the model's budget starts when it is called
    try:
        reply = llm.complete(system, prompt, deadline=deadline)
    except LLMError as err:
        return _fallback(fallback, unavailable_notice(err), started)
    return _settle(llm, pq, used, history, system, reply, fallback, started, deadline)


def stream_with_llm(llm: LLM, pq: ParsedQuestion, passages: list[Passage], history: list[dict] | None,
                    fallback: Fallback) -> Iterator[Answer]:
    """Growing partial Answers (mode "llm") as the model writes; the last one is final.

    Partials show only finished sentences the model wrote itself (never an echo of the
    prompt).  The final Answer is what `answer_with_llm` would return for the streamed
    reply: the grounded text, a repaired one, or `fallback()` with a notice.
    """
    if not passages:
        yield fallback()
        return
    started = perf_counter()
    system = render("system")
    try:
        prompt, used = fit_prompt(llm, system, pq, passages, history)
    except LLMError:
        yield _fallback(fallback, CONTEXT_NOTICE, started)
        return
    deadline = time.monotonic() + _limits(llm)[2]  # the model's budget starts when it is called
    echo = _echo_filter(system, pq, used)
    reply, shown = "", ""
    try:
        pieces = llm.stream(system, prompt, deadline=deadline)
        try:
            for piece in pieces:
                reply += piece
                visible = echo.own_text(reply, final=False)
                if visible == shown or not visible:
                    continue
                junk = junk_reason(visible)
                if junk == "内容重复":  # a model stuck in a loop: stop paying for it
                    yield _fallback(fallback, junk_notice(junk), started)
                    return
                if junk or len(set(visible)) < 3:
                    continue  # nothing worth showing yet
                shown = visible
                cited = [n for n in _markers(visible) if 1 <= n <= len(used)]
                yield _answer(pq, visible, used, cited, True, llm.model, started)
        finally:  # the consumer may stop early, or we did: release the HTTP stream now
            close = getattr(pieces, "close", None)
            if close is not None:
                close()
    except LLMError as err:
        yield _fallback(fallback, unavailable_notice(err), started)
        return
    yield _settle(llm, pq, used, history, system, reply, fallback, started, deadline)


def _markers(text: str) -> list[int]:
    from .grounding import find_markers

    return find_markers(text)
