"""Multi-turn: a follow-up (「那通州区呢？」「2023年呢？」「那上一年呢？」「和昌平区比哪个多？」
「这个数字比上一年多吗？」「政策解读呢？」) takes what it omits from the conversation."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..filters import QueryScope, ScopeDetector
from . import vocab
from .metric import analyse, metric_terms

# Words that point back at the previous answer instead of naming a metric.
_REFERS_BACK = re.compile(r"这两个数字?|这俩数?|两个数字?|两者|二者|这个数字?|该数字?|这一数字?|那个数字?|这个数据|这个|它|这些")
_ASKS = re.compile(r"多少|几|哪|什么|吗|怎|是否|如何|有没有|是不是")
_RELATIVE_YEAR = re.compile("|".join(sorted(map(re.escape, vocab.PREVIOUS_YEAR), key=len, reverse=True)))


@dataclass(frozen=True)
class Turn:
    """One question of a conversation: as the user wrote it, how it was understood, what was answered."""

    question: str
    query: object | None = None  # the turn's ParsedQuestion, once parsed
    answer: str = ""
    cited: tuple[tuple[str, int, int], ...] = ()  # (doc_id, start, end) of each passage the answer quoted


@dataclass(frozen=True)
class Conversation:
    """The earlier turns, oldest first: one type for the UI, the API and the LLM prompt.

    A turn that carries its `query` is never parsed again: a follow-up is built from it. Histories in the
    chat formats the API accepts (role/content dicts, (user, assistant) pairs) become turns without one.
    """

    turns: tuple[Turn, ...] = ()

    @classmethod
    def from_history(cls, history) -> "Conversation":
        if isinstance(history, Conversation):
            return history
        turns: list[Turn] = []
        for turn in history or []:
            if isinstance(turn, dict) and turn.get("role") in ("user", "assistant"):
                content = turn.get("content")
                if isinstance(content, list):  # multimodal message format: keep the text parts
                    content = " ".join(str(c.get("text", "")) for c in content if isinstance(c, dict))
                if not isinstance(content, str) or not content.strip():
                    continue
                if turn["role"] == "user":
                    turns.append(Turn(content.strip()))
                elif turns and not turns[-1].answer:
                    turns[-1] = replace(turns[-1], answer=content.strip())
            elif isinstance(turn, (list, tuple)) and turn and isinstance(turn[0], str):
                answer = turn[1] if len(turn) > 1 and isinstance(turn[1], str) else ""
                turns.append(Turn(turn[0], None, answer))  # (user, assistant) pairs
        return cls(tuple(turns))

    @property
    def user_turns(self) -> tuple[str, ...]:
        return tuple(t.question for t in self.turns)

    def then(self, question: str, query, answer: str, citations=()) -> "Conversation":
        """This conversation with one more turn (`citations`: the answer's, so a follow-up can look there first)."""
        cited = tuple((c.doc_id, c.start, c.end) for c in citations)
        return Conversation(self.turns + (Turn(question, query, answer, cited),))

    def before_last(self) -> "Conversation":
        """Without its last turn (the answer is asked again, or the question taken back)."""
        return Conversation(self.turns[:-1])

    def messages(self) -> list[dict]:
        """The turns as chat messages (role/content), for an LLM prompt's history."""
        out: list[dict] = []
        for t in self.turns:
            out.append({"role": "user", "content": t.question})
            if t.answer:
                out.append({"role": "assistant", "content": t.answer})
        return out


def resolve(question: str, earlier: list[str], detector: ScopeDetector) -> tuple[str, tuple[str, ...]]:
    """The question made self-contained from the earlier turns as they were resolved (each already
    self-contained, oldest first), and what it carried."""
    return _resolve_one(question, earlier, detector)


def _own_metric(content: str) -> bool:
    rest = _REFERS_BACK.sub("", content)
    rest = _RELATIVE_YEAR.sub("", rest)
    rest = re.sub(r"[比较多少高低大小更吗呢么]", "", rest)  # 「比…多吗」 compares; it names nothing
    return bool(metric_terms(rest))


def _resolve_one(question: str, earlier: list[str], detector: ScopeDetector) -> tuple[str, tuple[str, ...]]:
    if not earlier:
        return question, ()
    cur = detector.detect(question)
    has_metric = _own_metric(cur.content)  # 「那恩阳区呢」 has none; 「和解呢」 has 和解
    has_place = bool(cur.mentions or cur.unknown_regions)
    if has_metric and has_place:
        return question, ()
    if has_metric and vocab.SELF_CONTAINED.search(question):
        return question, ()  # 「哪个地方的行政复议案件最多？」 asks across every report: it inherits no place
    prev_q = next((q for q in reversed(earlier) if _own_metric(detector.detect(q).content)), None)
    if prev_q is None:
        return question, ()
    prev = detector.detect(prev_q)
    metric = _unasked(prev.content.strip())
    compare = analyse(question).compare
    if not has_metric and has_place and compare:
        # 「和昌平区比哪个多？」: both places, the earlier metric, compared.
        return (f"{_places_of(prev)}{_years_of(prev)}和{_places_of(cur)}{_years_of(cur)}，{metric}，哪个更多？",
                ("metric", "place"))
    if not has_metric and not has_place and compare and not _RELATIVE_YEAR.search(question):
        # 「哪个更多？」 after asking about two places in turn: compare the last two.
        places = _recent_places(earlier, detector)
        if len(places) >= 2:
            return f"{places[-2]}和{places[-1]}，{metric}，{question}", ("metric", "place")
    if has_place and not has_metric and "比" in question and _REFERS_BACK.search(question):
        # 「这个比昌平多吗？」: the earlier figure (its place, year and metric) against the place named now.
        earlier_figure = f"{_places_of(prev)}{_years_of(prev)}{_noun(metric)}"
        return _REFERS_BACK.sub(earlier_figure, question, count=1), ("metric", "place")
    place = _places_of(cur) or _places_of(prev)
    carried = tuple(x for x, took in (("place", not has_place), ("metric", not has_metric)) if took)
    if _RELATIVE_YEAR.search(question) and not vocab.COMPARATIVE.search(question):
        # 「那上一年呢？」: the year before the one asked (or covered) last.
        base = _year_before(prev, cur, detector)
        rest = _RELATIVE_YEAR.sub("", _REFERS_BACK.sub("", cur.content)).strip("呢？? 是的那")
        what = metric if not has_metric else rest
        if base:
            return f"{place}{base}年{what}", carried + ("year",)
    if not has_metric:
        # 「那恩阳区呢？」/「2020年呢？」/「这个数字比上一年多吗？」: the earlier metric, for the new place or year.
        year = _years_of(cur) or ("" if has_place else _years_of(prev))
        tail = _REFERS_BACK.sub("", cur.content).strip("那呢？? ")
        tail = "" if not tail or re.fullmatch(r"[呢？?。！!\s]*", tail) else tail
        carried += ("year",) if year and not _years_of(cur) else ()
        return f"{place}{year}{metric}{tail}{'？' if not tail else ''}", carried
    # 「受理依申请公开多少件？」「政策解读呢？」: the new metric, for the earlier place and year; a bare
    # 「红名单呢？」 asks what the earlier turn asked (多少家).
    year = _years_of(cur) or _years_of(prev)
    carried += ("year",) if year and not _years_of(cur) else ()
    content = cur.content.strip()
    if not _ASKS.search(content):
        ask = re.search(r"(?:多少|几)", prev.content)
        content = content.rstrip("呢？?。 ")
        # A rate asks 「是多少」; a count asks 「多少」 without the earlier count's measure word: another thing
        # is counted in its own (主动公开信息多少条 → 依申请公开呢 → 419件, not a figure in 条).
        content += "是多少" if re.search(r"率|比例|比重|占比", content[-3:]) else (ask.group() if ask else "")
        content += "？"
        carried += ("question",)
    return (f"{place}{year}{content}", carried) if place else (question, ())


def _year_before(prev: QueryScope, cur: QueryScope, detector: ScopeDetector) -> int | None:
    years = list(cur.years or prev.years)
    if not years:
        docs = [d for _, ds in (cur.mentions or prev.mentions) for d in ds] or list(prev.doc_ids or ())
        years = [e.year for e in detector.catalog if e.doc_id in docs]
    return max(years) - 1 if years else None


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


def _noun(metric: str) -> str:
    """「区政府常务会会前学法几次？」 → 区政府常务会会前学法: the figure's name, without the asking words."""
    return re.split(r"(?:共|一共|有|是|了)?(?:多少|几)", metric)[0].rstrip("，, 的")


def _unasked(metric: str) -> str:
    """「主动公开信息多少条？」 without its closing punctuation, to be asked again."""
    return metric.rstrip("？?。！! ")


def _places_of(scope: QueryScope) -> str:
    names = [n for n, _ in scope.mentions] or list(scope.unknown_regions)
    return "和".join(names)


def _years_of(scope: QueryScope) -> str:
    return "".join(f"{y}年" for y in scope.years)
