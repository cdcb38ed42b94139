"""The language of questions, as data: every word list the question parser reads lives here.

Each list is read by one rule in `rag.question`; each rule has rows in tests/test_question_parse.py.
"""
from __future__ import annotations

import re

from ..filters import PLAN_WORDS  # noqa: F401 - the one list of plan words, where scope detection reads it

# Section kinds a question can ask about, and the words that say so (first match wins).
KIND_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("下一年安排", ("安排", "计划", "打算", "工作重点", "下一步", "明年", "思路", "下一年", "将要", "今后", "接下来")),
    ("不足", ("不足", "问题与", "短板", "薄弱", "存在的问题", "存在什么问题", "存在哪些问题", "有什么问题", "有哪些问题",
             "差距", "问题和不足")),
    ("第一责任人", ("第一责任人", "主要负责人", "主要负责同志", "主要领导")),
)

# Spoken fillers that carry no meaning for retrieval (removed before parsing).
FILLERS = ("来着", "那边", "这边", "那儿", "这儿", "那里的", "一下子", "帮我查一下", "帮我查查", "帮我看看", "帮我看一下",
           "查一下", "查查", "看一下", "我想知道", "想问一下", "想问问", "问一下", "请问", "麻烦", "大概", "大约",
           "差不多", "到底", "究竟", "呀", "啊", "哈", "嘛", "哦", "噢", "呗", "啦")
# Spoken wording with a written equivalent.
SPOKEN = (("一年里", "全年"), ("一年下来", "全年"), ("一整年", "全年"), ("总共有", "共有"), ("收了", "收到"),
          ("办了", "办理"), ("搞了", "开展"), ("弄了", "开展"), ("几多", "多少"), ("多少个数", "多少"),
          ("多少回", "多少次"), ("案子", "案件"), ("几回", "几次"), ("几趟", "几次"), ("多少趟", "多少次"),
          # losing or winning a lawsuit, said plainly: the reports write 败诉 / 胜诉
          ("输掉行政官司", "行政诉讼败诉"), ("输了行政官司", "行政诉讼败诉"), ("输过行政官司", "行政诉讼败诉"),
          ("赢了行政官司", "行政诉讼胜诉"), ("行政官司", "行政诉讼案件"),
          ("输掉官司", "败诉"), ("输过官司", "败诉"), ("输了官司", "败诉"), ("官司输了", "败诉"), ("官司打输", "败诉"),
          ("输官司", "败诉"), ("赢了官司", "胜诉"), ("打赢官司", "胜诉"), ("打输了官司", "败诉"),
          # a size or a length asked as 多大 / 多长 / 多久 is a figure too
          ("有多大", "有多少"), ("是多大", "是多少"), ("多长时间", "多少时间"), ("有多长", "有多少"), ("多久", "多少时间"))

# Rates that are no count over its total (效率, 税率) or a change over last year's base (增长率, 下降率).
NOT_RATE_WORDS = ("效率", "频率", "概率", "税率", "利率", "汇率", "增长率", "下降率", "增速率", "降幅率", "变化率")
# A question about a plan or target (a planned figure answers only these).
PLAN_ASK = re.compile(r"计划|目标|力争|打算|(?<!模)拟|明年|下一年|下一步|今后|将要|预计|规划|安排|要达到|争取")
# A question that asks for the plan itself (「明年计划办理多少件」): a figure of what was done answers none. A plan
# word asks so only when it governs the asking, not as a noun (列入年度监管计划, 八五普法规划, 目标任务).
PLAN_ONLY = re.compile(r"(计划|力争|打算|预计|争取|目标是)[^，,。？?]{0,8}(多少|几)|明年|下一年")
# Yes/no questions: the asking words, and the comparison a threshold is held to.
YES_NO = re.compile(r"有没有|是不是|是否|有无|能否|可否|够不够|到没到|达没达到|超没超过|吗[？?]?$|吗[，,。]"
                    r"|了没有?[？?]?$|没有[？?]$")
THRESHOLD_OPS: tuple[tuple[str, str], ...] = (
    (r"不少于|不低于|至少|达到|达|超过了?或等于", ">="),
    (r"不超过|不多于|不高于|最多|至多", "<="),
    (r"超过|超出|多于|高于|大于|突破|过了|逾|(?<=[件案次人项家个户条名份场起宗率数量子])过(?=\d)", ">"),
    (r"少于|低于|小于|不到|不足|未达到|没到", "<"),
    (r"等于|正好是|刚好是|恰好是", "="),
)

# Yes/no wording: 「有没有…」 is answered 有/没有, 「是否/是不是/…吗」 是/否.
HAVE_ASK = re.compile(r"有没有|有无|有吗|有过吗|有没|是否有")
# A yes/no question about completion: 「建成了吗」 is not answered by 「探索建设」 or 「推进」.
ASKS_DONE = re.compile(r"建成|建好|完成|实现|获评|评为|获得|获批|荣获|成为|已经|已|落地|投入使用|挂牌|成立|出台|印发|通过")
# A yes/no question about everywhere: 「全区各个执法领域都推行了吗」 is not answered by one field.
ASKS_ALL = re.compile(r"全部|所有|各个|每个|每一个|都|全区|全市|全县|全镇|全面|全覆盖|各领域|各部门")
# 「哪份报告提到了X」「有没有提到X」: whether (and where) the reports mention a thing.
MENTIONS = re.compile(r"(提到|提及|写到|说到|涉及到?|谈到|讲到|出现)(了|过)?|mention")
MENTIONS_WHICH = re.compile(r"哪份|哪些报告|哪个报告|哪几份|哪个地方的报告|哪里的报告")
# 「哪份报告里有“首违不罚”这个说法」「X是哪里搞的」: which report holds a thing, worded without 提到.
MENTIONS_HOLDS = re.compile(r"(哪份|哪个|哪些|哪几份)报告(里|中)?(有|用了|出现)|(是|在)?哪里(搞|做|推行|开展|提出|建立)的"
                            r"|是哪个地方(搞|做|推行|开展|提出|建立)的")
# The words after a mentioned thing that only point at it (「…这个说法」「…的提法」).
MENTION_TAIL = re.compile(r"(这个|这一|这种|的)?(说法|提法|表述|字眼|词)$")

# Arithmetic over stated figures.
RATIO = re.compile(r"(是|为|相当于)?.{0,24}?的?(多少|几)倍|倍数")
SHARE = re.compile(r"占比|占.{0,16}?(的)?(比例|比重|百分之几|多少)|所占比例|比例是多少|百分之几|的比例|的比重")
BASE_FROM_RATE = re.compile(r"推算|估算|倒推|反推|换算|大概是多少|折算")
# 「按参与执法率算，实际参与执法的大概多少人」: a count with its stated rate applied (870 × 96.14%).
APPLY_RATE = re.compile(r"(?:按|按照|以)(?:这个|该)?([^，,。？?按]{2,16}?(?:率|比例|占比))(?:来|去)?(?:算|计算|推算|估算|折算)")
AVERAGE = re.compile(r"平均每|平均一|人均|户均|件均|平均(?:下来)?每|每(个|家|批次|批|次|场|名|人|件|户|份|项|条|期)[^，,。？?]{0,16}?平均")
COUNT_ITEMS = re.compile(r"(几|多少)(项|条|个|点|大|类)?(方面|不足|问题|短板|差距|措施|举措|安排|任务|重点|工作重点|打算|计划)"
                         r"|(方面|不足|问题|短板|差距|措施|举措|安排|任务|重点|打算|计划)的?(一共|共|总共)?(有|是|列了|列出了|写了|提了|提出了)?"
                         r"(几|多少)(项|条|个|点|方面|类)")

# 「主要措施分了几个方面」: how many parts a report's achievements are written in (its sub-headings).
COUNT_PARTS = re.compile(r"(举措|措施|做法|成效|主要工作)[^，,。？?]{0,8}?(分|分成|分为|包括|有|写了)?了?"
                         r"(几|多少)个?(方面|部分|板块|大项|块)")

# 「复议纠错的案件里，拆迁拆违领域有几件」: a part within a thing; the figure must name the part itself.
WITHIN = re.compile(r"(?:里面|里头|里|当中|之中|中(?=[，,]))[，,]?(?:其中)?([^，,。？?]{2,20}?)的?(?:有|是|占|共|一共)?(?:多少|几)")
# 「清单里一共纳进去多少项」: 里 of a place things are put into, not a part of a thing.
WITHIN_NOT = ("一共", "共", "总共", "共计", "合计", "纳", "列入", "录入", "收录", "放", "新增", "又", "还")

# What an asked thing ends in that is the asking, not the thing (「常委会一共开了」 → 常委会).
ASKED_TAIL = re.compile(r"(一共|总共|共|全年|累计|合计)?(开|召开|举行|举办|办理|受理|接收|收到|开展|组织)?了?$")

# Rankings over several reports.
RANK = re.compile(r"(哪个|哪一个|哪些|哪家|哪里|哪边|哪几个|谁)[^，,。？?]{0,24}(最多|最少|最高|最低|最大|最小|最快|最好|更多|更少|更高|更低)"
                  r"|(最多|最少|最高|最低)的是|排名|排序|排一下|排个序|从多到少|从少到多|从高到低|从低到高|由高到低|由低到高"
                  r"|由多到少|由少到多|前三|前几名|哪个地方|哪个地区|哪个区|哪个县|哪个市|哪个镇|哪份报告")
# What a ranking question says that names no metric (removed to ask each report for its figure).
RANK_FRAME = re.compile(r"(这些|这几份|各份?|所有|全部)?(报告|地方|地区)?(里|中|当中|之中)[，,]?|哪个地方|哪个地区|哪个区|哪个县|哪个市|哪个镇|哪份报告"
                        r"|哪一个|哪个|哪家|哪里|哪边|哪几个|谁|各地|各区|各个地方|几个地方|是|的是|按|把|最多|最少|最高|最低|最大|最小"
                        r"|更多|更少|更高|更低|排名|排序|排一下|排个序|从多到少|从少到多|从高到低|从低到高|由高到低|由低到高|由多到少"
                        r"|由少到多|前三|前几名|做得|办得|数量|的?情况")
# A question about every report, whatever was asked before (a ranking, 哪份报告提到…, the library itself).
SELF_CONTAINED = re.compile(r"(哪个|哪些|哪几个|哪一个)(地方|地区|区县|区|县|市|镇|街道|报告)|哪份报告|各地|所有报告|全部报告|这些报告")
RANK_ASC = re.compile(r"最少|最低|最小|更少|更低|从少到多|从低到高|由低到高|由少到多")

# Names of bodies that own a thing (「中心组和常务会的会前学法」: the 会前学法 is each body's); an item
# ending otherwise is a thing of its own (「司法建议和检察院的检察建议」).
OWNER_ENDS = ("组", "会", "委", "局", "中心", "政府", "部门", "单位", "办", "院", "所", "庭", "队", "站", "镇", "街道", "区", "县")

# Totals and differences.
SUM = re.compile(r"加起来|加在一起|加一起|合计|合起来|总和|之和|一共|总共|共计|总计")
CHANGE = re.compile(r"(比|较|相比)(上年|去年|上一年|前一年|同期|上年度|2\d{3}年)|同比|(增长|下降|增加|减少|提高|提升|降低|上升)了?(多少|几)"
                    r"|变化")

# Words of a change, removed from the metric a change or premise question is about.
CHANGE_WORDS = re.compile(r"为什么|为何|怎么会|什么原因|原因是什么|既然|(比|较|相比|与)(上年|去年|上一年|前一年|同期|上年度)(相比)?|同比"
                          r"|(增长|下降|增加|减少|提高|提升|降低|上升|下滑|回落|增多|减)(了)?(多少|几)?(个百分点|个|件|%)?")
# A direction the question takes for granted (为什么…下降了).
PREMISE = re.compile(r"为什么|为何|怎么会|什么原因|原因是什么|既然|由于")
UP_WORDS = ("增长", "增加", "上升", "提高", "提升", "上涨", "增多", "多了", "升高")
DOWN_WORDS = ("下降", "减少", "降低", "下滑", "回落", "减", "少了", "降")

# About the reports themselves: answered from the catalogue.
ABOUT = (
    ("levels", re.compile(r"(镇|乡|街道|县|区|市|省|部门)(一级|级|层级)的?(报告)")),
    ("parent", re.compile(r"(是|属于|归)?哪个(地级市|地级|区|县|市|省|州)(的|下面|下辖|管)|哪个(地级市|市|省)的(区|县)|属于哪|隶属|归哪|上级|在哪个(区|县|市|省)|位于哪|哪个省")),
    ("published", re.compile(r"哪天|什么时候|何时|几月|日期|发布时间|公布时间|发布于|印发")),
    ("count", re.compile(r"(几|多少)(份|篇|个)(报告|年度报告)|收录了?(几|多少)|报告(的)?(数量|总数)|(库|资料库|报告库)里.{0,6}(几|多少)")),
    ("coverage", re.compile(r"(有|收录|包括|涵盖|覆盖)(了)?(哪些|哪几个?)(地方|地区|报告|年份|区|年)|哪些(地方|地区|年份)的报告|几份报告"
                            r"|多少份报告|报告库|资料库|都有哪些报告|哪几份|哪一份是|哪份是|以外的地方|哪些年份|哪几年|哪几个年份"
                            r"|繁体|哪些省|哪些城市")),
    ("issuer", re.compile(r"谁(发布|印发|写|出具|编制|出)|哪个(单位|部门|机关)(发布|印发|写|出具|出)|发布(单位|机关|主体)|以谁的名义"
                          r"|哪个单位|发文(机关|单位)|报送")),
    ("title", re.compile(r"标题|题目|叫什么名字|全称")),
    ("year", re.compile(r"(是|讲|说|写|关于|覆盖)的?哪一?年|哪个年度|哪一年的")),
    ("level", re.compile(r"什么级别|哪一级|行政级别")),
)

# Words that ask for a number.
NUMERIC_ASK = re.compile(r"多少|几|数量|次数|人数|个数|总数|金额|规模|比例|比重|占比|百分|率|增长|下降|降低|提高|"
                         r"更多|更少|较多|较少|哪个.{0,20}(多|少|高|低)|最多|最少|最高|最低|超过|低于|高于|少于|不到|达到")
# Wording that wants a list even when it says 几 (「列一下几个方面」「分几个方面」).
LIST_OVER_COUNT = re.compile(r"列一下|列举|列出|罗列|哪几个方面|哪些方面|几个方面|怎么安排|如何安排|怎么做|怎样做|如何做|做了哪些|有哪些|哪些工作")

# The year before, as questions say it (「那上一年呢」「去年同期」).
PREVIOUS_YEAR = ("上一年度", "上一年", "前一年", "头一年", "上年", "去年")
# Words that compare with another period or place: 「比去年多了几件」 is not a question about last year.
COMPARATIVE = re.compile(r"比|较|相比|同比")
# The verbs of a change, as reports and questions write them.
CHANGE_VERBS = ("增长", "增加", "上升", "提高", "提升", "下降", "减少", "降低", "下滑", "回落")
# 「同比增幅有没有超过50%」: a change named as a noun; the threshold holds the change, not the level.
CHANGE_NOUN = re.compile(r"(增幅|涨幅|降幅|增速|增长率|下降率|增长幅度|下降幅度|降低幅度|提升幅度)(有没有|是否|是不是|能否)?$")
# A yes/no question about a change asks for one direction (「比上年多吗」 up, 「是否下降」 down).
ASKS_UP = re.compile(r"多|增|高|上升|提升|提高|超过|涨")
# 「比上年多吗」「较去年同期」: a comparison with the year before.
VERSUS_PREVIOUS = re.compile(r"比.{0,6}(上年|去年|上一年|前一年|同期)")
# Any comparison with the year before (「比上年多了多少件」「较去年」「同比」): the year's own figure answers none.
AGAINST_BEFORE = re.compile(r"(比|较|相比|与).{0,6}(上年|去年|上一年|前一年|同期)|同比|环比")
# Words of a level or rate: a comparison of them is worded 最高/最低, not 最多/最少.
LEVEL_WORDS = ("高", "低", "率", "比例")
ASKS_DOWN = re.compile(r"少|减|降|低|下滑|回落")

# A follow-up over the last two answers (「这两个加起来」「两者相差多少」「前者是后者的几倍」「哪个更多」):
# the words that point back at both, and what is computed over them.
BOTH_BACK = re.compile(r"这两个数字?|这两项|这俩数?|两个数字?|两个加起来|两者|二者|前者|后者|它们|两个(?:地方|区|报告)")
OVER_ANSWERS = (
    ("ratio", re.compile(r"(多少|几)倍|倍数")),
    ("difference", re.compile(r"相差|差多少|差距|差了|多多少|少多少|多出|少了多少|多了多少")),
    ("sum", re.compile(r"加起来|加在一起|加一起|合计|合起来|总和|之和|一共|总共|共计|总计")),
    ("compare", re.compile(r"哪个|哪一个|谁|哪边|更多|更少|更高|更低")),
)
