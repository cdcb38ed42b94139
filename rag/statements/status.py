"""Whether a thing was done, is under way, explored, prepared, planned or a target: the status words before it in
its clause (「探索建设」 is not 「建成」), read as words of the text, never inside a document's name."""
from __future__ import annotations

from ..types import Statement
from . import rules
from .phrases import _BREAK, _clause_start, _strip_tail, _tokens, _without_titles


def _future_jiang(text: str, at: int) -> bool:
    """「将开展」 is a plan; 「将92部法规列入」「将学法列为」 (将 + object) is not."""
    if text[at + 1:at + 2] == "于":
        return True  # 「将于2023年…开展」: a date to come
    toks = _tokens(text[at + 1:at + 8])
    return bool(toks) and toks[0][1].startswith("v") and not toks[0][1].startswith("vn")


def straddles(text: str, at: int, length: int) -> bool:
    """Whether text[at:at+length] begins inside one word and ends in the next: 实行 in 「落实行政执法」 (落实 | 行政)
    is no word of the text. A word inside a longer one (推进 in 深入推进) does not straddle."""
    pos = 0
    for w, _ in _tokens(text):
        end = pos + len(w)
        if pos < at < end:
            return at + length > end
        if pos >= at:
            return False
        pos = end
    return False


def _last_word(text: str, word: str) -> int:
    """The last place `word` stands in `text` as a word of it (not across two), or -1."""
    at = text.rfind(word)
    while at >= 0 and straddles(text, at, len(word)):
        at = text.rfind(word, 0, at)
    return at


def _attributive(text: str, at: int, word: str) -> bool:
    """「县信访局探索的…工作法受到表彰」: a status word before 的 describes the thing; it is not the clause's. Nor
    is one that begins a noun (「申报材料精简288项」: materials), unless the noun is the act's own work (筹备工作)."""
    if text[at + len(word): at + len(word) + 1] == "的":
        return True
    pos = 0
    toks = _tokens(text)
    for i, (w, f) in enumerate(toks):
        if pos == at and len(w) > len(word) and w.startswith(word) and f.startswith("n"):
            return w[len(word):] not in rules.GENERIC_WORDS
        if pos == at and w == word and f == "n" and i + 1 < len(toks) and toks[i + 1][1].startswith(("n", "vn")) \
                and toks[i + 1][0] not in rules.GENERIC_WORDS:
            return True  # 「经济社会发展目标考核」「计划单列」: a noun inside a compound noun
        if pos > at:
            break
        pos += len(w)
    return False


def status_of(text_before: str, kind: str, upto: int | None = None) -> tuple[str, str]:
    """(status, the word that says it) from the words before a figure or thing in its sentence.

    The nearest status word wins; a plan section's statements are planned unless they say more. Words inside
    a document's name (《…（试行）》) are not status words. `upto`: only words ending there or before count,
    the text after stays in sight (「将深入…」: 将 before a verb is a plan)."""
    whole = _without_titles(text_before)
    text_before = whole[:upto] if upto is not None else whole
    best: tuple[int, int, str, str] | None = None  # (position, length, status, word)
    for status, words in rules.STATUS_WORDS:
        for w in words:
            at = _last_word(text_before, w)
            if at < 0 or (w == "将" and not _future_jiang(whole, at)) or _attributive(text_before, at, w):
                continue
            key = (at + len(w), len(w))
            if best is None or key > best[:2]:
                best = (*key, status, w)
    if best is None:
        return rules.STATUS_BY_KIND.get(kind, "done"), ""
    status, word = best[2], best[3]
    if status == "preparing" and whole[best[0]:].startswith(rules.SINCE):
        status = "ongoing"  # 「改革启动以来，已在8个镇推开」: begun and going on since
    if status in ("done", "ongoing", "preparing"):
        # 「计划年内出台…」「探索建立…」「力争创建…」: a plan or trial word earlier in the clause governs what
        # follows it, unless 已 stands between them (「…创建迎检工作已圆满完成」: the preparing is over).
        # The outermost governs: 「将于明年谋划开展…」 is planned, not prepared.
        governs = ("planned", "target") if status == "preparing" else ("planned", "target", "exploring", "preparing")
        outer: tuple[int, str, str] | None = None
        for governing, words in rules.STATUS_WORDS:
            if governing in governs:
                for w in words:
                    at = _last_word(text_before, w)
                    if 0 <= at < best[0] - len(word) and not (w == "将" and not _future_jiang(whole, at)) \
                            and not _attributive(text_before, at, w) \
                            and not any(m in text_before[at + len(w):] for m in rules.DONE_MARKERS) \
                            and (outer is None or at < outer[0]):
                        outer = (at, governing, w)
        if outer is not None:
            return outer[1], outer[2]
    if kind == "下一年安排" and status in ("done", "ongoing"):
        return "planned", word
    return status, word


def figure_status(sentence: str, q_start: int, kind: str, q_end: int | None = None) -> tuple[str, str]:
    """A figure's status (`_stated_status`); a planned level, not a count of things to do, is a target
    (「将确保…出庭应诉率稳定在100%」「将…下降2个百分点」, but 「将新增联系点5个」 is planned)."""
    status, word = _stated_status(sentence, q_start, kind, q_end)
    if status == "planned" and q_end is not None:
        figure = sentence[q_start:q_end].rstrip()
        clause = sentence[_clause_start(sentence[:q_start]):q_start]
        if figure.endswith(("%", "％", "百分点")) or any(  # the level verb just before the figure
                c.rstrip().endswith(rules.LEVEL_WORDS) for c in (clause, _strip_tail(clause))):
            return "target", word
    return status, word


def _stated_status(sentence: str, q_start: int, kind: str, q_end: int | None = None) -> tuple[str, str]:
    """A figure's status: its clause's status words; a stated count with no such word is done.

    What the rest of its clause says happened to the counted thing can hold it back (「1个项目获推荐」
    「5个项目经择优推荐」: nominated, not yet awarded), and a pilot's reach is a trial's (「试点已扩展到3市」)."""
    lead = sentence[:q_start]
    clause = lead[_clause_start(lead):]
    reached = rules.NOT_REACHED.search(clause.rstrip())
    if reached:
        return "target", reached.group()  # 「…出庭应诉率尚未达到100%」: 100% is the goal, not the figure
    status, word = status_of(clause, kind)
    if q_end is not None and (not word or status == "ongoing"):
        rest = _without_titles(_BREAK.split(sentence[q_end:], maxsplit=1)[0])
        held = next((w for w in rules.NOMINATED if w in rest), None)
        if held:
            return "preparing", held
        tried = next((w for w in rules.TRIED_AFTER if w in rest), None)
        if tried:
            return "exploring", tried  # 「在150家重点企业和10余家企业中开展试点」
    if status in ("ongoing", "done") and word in rules.DONE_MARKERS + tuple(
            w for st, ws in rules.STATUS_WORDS if st == "ongoing" for w in ws) \
            and any(t in clause for t in rules.TRIAL_THINGS):
        return "exploring", word
    if status == "ongoing":
        counted = _BREAK.split(sentence[q_end:], maxsplit=1)[0] if q_end is not None else ""
        if any(t in counted for t in rules.UNDER_WAY_THINGS) and not any(r in counted for r in rules.RESULT_AFTER):
            return "ongoing", word  # 「统筹推进65项改革任务」: the tasks are under way (「…取得实效」: reached)
        earlier = lead[:len(lead) - len(clause)]
        planned, plan_word = status_of(earlier, kind)
        if planned in ("planned", "target") and _governs_a_verb(earlier, plan_word):
            return planned, plan_word  # 「将力争…，并推动…保持100%」: the plan before its clause governs it
        return "done", word  # 「推进…完成8座」「持续开展…300余场次」: the count itself was done
    if status == "done" or not word:
        # A plan word earlier in the sentence governs the whole sentence (「计划…，力争…达到95%」).
        s2, w2 = status_of(lead, kind)
        if s2 in ("planned", "target"):
            return s2, w2
    return status, word


def _governs_a_verb(text: str, word: str) -> bool:
    """The plan word at its last place in `text` governs what follows (「将力争…」), not names a plan
    (「对照年度工作计划，」「按照年初计划，」「计划任务」)."""
    at = text.rfind(word) if word else -1
    after = text[at + len(word):at + len(word) + 1]
    return at >= 0 and after not in ("的", "任", "考", "书", "表", "，", ",", "；", ";", "") \
        and not text[max(0, at - 2):at].endswith(("工作", "年初", "年度", "对照", "按照", "根据", "依照"))


def is_plan_figure(st: Statement) -> bool:
    """A statement of a plan or target (「力争…缩短至45天以内」): what is to be, not what was; it answers only a
    question that asks for the plan (the extractive answerers and the LLM's grounding alike)."""
    if st.kind == "下一年安排" or st.period == "target":
        return True
    # a plan word in the figure's own clause that governs a verb (「力争缩短至45天」), not a noun
    # (「对照年度工作计划，全年办理…320件」「围绕目标任务」)
    lead, word = st.lead or "", st.status_word
    if st.status == "target" and word and rules.NOT_REACHED.fullmatch(word):
        return True  # 「尚未达到100%」: the goal, not the figure
    at = lead.rfind(word) if word else -1
    return st.status in ("planned", "target") and at >= 0 and lead[at + len(word):at + len(word) + 1] not in \
        ("的", "任", "考", "书", "表", "")


def verb_stage(verb: str) -> str:
    """The stage of handling a verb names (收到 → received, 审结 → concluded; `rules.ACT_STAGES`), or ""."""
    if verb.startswith(rules.NEGATORS):
        return ""  # 「不予受理8件」 is no figure received
    return next((name for name, verbs in rules.ACT_STAGES if verb and any(verb.endswith(v) for v in verbs)), "")


def stage_of(sentence: str, act: str, at: int, end: int) -> str:
    """The stage of handling a figure (or act) at `at`..`end` of its Simplified `sentence` states, read once at
    extraction (`Statement.stage`): its act's; else (the act is often not named apart) the first stage verb after
    it in its clause (「推荐申报的5个项目全部获评」: awarded); else the last one before it in its clause
    (「…其中申报综合示范地区21个、单项示范项目35个」: both applied for)."""
    if (act or "").startswith(rules.NEGATORS):
        return ""  # 「不予受理…8件」: not received
    stated = verb_stage(act or "")
    if stated:
        return stated
    after = _BREAK.split(sentence[end:], maxsplit=1)[0]
    found = [(after.find(v), name) for name, verbs in rules.ACT_STAGES for v in verbs if v in after]
    if found:
        return min(found)[1]  # 「推荐申报的5个项目全部获评省级示范」: the clause's verb after the figure says what befell it
    before = sentence[:at]
    clause = before[_clause_start(before):]
    found = [(clause.rfind(v), name) for name, verbs in rules.ACT_STAGES for v in verbs if v in clause]
    return max(found)[1] if found else ""


def asked_stage_word(intent) -> str:
    """The stage verb a question asks (收到, 审结, 命名…): the verb before 多少/几, or a stage verb it names
    (「最后命名了几个」: jieba reads 命名 a noun); "" when it asks none. `intent`: the question's metric."""
    if verb_stage(intent.predicate or ""):
        return intent.predicate or ""
    return next((t for t in intent.terms if verb_stage(t) and len(t) == 2), "")
