"""What a question asks for: the measure it expects, and whether it has several parts.

Built from the language of the questions (多少件 / 几次 / 比例 / 分别 / 哪个…更多),
not from any particular question.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..text.tokens import tokenize
from ..text.script import to_simplified
from ..text.quantity import NOT_A_PLACE_AFTER, RANK_UNIT, RANK_VERB_PATTERN, find_quantities
from ..text.tokens import split_on_conjunctions
from .vocab import OWNER_ENDS

# Words that frame a question but name no metric.
FRAME_WORDS = frozenset(
    "多少 几 几个 哪些 哪个 哪一个 哪 谁 什么 是否 是 有 了 的 共 共计 一共 总共 总计 累计 分别 各 各自 "
    "多 更 更多 更少 较多 较少 最多 最少 相比 比较 对比 还是 数量 数目 次数 人数 个数 件数 总数 规模 "
    "情况 多大 如何 怎样 怎么样 报告 年度 全年 全区 全镇 请 请问 说明 呢 吗 那 那么 又 和 与 及 以及 "
    "达到 达 约 大约 中 里 里面 其中 该 这 这个 当年 今年 为 占 百分 百分之 一年 上一年 上年 "
    "是不是 不是 有没有 没有 太少 太多 偏少 偏多 够不够 超过 低于 高于 少于 多于 不到 以上 以下 吗 "
    "为什么 为何 原因 怎么会 什么原因 "
    # the verbs of a from→to asked (「升到了多少」「压减后还剩几项」): which figure is asked, not what it measures
    "升到 降到 提到 增到 减到 升至 降至 增至 减至 还剩 剩下 剩余".split()
)
_UNIT_AFTER_ASK = re.compile(r"(?:多少|几)\s*(?:个)?\s*(?:[万亿千百](?!元))?(人次|家次|户次|件次|场次|批次|项次|万元|亿元|个百分点|"
                             r"[件次项名家人份条场期批篇本卷座户天元位所处类部套台辆起宗支张亩吨周个])")
# Words a measure character begins (「多少处罚权」「几部门」): read as words, not as the asked unit.
_NOT_UNITS = frozenset("人大 人民 处罚 处理 处置 部门 部分 条例 期间 场所 位置 类型 家庭 本级 起诉 支持 名单 份额 类别 所有 台账 周边 张贴".split())
_PERCENT_WORDS = ("率", "比例", "比重", "占比", "百分比", "百分之几", "百分之多少", "百分点", "同比", "增长了多少", "下降了多少",
                  "降低了多少", "提高了多少", "提升了多少")
_MONEY_WORDS = ("多少钱", "资金", "金额", "经费", "费用", "奖励", "预算", "万元", "亿元", "减免", "罚款", "处罚金")
_COMPARE = re.compile(r"(哪个|哪一个|哪个区|哪家|谁|哪里|哪边).{0,30}(更多|更少|较多|较少|多|少|高|低|大|小)"
                      r"|(更多|更少|较多|较少)的?是|相比.{0,10}(多|少|高|低)|对比|比较"
                      r"|比.{0,16}?(多|少|高|低).{0,6}?(多少|几)")
_DIFFERENCE = re.compile(r"比.{0,16}?(多|少|高|低).{0,6}?(多少|几)|相差|差多少|差距|差额")
_LESS = re.compile(r"(更少|较少|少|低|小)(?!于)")
_MULTI = re.compile(r"分别|各(是|有|为)多少|各自")


_ASK = re.compile(r"多少|几|哪个|哪些|什么|是否|怎样")
FOCUS_BOOST = 1.5  # extra weight for the words right next to 多少/几: they name what is measured
FOCUS_SPAN = 5.0  # characters over which that extra weight fades


@dataclass(frozen=True)
class Intent:
    units: tuple[str, ...]  # measure words the answer should carry ("件", "%", "元"…); () = any
    terms: tuple[str, ...]  # metric words to match in the reports
    focus: tuple[float, ...] = ()  # per term: >1 for words next to the question word
    predicate: str | None = None  # 「审结了多少件」 → 审结: what was done
    counted: str | None = None  # 「多少个执法不规范问题」 → 问题: what is counted
    compare: bool = False
    prefer_less: bool = False
    multi: bool = False
    difference: bool = False  # 「比…多多少」「相差多少」: state the gap too
    measures: tuple[str, ...] = ()  # 「几大提升」 → (大,): numerals used as names count for it
    numbers: tuple[float, ...] = ()  # numbers the question itself states (never the answer)
    frame: str | None = None  # 「提升到多少」 to · 「原来是多少」 from · 「提升了多少」 delta · None: a plain value
    counts_meetings: bool = False  # 「常委会一共开了多少次会」: meetings held, not what was done at them


_TIME_UNITS = ["天", "日", "个工作日", "工作日", "小时", "分钟", "个月", "月", "年"]
_AREA_UNITS = ["平方米", "万平方米", "亩", "万亩", "平方公里", "公顷"]


# 「排名第几」「位列全省第几」「第几名」「名次」: the question asks a place, answered by a rank only.
_ASKS_RANK = re.compile(rf"{RANK_VERB_PATTERN}[^，,。？?]{{0,12}}第几(?![{NOT_A_PLACE_AFTER}])|第几[名位]|名次"
                        r"|排名(?:情况|如何|怎么样|怎样)")


def expected_units(q: str) -> tuple[str, ...]:
    if _ASKS_RANK.search(q):
        return (RANK_UNIT,)
    units = []
    for m in _UNIT_AFTER_ASK.finditer(q):
        u = m.group(1)
        if q[m.start(1):m.start(1) + 2] in _NOT_UNITS:
            continue  # 「多少处罚权」: 处 begins a word, it measures nothing
        units.append("元" if u in ("万元", "亿元") else u)
    if not units and any(w in q for w in _PERCENT_WORDS):
        units.append("%")
    if not units and any(w in q for w in _MONEY_WORDS):
        units.append("元")
    if not units and re.search(r"几次|多少次|次数", q):
        units.append("次")
    if not units and re.search(r"人数|多少.{0,4}(人员|群众|干部|人(?![民大]))", q):
        units.append("人")
    if not units and re.search(r"多少时间|(时限|时长|周期|用时).{0,6}(多少|几)", q) and asked_frame(q) != "delta":
        # (「审批时限压缩了多少」 may be answered by a percentage: a reduction is not a length)
        units += _TIME_UNITS  # 「平均办理时间多长」 is not answered by 「2项」
    if not units and re.search(r"面积.{0,6}(多少|几)", q):
        units += _AREA_UNITS
    if not units:
        # 「…的件数」「户数」: the count's own measure word.
        units += [m.group(1) for m in re.finditer(r"(?<![这那两几每市])(件|户|家|个|项|条|份|场|名)数(?![字据量目码额])", q)]
    return tuple(dict.fromkeys(units))


def metric_terms(q: str) -> tuple[str, ...]:
    toks = [t for t in tokenize(q) if len(t) > 1 and t not in FRAME_WORDS and not t.isdigit()
            and not t.startswith(("多少", "几")) and t not in _MEASURE_TOKENS]
    return tuple(dict.fromkeys(toks))


_NUMERIC_ASK = re.compile(r"多少|几|数量|次数|人数|个数|总数|金额|规模|比例|比重|占比|百分|率|增长|下降|降低|提高|"
                          r"更多|更少|较多|较少|哪个.{0,20}(多|少|高|低)")


def asks_for_number(question: str) -> bool:
    """「多少件」「比例」「哪个更多」 want a number; 「哪些举措」「什么荣誉」 want the passage."""
    return bool(_NUMERIC_ASK.search(to_simplified(question)))


def analyse(question: str) -> Intent:
    q = to_simplified(question)
    compare = bool(_COMPARE.search(q))
    unasked = q.replace("多少", "")  # the 少 of 多少 is not 「fewer」
    prefer_less = compare and bool(_LESS.search(unasked)) and not re.search(r"更多|较多|最多", unasked)
    terms = metric_terms(q)
    predicate, counted = ask_slots(q)
    stated = [n for n in find_quantities(q) if not n.is_year]
    return Intent(expected_units(q), terms, focus_weights(q, terms), predicate, counted, compare, prefer_less,
                  bool(_MULTI.search(q)), compare and bool(_DIFFERENCE.search(q)), asked_measures(q),
                  tuple(sorted({n.value for n in stated} | {n.number for n in stated})), asked_frame(q),
                  bool(_COUNTS_MEETINGS.search(q)) and not _MEETING_ACTS.search(q))


# 「一共开了多少次会」「召开了几次常务会议」「常务会议开了多少次」: how many meetings were held.
_COUNTS_MEETINGS = re.compile(r"(开|召开|举行)了?(多少|几)次(会议?|[^，,。？?]{0,10}会议?)|(会议?|常委会|常务会)(一共|共|总共|全年)?"
                              r"(开|召开|举行)了?(多少|几)次")
# …unless the question names what was done at them (「常务会议专题研究法治工作几次」).
_MEETING_ACTS = re.compile(r"研究|学习|学法|听取|审议|部署|讨论")


_ASKED_TO = re.compile(r"(提升|提高|增加|增长|上升|下降|降低|减少|压缩|缩短|降|减|增|升|扩大)(到|至)了?(多少|几|百分之)"
                       r"|(?<![报告文件中里])提(到|至)了?(多少|几)"  # 「分值提到了几分」, not 「报告提到了多少项」
                       r"|现在是多少|目前是多少|现为多少"
                       r"|(压减|精简|削减|压缩|缩减|调整|整合|清理|优化|提升|提高|降低)(后|之后)[^，,。？?]{0,6}(还剩|剩下|剩余|还有|保留|有|为|是)"
                       r"|还剩|剩下(多少|几)|剩余(多少|几)")
_ASKED_FROM = re.compile(r"(由|从)(多少|几)|原来|原先|原本|此前|之前|起初|提升前|改革前|改造前|以前是|一开始")
_ASKED_DELTA = re.compile(r"(提升|提高|增加|增长|上升|下降|降低|减少|压缩|缩短|降|减|增|升)了(多少|几|百分之)|(增幅|降幅|减幅)(是|为)?多少")


def asked_frame(q: str) -> str | None:
    """Which figure of a from→to sentence the question wants (None: the plain, current figure)."""
    if _ASKED_TO.search(q):
        return "to"
    if _ASKED_FROM.search(q):
        return "from"
    if _ASKED_DELTA.search(q):
        return "delta"
    return None


_MEASURE_TOKENS = frozenset("个 件 项 名 家 人 次 份 条 场 期 批 篇 本 卷 座 户 天 元 位 所 处 类 部 套 台 辆 起 宗 支 张 "
                            "人次 件次 家次 户次 场次 批次 万元 亿元 万 亿 余 多 万户 万人 万件 万人次 万家 万个 万次 "
                            "亿人次".split())


def ask_slots(q: str) -> tuple[str | None, str | None]:
    """Chinese quantity questions read [predicate] 多少/几 [measure] [counted thing].

    The predicate is the verb right before the question word (审结了多少件); a noun there
    (「政策文件多少」) names the metric, which the coverage scores already weigh.
    """
    import jieba.posseg

    from ..text.tokens import jieba_module

    jieba_module()
    toks = [(w, f) for w, f in jieba.posseg.cut(q) if w.strip()]
    at = next((i for i, (w, _) in enumerate(toks) if w.startswith(("多少", "几"))), None)
    if at is None:
        return None, None
    before = next(((w, f) for w, f in reversed(toks[:at]) if len(w) > 1 and w not in FRAME_WORDS
                   and re.search(r"[\u4e00-\u9fff]", w)), None)
    predicate = before[0] if before and before[1].startswith("v") else None
    counted = None
    for w, _ in toks[at + 1:]:
        if re.fullmatch(r"[，,。？?！!；;、]", w):
            break
        if len(w) > 1 and w not in FRAME_WORDS and w not in _MEASURE_TOKENS:
            counted = w
    return predicate, counted


def focus_weights(q: str, terms: tuple[str, ...]) -> tuple[float, ...]:
    """In 「审结了多少件」 or 「多少个执法不规范问题」 the words beside 多少 are the measured thing."""
    asks = [(m.start(), m.end()) for m in _ASK.finditer(q)]
    out = []
    for t in terms:
        i = q.lower().find(t)
        if i < 0 or not asks:
            out.append(1.0)
            continue
        d = min(max(a - (i + len(t)), i - b, 0) for a, b in asks)
        out.append(1.0 + FOCUS_BOOST * math.exp(-d / FOCUS_SPAN))
    return tuple(out)


def per_part_question(content: str) -> str:
    """「…哪个办理的政协提案更多？」 asked of one place at a time: 「办理的政协提案多少？」."""
    q = to_simplified(content)
    q = re.sub(r"(哪个区|哪一个|哪个|哪家|谁|哪里|哪边)的?", "", q)
    q = re.sub(r"更多|更少|较多|较少|更高|更低|相比|比较|对比|是否|还是", "", q)
    q = re.sub(r"比(多|少|高|低)?", "", q)
    q = re.sub(r"^[，,、和与及\s]+|[，,、和与及\s]+$", "", q.strip("？?。！! "))
    return q if re.search(r"多少|几", q) else q + "多少？"


def asks_several(question: str) -> bool:
    """「代理案件多少件，审结多少件？」: more than one 多少/几 asks for more than one number."""
    return len(re.findall(r"多少|几", to_simplified(question))) >= 2


def split_parts(content: str) -> list[str]:
    """「A和B分别多少件」 → [「A多少件」, 「B多少件」]; 「A多少件、B多少家」 → both as asked."""
    q = to_simplified(content)
    m = _MULTI.search(q)
    if m:
        head, tail = q[:m.start()], q[m.end():]
    else:
        head, tail = q, ""
    pieces = [p.strip(" 的？?。") for p in split_on_conjunctions(head)]
    pieces = [p for p in pieces if metric_terms(p)]
    if len(pieces) < 2:
        return [content]
    # 「A和B的会前学法分别开展了几次」: what the last item's 的 names is each item's (A的会前学法)
    at = pieces[-1].rfind("的")
    if m and at > 0 and not any("的" in p for p in pieces[:-1]) and all(p.endswith(OWNER_ENDS) for p in pieces[:-1]):
        pieces = [p + pieces[-1][at:] for p in pieces[:-1]] + [pieces[-1]]
    # A piece that names its own measure (多少家次) stands alone; others share the tail (开展了几次).
    return [p if expected_units(p) else p + tail for p in pieces]


_ASK_MEASURE = re.compile(r"第?几\s*(个|大|条|届|批|级|项|类|种|期|轮|家|名|座|所|支|套|位|组|块|板块|方面)"
                          r"([\u4e00-\u9fff])?")
_NOT_A_MEASURE = set("的是了和与在中有为")


def asked_measures(question: str) -> tuple[str, ...]:
    """The measures of a 「几X」 question: 几大提升 → (大,), 第几届 → (届,), 几个组 → (个, 组)."""
    m = _ASK_MEASURE.search(to_simplified(question))
    if not m:
        return ()
    nxt = m.group(2)
    # 「几个组」 may be written 「五组」: the noun after 个 can be the measure itself.
    return (m.group(1), nxt) if m.group(1) == "个" and nxt and nxt not in _NOT_A_MEASURE else (m.group(1),)


