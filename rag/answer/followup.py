"""Multi-turn: a follow-up (「那通州区呢？」, 「2023年呢？」, 「和昌平区比哪个多？」) takes what it
omits from the conversation."""
from __future__ import annotations


from ..filters import QueryScope, ScopeDetector
from .intent import analyse, metric_terms


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
    """The question made self-contained, reading the conversation turn by turn."""
    resolved: list[str] = []
    for turn in _user_turns(history):
        resolved.append(_resolve_one(turn, resolved, detector))
    return _resolve_one(question, resolved, detector)


def _resolve_one(question: str, earlier: list[str], detector: ScopeDetector) -> str:
    if not earlier:
        return question
    cur = detector.detect(question)
    has_metric = bool(metric_terms(cur.content))  # 「那恩阳区呢」 has none; 「和解呢」 has 和解
    has_place = bool(cur.mentions or cur.unknown_regions)
    if has_metric and has_place:
        return question
    prev_q = next((q for q in reversed(earlier) if metric_terms(detector.detect(q).content)), None)
    if prev_q is None:
        return question
    prev = detector.detect(prev_q)
    metric = prev.content.strip()
    compare = analyse(question).compare
    if not has_metric and has_place and compare:
        # 「和昌平区比哪个多？」: both places, the earlier metric, compared.
        return f"{_places_of(prev)}{_years_of(prev)}和{_places_of(cur)}{_years_of(cur)}，{_unasked(metric)}，哪个更多？"
    if not has_metric and not has_place and compare:
        # 「哪个更多？」 after asking about two places in turn: compare the last two.
        places = _recent_places(earlier, detector)
        if len(places) >= 2:
            return f"{places[-2]}和{places[-1]}，{_unasked(metric)}，{question}"
    if not has_metric:
        # 「那恩阳区呢？」/「2020年呢？」: the earlier question, for the new place or year.
        place = _places_of(cur) or _places_of(prev)
        year = _years_of(cur) or ("" if has_place else _years_of(prev))
        return f"{place}{year}{metric}"
    # 「受理依申请公开多少件？」: the new metric, for the earlier place and year.
    place = _places_of(prev)
    year = _years_of(cur) or _years_of(prev)
    return f"{place}{year}{cur.content.strip()}" if place else question


def _recent_places(earlier: list[str], detector: ScopeDetector) -> list[str]:
    """Distinct places (with their years) of the earlier turns, oldest first."""
    out: list[str] = []
    for q in earlier:
        scope = detector.detect(q)
        place = _places_of(scope)
        if place and scope.mentions:
            named = f"{place}{_years_of(scope)}"
            if named in out:
                out.remove(named)
            out.append(named)
    return out


def _unasked(metric: str) -> str:
    """「主动公开信息多少条？」 without its closing punctuation, to be asked again as a comparison."""
    return metric.rstrip("？?。！! ")


def _places_of(scope: QueryScope) -> str:
    names = [n for n, _ in scope.mentions] or list(scope.unknown_regions)
    return "和".join(names)


def _years_of(scope: QueryScope) -> str:
    return "".join(f"{y}年" for y in scope.years)
