"""Question → Answer: clean, resolve follow-ups, scope, retrieve per part, answer, cite.

Comparisons and 「分别」 questions are split into parts; each part is answered
from its own passages with its own citation, and comparisons are computed here.
"""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import Iterator

from ..corpus import to_simplified
from ..filters import QueryScope
from ..retrieve import kind_hint
from ..types import Answer, Citation, Passage
from . import extractive
from .followup import resolve
from .intent import Intent, analyse, asks_for_number, asks_several, per_part_question, split_parts
from .question import clean_question_with_notice

log = logging.getLogger(__name__)


@dataclass
class Part:
    label: str  # what the number is of: a place (comparisons) or an item (「分别」)
    pick: extractive.Pick | None


class _Clock:
    def __init__(self):
        self.timings: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + (now - self._t) * 1000
        self._t = now


def answer_question(assistant, question: str, history: list, *, doc_ids=None, mode=None) -> Answer:
    final = None
    for final in stream_answer(assistant, question, history, doc_ids=doc_ids, mode=mode):
        pass
    return final


def stream_answer(assistant, question: str, history: list, *, doc_ids=None, mode=None) -> Iterator[Answer]:
    clock = _Clock()
    question, notice = clean_question_with_notice(question)
    retriever = assistant.retriever
    asked = resolve(question, history, retriever.detector)
    scope = retriever.scope(asked, doc_ids)
    top_k = assistant.settings.top_k
    clock.lap("prepare")
    use_llm = (mode == "llm") or (mode is None and assistant.settings.llm_configured)
    notices = [notice, _scope_notice(scope), f"理解为：{asked}" if asked != question else None]

    def extractive_answer() -> Answer:
        return _extractive(retriever, question, asked, scope, clock, top_k)

    def finish(ans: Answer) -> Answer:
        ans.question = question
        ans.notice = _join(*notices, ans.notice)
        clock.lap("answer")
        ans.timings = {**clock.timings, **ans.timings}
        return ans

    if scope.empty:
        yield finish(_refuse_scope(question, scope, assistant))
        return
    if use_llm:
        from .llm_answer import stream_with_llm

        passages = _passages_for(retriever, asked, scope, top_k)
        clock.lap("retrieve")
        final = None
        for final in stream_with_llm(assistant.llm, asked, passages, history, fallback=extractive_answer):
            final.question = question
            yield final
        if final is not None:
            yield finish(final)
        return
    ans = extractive_answer()
    if ans.text and ans.answered:
        # Extractive answers are ready at once; stream the lead first so UIs show it immediately.
        lead = ans.text.split("\n", 1)[0]
        yield Answer(question, lead, ans.answered, [], ans.mode, None, None, dict(clock.timings))
    yield finish(ans)


def _scope_notice(scope: QueryScope) -> str | None:
    """Places or years the question names that the corpus lacks, when other parts can still be answered."""
    if scope.empty:
        return None
    if scope.unknown_regions:
        return f"报告中未找到{'、'.join(scope.unknown_regions)}的报告，以下只就其余地区作答"
    if scope.missing_years:
        return f"报告中未找到{'、'.join(f'{y}年' for y in scope.missing_years)}的对应报告，以下只就其余部分作答"
    return None


def _join(*notes: str | None) -> str | None:
    parts = [n for n in notes if n]
    return "；".join(parts) if parts else None


def _search_place(retriever, question: str, scope: QueryScope, docs, k: int) -> list[Passage]:
    """Passages of one place the question names, ranked by the question's content words."""
    return retriever.search(question, k, scope=QueryScope(docs, content=scope.content)).passages


def _passages_for(retriever, question: str, scope: QueryScope, top_k: int) -> list[Passage]:
    if len(scope.mentions) >= 2:  # one share of the passages per place named
        return [p for _, docs in scope.mentions
                for p in _search_place(retriever, question, scope, docs, 3)]
    return retriever.search(question, top_k, scope=scope).passages


def _extractive(retriever, question: str, asked: str, scope: QueryScope, clock: _Clock, top_k: int) -> Answer:
    intent = analyse(scope.content or asked)
    idf = retriever.idf
    if len(scope.mentions) >= 2 or (intent.compare and scope.unknown_regions):
        single = per_part_question(scope.content or asked)
        single_intent = analyse(single)
        parts = []
        for name, docs in scope.mentions:
            passages = _search_place(retriever, asked, scope, docs, top_k)
            parts.append(Part(name, extractive.best(single, single_intent, passages, idf=idf)))
        parts += [Part(name, None) for name in scope.unknown_regions]
        clock.lap("retrieve")
        return _compose_by_place(question, intent, parts)
    passages = retriever.search(asked, top_k, scope=scope).passages
    clock.lap("retrieve")
    if not asks_for_number(asked):
        return _describe(question, asked, scope, intent, passages, idf)
    if intent.multi or asks_several(scope.content or asked):
        sub_questions = split_parts(scope.content or asked)
        if len(sub_questions) >= 2:
            return _compose_multi(question, passages, sub_questions, idf)
    pick = extractive.best(asked, intent, passages, idf=idf)
    if pick is None:
        return _refuse_metric(question, scope, passages)
    cite = pick.citation()
    text = f"{extractive.state_value(pick)}。\n依据[1]：「{extractive.quote(pick)}」"
    return Answer(question, text, True, [cite], "extractive")


def _compose_multi(question: str, passages: list[Passage], sub_questions: list[str], idf) -> Answer:
    parts: list[Part] = []
    used: set[int] = set()
    for sq in sub_questions:
        pick = extractive.best(sq, analyse(sq), passages, exclude=used, idf=idf)
        if pick is not None:
            parts.append(Part(_item_label(sq), pick))
            used.add(pick.quantity.start)
    if not parts:
        return _refuse_metric(question, None, passages)
    citations, lines, values = _cite_all([p.pick for p in parts])
    text = "；".join(f"{p.label}{v}" for p, v in zip(parts, values)) + "。\n" + "\n".join(lines)
    return Answer(question, text, True, citations, "extractive")


def _item_label(sub_question: str) -> str:
    """「审结多少件？」 → 「审结」: what the part's number is of, said before it."""
    label = re.split(r"多少|几", sub_question)[0]
    label = label.strip("，,。？?！! ").removesuffix("了").removesuffix("是").removesuffix("有").removesuffix("共")
    return f"{label}：" if label else ""


def _cite_all(picks: list[extractive.Pick]) -> tuple[list[Citation], list[str], list[str]]:
    """One citation per distinct sentence; values carry the marker of theirs."""
    citations: list[Citation] = []
    lines, values = [], []
    for pick in picks:
        cite = pick.citation()
        idx = next((i for i, c in enumerate(citations) if (c.doc_id, c.start) == (cite.doc_id, cite.start)), None)
        if idx is None:
            citations.append(cite)
            idx = len(citations) - 1
            lines.append(f"依据[{idx + 1}]：「{extractive.quote(pick)}」")
        values.append(f"{extractive.state_value(pick)}[{idx + 1}]")
    return citations, lines, values


def _compose_by_place(question: str, intent: Intent, parts: list[Part]) -> Answer:
    found = [p for p in parts if p.pick is not None]
    missing = [p.label for p in parts if p.pick is None]
    if not found:
        return Answer(question, f"报告中未找到{'、'.join(missing)}与此问题对应的数字。", False, [], "extractive")
    citations, lines, values = _cite_all([p.pick for p in found])
    stated = "，".join(f"{p.label}{v}" for p, v in zip(found, values))
    lead, answered = stated, True
    if intent.compare and missing:
        lead, answered = f"无法比较：报告中未找到{'、'.join(missing)}的对应数字。已找到：{stated}", False
    elif intent.compare and len(found) >= 2:
        lead = _comparison_lead(question, intent, found, stated)
    text = lead + "。\n" + "\n".join(lines)
    if missing and not intent.compare:
        text += f"\n报告中未找到{'、'.join(missing)}的对应数字。"
    return Answer(question, text, answered, citations, "extractive")


def _comparison_lead(question: str, intent: Intent, found: list[Part], stated: str) -> str:
    """The comparison, computed here; numbers of different kinds (a % and a count) are not ranked."""
    qs = [p.pick.quantity for p in found]
    if len({q.is_percent for q in qs}) > 1:
        return f"两者口径不同（比例与数量），无法直接比较：{stated}"
    ordered = sorted(found, key=lambda p: p.pick.quantity.value, reverse=not intent.prefer_less)
    a, b = ordered[0], ordered[1]
    qa, qb = a.pick.quantity, b.pick.quantity
    if qa.value == qb.value:
        return f"两者相同：{stated}"
    q = to_simplified(question)
    word = ("更低" if intent.prefer_less else "更高") if re.search(r"高|低", q) else \
        ("更少" if intent.prefer_less else "更多")
    lead = f"{a.label}{word}：{stated}"
    if intent.difference and qa.unit == qb.unit:
        gap = abs(qa.value - qb.value)
        unit = "个百分点" if qa.is_percent else qa.unit
        lead += f"，相差{gap:g}{unit}"
    if qa.unit != qb.unit:
        lead += "（两份报告的统计口径或单位不同，比较仅供参考）"
    return lead


def _describe(question: str, asked: str, scope: QueryScope, intent: Intent, passages: list[Passage],
              idf) -> Answer:
    """A question that wants a passage (哪些举措 / 什么荣誉): quote the best sentences, each cited.

    A question about a whole part of the reports (安排 / 不足 / 第一责任人) gets those passages whole.
    """
    kind = kind_hint(asked)
    whole = [p for p in passages if kind and p.chunk.kind == kind][:4]
    if whole:
        found = [(1.0, Citation(p.chunk.doc_id, p.title, p.chunk.section_path, p.chunk.text, p.chunk.start,
                                p.chunk.end, p.score, p.chunk.text)) for p in whole]
    else:
        found = [(cov, c) for cov, c in extractive.relevant_sentences(intent, passages, idf)
                 if cov >= extractive.MIN_SUPPORT]
    if not found:
        return _refuse_metric(question, scope, passages)
    citations = sorted((c for _, c in found), key=lambda c: (c.doc_id, c.start))  # reading order
    lines = [f"{i}. 「{c.text}」[{i}]" for i, c in enumerate(citations, 1)]
    return Answer(question, "报告中的相关内容：\n" + "\n".join(lines), True, citations, "extractive")


def _refuse_scope(question: str, scope: QueryScope, assistant) -> Answer:
    catalog = assistant.catalog
    held = "、".join(f"{e.short_region}（{e.year}年）" for e in catalog)
    if scope.unknown_regions:
        place = "、".join(scope.unknown_regions)
        inside = [e for e in catalog if any(to_simplified(u).rstrip("市区县镇") in to_simplified(e.region)
                                            for u in scope.unknown_regions)]
        hint = (f"（本库中与之相关的只有{'、'.join(e.short_region for e in inside)}的报告，"
                f"其数字不能代表{place}整体。）") if inside else ""
        text = f"报告中未找到{place}的相关内容：本库只收录{held}的报告。{hint}"
    elif scope.missing_years:
        years = "、".join(f"{y}年" for y in scope.missing_years)
        who = "、".join(scope.regions) if scope.regions else "所选报告"
        text = f"报告中未找到{who}{years}的数据：本库收录的是{held}的报告。"
    else:
        text = "报告中未找到相关内容：所选报告范围内没有与问题对应的报告。"
    return Answer(question, text, False, [], "extractive")


def _refuse_metric(question: str, scope: QueryScope | None, passages: list[Passage]) -> Answer:
    what = (scope.content if scope and scope.content else question).strip("？?。 ")
    metric = re.split(r"(?:共|一共|有|是)?(?:多少|几)", what)[0].strip("，,的 ")  # 「办理法律援助案件多少件」→ 办理法律援助案件
    what = metric if len(metric) >= 2 else what
    where = "、".join(scope.regions) if scope and scope.regions else ""
    text = f"报告中未找到{where}「{what}」的相关内容。以下是最接近的段落，供参考。"
    citations = [Citation(p.chunk.doc_id, p.title, p.chunk.section_path, p.chunk.text, p.chunk.start,
                          p.chunk.end, p.score, p.chunk.text) for p in passages[:2]]
    return Answer(question, text, False, citations, "extractive")
