"""What a sentence states about each of its figures: the measured thing and its act, the things of a list it is
said of each of, and the scope (acts with no figure: `rag.statements.acts`; the noun-phrase readers it builds on:
`phrases`). Pure functions of one Simplified sentence; the word lists are `rules`. Offsets are into the sentence.
"""
from __future__ import annotations

import re

from ..text.quantity import RANK_UNIT, RANK_VERB
from . import rules
from .phrases import (_ACT_VERBS, _clause_start, _modifier_before, _quoted_as_one, _strip_tail, _tokens, _without_titles,
                      _balanced, _ends_in_adverb, noun_after, noun_before, subject_of)
from .words import NumberWords


# Between the ranked thing and its ranking verb: 「考核中」「连续3年」「再次」.
_RANK_LEAD_TAIL = re.compile(r"(?:[中里上]|连续[0-9一二三四五六七八九十]+年|再次|继续|持续|稳|均|已|仍)+$")


def _ranked_thing(lead: str) -> tuple[str, str]:
    """(what is ranked, the ranking verb): 「改善幅度居全省第二」 → (改善幅度, 居); 「在…评价中排名第一」 → (…评价, 排名)."""
    verbs = list(RANK_VERB.finditer(lead))
    if not verbs:
        return noun_before(lead)  # 「荣获全省第一名」
    before = _RANK_LEAD_TAIL.sub("", lead[:verbs[-1].start()].rstrip("，, "))
    return noun_before(before)[0], verbs[-1].group()


def measured_thing(sentence: str, nw: NumberWords, previous: str, next_start: int | None = None,
                   same_unit: str = "") -> tuple[str, str]:
    """(measured thing, act) of one figure; a bare rate or change borrows the previous figure's thing, a bare
    count the thing last counted in its unit (`same_unit`: 「针对13个问题，先后4次开展…，已整改完成12个」)."""
    q = nw.quantity
    if q.unit == RANK_UNIT and not nw.respective:
        return _ranked_thing(sentence[:q.start])
    if nw.respective:
        verb = _respective_verb(sentence, q.start)
        item = nw.own[: len(nw.own) - len(q.text)]
        item = item.removesuffix(verb) if verb else item
        return _balanced(item.strip("的 ")), verb
    if rules.DIVIDED_INTO.search(nw.lead) and q.unit in rules.FREQUENCY_UNITS and next_start is not None and \
            not re.search(r"[，,；;。]", sentence[q.end:next_start]):
        return q.unit, ""  # 「分4批发布…案例共8件」: 4 counts the batches, 8 the cases (「分4期举办培训班」: the classes)
    after = noun_after(sentence, q.end, next_start)
    before, act = noun_before(nw.lead)
    lead_clause = sentence[:q.start][_clause_start(sentence[:q.start]):]  # 「其中维持65件、撤销12件」: 撤销's too
    part_kind = _part_by_verbs(lead_clause, same_unit) if not after else ""
    if part_kind:
        return part_kind, ""
    if previous and before.startswith(previous) and len(before) > len(previous) + 1:
        before = before[len(previous):]  # 「27家市场主体安全隐患89个」: 市场主体 is 27's
    if q.unit in rules.FREQUENCY_UNITS and not after:
        # 「9次专题研究法治工作」「常务会先后8次听取…」: a count of times counts the act that follows it (when
        # nothing but adverbs stands between the figure and the noun before it).
        rest = re.split(r"[，,；;。！？!?\n]", sentence[q.end:])[0].strip()
        if 2 <= len(rest) <= 24 and (not before or _ends_in_adverb(nw.lead)):
            return rest, act
    before = _without_each(before)
    if q.unit in rules.ADMIN_UNITS and not after:
        return q.unit, act  # 「覆盖2市4县」: the unit is the thing counted
    among = re.search(r"(?:中|里|当中|之中)的$", _strip_tail(nw.lead))
    verb_after = bool(after) and _tokens(after)[0][1] == "v"  # 「…事项中的231项改为后置」: what follows is the predicate
    if among and not before and (not after or verb_after):
        whole = noun_before(_strip_tail(nw.lead)[:among.start()])[0]
        if whole:  # 「将工商登记前置审批事项中的231项改为后置」: N of the thing it is among (no noun of its own after)
            return whole, act
    if after:
        return after, act  # 「州发改委、市场监管局等10个单位」: the names before 等 are examples of what is counted
    if before:
        return before, act
    # 「七进活动全年累计开展80余次」: only a verb before the figure; the clause's opening noun is its thing;
    # 「面对面宣讲活动深入基层,全年共开展近1.1万场」: a clause with no noun of its own takes the sentence's topic.
    lead = _strip_tail(nw.lead)
    if lead.endswith("的") and (same_unit or previous) and "其中" in sentence[:q.start]:
        toks = _quoted_as_one(_tokens(lead))
        kind = "".join(_modifier_before(toks, len(toks) - 1))
        whole = same_unit or previous
        whole = whole.rsplit("的", 1)[-1] if len(whole.rsplit("的", 1)[-1]) >= 2 else whole  # not the last kind's
        if kind:  # 「共评查案卷480卷，其中评定为优秀的126卷、不合格的23卷」: the kind, of what was counted
            return kind + whole, act
    clauses = re.split(r"[，,；;。！？!?\n]", sentence[:q.start])
    rate = clauses[-1].rfind("率") if q.is_percent else -1
    if rate > 0:
        named = noun_before(clauses[-1][:rate + 1])[0]  # 「…出庭应诉率连续两年保持100%」: the rate its clause names
        if named:
            return named, act
    found = subject_of(clauses[-1])
    for clause in reversed(clauses[:-1] if not found and not previous else ()):
        found = subject_of(clause)  # 「…改造正在加快推进,已完成约九成」: the nearest clause before that names one
        if found:
            break
    return _without_each(found) or same_unit or previous, act


def _part_by_verbs(lead: str, whole: str) -> str:
    """「受理…案件120件，其中调解结案30件」: a part named by what befell it alone (verbs after 其中, no noun) is
    that kind of the whole's thing (调解结案的行政复议案件); "" otherwise."""
    at = lead.rfind("其中")
    kind = _strip_tail(lead[at + 2:]).strip("，, ").rsplit("、", 1)[-1] if at >= 0 and whole else ""
    toks = _tokens(kind) if 2 <= len(kind) <= 8 else ()
    verbish = [(f.startswith("v") and f != "vn") or w in _ACT_VERBS or any(w in v for _, v in rules.ACT_STAGES)
               for w, f in toks]
    if not toks or not all(verbish):
        return ""
    return f"{kind}的{whole.rsplit('的', 1)[-1]}"


def said_of_each(lead: str) -> bool:
    """均/各/都 just before the figure (「…均为0件」): it is said of each thing of the list before it."""
    return bool(rules.EACH_OF_LIST.search(_strip_tail(lead)) or rules.EACH_OF_LIST.search(lead.rstrip()))


def each_of(thing: str, lead: str, each: bool | None = None) -> tuple[str, ...]:
    """The things of a list a figure is said of each of (「行政复议、行政诉讼案件均为0件」 → 行政复议案件, 行政诉讼案件),
    or () when the figure is not said of each (`each`, by default `said_of_each(lead)`) or its thing is no list.
    A head the last thing carries (案件, a 的-phrase's 合格率) and the others lack is theirs too."""
    if not (said_of_each(lead) if each is None else each):
        return ()
    items, part = [], []
    for w, _ in _quoted_as_one(_tokens(thing)):
        if w in rules.LIST_LINKS:
            items.append("".join(part))
            part = []
        else:
            part.append(w)
    items.append("".join(part))
    items = [i for i in items if i]
    whose = _strip_tail(rules.EACH_OF_LIST.sub("", _strip_tail(lead))).removesuffix(thing)
    if len(items) < 2 and whose.endswith("的"):
        # 「任前考法和集中考试的合格率均为100%」: the list is of whose the thing is
        return each_of(noun_before(whose[:-1])[0] + "的" + thing, "", each=True)
    if len(items) < 2:
        return ()
    last = items[-1]
    head = last.rsplit("的", 1)[1] if "的" in last else ""
    if not head:
        toks = _tokens(last)
        if len(toks) > 1 and all(len(_tokens(i)) == 1 for i in items[:-1]):
            head = last[len(toks[0][0]):]  # 「城区和农村法律顾问覆盖率」: one word each before, the rest is shared
        elif len(toks) > 1 and (toks[-1][0].endswith("率") or toks[-1][0] in rules.CASE_HEADS
                                or toks[-1][0] in rules.GENERIC_HEADS):
            head = toks[-1][0]
    if "的" in last:
        items[-1] = last.rsplit("的", 1)[0] + head
    return tuple(i if not head or i.endswith(head) else i + head for i in items)


def _without_each(thing: str) -> str:
    """「各类法治讲座」 counts 法治讲座: 各类/各项 before a thing say only that it has kinds."""
    for w in rules.EACH_WORDS:
        if thing.startswith(w) and len(thing) - len(w) >= 2:
            return thing[len(w):]
    return thing


def _respective_verb(sentence: str, at: int) -> str:
    m = None
    for m in re.finditer(r"分别", sentence[:at]):
        pass
    if not m:
        return ""
    span = sentence[m.end():at]
    span = re.split(r"[0-9０-９]", span)[0]
    return span.strip("为是达有了 ").removesuffix("第")  # 「分别位列全国第1位」: 第 is the rank's


def scope_of(text_before: str) -> str:
    """「在市场监管领域」「全区」「镇级…」: what limits where the statement holds, as written. A level word
    (区级, 省级) limits only where it opens a clause; inside a noun phrase (省级立法专家) it names a kind."""
    text_before = _without_titles(text_before)
    m = None
    for m in rules.SCOPE_FIELD.finditer(text_before):
        pass
    if m:
        return m.group(0)
    clause = text_before[_clause_start(text_before):]  # 「一些地区…不强，全县共培训…」: not the clause before
    for pattern, group in ((rules.SCOPE_PART, 0), (rules.SCOPE_FIELD_OPENING, 1)):
        m = None
        for m in pattern.finditer(clause):
            pass
        if m:
            return m.group(group)
    m = None
    for found in rules.SCOPE_WHOLE.finditer(text_before):
        if not rules.SCOPE_RANKS.match(text_before[found.end():]):
            m = found  # 「在全市率先」 ranks the statement in the city; it does not limit it to the city
    if m:
        return m.group(0)
    for m in rules.SCOPE_LEVEL.finditer(text_before):
        pass
    return m.group(1) if m else ""


def counted_act(measures: str) -> str:
    """The act a measured thing counts when it names an occasion first: 「区政府常务会会前学法」 → 学法,
    「常务会议专题研究法治工作」 → 研究; "" when it names no occasion."""
    acts = [(m.start(1), m.group(1)) for m in rules.MEETING_ACT.finditer(measures)]
    for w in rules.OCCASION_MARKERS:
        at = measures.rfind(w)
        if at >= 0 and len(measures) - at - len(w) >= 2:
            acts.append((at + len(w), measures[at + len(w):]))
    return max(acts)[1] if acts else ""
