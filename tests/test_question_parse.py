"""Each parsing rule has a row here: question (and earlier turns) → the ParsedQuestion fields it sets.

No index is built: the parser gets the real catalogue's scope detector and a small vocabulary.
"""
from __future__ import annotations

import pytest

from rag.corpus import load_catalog
from rag.filters import ScopeDetector
from rag.question import QuestionParser
from rag.question.normalise import Vocabulary, language_of, translate_english
from rag.settings import Settings

VOCABULARY = ["行政复议", "复议", "行政", "公开", "政务公开", "政务", "法律援助", "援助", "申请", "政策解读"]


@pytest.fixture(scope="module")
def parser():
    catalog = load_catalog(Settings().seeds_dir)
    return QuestionParser(ScopeDetector(catalog), Vocabulary(VOCABULARY))


def _has(pq, field, want):
    got = getattr(pq, field) if not field.startswith("scope.") else getattr(pq.scope, field[6:])
    if callable(want):
        assert want(got), f"{field}={got!r}"
    else:
        assert got == want, f"{field}={got!r}, want {want!r}"


ROWS = [
    # (history, question, {field: expected})
    ([], "昌平区2024年共接收行政复议申请多少件？", {"shape": "value", "language": "zh", "scope.regions": ("昌平区",),
                                           "scope.years": (2024,)}),
    # yes/no, with a threshold held in code
    ([], "西城区2023年报告写了几个方面的不足？", {"operation": "count", "kind": "不足"}),
    ([], "昌平区2024年受理了多少件行政复议案件？", {"asked_thing": "行政复议案件"}),  # named after the asking word
    ([], "恩阳区2024年办理法律援助案件多少件？", {"asked_thing": "办理法律援助案件"}),
    ([], "通州区组建了多少支综合执法队？", {"asked_thing": "综合执法队"}),  # 支 is the measure word here
    ([], "恩阳区2025年计划办理多少件法律援助案件？", {"plan_only": True, "against_before": False}),
    ([], "恩阳区有多少项涉企监管事项被列入年度监管计划？", {"plan_only": False}),  # 计划 is a plan document
    ([], "西城区政策解读比上年多了多少件？", {"against_before": True, "plan_only": False}),
    ([], "昌平区行政复议申请同比增长了多少？", {"against_before": True}),
    ([], "西城区有多少座基层应急服务站？", {"asked_thing": "基层应急服务站"}),
    (["昌平区2024年共接收行政复议申请多少件？"], "这个比上一年少了多少件吗？", {"asked_direction": "down"}),
    ([], "昌平区2024年接收行政复议申请比上年多了多少件？", {"operation": "change"}),
    ([], "通州区2020年存在的问题有几条？", {"operation": "count", "kind": "不足"}),  # the count asked after the thing
    ([], "恩阳区2024年行政复议案件有没有超过40件？", {"shape": "yesno", "threshold": lambda t: (t.op, t.value, t.unit) == (">", 40, "件")}),
    ([], "西城区2023年完成的审计项目有40个吗？", {"shape": "yesno", "threshold": lambda t: (t.op, t.value) == (">=", 40)}),
    ([], "恩阳区2024年区政府常务会议开了30次以上吗？", {"shape": "yesno", "threshold": lambda t: (t.op, t.value) == (">=", 30)}),
    ([], "昌平区2024年行政复议申请是不是1723件？", {"shape": "yesno", "threshold": lambda t: (t.op, t.value) == ("=", 1723)}),
    ([], "恩阳区成立区级行政争议调解中心了没有？", {"shape": "yesno"}),  # 「…了没有」 asks yes or no
    ([], "恩阳区适用首违不罚办理的案件过400件了没？", {"shape": "yesno",
                                          "threshold": lambda t: (t.op, t.value, t.unit) == (">", 400, "件")}),
    ([], "哪份报告里有“容缺受理”这个说法？", {"operation": "mentions", "mention": "容缺受理"}),
    ([], "企业合规指导站是哪里搞的？", {"operation": "mentions", "mention": "企业合规指导站"}),
    ([], "化解信访问题的件数，通州区和恩阳区谁多？", {"shape": "compare", "units": ("件",)}),  # 件数 asks 件
    ([], "西城区2023年每份审查意见书平均提了几条意见？", {"operation": "average",
                                            "parts": lambda p: p[1].label.startswith("份审查意见书")}),
    ([], "昌平区收到的行政复议申请是恩阳区行政复议案件的多少倍？", {"operation": "ratio",
                                                "parts": lambda p: len(p) == 2 and "申请" in p[0].label
                                                and "案件" in p[1].label}),  # each place its own thing
    ([], "昌平区接收的行政复议申请数大约是恩阳区的多少倍？", {"operation": "ratio", "parts": lambda p: len(p) == 1}),
    ([], "通州区2020年复议纠错的案件里，拆迁拆违领域有几件？", {"within": lambda w: w in ("拆迁", "拆违")}),  # a part
    ([], "昌平区2024年行政复议申请里，行政复议纠错的有多少件？", {"within": "纠错"}),  # the whole's words tell nothing
    ([], "昌平区有没有开展过3次普法活动？", {"threshold": lambda t: t is None or t.op != ">"}),  # 过 of experience
    ([], "这个数比去年高吗？", {"units": ()}),  # 这个数 names no measure word
    ([], "哪份报告里有首违不罚这个说法？", {"operation": "mentions", "mention": "首违不罚"}),
    ([], "昌平区有市级示范项目吗？", {"operation": "exists"}),  # a level word inside a question about a place
    ([], "有没有镇层级的报告？", {"about": "levels", "asked_level": "town"}),
    ([], "长子营镇主要措施分了几个部分？", {"operation": "count", "count_noun": "部分"}),
    ([], "昌平区司法建议和检察院的检察建议加起来多少件？", {"parts": lambda p: [x.label for x in p][0] == "司法建议"}),
    ([], "按比例算，恩阳区纠错多少件？", {"operation": lambda o: o != "apply"}),  # a bare 按比例 names no rate
    ([], "恩阳区的首违不罚清单里一共纳入了多少项事项？", {"within": ""}),  # 里 of where things are put
    ([], "通州区2020年下放了多少处罚权？", {"units": ()}),  # 处 begins 处罚: no measure word asked
    ([], "昌平区答复了多少人大代表建议？", {"units": ()}),  # 人 begins 人大: no measure word asked
    ([], "通州区有多少人民调解组织？", {"units": ()}),
    ([], "通州区有多少人参加了普法培训？", {"units": ("人",)}),
    ([], "西城区2023年设立了多少处调解室？", {"units": ("处",)}),
    # losing a lawsuit said plainly is 败诉, the reports' word
    ([], "恩阳区2024年行政机关有没有输过官司？", {"metric": lambda m: "败诉" in m.terms}),
    ([], "通州区2020年行政诉讼官司打输了几件？", {"metric": lambda m: "败诉" in m.terms}),
    ([], "通州区2020年打赢污染防治攻坚战了吗？", {"metric": lambda m: "胜诉" not in m.terms}),  # an idiom, no lawsuit
    # a magnitude before the measure word (多少万户) asks that measure; 万户 is no metric word
    ([], "通州区2020年新登记市场主体多少万户？", {"units": ("户",), "metric": lambda m: "万户" not in m.terms}),
    ([], "昌平区2024年行政复议申请同比增幅有没有超过50%？", {"threshold_of_change": True}),  # 增幅: a change as a noun
    ([], "昌平区A类执法岗位按参与执法率算，实际参与执法的有多少人？", {"operation": "apply",
                                                  "parts": lambda p: p[0].label == "参与执法率"}),
    ([], "恩阳区委常委会2024年一共开了多少次会？", {"asked_thing": "区委常委会"}),  # 区委 stays; 一共开了 is the asking
    ([], "昌平区政府常务会会前学法几次？", {"scope.regions": ("昌平区",), "scope.content": lambda c: c.startswith("区政府")}),
    # totals and differences
    ([], "昌平区和通州区的行政复议案件加一起是多少？", {"operation": "sum"}),
    ([], "昌平和通州的行政复议案件加起来一共多少件？", {"shape": "aggregate", "aggregate": "sum",
                                           "scope.mentions": lambda m: len(m) == 2}),
    ([], "昌平区2024年按时办复的人大代表议案建议和政协提案合计多少件？", {"shape": "aggregate", "aggregate": "sum",
                                                       "parts": lambda p: len(p) == 2}),
    ([], "西城区2023年区委中心组和区政府常务会的会前学法一共几次？", {"shape": "aggregate", "aggregate": "sum",
                                                  "parts": lambda p: [x.label for x in p] == [
                                                      "区委中心组的会前学法", "区政府常务会的会前学法"]}),  # A和B的C
    ([], "通州区2020年发布的红名单比黑名单多出多少家？", {"shape": "aggregate", "aggregate": "difference",
                                           "parts": lambda p: [x.label for x in p] == ["发布的红名单", "黑名单"]}),
    ([], "长子营镇2023年违法行为纳入检查率较上年提升了多少个百分点？", {"shape": "aggregate", "aggregate": "change"}),
    # rankings over every report, and comparisons of named places
    ([], "哪个地方的行政复议案件最多？", {"shape": "rank", "descending": True, "scope.doc_ids": None,
                                "parts": lambda p: p[0].text == "行政复议案件多少？"}),
    ([], "这些报告里，谁的行政复议案件数最少？", {"shape": "rank", "descending": False}),
    ([], "违法行为纳入检查率谁更高？", {"shape": "rank", "descending": True}),
    ([], "2024年昌平区和巴中市恩阳区，哪个区的行政复议案件量更多？", {"shape": "compare"}),
    # English, pinyin, typos, spoken wording
    ([], "How many legal aid cases did Enyang handle in 2024?", {"language": "en", "shape": "value",
                                                                "scope.regions": ("恩阳区",), "scope.years": (2024,)}),
    ([], "Did Enyang handle more than 40 administrative reconsideration cases in 2024?", {"language": "en", "shape": "yesno"}),
    ([], "Which district received the most administrative reconsideration applications?", {"language": "en", "shape": "rank"}),
    ([], "Enyang 2024年办理法律援助案件多少件？", {"language": "zh", "scope.regions": ("恩阳区",)}),
    ([], "changping区2024年现在有多少名公职律师？", {"scope.regions": ("昌平区",)}),
    ([], "In 2023, how many cases did Changziying town review?", {"scope.regions": ("长子营镇",)}),  # 长: zhang or chang
    ([], "昌平那边去年行政复义申请收了多少件啊？", {"rewrites": lambda r: ("复义", "复议") in r, "scope.regions": ("昌平区",),
                                         "resolved": lambda t: "那边" not in t and "啊" not in t and "去年" not in t}),
    ([], "政务工开做得怎么样", {"rewrites": lambda r: ("工开", "公开") in r}),
    ([], "恩阳区一年里区政府常务会开了多少回啊？", {"resolved": lambda t: "全年" in t and "多少次" in t}),
    # places we do not hold are refused, never silently dropped
    ([], "How many administrative reconsideration cases did Haidian District handle in 2023?",
     {"shape": "refuse", "scope.unknown_regions": lambda u: "Haidian" in u}),
    ([], "海淀区2024年共接收行政复议申请多少件？", {"shape": "refuse"}),
    # about the reports themselves
    ([], "长子营镇是哪个区的？", {"shape": "about", "about": "parent"}),
    ([], "长子营镇是哪个区下面的？", {"shape": "about", "about": "parent"}),
    ([], "这份报告是哪天发布的？", {"shape": "about", "about": "published"}),
    ([], "这些报告覆盖了哪些地方？", {"shape": "about", "about": "coverage"}),
    ([], "这些报告里有没有北京以外的地方？", {"shape": "about", "about": "coverage"}),
    ([], "恩阳区那份报告是以谁的名义报送的？", {"shape": "about", "about": "issuer"}),
    # false premises and report parts
    ([], "为什么昌平区2024年行政复议申请下降了？", {"premise": "down"}),
    ([], "为什么长子营镇2023年行政复议和诉讼案件比上一年增加了？", {"premise": "up"}),
    ([], "西城区2023年法治政府建设存在哪些不足？", {"shape": "list", "kind": "不足"}),
    ([], "恩阳区的法治政府建设还存在什么问题？", {"shape": "list", "kind": "不足"}),
    ([], "西城区2024年法治政府建设怎么安排的？列一下几个方面。", {"shape": "list", "kind": "下一年安排",
                                                 "scope.doc_ids": ("xicheng-2023",)}),
    ([], "长子营镇2023年报告中，去年同期的A岗参与率是多少？", {"period": "previous"}),
    # follow-ups carry place, year, metric and shape
    (["昌平区2024年共接收行政复议申请多少件？"], "那恩阳区呢？",
     {"scope.regions": ("恩阳区",), "resolved": lambda t: "行政复议申请" in t, "carried": lambda c: "metric" in c}),
    (["昌平区2024年共接收行政复议申请多少件？"], "那上一年呢？",
     {"scope.years": (2023,), "period": "previous", "carried": lambda c: "year" in c}),
    (["恩阳区2024年区政府常务会会前学法几次？"], "这个比昌平多吗？",
     {"shape": "yesno", "scope.mentions": lambda m: [n for n, _ in m] == ["恩阳区", "昌平"]}),
    # The earlier question's asking word is carried, not its measure word: another thing counts in its own.
    (["通州区2020年黑名单有多少家？"], "红名单呢？", {"resolved": "通州区2020年红名单多少？"}),
    (["西城区2023年主动公开信息多少条？"], "那下一年打算怎么做？", {"kind": "下一年安排", "scope.regions": ("西城区",)}),
    (["恩阳区2024年办理法律援助案件多少件？"], "政策解读呢？", {"scope.regions": ("恩阳区",),
                                                "resolved": lambda t: "政策解读" in t}),
    (["通州区2020年化解了多少件信访问题？", "恩阳区2024年化解的突出信访事项有多少件？"], "这两个数哪个大？",
     {"shape": "compare", "scope.mentions": lambda m: len(m) == 2}),
    (["How many legal aid cases did Enyang handle in 2024?"], "What about Changping?",
     {"scope.regions": ("昌平区",), "resolved": lambda t: "法律援助" in t}),
    # a size or a length asked as 多大 / 多长 is a figure; a length asks units of time
    ([], "昌平区2024年拆除违法建设面积有多大？", {"wants_number": True, "metric": lambda m: "平方米" in m.units}),
    ([], "昌平区行政复议平均办理时间多长时间？", {"wants_number": True, "metric": lambda m: "天" in m.units}),
    ([], "昌平区审批时限平均压缩了多少？", {"metric": lambda m: "天" not in m.units}),  # a reduction may be a %
    # 过 of having done is not the reports' word; 过 before a number is a bound
    ([], "长子营镇2023年制发过行政规范性文件吗？", {"shape": "yesno", "metric": lambda m: "制发过" not in m.terms}),
    ([], "昌平区行政复议申请过1000件了没？", {"threshold": lambda t: t is not None and t.value == 1000}),
    # a number that counts the subject is no bound
    ([], "长子营镇的9名执法人员是不是都取得了执法证？", {"shape": "yesno", "threshold": None}),
    ([], "昌平区受理了1723件行政复议申请吗？", {"threshold": lambda t: t is not None and t.value == 1723}),  # no 都
    ([], "昌平区行政复议申请过了1000件吗？", {"threshold": lambda t: t is not None and t.op == ">"}),
    ([], "西城区调解成功率是多少？", {"rate_counts": lambda p: p is not None}),
    ([], "西城区行政复议申请的增长率是多少？", {"rate_counts": None}),  # a change over last year, not a count's share
    ([], "西城区便民服务中心社保类事项占多大比例？", {"parts": lambda ps: len(ps) == 1}),  # 中心 is no 中
    # a planned figure answers only a question about the plan
    ([], "西城区明年计划培训执法人员多少人次？", {"asks_plan": True}),
    ([], "西城区2023年培训执法人员多少人次？", {"asks_plan": False}),
    # a rate the report may state only as its counts: the rate's own act, as a count query
    ([], "西城区2023年人民调解的成功率是多少？", {"rate_counts": lambda p: p is not None and p.label == "成功",
                                          "asked_thing": "人民调解的成功率"}),  # 人 is not a measure word here
    ([], "西城区2023年政务服务事项的占比是多少？", {"rate_counts": None}),
    # a stated share after its change is a value, not a share to compute
    ([], "西城区考核中法治建设分值占比提高到了多少？", {"operation": "value", "metric": lambda m: m.frame == "to"}),
    # the to of a from→to, however it is asked; a report that mentions is no change
    ([], "西城区群众满意率升到了多少？", {"metric": lambda m: m.frame == "to" and "升到" not in m.terms}),
    ([], "西城区行政许可事项压减后还剩几项？", {"metric": lambda m: m.frame == "to"}),
    ([], "西城区考核分值提到了几分？", {"metric": lambda m: m.frame == "to"}),
    ([], "西城区报告提到了多少项改革任务？", {"metric": lambda m: m.frame is None}),
    # 「A和B的C分别…」: C is each item's
    ([], "西城区区委理论学习中心组和区政府常务会的会前学法分别开展了几次？",
     {"operation": "multi", "parts": lambda ps: all("会前学法" in p.text for p in ps)}),
    # 「X中，Y占多大比例」: the part, then its whole
    ([], "西城区便民服务中心办理的事项中，社保类占多大比例？",
     {"operation": "share", "parts": lambda ps: [p.label for p in ps] == ["社保类", "便民服务中心办理的事项"]}),
    # a place asked is answered by a rank only; a count of people is no rank, nor is 第几届 a place
    ([], "西城区在好差评评价中排名第几？", {"metric": lambda m: m.units == ("排名",)}),
    ([], "西城区在全市考核中位列第几名？", {"metric": lambda m: m.units == ("排名",)}),
    ([], "昌平区共有多少名执法人员？", {"metric": lambda m: m.units == ("名",)}),
    ([], "西城区举办的是第几届活动？", {"metric": lambda m: "排名" not in m.units}),
    # a yes/no on a place holds the report to it: 第一 is = 1, 前三 is <= 3; 第二批 is no place
    ([], "西城区在好差评评价中是全市第一吗？", {"threshold": lambda t: (t.op, t.value, t.unit) == ("=", 1.0, "排名")}),
    ([], "通州区行政检查量排名全市前三吗？", {"threshold": lambda t: (t.op, t.value, t.unit) == ("<=", 3.0, "排名")}),
    ([], "西城区是第二批示范项目吗？", {"threshold": lambda t: t is None or t.unit != "排名"}),
    # 「是第六届…吗」 asks which ordinal; 「拿到第三批…了吗」 asks whether it was done: no ordinal bound
    ([], "西城区举办的是第六届政府开放日吗？", {"threshold": lambda t: (t.op, t.value, t.unit) == ("=", 6.0, "届")}),
    ([], "西城区拿到第三批示范项目了吗？", {"threshold": lambda t: t is None or t.unit != "批"}),
]


@pytest.mark.parametrize("history,question,expected", ROWS, ids=[r[1][:24] for r in ROWS])
def test_parse_rules(parser, history, question, expected):
    pq = parser.parse(question, [{"role": "user", "content": h} for h in history])
    for field, want in expected.items():
        _has(pq, field, want)


def test_parsed_question_is_frozen(parser):
    pq = parser.parse("昌平区2024年共接收行政复议申请多少件？")
    with pytest.raises(Exception):
        pq.shape = "rank"


@pytest.mark.parametrize("text,lang", [("How many cases?", "en"), ("昌平区多少件？", "zh"), ("Enyang 2024年办理法律援助案件多少件", "zh")])
def test_language_of(text, lang):
    assert language_of(text) == lang


def test_english_glossary_and_years():
    out = translate_english("How many legal aid cases did Enyang handle in 2024?")
    assert "法律援助案件" in out and "2024年" in out and "多少" in out
    assert translate_english("Did Enyang handle more than 40 cases?").endswith("吗？")
    # 「What was X's ozone concentration in 2022?」 asks a figure, as 「…是多少」 does
    assert translate_english("What was Enyang's ozone concentration in 2024?").endswith("臭氧浓度2024年是多少？")
    assert "多少" not in translate_english("What was the reason for the low correction rate?")  # a why, no figure


@pytest.mark.parametrize("english,chinese", [
    ("What place did Tongzhou rank in the city in 2020?", "排名第几"),
    ("Was Xicheng ranked first in the city?", "排名第一"),
    ("Was Tongzhou in the top three in the city?", "排名前三"),
])
def test_english_asks_a_place(english, chinese):
    assert chinese in translate_english(english)
