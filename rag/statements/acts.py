"""Acts stated without a figure (「探索建设区级行政争议调处中心」「…评估验收已顺利通过」「无一宗败诉」): the thing,
the act word, the status and the polarity of each clause that says something was explored, prepared,
planned, done, or never happened. Pure functions of one Simplified sentence; the word lists are `rules`.
"""
from __future__ import annotations

import re

from . import rules
from .phrases import _ADVERBS, _TRAILING_ADVERBS, _balanced, _tokens, _without_titles, noun_before, subject_of
from .status import _future_jiang, status_of, straddles


def zero_word(text: str) -> str:
    """The word that says nothing of the thing happened (无一宗, 未发生, 实现零超时), if the text has one."""
    for w in rules.ZERO_WORDS:
        if w in text:
            return "" if _not_reached(text[:text.find(w)]) else w
    m = rules.ZERO_PREFIX.search(text)
    if m and _not_reached(text[:m.start()] + m.group(0)[:-1]):
        return ""
    return m.group(0).lstrip("、，,") if m else ""


def _not_reached(before: str) -> bool:
    """「全年未实现零投诉」「尚未做到零差错」: a zero not reached is no zero."""
    return rules.ZERO_REACHED.sub("", before).endswith(rules.NEVER_WORDS + ("未能",)) \
        or bool(rules.ZERO_NOT_REACHED.search(before))


def _never_done(text: str) -> str:
    """「镇级未制发行政规范性文件」「整改尚未完成」: 未 / 没有 / 尚未 read as an adverb before a verb says the act
    has not happened (by the report's date: what 「完成了吗」 asks is answered no)."""
    toks = _tokens(text)
    for i, (w, f) in enumerate(toks):
        found = ""
        if w in rules.NEVER_WORDS and i + 1 < len(toks) and toks[i + 1][1].startswith("v"):
            before = toks[i - 1][0] if i and toks[i - 1][0] in ("尚", "仍", "还") else ""
            found = before + w + toks[i + 1][0]
        elif w.startswith("未") and len(w) >= 3 and f in ("i", "v") and not w.startswith(rules.NOT_NEVER):
            found = w  # jieba's 未受理 / 未审结 as one word
        if not found:
            continue
        head, rest = "".join(t for t, _ in toks[:i]), "".join(t for t, _ in toks[i:])
        if rules.NEVER_AS_MODIFIER.match(rest) or any(t in head for t in rules.NOT_NEVER_BEFORE):
            return ""  # 「对未取得执法证的人员…」「个别单位尚未建立…」: a kind of people, or only some: not none
        return found
    return ""


_DATE_FIRST = re.compile(r"^(?:到|至|于|在)?(?:19|20)\d{2}年(?:度|底|末|前|年底前|以前)?(?:前)?")
_THING_END = re.compile(r"(工作|等工作|活动|事项|情况)$")


def acts(sentence: str, kind: str, figures_at: tuple[int, ...] = ()) -> list[tuple[int, int, str, str, str, str]]:
    """Acts stated without a figure: (start, end, thing, act word, status, polarity) for each clause that says
    something was explored, prepared, planned, done, or never happened (「探索建设区级行政争议调处中心」).
    `figures_at`: where the sentence's figures start. A clause holding one is that figure's statement when it
    says the thing was done, not done, under way or planned (「仍有2个村尚未配备」 counts the ones not done); an
    act explored or being prepared is stated beside its figure (「改革试点在3个乡镇稳步推进」). A number that is a name or a
    rank is no figure (「5+N机制入选第二批…示范项目」「12345热线实现…」)."""
    out = []
    pos = 0
    for part in re.split(r"([，,；;。！？!?\n])", sentence):
        start, pos = pos, pos + len(part)
        if len(part) < 4:
            continue
        zero = zero_word(part)
        counted = any(start <= at < pos for at in figures_at)
        never = "" if zero or counted else _never_done(part)
        if never and "零" in part[part.find(never) + len(never):]:
            never = ""  # 「未实现零投诉」「尚未做到…零差错」: there were some
        zero = zero or never
        if zero:
            at = part.find(zero)
            thing = _head(part[at + len(zero):].strip("的 “”\""))
            after = _tokens(thing)
            if zero.endswith("零") and zero[:-1].endswith(("为", "是")):
                # 「…行政诉讼案件均为零」「…被法院判决撤销的为零」: stated as a figure of zero, the thing is its subject
                thing = noun_before(part[:at])[0] or _subject(part[:at])
            elif len(thing) < 2 and never and len(_subject(part[:at])) >= 2:
                thing = _subject(part[:at])  # 「整改任务尚未完成」: what is not done is the subject
            elif never and len(_subject(part[:at])) >= 3:
                thing = _subject(part[:at]) + thing  # 「行政执法监督平台尚未实现全区覆盖」: the platform's coverage
            elif len(thing) < 2:
                thing = _before_zero(part[:at]) + zero.removeprefix("零")  # 「实现重大行政决策零差错」
            elif zero == "零" and _before_zero(part[:at]):
                thing = _before_zero(part[:at]) + thing  # 「区政务服务中心全年办件零超时」
            elif len(after) == 1 and after[0][1].startswith("v") and len(_subject(part[:at])) >= 2:
                thing = _subject(part[:at])  # 「…行政诉讼案件全年无一宗败诉」: what never lost is the subject
            if len(thing) >= 2:
                out.append((start + at, start + len(part), thing, zero, "done", "zero"))
            continue
        status, word = status_of(part, kind)
        if not word and kind == "下一年安排":
            # A plan's clause is planned whatever its verb: 「完善行政规范性文件备案审查」.
            toks = _tokens(part.strip("，,；;。 \n"))
            if not toks:
                continue
            word = toks[0][0]
        if not word:
            continue
        body = part.rstrip("，,；;。！？!? \n")
        head = _predicate_start(body)
        if 2 <= head < len(body) and any(a >= head for a, _ in _status_words(body)):
            # 「八五普法规划中期评估验收已顺利通过」: the clause ends in its predicate; the thing is its subject.
            word_at, act, thing = head, body[head:].strip(), _subject(body[:head])
        else:
            word_at, word, thing = _act_object(part, word)
            status = status_of(part, kind, upto=word_at + len(word))[0] if word_at >= 0 else status
            act = word
            if word_at >= 2 and thing.startswith(_PREPOSITIONS) and _predicate_start(body) < len(body) \
                    and len(_subject(part[:word_at])) >= 2:
                # 「其中农贸市场管理条例已于年内经…批准施行」: after the status word only when and by whom, then the
                # predicate; the thing is the subject before it.
                thing, act = _subject(part[:word_at]), word + body[_predicate_start(body):]
            verb_toks = _tokens(thing)
            # a quoted object is a name (探索“巡审同步”): its first word is no verb of the act's
            quoted = word_at >= 0 and part[word_at + len(word):].lstrip().startswith(("“", '"', "「"))
            if verb_toks and verb_toks[0][1].startswith("v") and len(verb_toks) > 1 and not quoted:
                act = word + verb_toks[0][0]
                thing = thing[len(verb_toks[0][0]):]
            thing = _THING_END.sub("", thing.strip("“”\"的 ")) or thing
            if re.fullmatch(r"(建设|试点|推进|起步|探索|筹备)?(阶段|中|之中|过程中)?", thing):
                thing = subject_of(part)  # 「X目前处于加快建设阶段」: the thing is what the clause opens with
        if status == "ongoing" and any(t in thing for t in rules.TRIAL_THINGS):
            status = "exploring"  # 「…改革试点在多地持续推进」: a pilot under way is still a trial
        if counted and status not in ("exploring", "preparing"):
            continue  # done, under way or planned: the figure's statement says it
        if len(thing) >= 3:
            out.append((start + max(word_at, 0), start + len(part), _balanced(thing), act, status, "positive"))
    return out


_PREPOSITIONS = ("于", "经", "在", "由", "按", "向", "以", "被", "从")


def _status_words(text: str) -> list[tuple[int, str]]:
    """Every status word in the text as (position, word), the longest where two overlap; titles left out."""
    text = _without_titles(text)
    found = sorted(((m.start(), w) for _, words in rules.STATUS_WORDS for w in words
                    for m in re.finditer(re.escape(w), text)), key=lambda x: (x[0], -len(x[1])))
    out: list[tuple[int, str]] = []
    for at, w in found:
        if out and at < out[-1][0] + len(out[-1][1]):
            continue
        if len(w) > 1 and straddles(text, at, len(w)):
            continue  # 「落实行政执法…」 holds no 实行
        if w == "将" and not _future_jiang(text, at):
            continue
        out.append((at, w))
    return out


def _act_object(part: str, nearest: str) -> tuple[int, str, str]:
    """(position, status word, thing) for the last status word with a noun phrase after it
    (「区里正在筹备全国…示范区申报材料」: 筹备, not 申报 whose object is only 材料); when none has one, the
    nearest word with the thing before it (「做好…示范区创建迎检工作」)."""
    found = _status_words(part)
    for at, w in reversed(found):
        thing = part[at + len(w):].strip("“”\"的 ")
        dated = _DATE_FIRST.match(thing)
        if dated:  # 「力争到2025年创成全国…示范县」: the date is when, and the verb after it the act
            thing = _strip_leading_verbs(thing[dated.end():])
        if len(_THING_END.sub("", thing)) >= 3 and len(_without_generic(thing)) >= 2:
            return at, w, thing
    # 「做好…示范项目创建活动申报工作」: only generic words follow the status words; the thing is before the
    # first of them.
    at, word = found[0] if found else (part.rfind(nearest), nearest)
    return at, word, _strip_leading_verbs(part[:at]) if at >= 0 else ""


def _without_generic(thing: str) -> str:
    """What is left of a thing without the words that name no thing (活动, 申报, 工作 …)."""
    for w in rules.GENERIC_WORDS:
        thing = thing.replace(w, "")
    return thing


_PREDICATE_WORDS = sorted(rules.PREDICATE_END, key=len, reverse=True)


def _predicate_start(body: str) -> int:
    """Where the adverbs and predicate verbs that end a clause begin (len(body) when it ends in a noun)."""
    cut = len(body)
    changed = True
    while changed and cut:
        changed = False
        for w in _PREDICATE_WORDS:
            if body[:cut].endswith(w):
                cut -= len(w)
                changed = True
                break
    return cut


def _subject(text: str) -> str:
    """The subject a clause opens with, without its actor (区里, 我市) or the prepositional phrase after it
    (「…专题由我市在全国首先」 → …专题)."""
    text = re.sub(r"^[一二三四五六七八九十]+是", "", text.strip("，,；;。 "))  # 「二是…」 numbers the item
    for w in rules.ACTOR_WORDS:
        text = text.removeprefix(w)
    out = ""
    for w, f in _tokens(text):
        if not out and (f.startswith("t") or w in _ADVERBS):
            continue
        if len(out) >= 2 and (w in rules.SUBJECT_END or w in _TRAILING_ADVERBS or w in _ADVERBS):
            break
        out += w
    return _head(_balanced(out.strip("的 ")))


def _head(phrase: str) -> str:
    """A phrase under a long, clause-like modifier is its head: what follows its last 的 (「中央依法治国办督察
    整改和实地检查的迎检工作」 → 迎检工作). A short modifier (「三级联动的」) stays: it names the kind."""
    at = phrase.rfind("的")
    head = phrase[at + 1:]
    if head in rules.BARE_HEADS:
        return phrase  # 「未出现拒不履行法院生效裁判的情形」: 情形 alone says nothing
    return head if at >= rules.LONG_MODIFIER and len(head) >= 2 else phrase


def _before_zero(text: str) -> str:
    """What a zero is of, from the words before it (「区政务服务中心全年办件零超时」 → 办件, 「全县行政执法领域实现
    “零投诉”」 → 行政执法领域): the measured phrase, without the verb that says the zero was reached."""
    text = rules.ZERO_REACHED.sub("", text.strip("，, "))
    return noun_before(text)[0] or _strip_leading_verbs(text)


def _strip_leading_verbs(text: str) -> str:
    toks = list(_tokens(text.strip("，, ")))
    while toks and (toks[0][1].startswith(("v", "m", "d", "p")) or toks[0][0] in "“”\"" or toks[0][0] in
                    rules.MANNER_WORDS) and len(toks) > 1:
        if toks[0][0] in "“”\"":
            break
        toks.pop(0)
    return "".join(w for w, _ in toks)
