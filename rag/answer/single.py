"""Answers from one scope of passages: a value, several values (分别), a list or description, refusals."""
from __future__ import annotations

from ..question import ParsedQuestion
from ..sections import item_spans
from ..statements.change import change_phrase, direction_of
from ..statements.phrases import tagged_words
from ..statements.score import CHANGE_TERMS
from ..statements.status import asked_stage_word, is_plan_figure
from ..text.script import to_simplified
from ..text.sentences import sentence_spans
from ..types import Answer, Citation, Passage
from . import extractive
from .context import AnswerContext, passage_citation
from .rates import stated_rate
from .wording import evidence_line, fmt_number, say

def value_pick(pq: ParsedQuestion, passages: list[Passage], ctx: AnswerContext, metric=None, exclude=frozenset(),
               stages: bool = True):
    """The asked number among the passages: the year asked, so a 上年 figure only when the question asks for
    the year before (and otherwise only when the report gives no figure of its own year)."""
    asked = pq.asked_thing if metric is None else ""  # a part's own metric (a sum's addend) names its own thing
    metric = metric or pq.metric
    plan_ok = (lambda p: True) if pq.asks_plan else (lambda p: not is_plan_figure(p.statement))

    def stated(p) -> bool:
        return plan_ok(p) and not another_kind(asked, p.statement)
    if pq.period == "previous":
        return extractive.best(metric, passages, exclude=exclude, idf=ctx.idf,
                               accept=lambda p: _previous(p) and stated(p), near=pq.near, stages=stages)
    pick = extractive.best(metric, passages, exclude=exclude, idf=ctx.idf,
                           accept=lambda p: not _previous(p) and stated(p), near=pq.near, stages=stages)
    return pick or extractive.best(metric, passages, exclude=exclude, idf=ctx.idf, accept=stated, near=pq.near,
                                   stages=stages)


def another_kind(asked: str, st) -> bool:
    """「行政处罚案件多少件」 offered 「办理法律援助案件4986件」: the figure counts the asked head noun (案件) of
    another named kind (法律援助, not 行政处罚), and the asked kind stands nowhere in its sentence: it counts
    another thing. A kind said by a verb (新收, 共办理) or not said at all names none."""
    asked, thing = to_simplified(asked), to_simplified(st.measures)
    n = 0
    while n < min(len(asked), len(thing)) and asked[-1 - n] == thing[-1 - n]:
        n += 1
    if n < 2:
        return False
    mine, theirs = _kind_words(asked[:-n]), _kind_words(thing[:-n])
    if len(mine) < 2 or len(theirs) < 2 or extractive.shares_a_pair(mine, theirs):
        return False
    return mine not in to_simplified(st.context or st.text)


_NOT_KIND_TAGS = ("v", "d", "p", "c", "u", "m", "q", "f", "t")


def _kind_words(modifier: str) -> str:
    """The words naming a kind before a head noun: after its last 的, without the verbs, adverbs and
    numbers that open it (「查处的网络交易」 → 网络交易, 「立案查处各类」 → 各类, 「共办理」 → "")."""
    words = tagged_words(modifier.rsplit("的", 1)[-1])
    i = 0
    while i < len(words) and words[i][1].startswith(_NOT_KIND_TAGS):
        i += 1
    return "".join(w for w, _ in words[i:])


def _previous(pick) -> bool:
    return pick.statement.period == "previous"


def value_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    passages = ctx.search(pq)
    pick = value_pick(pq, passages, ctx)
    if pick is None:
        asked = asked_stage_word(pq.metric)
        other = value_pick(pq, passages, ctx, stages=False) if asked else None
        if other is not None:
            # 「新收了多少件」 when the report states only 「审结…834件」: say what it does state, and do not answer
            text = say("other_stage", pq.language, asked=asked, value=extractive.state_value(other))
            return Answer(pq.text, f"{text}\n{evidence_line(1, extractive.quote(other), pq.language)}", False,
                          [other.citation()], "extractive")
        return refuse_metric(pq, passages)
    if pq.plan_only and not is_plan_figure(pick.statement):
        # 「2025年计划办理多少件」 is not answered by 「办理法律援助案件252件」, which was done
        text = say("done_not_plan", pq.language, value=extractive.state_value(pick))
        return Answer(pq.text, f"{text}\n{evidence_line(1, extractive.quote(pick), pq.language)}", False,
                      [pick.citation()], "extractive")
    if pq.within and not _names(pq.within, f"{pick.statement.own}{pick.statement.measures}"):
        # 「纠错的案件里，拆迁拆违领域有几件」: 「直接纠错33件」 counts them all, not the part asked for.
        return refuse_metric(pq, [pick.passage] + [p for p in passages if p is not pick.passage])
    lead = extractive.state_value(pick)
    if pq.premise:
        # The direction may be stated beside the figure or in another sentence about the same metric.
        moved = next((p for p in extractive.candidates(pq.metric, passages, ctx.idf)[:10]
                      if p.support >= extractive.MIN_SUPPORT and change_phrase(extractive.quote(p))), None)
        pick = moved or pick
        lead = premise_lead(pq, extractive.quote(pick), extractive.state_value(pick))
    elif pq.period == "previous":
        lead += f"（{pq.scope.years[0]}年的数字，见{_year_of(ctx, pick)}年报告中的上年数据）" if pq.scope.years else ""
    return Answer(pq.text, f"{lead}。\n{evidence_line(1, extractive.quote(pick), pq.language)}", True,
                  [pick.citation()], "extractive")


def _year_of(ctx: AnswerContext, pick) -> int | str:
    e = ctx.entry(pick.passage.chunk.doc_id)
    return e.year if e else ""


def premise_lead(pq: ParsedQuestion, sentence: str, value: str) -> str:
    """「为什么…下降了」 when the report says it rose: say what the report does say."""
    phrase = change_phrase(sentence)
    said = direction_of(phrase)
    asked = "增长" if pq.premise == "up" else "下降"
    if said and said != pq.premise:
        return f"报告并未说{asked}：报告写明{phrase}（{value}）" if pq.language != "en" else \
            f"The premise is not what the report says: it states {phrase} ({value})"
    if said is None:
        return f"报告没有说明{asked}及其原因，只写明{value}" if pq.language != "en" else \
            f"The report does not say it changed that way; it states {value}"
    return f"报告写明{phrase}（{value}），但没有说明原因" if pq.language != "en" else \
        f"The report states {phrase} ({value}) but gives no reason"


def multi_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    passages = ctx.search(pq)
    picks, used = [], set()
    for part in pq.parts:
        pick = value_pick(pq, passages, ctx, part.metric, used)
        if pick is not None:
            picks.append((part.label, pick))
            used.add(pick.quantity.start)
    if not picks:
        return refuse_metric(pq, passages)
    citations, lines, values = cite_all([p for _, p in picks], pq.language)
    text = "；".join(f"{label}{v}" for (label, _), v in zip(picks, values)) + "。\n" + "\n".join(lines)
    return Answer(pq.text, text, True, citations, "extractive")


def cite_all(picks: list, lang: str = "zh") -> tuple[list[Citation], list[str], list[str]]:
    """One citation per distinct sentence; values carry the marker of theirs."""
    citations: list[Citation] = []
    lines, values = [], []
    for pick in picks:
        cite = pick.citation()
        idx = next((i for i, c in enumerate(citations) if (c.doc_id, c.start) == (cite.doc_id, cite.start)), None)
        if idx is None:
            citations.append(cite)
            idx = len(citations) - 1
            lines.append(evidence_line(idx + 1, extractive.quote(pick), lang))
        values.append(f"{extractive.state_value(pick)}[{idx + 1}]")
    return citations, lines, values


def list_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    """A question that wants a passage (哪些举措 / 什么荣誉 / 存在哪些不足): the report's own items, cited.

    A question about a whole part of the reports (安排 / 不足 / 第一责任人) gets those passages whole.
    """
    passages = ctx.search(pq)
    whole = ctx.part(pq) if pq.kind and len(pq.scope.doc_ids or ()) <= 3 and pq.scope.doc_ids else \
        [p for p in passages if pq.kind and p.chunk.kind == pq.kind][:4]
    if whole:
        found = [(1.0, passage_citation(p)) for p in whole]
    else:
        found = [(cov, c) for cov, c in extractive.relevant_sentences(pq.metric, passages, ctx.idf)
                 if cov >= extractive.MIN_SUPPORT]
    if not found:
        return refuse_metric(pq, passages)
    citations = sorted((c for _, c in found), key=lambda c: (c.doc_id, c.start))  # reading order
    lines = [f"{i}. 「{c.text}」[{i}]" for i, c in enumerate(citations, 1)]
    return Answer(pq.text, say("related", pq.language) + "\n" + "\n".join(lines), True, citations, "extractive")


def refuse_scope(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    catalog, scope = ctx.catalog, pq.scope
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
        nearest = _nearest_reports(catalog, scope)
        if nearest:  # name the place's own report nearest the year asked, not just the whole list
            text = (f"报告中未找到{who}{years}的数据：本库中{who}最接近的报告是"
                    + "、".join(f"{e.year}年的《{e.title}》" for e in nearest) + "。")
    else:
        text = "报告中未找到相关内容：所选报告范围内没有与问题对应的报告。"
    if pq.language == "en":
        text = f"Not found in the reports. {text}"
    return Answer(pq.text, text, False, [], "extractive")


def _nearest_reports(catalog, scope) -> list:
    """Per place asked about, its report whose year is nearest the years asked (the later one on a tie)."""
    out = []
    for region in scope.regions:
        own = [e for e in catalog if e.short_region == region]
        if own:
            out.append(min(own, key=lambda e: (min(abs(e.year - y) for y in scope.missing_years), -e.year)))
    return out


def refuse_metric(pq: ParsedQuestion, passages: list[Passage]) -> Answer:
    where = "、".join(pq.scope.regions) if pq.scope.regions else ""
    if pq.language == "en":
        text = (f"The reports do not state this{f' for {where}' if where else ''} (searched for 「{pq.asked_thing}」). "
                f"{say('nearest', pq.language)}")
    else:
        text = f"{say('not_found', pq.language)}{where}「{pq.asked_thing}」的相关内容。{say('nearest', pq.language)}"
    return Answer(pq.text, text, False, [passage_citation(p) for p in passages[:2]], "extractive")


def change_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    """「比去年少了几件」「增长了多少」: the change the report states, else computed from its 上年 figure, else
    computed back from the figure and the rate its sentence states (marked as computed, formula shown), else
    what it does state."""
    passages = ctx.search(pq)
    picks = [p for p in extractive.candidates(pq.metric, passages, ctx.idf)[:10] if p.support >= extractive.MIN_SUPPORT]
    # 「比上年增加了多少件」 wants a count; 「同比增长了多少」 (no measure word) takes what the report states.
    wants = None if not pq.units else ("%" in pq.units)
    # a stated change answers only if it is the asked thing's: 「申请1723件,同比增长48.2%,化解率达46.9%」 asked
    # 「化解率提高了多少」 holds no change of 化解率
    foreign = [p for p in picks if p.statement.frame == "delta" and not _changes_asked(p, pq)]
    others = {(p.statement.doc_id, p.statement.start) for p in foreign}
    picks = [p for p in picks if all(p is not f for f in foreign)]
    for pick in picks:
        if pick.statement.frame == "delta" and wants in (None, pick.quantity.is_percent):
            return Answer(pq.text, f"{extractive.state_value(pick)}。\n{evidence_line(1, extractive.quote(pick), pq.language)}",
                          True, [pick.citation()], "extractive")
    now = extractive.best(pq.metric, passages, idf=ctx.idf, accept=lambda p: not _previous(p))
    before = extractive.best(pq.metric, passages, idf=ctx.idf, accept=_previous)
    if now and before and now.quantity.unit == before.quantity.unit and now.quantity.is_percent == before.quantity.is_percent:
        gap = now.quantity.value - before.quantity.value
        unit = say("points", pq.language) if now.quantity.is_percent else now.quantity.unit
        citations, lines, values = cite_all([now, before], pq.language)
        text = say("change_between", pq.language, word=say("went_up" if gap > 0 else "went_down", pq.language),
                   gap=f"{abs(gap):g}", unit=unit, a=values[0], b=values[1])
        text += "\n" + "\n".join(lines)
        return Answer(pq.text, text, True, citations, "extractive")
    if now and wants is False:
        # 「比上年增加了多少件」 when the report states only the rate (「628件，同比上升63.5%」): computed back,
        # 628 − 628 ÷ 1.635, and said to be computed.
        found = stated_rate(now, passages, ctx.idf)
        if found is not None:
            citations, lines, values = cite_all([now, found.rate], pq.language)
            gap = abs(now.quantity.value - found.base)
            text = say("change_down" if found.down else "change_up", pq.language, gap=fmt_number(round(gap)),
                       unit=now.statement.unit, a=values[0], b=values[1], x=fmt_number(now.quantity.value),
                       y=fmt_number(found.factor), exact=fmt_number(round(gap, 1)))
            return Answer(pq.text, text + "\n" + "\n".join(lines), True, citations, "extractive")
    for pick in picks:
        if (pick.statement.doc_id, pick.statement.start) in others:
            continue  # its sentence's change is another thing's
        phrase = change_phrase(extractive.quote(pick))
        if phrase:
            # the stated change of the asked thing answers, with why no difference in its unit is given
            text = say("change_only", pq.language, phrase=phrase)
            return Answer(pq.text, f"{text}\n{evidence_line(1, extractive.quote(pick), pq.language)}", True,
                          [pick.citation()], "extractive")
    if now and (wants and now.quantity.is_percent or pq.against_before):
        # 「化解率提高了多少」 is never answered by the rate itself (「化解率达46.9%」), nor 「比上年多了多少件」 by
        # the year's own count; 「新增了多少家」 asked alone is (below)
        text = say("level_only", pq.language, value=extractive.state_value(now))
        return Answer(pq.text, f"{text}\n{evidence_line(1, extractive.quote(now), pq.language)}", False,
                      [now.citation()], "extractive")
    return value_answer(pq, ctx) if now else refuse_metric(pq, passages)


def _changes_asked(pick, pq: ParsedQuestion) -> bool:
    """A stated change whose measured thing, where known, shares a word of the asked metric (not its change word)."""
    thing = to_simplified(pick.statement.measures)
    words = [t for t in pq.metric.terms if len(t) >= 2 and t not in CHANGE_TERMS]
    return not thing or not words or any(extractive.shares_a_pair(t, thing) for t in words)


def _names(label: str, clause: str) -> bool:
    """Whether a clause names an item: its most specific word (the longest) is there."""
    from ..text.tokens import tokenize

    words = sorted((t for t in tokenize(label) if len(t) > 1), key=len, reverse=True)
    return bool(words) and words[0] in to_simplified(clause)


def items_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    """A total or difference of several items of one report: each item's figure cited, the sum computed."""
    passages = ctx.search(pq, k=ctx.top_k + 3)
    whole = value_pick(pq, passages, ctx) if pq.aggregate == "sum" else None
    if whole is not None and all(_names(part.label, whole.lead) for part in pq.parts):
        # 「司法建议和检察建议合计几件」: the report states the total itself (「司法建议、检察建议45件」).
        return Answer(pq.text, f"{extractive.state_value(whole)}。\n{evidence_line(1, extractive.quote(whole), pq.language)}",
                      True, [whole.citation()], "extractive")
    picks, used = [], set()
    for part in pq.parts:
        pick = value_pick(pq, passages, ctx, part.metric, used)
        if pick is None:
            return refuse_metric(pq, passages)
        picks.append((part.label, pick))
        used.add(pick.quantity.start)
    qs = [p.quantity for _, p in picks]
    citations, lines, values = cite_all([p for _, p in picks], pq.language)
    stated = [f"{label}{v}" for (label, _), v in zip(picks, values)]
    if len({q.is_percent for q in qs}) > 1 or not all(q.unit == qs[0].unit or not q.unit or not qs[0].unit for q in qs):
        return Answer(pq.text, f"各项口径不同，不能直接计算：{'，'.join(stated)}。\n" + "\n".join(lines), True,
                      citations, "extractive")
    unit = "个百分点" if qs[0].is_percent and pq.aggregate == "difference" else qs[0].unit
    if pq.aggregate == "difference":
        gap = qs[0].value - qs[1].value
        lead = f"{'多' if gap >= 0 else '少'}{fmt_number(abs(gap))}{unit}：{stated[0]}，{stated[1]}"
    else:
        lead = f"{say('total', pq.language)}{fmt_number(sum(q.value for q in qs))}{unit}：{' + '.join(stated)}"
    return Answer(pq.text, lead + "。\n" + "\n".join(lines), True, citations, "extractive")


def count_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    """「列出了几项不足」: the items of the asked part of each report (一是… 二是… / (一)… / 1.…), counted here
    and listed, cited."""
    whole = ctx.part(pq, limit=200 if pq.kind == "成效" else 8)
    if not whole:
        return refuse_metric(pq, ctx.search(pq))
    if pq.kind == "成效":
        return _parts_answer(pq, ctx, whole)
    by_doc: dict[str, list] = {}
    for p in whole:
        by_doc.setdefault(p.chunk.doc_id, []).append(p)
    lines, citations, counts = [], [], []
    for doc, parts in by_doc.items():
        items = []
        for p in parts:
            text = p.chunk.text
            spans = item_spans(text)
            if not spans:
                items.append((p, 0, len(text)))
                continue
            items += [(p, s, e) for s, e in spans]
        e = ctx.entry(doc)
        place = e.short_region if e else doc
        counts.append(f"{place}{len(items)}项")
        for p, s, e_ in items:
            quote = p.chunk.text[s:e_].strip().rstrip("。；;") + "。"
            quote = quote.strip()
            off = p.chunk.text.find(quote.rstrip("。"))
            start = p.chunk.start + max(off, s)
            citations.append(Citation(doc, p.title, p.chunk.section_path, quote.rstrip("。") if off >= 0 else quote,
                                      start, start + len(quote.rstrip("。")), 1.0, p.chunk.text))
            lines.append(f"{len(citations)}. 「{citations[-1].text}」[{len(citations)}]")
    lead = "；".join(counts) if len(counts) > 1 else f"共{len(citations)}{_count_word(pq)}"
    return Answer(pq.text, f"{lead}：\n" + "\n".join(lines), True, citations, "extractive")


def _count_word(pq: ParsedQuestion) -> str:
    """The measure word the question counts in (几条 → 条), else 项."""
    return pq.units[0] if pq.units and pq.units[0] != "%" else "项"


def _parts_answer(pq: ParsedQuestion, ctx: AnswerContext, whole: list[Passage]) -> Answer:
    """「主要措施分了几个方面」: the sub-headings right under each report's achievements heading, counted and
    listed, each cited by the first sentence written under it."""
    lines, citations, counts = [], [], []
    noun = pq.count_noun or "方面"
    by_doc: dict[str, dict[str, Passage]] = {}
    for p in whole:
        path = p.chunk.section
        if len(path) >= 2:
            by_doc.setdefault(p.chunk.doc_id, {}).setdefault(path[1], p)
    if not by_doc:
        return refuse_metric(pq, ctx.search(pq))
    for doc, heads in by_doc.items():
        e = ctx.entry(doc)
        counts.append(say("place_parts", pq.language, place=e.short_region if e else doc, n=len(heads), noun=noun))
        for head, p in heads.items():
            cite = _first_sentence(p)
            citations.append(cite)
            lines.append(f"{len(citations)}. {head}：「{cite.text}」[{len(citations)}]")
    lead = "；".join(counts) if len(counts) > 1 else say("parts_of", pq.language, n=len(citations), noun=noun)
    return Answer(pq.text, f"{lead}：\n" + "\n".join(lines), True, citations, "extractive")


def _first_sentence(p: Passage) -> Citation:
    c = p.chunk
    a, b = next(iter(sentence_spans(c.text, 0, len(c.text))), (0, len(c.text)))
    raw = c.text[a:b]
    a += len(raw) - len(raw.lstrip())
    quote = raw.strip()
    return Citation(c.doc_id, p.title, c.section_path, quote, c.start + a, c.start + a + len(quote), 1.0, c.text)
