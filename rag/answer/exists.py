"""Whether a thing was done, and whether the reports mention it: read from the statements' status,
polarity and scope, never from the mere presence of a related sentence.

「探索建设」 is not 「建成」, 「创建迎检」 is not 「获评」, 「0件」 and 「无一宗」 are none, 「在市场监管领域」 is not
「全区各个领域」: each is said, with the words of the report that decide it.
"""
from __future__ import annotations

from ..question import ParsedQuestion
from ..statements import rules
from ..statements.extract import chunk_statements
from ..statements.score import MIN_SUPPORT, _coverage, question_weights, score_statement
from ..text.script import to_simplified
from ..types import Answer, Citation, Passage, Statement
from .context import AnswerContext
from .wording import evidence_line

_NOT_DONE = {"exploring": "探索", "preparing": "筹备/创建", "planned": "计划", "target": "目标"}
_WHOLE_SCOPES = (*rules.WHOLE_AREAS, "辖区内")  # the statements' own list of whole places (全旗 too)


def _statements(passages: list[Passage], pq: ParsedQuestion):
    """Every statement of the passages (figures and acts), with its passage and rank."""
    for rank, p in enumerate(passages):
        c = p.chunk
        for st in chunk_statements(c, c.doc_id, "", p.year, p.title):
            yield rank, p, st


def best_statement(pq: ParsedQuestion, passages: list[Passage], ctx: AnswerContext):
    """The statement that best says the asked thing (act or figure), or None when none does."""
    weights, plain = question_weights(pq.metric, ctx.idf)
    if not weights:
        return None
    top = max((p.score for p in passages), default=1.0) or 1.0
    found = []
    for rank, p, st in _statements(passages, pq):
        score, support = score_statement(st, pq.metric, weights, plain, p.score / top, rank)
        # The asked thing among the statement's own words: an act says only what follows its status word.
        thing = _coverage((st.measures + st.own).lower(), plain)
        support = max(support, thing) if st.value is None else support
        if st.value is None:
            score += 1.0 * thing
        if support < MIN_SUPPORT:
            continue
        found.append((score, support, p, st))
    best = max(found, key=lambda f: f[0], default=None)
    if best is not None and not _says_asked_act(best[3], pq):
        # 「推动《…条例》立法进程，其中…条例已于年内…批准施行」 asked 「…开始施行了吗」: in the best one's sentence,
        # the act whose own word is the asked one says it.
        same = [f for f in found if f[3].start == best[3].start and f[3].doc_id == best[3].doc_id
                and f[3].value is None and _says_asked_act(f[3], pq)]
        best = max(same, key=lambda f: f[0], default=best)
    if best is not None and not pq.asks_plan and best[3].kind == "下一年安排" and not verdict(pq, best[3])[0]:
        # Asked about what was done, next year's plan says no; the year's own record, when it also says no
        # (「…平台尚未实现全区覆盖」, 「…改革正在推进」), is the better proof: the verdict stays, the citation is the record.
        said = _coverage((best[3].measures + best[3].own).lower(), plain)
        def says_it(st: Statement) -> bool:
            # the asked thing, in its own words (some of them) and in them or its sentence as fully as the plan
            # (「…联网工作正在推进，目前已在2个收费站开展试点」)
            own = _coverage((st.measures + st.own).lower(), plain)
            return own > 0 and max(own, _coverage(to_simplified(st.text).lower(), plain)) >= said

        record = [f for f in found if f[3].kind != "下一年安排" and not verdict(pq, f[3])[0] and says_it(f[3])]
        best = max(record, key=lambda f: f[0], default=best)
    return best


def _says_asked_act(st: Statement, pq: ParsedQuestion) -> bool:
    return bool(st.act) and any(len(t) >= 2 and t in st.act for t in pq.metric.terms)


# Why a yes/no answer is what it is, in the question's language: (zh, en) with {said} the report's own words.
_WHY = {
    "zero": ("报告写明「{said}」", "the report states 「{said}」"),
    "none": ("报告写明没有发生", "the report states it did not happen"),
    "not_done": ("报告写的是「{said}」，并非已经完成", "the report says 「{said}」, not that it was done"),
    "plans": ("报告的下一年工作安排写明「{said}」", "next year's plan states 「{said}」"),
    "planned_here": ("报告写明计划「{said}」", "the report states the plan 「{said}」"),
    "in_plan": ("报告把它列在下一年的工作安排中（「{said}」），并非已经完成",
                "the report lists it among next year's plans (「{said}」), not as done"),
    "under_way": ("报告写的是「{said}」，未写明已经完成", "the report says 「{said}」, not that it was completed"),
    "limited": ("报告写的是「{said}」，仅限于此", "the report says 「{said}」, limited to that"),
    "part_of_total": ("报告写明共{said}，并非全部", "the report states {said}: not all of them"),
    "states_word": ("报告写明「{said}」", "the report states 「{said}」"),
    "states": ("报告写明", "the report states"),
}


def _why(key: str, lang: str, said: str = "") -> str:
    zh, en = _WHY[key]
    return (en if lang == "en" else zh).format(said=said)


def verdict(pq: ParsedQuestion, st: Statement) -> tuple[bool, str]:
    """(yes?, why) for one statement against what the question asks; the why in the question's language."""
    lang = pq.language
    if st.polarity == "zero":
        said = st.as_written or st.status_word
        return False, _why("zero", lang, said) if said else _why("none", lang)
    planned = st.status in ("planned", "target") or st.kind == "下一年安排"
    if planned and pq.asks_plan:  # 「明年计划完成…吗」: the plan is what is asked
        key = "plans" if st.kind == "下一年安排" else "planned_here"
        return True, _why(key, lang, st.status_word or st.act or _NOT_DONE.get(st.status, "计划"))
    if st.status == "planned" and st.kind == "下一年安排":
        return False, _why("in_plan", lang, st.status_word or _NOT_DONE[st.status])
    if st.status in _NOT_DONE:
        return False, _why("not_done", lang, st.status_word or _NOT_DONE[st.status])
    if st.status == "ongoing" and pq.asks_done:
        return False, _why("under_way", lang, st.status_word)
    if pq.asks_all and st.scope and not st.scope.startswith(_WHOLE_SCOPES):
        return False, _why("limited", lang, st.scope)
    if st.status_word and st.status != "done":
        return True, _why("states_word", lang, st.status_word)
    return True, _why("states", lang)


def _part_short_of_total(p: Passage, st: Statement) -> tuple[Statement, Statement] | None:
    """(part, total) when the statement's sentence states a total and a done part of it that is smaller (in the
    same unit): 「共6项，已完成4项」 says not all were done."""
    c = p.chunk
    same = [s for s in chunk_statements(c, c.doc_id, "", p.year, p.title) if s.start == st.start and s.value is not None]
    totals = [s for s in same if s.frame == "total"]
    # the part must say it was done (「已完成4项」「已有12个达到」), not be a kind of the total (「其中12个达到省级
    # 示范标准」), and the sentence must not say all were (全部 / 均已)
    done = [s for s in same if s.frame == "part" and "已" in (s.lead or "")[-6:]]
    if any(w in st.text for w in ("全部", "均已", "全面完成")):
        return None
    for part in done:
        for total in totals:
            if total.unit == part.unit and part.value < total.value:
                return part, total
    return None


def _citation(p: Passage, st: Statement) -> Citation:
    c = p.chunk
    return Citation(c.doc_id, p.title, c.section_path, st.text, st.start, st.end, p.score, c.text)


def exists_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    passages = ctx.search(pq)
    found = best_statement(pq, passages, ctx)
    yes, no = pq.yes_no if pq.language != "en" else ("Yes", "No")
    if found is None:
        what = pq.asked_thing
        text = (f"报告中未找到与「{what}」对应的记载，无法判断。" if pq.language != "en" else
                f"The reports do not say; nothing found for 「{what}」.")
        return Answer(pq.text, text, False, [], "extractive")
    _, _, p, st = found
    ok, why = verdict(pq, st)
    short = _part_short_of_total(p, st) if ok and pq.asks_all else None
    if short is not None:  # 「都完成了吗」 of 「事项共6项，已完成4项」: not all of them
        part, total = short
        done = f"已{part.act}" if part.act else ""
        ok, why = False, _why("part_of_total", pq.language, f"{total.as_written}，其中{done}{part.as_written}")
    lead = f"{yes if ok else no}。{why}：" if pq.language != "en" else f"{'Yes' if ok else 'No'}: {why}."
    return Answer(pq.text, f"{lead}\n{evidence_line(1, st.text, pq.language)}", True, [_citation(p, st)],
                  "extractive")


_QUOTE_MARKS = frozenset("“”\"‘’「」『』")


def _unquoted(text: str) -> str:
    return "".join(ch for ch in text if ch not in _QUOTE_MARKS)


def _without_quotes(text: str) -> tuple[str, list[int]]:
    """The text without quote marks, and each remaining character's position in the text."""
    at_of = [i for i, ch in enumerate(text) if ch not in _QUOTE_MARKS]
    return "".join(text[i] for i in at_of), at_of


def mentions_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    """「哪份报告提到了X」「有没有提到X」: the reports whose text has X (Simplified, exact words first, then the
    best passage per report that covers them), each named with its place and year, cited."""
    from ..text.script import to_simplified

    thing = to_simplified(pq.mention or pq.asked_thing).strip()
    index = ctx.retriever.index
    docs = pq.scope.doc_ids if pq.scope.doc_ids is not None else tuple(index.manifest.docs)
    hits: list[tuple[str, Citation]] = []
    for doc in docs:
        for c in index.chunks:
            if c.doc_id != doc:
                continue
            text = to_simplified(c.text)
            words = _unquoted(thing).split() or [thing]  # an English mention's terms: all of them, anywhere
            # Quote marks do not part a name (「警企复产联查机制」 is written 「“警企復産聯查”機制」).
            plain, at_of = _without_quotes(text)
            found = plain.find(words[0]) if thing and all(w in plain for w in words) else -1
            at = at_of[found] if found >= 0 else -1
            if at >= 0:
                s = max(text.rfind("。", 0, at), text.rfind("\n", 0, at)) + 1
                e = min([i for i in (text.find("。", at), text.find("\n", at)) if i >= 0] or [len(text)])
                quote = c.text[s:e + 1].strip()
                off = c.text.find(quote)
                hits.append((doc, Citation(doc, index.titles.get(doc, ""), c.section_path, quote, c.start + off,
                                           c.start + off + len(quote), 1.0, c.text)))
                break
    yes, no = pq.yes_no if pq.language != "en" else ("Yes", "No")
    asks_yes_no = pq.shape == "yesno"
    if not hits:
        # Not word for word: a passage covering the thing's words is shown as nearest, not as a mention.
        lead = f"{no}：" if asks_yes_no else ""
        text = (f"{lead}所选报告中没有提到「{thing}」（按原词检索了{len(docs)}份报告）。" if pq.language != "en" else
                (f"No: the report searched does not mention 「{thing}」." if len(docs) == 1 else
                 f"No: none of the {len(docs)} reports searched mentions 「{thing}」."))
        near = ctx.search(pq, k=2)
        metric = pq.metric  # the mentioned thing's words, parsed with the question
        cites = [Citation(p.chunk.doc_id, p.title, p.chunk.section_path, p.chunk.text, p.chunk.start, p.chunk.end,
                          p.score, p.chunk.text) for p in near if metric.terms and
                 _coverage(to_simplified(p.chunk.text).lower(), question_weights(metric, ctx.idf)[1]) >= 0.5]
        return Answer(pq.text, text, asks_yes_no, cites, "extractive")
    entries = {e.doc_id: e for e in ctx.catalog}
    names = [f"{entries[d].short_region}（{entries[d].year}年）" if d in entries else d for d, _ in hits]
    head = f"{yes}。" if asks_yes_no else ""
    lines = [evidence_line(i, c.text, pq.language) for i, (_, c) in enumerate(hits, 1)]
    text = (f"{head}提到「{thing}」的报告：{'、'.join(f'{n}[{i}]' for i, n in enumerate(names, 1))}。\n"
            if pq.language != "en" else
            f"{'Yes. ' if asks_yes_no else ''}Reports that mention 「{thing}」: "
            f"{', '.join(f'{n}[{i}]' for i, n in enumerate(names, 1))}.\n") + "\n".join(lines)
    return Answer(pq.text, text, True, [c for _, c in hits], "extractive")
