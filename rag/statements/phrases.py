"""Noun phrases of one Simplified sentence: its tagged words (jieba, with the field's nouns read whole), the noun
phrase right after a figure and the one before it (with the act that governs it), a clause's subject. What a
figure measures is built from these in `describe`; the word lists are `rules`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import rules


_BREAK = re.compile(r"[，,；;。：:！？!?\n（）()]")
_TOKEN_NOUN = re.compile(r"[\u4e00-\u9fffA-Za-z“”\"]")
_ACT_VERBS = frozenset("""办理 接收 受理 审结 办结 开展 组织 举办 完成 审查 培训 出台 制定 修订 印发 发布 清理 化解 调解 处理
查处 答复 公开 提供 兑现 减免 抽查 检查 建设 建成 设立 新增 保留 梳理 划入 下放 进驻 征集 收到 收集 参加 参与 覆盖 处罚
立案 聘请 组建 新组建 审核 备案 纠正 撤销 作出 召开 接待 调处 走访 排查 整改 督办 回复 推出 上线 入驻 聘任 配备 选派 落实 实施
推行 推进 推动 建立 健全 实现 累计 共计 合计 达到 达 有 为 是 新建 打造 创建 评选 表彰 报送 提交 签订 起草 编制 解读
发放 征求 收回 追回 挽回 节约 压减 压缩 精简 缩短 缩减 减少 降低 提升 提高 增加 增长 下降 上升 印制 发送 赠送 宣传 宣讲 授课 旁听 出庭
应诉 败诉 胜诉 调取 移送 赔偿 补偿 认定 核查 审批 许可 登记 注册 保障 帮助 救助 援助 服务 吸纳 招录 任命 免职""".split()) \
    | rules.OBJECT_VERBS


def tagged_words(text: str) -> tuple[tuple[str, str], ...]:
    """(word, part of speech) of a Simplified text, with the field's nouns jieba cuts or mis-tags read as one."""
    return _tokens(text)


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[tuple[str, str], ...]:
    import jieba.posseg

    from ..text.tokens import jieba_module

    jieba_module()
    out: list[tuple[str, str]] = []
    for w, f in jieba.posseg.cut(text):
        if out and out[-1][0] + w in rules.FIELD_NOUNS:
            out[-1] = (out[-1][0] + w, "n")  # 「述/vg 法/j」 → 述法
            continue
        out.append((w, "n" if w in rules.FIELD_NOUNS else f))
    return tuple(out)


def _is_nounish(word: str, flag: str) -> bool:
    return bool(_TOKEN_NOUN.match(word)) and flag.startswith(rules.NOUN_TAGS) and word not in rules.NOUN_STOP


_STOP_TAGS = ("p", "m", "t", "u", "c", "r", "y", "e", "o", "w")
_ADVERBS = frozenset("共 共计 合计 总计 累计 已 已经 均 全部 先后 分别 又 再 还 也 都 仍 共有 全年 年内 今年 当年 同时 此外 另外 "
                     "目前 现 现有 其中 新 新增 首批 第一批 直接 持续 不断 进一步 逐步 积极 主动 依法 严格 "
                     "尚未 未 没有 仍未 暂未 均未 尚 连续 成功 确保 力争 争取".split())
_KEEP_IN_PHRASE = frozenset(("其他", "各类", "各项", "各级"))
_TRAILING_ADVERBS = frozenset("仍 仍然 已 已经 均 都 也 还 又 再 尚 才 就 将 已达".split())


def _stops(w: str, f: str) -> bool:
    """A token that cannot be inside a measured noun phrase (a scope word such as 全区 limits it, not names it)."""
    if not _TOKEN_NOUN.match(w) and w[:1] not in "()（）":  # a bracket (「(扩大)」) is part of a name
        return True
    if rules.SCOPE_WHOLE.fullmatch(w):
        return True
    if w in _ADVERBS or w in rules.NOUN_STOP or w in rules.TIME_WORDS:
        return True
    return f.startswith(_STOP_TAGS) and f != "eng" and w not in _KEEP_IN_PHRASE  # eng: a Latin word (AQI)


# Verbs that are always the predicate: never read as modifying the noun after them.
_PREDICATE_VERBS = frozenset("实现 完成 达到 召开 开展 进行 参加 参与 覆盖 获评 入选 下放 划入 进驻 纳入 列入 配齐 配备 尚未 未".split())


def _verb_inside(toks, i: int) -> bool:
    """A verb token that modifies the noun after it (示范单位, 宣讲活动), not the predicate."""
    return toks[i][0] not in _PREDICATE_VERBS and i + 1 < len(toks) and toks[i + 1][1].startswith(("n", "vn")) \
        and not _stops(*toks[i + 1])


_DIRECTIONAL = frozenset("到 至 向 给 于 往".split())  # 「下放到…」: what follows is where, not what


def _modifies_noun(toks, i: int) -> bool:
    """「3980项检查执法事项」: verbs after a measure word that run on to a noun (and no predicate verb, no
    particle) name the counted thing; 「20件办结」 (a verb then nothing) and 「23家小微企业兑现扶持资金」 (an act
    verb, read as a verb, taking its object) do not."""
    if toks[i][0] in _ACT_VERBS and not toks[i][1].startswith("vn"):
        return False
    j = i
    while j < len(toks):
        w, f = toks[j]
        if w in _PREDICATE_VERBS or w in _DIRECTIONAL or _stops(w, f) or not f.startswith(("v", "n", "j")):
            break
        j += 1
    return j - 1 > i and toks[j - 1][1].startswith(("n", "j")) and not toks[j - 1][1].startswith("nr")


def _name_word(toks, i: int) -> bool:
    """「三期全面依法治县专题培训班」: an adverb read as a noun inside a name, followed by more of it."""
    w, f = toks[i]
    return f.startswith("n") and w in _ADVERBS and i + 1 < len(toks) \
        and (_is_nounish(*toks[i + 1]) or _modifies_noun(toks, i + 1))


def noun_after(sentence: str, end: int, next_start: int | None = None) -> str:
    """「27个部门单位的…」: the noun phrase right after a figure's measure word, if one follows at once.

    Nouns that run on into the next figure are shared: 「27家市场主体安全隐患89个」 gives 27 its first noun
    (市场主体) and leaves the rest (安全隐患) to 89."""
    stop = min(end + 30, next_start if next_start is not None else len(sentence))
    rest = sentence[end:stop]
    first = _tokens(rest)[:1] if rest[:1] in ("和", "及", "与", "或") else ()  # tokens only when it may be a link
    if rest[:1] == "、" or (first and first[0][0] in ("和", "及", "与", "或", "和县")):
        return ""  # 「人大代表建议119件和县政协委员提案105件」: a link opens the next thing (和县 is also a county)
    bound = re.match(r"以内|以下|以上|之内|左右", rest)
    if bound:
        return ""  # 「压缩至1个工作日以内」: the bound is the figure's, no thing follows
    relative = re.match(r"([^，,；;。：:！？!?\n的]{2,8})的", rest)
    opening = [t for t in _tokens(relative.group(1)) if t[0] != "新"][:1] if relative else []
    if opening and (opening[0][1].startswith("v") or opening[0][0] in _ACT_VERBS):
        head = noun_after(sentence, end + relative.end(), next_start)
        if head:  # 「61名新任命的国家工作人员」: a clause with a verb, then 的, says which of the noun after it
            return relative.group(0) + head
    cut = re.search(r"[，,；;。：:！？!?\n]", rest)
    runs_on = cut is None and next_start is not None and stop == next_start
    rest = rest[:cut.start()] if cut else rest
    out, last = "", ("", "")
    toks = _quoted_as_one(_tokens(rest))
    for i, (w, f) in enumerate(toks):
        if w in "“”\"":
            out += w
            continue
        if w in _DIRECTIONAL or (f.startswith("v") and w[-1] in "到至"):
            break  # 「下放到乡镇」「延伸至村居」
        verb = (f.startswith("v") and not f.startswith("vn") or w in _ACT_VERBS) and w not in rules.FIELD_NOUNS
        if verb and not _verb_inside(toks, i) and not _modifies_noun(toks, i):
            break
        if f == "vn" and last[1].startswith("n") and i + 1 < len(toks) and toks[i + 1][1] == "v":
            break  # 「278项行政许可事项统一划入…」: after a whole noun, a verbal noun before a verb says how
        if w == "新" and i == 0 and i + 1 < len(toks) and not _stops(*toks[i + 1]):
            out += w  # 「3名新入职人员」: 新 opens the thing (before a figure it is an adverb: 「新增」)
            continue
        if _stops(w, f) and not _name_word(toks, i):
            break
        out += w
        last = (w, f)
    if out and last[1] == "f" and len(out) > len(last[0]):
        out = out[: -len(last[0])]  # 「审批权限下放到」: 下 is a localizer read off the verb, not the thing
    if len(out) > 2 and out[-1] in "中里" and rest[len(out):len(out) + 1] in ("已", "有", "，", ","):
        out = out[:-1]  # 「18个司法所中已有12个」: 中 says among them
    if runs_on and out == rest.strip() and len(toks) > 1:
        # Nothing but nouns up to the next figure: this one takes the first of them.
        first = ""
        for w, _ in toks:
            first += w
            if len(first) >= 2:
                break
        out = first
    out = _balanced(out.strip("（("))
    if out in rules.ADMIN_UNITS and rest[len(out):len(out) + 1] in ("、", "和", "及") \
            and not re.match(r"[0-9０-９]", sentence[end + len(out) + 1:end + len(out) + 2]):
        return ""  # 「431项市、区行政处罚权」: 市 opens a list of levels (「5个市和32个县」: each is counted)
    return out if len(out) >= 2 or out in rules.ADMIN_UNITS else ""


_TAIL_WORDS = ("共计", "合计", "总计", "累计", "达到", "超过", "不少于", "分别为", "分别", "共有", "约为", "达", "为", "约",
               "保持", "尚未", "仍未", "未能", "未",  # 「纠错率未达到5%」: the bound not reached, not the thing
               "共", "是", "了", "有", "等", "近", "逾", "超", "：", ":", " ")


def _strip_tail(lead: str) -> str:
    """The words before a figure without the linking words that end them (共计 / 达到 / 为 / 由 …), a bound
    (低于 / 保持在), a verb of reaching (压减到 / 扩展到) or the previous year of a from→to (由上年的)."""
    text = lead
    changed = True
    while changed:
        changed = False
        for w in (*_TAIL_WORDS, *rules.FROM_WORDS, *(t for t in rules.TO_WORDS if len(t) >= 2 or t == "至"),
                  *rules.BOUND_WORDS, *(f"{p}的" for p in rules.PREVIOUS_WORDS), *rules.PREVIOUS_WORDS):
            if w and text.endswith(w):
                text = text[: -len(w)]
                changed = True
        for pattern in (rules.REACH_VERB, rules.CHANGE_TAIL, rules.NOT_REACHED):
            found = pattern.search(text)
            if found and len(text) > len(found.group()):
                text = text[: found.start()]
                changed = True
    return text


def _ends_in_adverb(lead: str) -> bool:
    toks = _tokens(_strip_tail(lead))
    return bool(toks) and (toks[-1][0] in _ADVERBS or toks[-1][0] in _TRAILING_ADVERBS)


_YEAR_TAILS = ("年度", "年", "年底", "年末", "年初")
# Words linking two modifiers or nouns of one measured thing (「公共服务等其他事项」「无证或超范围经营案件」).
_LINKS = ("等", "其他", "、", "和", "及", "与", "或", "或者", "以及")


def _first_verb_after_to(toks, i: int) -> bool:
    """Token i is the first verb after a 向-phrase (「共向被督察单位反馈问题」: to whom, then the act); a passive
    verb inside the phrase (被督察) is part of whom."""
    to = max((j for j, (t, tf) in enumerate(toks[:i]) if t.endswith("向") and tf in ("p", "d")), default=-1)
    return to >= 0 and not any(tf.startswith("v") and toks[j - 1][0] != "被"
                               for j, (_, tf) in enumerate(toks[to + 1:i], start=to + 1))


def noun_before(lead: str) -> tuple[str, str]:
    """(measured thing, act) from the words before a figure: 「全年办理行政复议案件」 → (行政复议案件, 办理)."""
    text = _strip_tail(lead)
    toks = _with_complements(_quoted_as_one(_tokens(text)))
    bodies = {w for w, f in toks if f == "nt"}  # jieba's organisations (镇政府)
    phrase: list[str] = []
    act = ""
    for i in range(len(toks) - 1, -1, -1):
        w, f = toks[i]
        if not phrase and (w in _ADVERBS or w in _TRAILING_ADVERBS):
            continue  # 「…合格率仍低于90%」「…事项已达1064项」: an adverb between the thing and its figure
        if phrase and w == "被" and toks[i + 1][1].startswith("v"):
            phrase.insert(0, w)  # 「行政复议被纠错案件」「被撤销的文件」: a passive inside the noun phrase
            continue
        if (w in _ACT_VERBS or w[:-1] in _ACT_VERBS and w[-1] in _COMPLEMENTS) and not f.startswith("vn") \
                and w not in rules.FIELD_NOUNS and not _compound_verb(toks, i, phrase) \
                and not (phrase and "".join(phrase).endswith(rules.MEASURE_NAME_ENDS)):
            if act and phrase and w not in _PREDICATE_VERBS:
                phrase.insert(0, w)  # 「办理时限压缩…」: before the subject's own verb, a verb modifies it
                continue
            if not phrase and act in rules.LIGHT_VERBS:
                phrase.insert(0, w)  # 「专项清理全年开展2次」: the activity a light verb carries is the thing
                continue
            if phrase and i and toks[i - 1][0] in rules.NEGATORS:
                phrase[:0] = [toks[i - 1][0], w]  # 「不予处罚案件」「不予实施行政强制措施」: the negated act is what counts
                act = act or toks[i - 1][0] + w
                break
            if phrase or act:
                act = act or w
                break
            act = w  # 「群众跑动减少136次」「…报告会共举办3530余场」: the verb, then its subject before it
            continue
        if phrase and not act and f == "v" and _first_verb_after_to(toks, i):
            act = act or w  # 「共向被督察单位反馈问题227条」: after a 向-phrase (to whom), the verb is the act
            break
        if phrase and w in ("经", "由") and _tokens(phrase[-1])[-1][1] == "v":
            act, phrase = act or "".join(phrase), []  # 「“法律明白人”经规范培养已达…」: how it came about, not what
            continue
        if phrase and (w in _LINKS or (f.startswith("q") and _TOKEN_NOUN.match(w))):
            phrase.insert(0, w)  # 「公共服务等其他事项」「其他类事项」「违法或者不当文件」
            continue
        if _stops(w, f):
            if w == "的" and phrase and len("".join(phrase)) <= 2:
                phrase[:0] = _modifier_before(toks, i)  # 「支付律师代理的费用」: a bare head keeps its 的-phrase
            break
        phrase.insert(0, w)
    while phrase and phrase[0] in _LINKS and phrase[0] != "其他":
        phrase.pop(0)
    head = "".join(phrase[phrase.index("等") + 1:]) if "等" in phrase else ""
    if head and "、" in phrase[:phrase.index("等")] and len(head) >= 2 and head not in rules.GENERIC_HEADS:
        phrase = phrase[phrase.index("等") + 1:]  # 「政策、规划、工作请示等行政决策」: examples, then what they are
    while len(phrase) > 1 and (phrase[0] in bodies or phrase[0] in rules.ACTOR_WORDS or (
            phrase[0].endswith(rules.BODY_ENDS) and phrase[1] in rules.CASE_VERBS)) and len("".join(phrase[1:])) >= 2:
        phrase.pop(0)  # 「镇政府行政复议案件」「本局…」「区政府应诉案件」: the body that opens the phrase is who
    if len(phrase) > 1 and phrase[0] in _YEAR_TAILS and re.search(r"(?:19|20)\d{2}$", text[: len(text) - len("".join(phrase))]):
        phrase.pop(0)  # 「2023年度行政复议案件」: the year's 年度 is a date, not part of the thing
    thing = _balanced("".join(phrase))
    if len(thing) == 1 and act:
        return act + thing, ""  # 「进驻率」: jieba reads 进驻 as the verb of 率
    if len(thing) < 2:
        return "", act
    return thing, act


_COMPLEMENTS = frozenset("出")  # 「查找出问题」「梳理出事项」: the verb's result, part of the verb


def _compound_verb(toks, i: int, phrase: list[str]) -> bool:
    """「行政诉讼败诉案件」「行政应诉案件」: a verb between a noun of the field and the head noun modifies the head
    (an organisation, place or person before it is who acted: 「区政府办理案件」)."""
    if not phrase or i == 0 or toks[i][0] not in rules.CASE_VERBS:
        return False
    w, f = toks[i - 1]
    return f in ("n", "vn", "j", "nz", "l", "nt") and len(w) >= 2 and w not in _ADVERBS \
        and not rules.SCOPE_WHOLE.fullmatch(w) and phrase[0] in rules.CASE_HEADS


def _with_complements(toks):
    """A verb and its result complement as one verb (jieba: 查找/v 出/v → 查找出)."""
    out: list[tuple[str, str]] = []
    for w, f in toks:
        if w in _COMPLEMENTS and out and out[-1][1].startswith("v") and not out[-1][1].startswith("vn"):
            out[-1] = (out[-1][0] + w, out[-1][1])
        else:
            out.append((w, f))
    return tuple(out)


_PAIRS = {"“": "”", "(": ")", "（": "）"}


def _quoted_as_one(toks):
    """「“七进”相关活动」「县(市、区)」: a quoted name or a bracket is one word of the phrase, whatever jieba makes of
    its words (七/m 进/v; 、 inside the bracket)."""
    out: list[tuple[str, str]] = []
    inside: list[str] | None = None
    for w, f in toks:
        if w in _PAIRS and inside is None:
            inside = [w]
        elif inside is not None:
            inside.append(w)
            if w == _PAIRS[inside[0]]:
                out.append(("".join(inside), "nz"))
                inside = None
        else:
            out.append((w, f))
    return tuple(out + [(w, "x") for w in inside or ()])


_NOT_WORDS = frozenset("不 未 非 无".split())


def _modifier_before(toks, de: int) -> list[str]:
    """The words of a 的-phrase ending at token `de` (「上级部门收回的」 → 上级部门收回 + 的), back to a break;
    nothing when they are not words of a phrase (a number, a scope word, an adverb)."""
    words: list[str] = []
    for j in range(de - 1, -1, -1):
        w, f = toks[j]
        if w in "“”\"":
            words.insert(0, w)  # 「实现“全程网办”的事项」: a quoted name is part of it
            continue
        if w in _NOT_WORDS and words:
            words.insert(0, w)  # 「不合格的」: the negation is the kind
            break
        if _stops(w, f) or not f.startswith(("n", "v", "j", "l", "b", "a")) or len("".join(words)) + len(w) > 12:
            break
        words.insert(0, w)
    while words and words[0] in "“”\"" and "".join(words).count("“") != "".join(words).count("”"):
        words.pop(0)
    if len(words) > 1 and words[0] in _PREDICATE_VERBS | _ACT_VERBS and any(
            f.startswith("v") for w, f in toks[de - len(words) + 1:de]):
        words.pop(0)  # 「已完成“一规划两纲要”确定的任务」: the verb opening it acts on the whole phrase
    return [*words, "的"] if words and any(w not in "“”\"" for w in words) else []


_SUBJECT_ENDS = frozenset(("经", "于", "由", "被", "向", "在"))


def subject_of(clause: str) -> str:
    """The noun phrase a clause opens with (「七进活动全年累计开展80余次」 → 七进活动): the measured thing when
    the words right before the figure are only a verb."""
    toks = _tokens(clause)
    out = ""
    started = False
    quoted = False  # inside “…”: a name, whatever its words (「“一趟不用跑”和“最多跑一趟”办事清单」)
    for i, (w, f) in enumerate(toks):
        if w in "“”":
            quoted = w == "“"
            out += w
            continue
        if quoted:
            out += w
            continue
        if out.endswith("”") and not started and w in _LINKS:
            out += w  # 「“一趟不用跑”和“最多跑一趟”…」: two names of one thing
            continue
        if not started and (w in _ADVERBS or f.startswith(("t", "m", "p", "c", "d")) or w == '"'):
            if w == '"':
                out += w
            continue
        if started and w in _SUBJECT_ENDS:
            break  # 「…办事清单经梳理后」: 经 / 于 / 由 end the subject (jieba may tag 经 a noun)
        if (w in _ACT_VERBS or (f.startswith("v") and not f.startswith("vn"))) and not _verb_inside(toks, i):
            break
        if _stops(w, f) or f.startswith(("d", "l")):
            break
        started = True
        out += w
    out = _balanced(out)
    return out if len(out) >= 2 else ""


def only_links(between: str) -> bool:
    """「50批次3.2万余人」「案卷二次共20份」: nothing but linking words between two figures (they share a thing)."""
    return bool(re.fullmatch(r"[共计达约为合和及与、\s]*", between))


def _balanced(text: str) -> str:
    """Quotes kept only in pairs: 「容错期”服务型执法」 → 容错期服务型执法."""
    text = text.strip("“”\"")
    if text.count("“") != text.count("”"):
        text = text.replace("“", "").replace("”", "")
    return text


def _clause_start(text: str) -> int:
    cut = 0
    for m in _BREAK.finditer(text):
        cut = m.end()
    return cut


def _without_titles(text: str) -> str:
    """Document names (《…》) blanked, same length, so their words are not read as the report's own."""
    return rules.TITLE.sub(lambda m: "□" * len(m.group()), text)
