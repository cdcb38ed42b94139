"""Reading a model's reply: what the model wrote itself, whether it is usable, whether it refuses.

Small models (and chat templates that fold the system message into the user turn) often
start by repeating the prompt.  The echo must never reach the user and must never count:
its 「[1]」 headers are not citations and rule 4's 「报告中未找到……」 is not a refusal.
`own_text` keeps only the segments the model wrote; `junk_reason` rejects what is not an
answer (empty, repetition, no sentence, not Chinese); `is_refusal` reads the own text only.
"""
from __future__ import annotations

import re
from typing import Iterable

__all__ = ["EchoFilter", "own_text", "junk_reason", "is_refusal", "REFUSAL_RE"]

_SEGMENT = re.compile(r"[^\n。！？!?]*(?:[。！？!?]+|\n|$)")
_SPACE = re.compile(r"\s+")
_STRUCTURE = re.compile(r"^\s*(（无）\s*$|#{1,6}\s|</?资料|<\s*/?\s*(passage|资料)|\[\d+\]\s*《|(回答|答案|答)\s*[:：]\s*$)", re.I)
_LEAD = re.compile(r"^\s*(回答|答案|答)\s*[:：]\s*")
_GRAM = 6  # a segment is an echo when most of it is made of 6-character runs of the instructions
_ECHO_SHARE = 0.5
_MIN_ECHO_LEN = 10  # shorter segments (「报告中未找到。」) are too common to call an echo
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

REFUSAL_RE = re.compile(
    r"(未|没有|并未|没|未能|无法)(找到|提及|提到|查到|涉及|披露|提供|说明|记载|包含|给出|列出)|无法(回答|确定|找到|得知|判断)"
    r"|查不到|找不到|不知道|不清楚|没有(相关|具体|对应)?的?(信息|数据|资料|内容|记载)|无相关|未有相关"
    r"|\b(not|never)\s+(found|mentioned|provided|available|stated|given|specified)\b"
    r"|\bno\s+(information|data|mention|details?|record)\b|\b(does|do|did)\s*(not|n't)\s+(mention|contain|provide|include|state|say|specify)\b"
    r"|\bI\s*(do\s*not|don't|cannot|can't)\s+(know|find|answer|determine)\b|\b(unable|impossible)\s+to\s+(answer|find|determine)\b"
    r"|\bunknown\b", re.I)


def _norm(text: str) -> str:
    return _SPACE.sub("", text)


def segments(text: str) -> list[str]:
    """Sentences and lines, each keeping its terminator."""
    return [s for s in _SEGMENT.findall(text or "") if s]


class EchoFilter:
    """Knows the prompt's instruction text (system prompt, fixed template lines, question)
    and the passages, and tells the model's own segments from echoes of them."""

    def __init__(self, instructions: Iterable[str], passages: Iterable[str] = (), question: str = "",
                 lines: Iterable[str] = ()):
        extra = lines
        grams: set[str] = set()
        lines: set[str] = set()
        for block in instructions:
            n = _norm(block)
            grams.update(n[i:i + _GRAM] for i in range(max(0, len(n) - _GRAM + 1)))
            lines.update(_norm(line) for line in block.splitlines() if _norm(line))
        self._grams = grams
        lines.update(_norm(line) for line in extra if _norm(line))
        self._lines = lines  # whole short lines (「必须遵守的规则：」, the statement lines) are echoes too
        self._passages = [_norm(p) for p in passages if p]
        self._question = _norm(question)

    def is_echo(self, segment: str) -> bool:
        from .grounding import MARKER_RE

        if _STRUCTURE.match(segment):
            return True
        n = _norm(segment)
        if not n:
            return False
        if self._question and n.rstrip("？?") == self._question.rstrip("？?"):
            return True
        if n in self._lines and not REFUSAL_RE.search(segment):
            return True
        if len(n) >= _MIN_ECHO_LEN:
            covered = [False] * len(n)
            for i in range(len(n) - _GRAM + 1):
                if n[i:i + _GRAM] in self._grams:
                    covered[i:i + _GRAM] = [True] * _GRAM
            # A refusal naturally opens with the rule's own 「报告中未找到」: ask for more before calling it an echo.
            share = 0.85 if REFUSAL_RE.search(segment) else _ECHO_SHARE
            if sum(covered) >= share * len(n):
                return True
            # A passage line copied without a citation is the prompt read back, not an answer.
            if len(n) >= 16 and not MARKER_RE.search(segment) and any(n in p for p in self._passages):
                return True
        return False

    def own_text(self, reply: str, *, final: bool = True) -> str:
        """The segments the model wrote itself.  `final=False` (a stream in progress) also holds
        back the last, unfinished segment: it may yet turn out to be an echo."""
        parts = segments(reply)
        tail = ""
        if not final and parts and not re.search(r"[。！？!?\n]$", parts[-1]):
            # An unfinished segment shows once it is long enough to tell from an echo.
            last = parts.pop()
            if len(_norm(last)) >= _MIN_ECHO_LEN and not self.is_echo(last):
                tail = last
        kept = [s for s in parts if not self.is_echo(s)] + ([tail] if tail else [])
        text = re.sub(r"\n\s*\n+", "\n", "".join(kept)).strip()
        return _LEAD.sub("", text).strip()


def own_text(reply: str, echo: EchoFilter | None, *, final: bool = True) -> str:
    return echo.own_text(reply, final=final) if echo is not None else (reply or "").strip()


def junk_reason(text: str) -> str | None:
    """Why `text` is not an answer at all (None when it may be one)."""
    n = _norm(text)
    if not n:
        return "没有写出回答"
    if (re.search(r"(\D)\1{4,}", n) or re.search(r"(\D.{1,11}?)\1{4,}", n)  # 88888件 is a number, not a loop
            or re.search(r"(\D.{11,60}?)\1{2,}", n)):  # a phrase said three times over
        return "内容重复"
    parts = [_norm(s) for s in segments(text) if _norm(s)]
    if len(parts) >= 4 and len(set(parts)) <= len(parts) / 2:
        return "内容重复"
    han = len(_HAN.findall(text))
    latin = sum(len(w) for w in _LATIN_WORD.findall(text))
    if latin > 2 * han and not REFUSAL_RE.search(text):
        return "不是中文"
    if han < 2 and not re.search(r"\d", n) and not REFUSAL_RE.search(text):
        return "不成句"  # 「院」「）」「1.」: neither words nor a number
    return None


def is_refusal(text: str, cites_a_stated_number: bool) -> bool:
    """A refusal says the passages lack the answer, and does not go on to state a cited number."""
    return bool(REFUSAL_RE.search(text or "")) and not cites_a_stated_number
