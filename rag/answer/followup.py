"""Multi-turn: a follow-up (「那通州区呢？」, 「2023年呢？」) takes what it omits from the conversation."""
from __future__ import annotations

import re

from ..filters import ScopeDetector
from .intent import metric_terms

_FILLER = re.compile(r"[那呢吗嘛的又再和与还有情况如何怎么样怎样是多少？?。，,！!\s]")


def _user_turns(history: list) -> list[str]:
    out = []
    for turn in history or []:
        if isinstance(turn, dict) and turn.get("role") == "user":
            content = turn.get("content")
            if isinstance(content, list):  # multimodal message format: keep the text parts
                content = " ".join(str(c.get("text", "")) for c in content if isinstance(c, dict))
            if isinstance(content, str) and content.strip():
                out.append(content.strip())
        elif isinstance(turn, (list, tuple)) and turn and isinstance(turn[0], str):
            out.append(turn[0])  # (user, assistant) pairs
    return out


def resolve(question: str, history: list, detector: ScopeDetector) -> str:
    """The question made self-contained using the last user turn that was."""
    turns = _user_turns(history)
    if not turns:
        return question
    cur = detector.detect(question)
    has_metric = bool(metric_terms(_FILLER.sub("", cur.content)))
    has_place = bool(cur.mentions or cur.unknown_regions)
    if has_metric and has_place:
        return question
    for prev_q in reversed(turns):
        prev = detector.detect(prev_q)
        if not metric_terms(prev.content):
            continue
        if not has_metric:
            # 「那恩阳区呢？」: the previous question, asked of the new place or year.
            place = _places_of(cur) or ("" if cur.years else _places_of(prev))
            year = _years_of(cur) or ("" if has_place else _years_of(prev))
            return f"{place}{year}{prev.content.strip()}"
        if not has_place:
            # 「行政复议案件呢？」: the new metric, for the previous place and year.
            place = _places_of(prev)
            year = _years_of(cur) or _years_of(prev)
            if place:
                return f"{place}{year}{cur.content.strip()}"
        break
    return question


def _places_of(scope) -> str:
    names = [n for n, _ in scope.mentions] or list(scope.unknown_regions)
    return "和".join(names)


def _years_of(scope) -> str:
    return "".join(f"{y}年" for y in scope.years)
