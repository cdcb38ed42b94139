"""The language of what reports state, as data: every word list the statement extractor reads lives here.

Learnt from the reports' own wording (many provinces and levels), not from any question. Each list is read
by one rule in `rag.statements.describe`, `.phrases`, `.frames`, `.status` or `.acts`; each rule has rows in
tests/test_statements.py.
"""
from __future__ import annotations

import re

# Status of an act, from the words that introduce it. Nearest word before the thing wins; the order here
# only breaks ties within one word position (longest first is applied by the reader).
STATUS_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("exploring", ("探索建立", "探索建设", "探索推行", "探索开展", "探索实施", "探索构建", "探索推进", "探索", "试点推行",
                   "试点开展",
                   "开展试点", "先行先试", "尝试", "试行")),
    ("preparing", ("创建迎检", "迎检", "筹备", "筹建", "筹划", "谋划", "申报", "争创", "积极创建", "创建", "启动建设",
                   "被推荐", "获推荐", "推荐参加", "推荐申报", "择优推荐",
                   "启动", "着手", "拟定", "起草")),
    ("planned", ("计划", "拟", "将要", "将", "准备", "下一步", "明年", "下一年", "今后", "接下来", "未来")),
    ("target", ("力争", "目标", "确保到", "争取", "预计")),
    ("ongoing", ("正在", "持续推进", "加快推进", "稳步推进", "深入推进", "推进", "推动", "深化", "加快", "逐步",
                 "着力", "持续", "不断", "进一步", "推行", "实行", "实施", "开展", "落实",
                 # begun, not finished: 「初步调整园区管理体制」「初步建立…体系」
                 "初步", "初步建立", "初步形成", "初步构建", "初步实现", "初步完成")),
    ("done", ("已建成", "建成", "已完成", "完成", "已落实", "已实行", "已实施", "已推行", "实现", "荣获", "获评", "获得", "被评为", "评为", "被命名为", "命名为",
              "入选", "成功创建", "榜上有名", "受到", "表彰", "通过验收", "建立", "出台", "印发", "制定", "成立", "组建",
              "设立", "开通", "上线", "投入使用", "挂牌", "推出", "已经", "已")),
)
# Verbs that set a level to hold or reach (a planned figure after them is a target, not a count of things to do).
LEVEL_WORDS = ("保持", "稳定在", "控制在", "达到", "提高到", "提高至", "提升到", "提升至", "降低到", "降至", "缩短至", "压缩至")
# A figure not reached (「出庭应诉率尚未达到100%」「仍未实现全覆盖」): a goal, not what was stated as done.
NOT_YET = "尚未|仍未|还未|未能|尚没有|仍没有|没有|未"  # the negations of a thing reached, longest first
NOT_REACHED = re.compile(f"(?:{NOT_YET})(?:完全)?(?:达到|实现|超过|达)$")
# After a word of starting (「启动以来」「筹建以来」): the thing began and is going on since.
SINCE = ("以来",)
# 已 after a plan or trial word: what was planned or prepared has been done.
DONE_MARKERS = ("已", "已经")
# Words a clause can end in after its subject (「…中期评估已顺利通过」「…专题由我市在全国首先推出」): adverbs
# and predicate verbs. A clause that ends in nothing else names its thing before them, not after.
PREDICATE_END = ("已经", "已", "均已", "正在", "顺利", "圆满", "全面", "加快", "首先", "率先", "持续", "稳步", "深入", "扎实",
                 "有序", "基本", "全部", "逐步", "不断", "积极", "并", "进一步", "如期", "按期", "高质量", "通过", "部署",
                 "开展", "推进", "深化", "实施", "落地", "见效", "运行", "推开", "铺开", "推广", "完成", "启动", "推出",
                 "建成", "投用", "投入使用", "上线", "挂牌", "成立", "落实", "实现", "结束", "收官", "到位",
                 "办结", "出台", "印发", "施行", "推行", "实行", "生效", "构建", "探索", "建设", "之中", "中",
                 # a shortcoming's 「…还需进一步提升」「…有待提高」: what is still needed, after its subject
                 "还需", "仍需", "尚需", "还需要", "仍需要", "有待", "亟待", "仍有待", "尚待", "亟需", "提升", "提高", "加强")
# Words that name no thing of their own after a status word (「创建活动申报工作」): the thing is before them.
GENERIC_WORDS = ("工作", "活动", "事项", "情况", "申报", "创建", "迎检", "准备", "筹备", "验收", "评审", "任务", "相关", "各项",
                 "有关")
# Words of manner that open a clause (「扎实做好…」「切实加强…」): never part of the thing.
MANNER_WORDS = frozenset("扎实 认真 全力 积极 切实 稳妥 有序 深入 全面 大力 着力 努力 持续 不断 统筹 高效 精心 主动".split())
# Words that open a clause's actor, not its thing (「区里正在筹备…」「我市…」).
ACTOR_WORDS = ("区里", "县里", "市里", "镇里", "省里", "街道里", "我区", "我县", "我市", "我镇", "我省", "我街道", "全区",
               "全县", "全市", "全镇", "全省", "本局", "我局", "本委", "我委", "本单位", "本部门", "本机关")
# Single-character things a count can measure (「2个村」「3市4县」): the levels of government and settlement.
ADMIN_UNITS = frozenset("村 镇 乡 县 市 区 省 州 旗 盟".split())
# 「各类法治讲座」: words before a thing that say it has kinds, not what it is.
EACH_WORDS = ("各类", "各项", "各种")
# A figure said of each thing of a list before it (「参考率、通过率和优秀率均为100%」「…案件均为0件」).
EACH_OF_LIST = re.compile(r"(?:均|都|各|皆)(?:为|是|达到|达|实现|保持|在|有)?\s*$")
# The words that join the things of such a list.
LIST_LINKS = frozenset("、 和 及 与 以及 或 或者".split())
# Words that make what stands before them the occasion of an act (「常务会会前学法6次」 counts the study
# sessions, not the meetings): a figure so measured answers only a question that names the act.
OCCASION_MARKERS = ("会前", "会上", "会后", "会中", "期间", "前夕")
# 「常务会议专题研究法治工作5次」「党组会听取汇报3次」: a meeting named right before the act done at it.
MEETING = re.compile(r"常务会议?|常委会(?:会议)?|党组会议?|党委会议?|办公会议?|例会|专题会议?|中心组(?:学习会)?|领导小组会议?"
                     r"|工作会议?|会议")
MEETING_ACT = re.compile(f"(?:{MEETING.pattern})(?:专题|集中|先后)?(研究|听取|审议|学习|学法|部署|讨论)")
# A modifier before 的 this long is a clause of its own (who did what), not a kind of the thing.
LONG_MODIFIER = 8
# Heads that name no thing of their own (「…拒不履行生效裁判的情形」): the 的-phrase before them is the thing.
BARE_HEADS = ("情形", "情况", "现象", "行为", "事件", "问题", "案例")
# Prepositions that end a subject (「…专题由我市在全国首先推出」「…试点在怀化等地持续推进」).
SUBJECT_END = ("由", "在", "被", "经", "于", "从")
# Words after a counted thing that it was put forward, not yet awarded (「2个项目获推荐，参加…申报」).
NOMINATED = ("被推荐", "获推荐", "择优推荐", "推荐参加", "推荐申报", "参加申报", "参与申报", "参评")
# Words after a counted thing that it was a trial ground (「在10余家企业中开展试点」).
TRIED_AFTER = ("开展试点", "试点推行", "先行先试", "探索", "试行", "试点")
# Counted things that an ongoing verb keeps under way (「统筹推进65项改革任务」: the tasks are being pushed, not
# done); a count of what happened under an ongoing verb is done (「持续开展普法活动300余场次」).
UNDER_WAY_THINGS = ("任务", "项目", "工程", "重点工作")
# What the counted things came to, said after them (「推动12个项目取得实效」「推进8项改革落地见效」): the result
# was reached, so the count is of what was done, whatever verb of pushing opens the clause.
RESULT_AFTER = ("取得实效", "取得成效", "取得明显成效", "取得积极成效", "落地见效", "完工", "竣工", "建成", "投入使用",
                "全部完成", "如期完成", "顺利完成", "通过验收")
# A pilot is a trial until it is rolled out: a thing that is a 试点 under way is being explored.
TRIAL_THINGS = ("试点",)
# A figure stated in the achievements is done unless its clause says otherwise; one in the plan is planned.
STATUS_BY_KIND = {"下一年安排": "planned", "不足": "done"}

# Zero and none: the sentence states that nothing of the thing happened.
ZERO_WORDS = ("无一宗", "无一起", "无一件", "无一例", "无一人", "无一家", "无一", "零发生", "零投诉", "零事故", "零差错",
              "未发生", "没有发生", "未出现", "没有出现", "未收到", "没有收到", "未发现", "没有发现", "均未", "未有",
              "无发生", "无遗留", "杜绝", "清零")
# 「镇级未制发行政规范性文件」「整改尚未完成」: an adverb of not before a verb (the act has not happened).
NEVER_WORDS = ("未", "没有", "从未", "均未", "并未", "尚未", "仍未", "暂未", "还未", "还没有")
NOT_NEVER = ("未诉先办", "未批先建", "未雨绸缪", "未成年", "未经")
# 「未取得执法证的人员」「未按期整改的单位」: the 未-phrase names a kind of people or things.
NEVER_AS_MODIFIER = re.compile(r"^[^，,；;。]{1,14}?的(?:人员|人|单位|企业|行为|主体|部门|群众|项目|经营者|商户|当事人)")
# Before the 未: only some did not (个别单位尚未…), or whoever did not is dealt with (对未…的, 督促未…).
NOT_NEVER_BEFORE = ("个别", "部分", "少数", "一些", "有的", "少量", "对", "凡", "督促", "针对")
# 「实现零超时」「零脱管、零重新犯罪」: 零 before an event word, after a verb of achieving or in a list of them.
ZERO_VERBS = "实现|保持|做到|达到|确保"  # the verbs that reach a zero
ZERO_PREFIX = re.compile(rf"(?:(?:{ZERO_VERBS})了?[“\"]?|全年|、|，|,)零(?=[\u4e00-\u9fff])"
                         # 「办件零超时」「…的比例为零」: 零 before an event word, or a figure stated as 零
                         r"|零(?=超时|逾期|延误|积压|投诉|差错|失误|事故|败诉|纠错|上访|遗漏|违规|发案)"
                         r"|(?:为|是|均为)零(?![\u4e00-\u9fff])")
# The verbs that say a zero was reached (「实现“零投诉”」「保持零事故」): not part of what never happened.
ZERO_REACHED = re.compile(f"(?:{ZERO_VERBS})了?[“\"]?$")
ZERO_NOT_REACHED = re.compile(f"(?:{NOT_YET})(?:完全)?(?:{ZERO_VERBS})")  # 「尚未做到…零差错」
ZERO_AFTER = re.compile(r"^(?:[0０零〇]\s*(?:件|起|宗|例|人|次|家|个|项|条|名)?)(?![0-9.])")

# Frames: how a figure stands to the others in its sentence.
FROM_WORDS = ("由", "从")
# 「由原来的62项压缩至13项」「由上年的84.4%提升至…」: the from-word, then what the base was, then 的.
FROM_OF = re.compile(r"[由从][\u4e00-\u9fff]{1,4}的$")
TO_WORDS = ("提升至", "提高至", "提升到", "提高到", "增加至", "增加到", "增长至", "增长到", "上升至", "上升到", "减少至",
            "减少到", "降低至", "降低到", "下降至", "下降到", "降至", "压缩至", "压缩到", "缩短至", "缩短到", "减至", "增至",
            "升至", "扩大至", "扩大到", "达到", "至", "到")
DELTA_VERBS = ("同比增长", "同比下降", "同比增加", "同比减少", "同比上升", "同比降低", "同比提高", "同比提升", "环比增长",
               "环比下降", "增长", "下降", "增加", "减少", "上升", "降低", "提高", "提升", "压减", "压缩", "缩短",
               "减", "增", "多", "少", "降")
DELTA_AFTER_VERB = re.compile(r"(?:了|约|近|超过)?$")
PART_WORDS = ("其中", "内含", "包括", "含")
TOTAL_WORDS = ("共", "共计", "合计", "总计", "累计", "总数", "总量", "共有")

# Scope: a qualifier that limits where a statement holds.
SCOPE_FIELD = re.compile(r"在([\u4e00-\u9fff“”\"、和及与]{2,14}?)(领域|行业|系统|范围内|范围|方面|部门|单位|试点)")
# 「个别乡镇…合格率仍低于90%」「部分单位…」: only some of the places or bodies: the statement holds of them alone.
SCOPE_PART = re.compile(r"(?<![大绝])(?:个别|部分|少数|一些)(?:乡镇|街道|镇街|社区|村居|单位|部门|地区|县区|县市区|领域|行业|企业)")
# 「破产管理领域正在探索…」「全县行政执法领域实现…」: a field opening its clause (without 在) limits it too.
WHOLE_AREAS = ("全街道", "全区", "全市", "全县", "全镇", "全乡", "全省", "全旗")  # the whole of a place
SCOPE_FIELD_OPENING = re.compile(rf"(?:{'|'.join(WHOLE_AREAS)}|^|[，,；;。：:])"
                                 r"(?!所有|各|全部|涉及|全年|重点)([\u4e00-\u9fff]{2,8}?领域)"
                                 # the clause's topic, then what it did (「重点领域专项普法活动」 names a kind)
                                 r"(?=正在|已|实现|全面|持续|积极|均|全部|推行|探索|试点|共|累计|[，,]|$)")
SCOPE_WHOLE = re.compile("|".join((*WHOLE_AREAS, "辖区内", "辖区")))
# 「在全市率先…」「全区首创」「全省唯一」: a whole area named only to rank the statement in it, not to limit it.
SCOPE_RANKS = re.compile(r"^(?:范围内)?(?:率先|首创|首家|首个|首批|唯一|第一|排名|位居|位列|前列|最)")
# 《…》: a document's name; its words (试行、实施、探索…) say nothing of what the report did.
TITLE = re.compile(r"《[^《》]{1,80}》")
SCOPE_LEVEL = re.compile(r"(?:^|[，,；;。：:]|在)\s*(区级|市级以上|市级|县级|镇级|乡级|街道级|村级|社区级|省级以上|国家级|省级)")
# Units that count times an act was done: the measured thing is the act that follows (「9次专题研究…」).
FREQUENCY_UNITS = frozenset(("次", "场", "场次", "期", "轮", "批", "批次"))
# 「分4批发布」「分两期完成」: a count of the parts a task was divided into measures those parts (its unit).
DIVIDED_INTO = re.compile(r"(?<![得评积打总满部区划])分$")  # not 得分 / 评分 / 部分 / 区分
# Words of time inside a clause (「本年度镇政府…案件」「中心组每季度集体学法」): they end the words before a
# figure's measured thing; what they say is when, and what stands before them is who.
TIME_WORDS = frozenset("本年度 本年 今年 当年 全年 年内 年度内 当月 本月 每年 每季度 每季 每月 每周 每半年 上半年 下半年 "
                       "前三季度 年初以来".split())

# Period: the year a figure is for.
PREVIOUS_WORDS = ("上一年度", "上一年", "上年同期", "去年同期", "上年度", "上年", "去年", "前一年")
CHANGE_VERBS = ("增长", "增加", "上升", "提高", "提升", "下降", "减少", "降低", "下滑", "回落", "增幅", "降幅", "减幅")
# How a sentence says its figure moved (「同比增长48.2%」「较上年减少3件」), and which way.
CHANGE_PHRASE = re.compile(r"(同比|比上年|较上年|比去年|较去年|比上一年|较上一年|与上年相比|与去年相比)?[^，,。；;]{0,6}?"
                           r"(增长|增加|上升|提高|提升|下降|减少|降低|下滑|回落)了?(约)?[0-9.]+(%|个百分点|件|人|次|家|个|项|条)?")
UP_WORDS = ("增长", "增加", "上升", "提高", "提升", "上涨", "增多", "多了", "升高")
DOWN_WORDS = ("下降", "减少", "降低", "下滑", "回落", "减", "少了", "降")
# Bounds and verbs of reaching that end the words before a figure (「合格率仍低于90%」「事项已压减到434项」).
BOUND_WORDS = ("不低于", "不高于", "不少于", "不超过", "低于", "高于", "少于", "多于", "保持在", "稳定在", "控制在",
               "维持在")
# A change said right before its figure (「纠错率较上年上升2.1个百分点」「案件同比下降12%」): what stands before it
# is the thing that changed.
CHANGE_TAIL = re.compile(f"(?:同比|环比|(?:较|比|与)(?:{'|'.join(PREVIOUS_WORDS)})(?:相比)?)?"
                         f"(?:{'|'.join(CHANGE_VERBS[:10])})了?$")  # the verbs, not the nouns (增幅…)
REACH_VERB = re.compile(r"(?:压减|压缩|缩减|减少|降低|下降|扩展|扩大|增加|增长|提升|提高|上升|延伸|拓展|覆盖|缩短)(?:到|至)$")
# Words that date a clause to the year after the report's (「预计明年投入使用」「下一年度力争…」).
NEXT_YEAR = ("明年", "下一年", "下年度", "来年")
TARGET_YEAR = re.compile(r"(?:到|至|力争|确保|预计)\s*((?:19|20)\d{2})\s*年")

# A rate's or a count's name holds its verbs (「出庭应诉率」「网上办理率」「参与人数」): the words before
# them are not the act.
MEASURE_NAME_ENDS = ("率", "比例", "占比", "比重", "人数", "次数", "件数", "户数", "数量", "金额", "总额", "时限", "时长", "天数")
# Words that name no thing: a measured phrase of only these borrows the previous figure's thing.
BARE = re.compile(r"同比|环比|增长|下降|减少|增加|提高|提升|降低|上升|均为|均|分别|为|是|达到|达|共计|共|约|率|全区|全镇|全市"
                  r"|排名第|排名|位列|参与人次|人次|满意|启动|占比|比例|比重|[，,、：:的了和及与在其中\s]")

# Word classes (jieba's tags) that make up a measured noun phrase, and words that end one.
# Nouns of the reports that jieba tags as another part of speech (举措/v, 例会/v, 清单/a, 诉求/v, 窗口/s) or
# cuts in two (述/vg 法/j, 专/班): read as one noun.
# Verbs of the reports that take what was counted as their object (「形成研究成果30项」「提出立法意见50余条」
# 「堵塞制度漏洞28个」「向社会公布事项清单」): before the counted noun they are the act, never part of the thing.
OBJECT_VERBS = frozenset("""代理 聚焦 围绕 针对 对照 惠及 形成 提出 明确 确认 公布 查找 查摆 发现 接受 安排 产生 支付 用于 聘有 经办 审定 通报
曝光 约谈 问责 追责 移交 转办 交办 签发 核发 颁发 换发 注销 吊销 没收 收缴 退还 兑付 拨付 投入 筹集 获批 承接 取消 修改 废止
堵塞 填补 解决 出具 发出 下达 给予 汇编 编印 录入 归集 听取""".split())
# Verbs of the field that modify a case-like head in a compound (「行政诉讼败诉案件」「复议纠错案件」「行政应诉案件」),
# and those heads.
CASE_VERBS = frozenset("败诉 胜诉 应诉 纠错 撤销 调解 诉讼 复议 处罚 执行 审查 备案 许可 审批 仲裁 信访 起诉 上诉".split())
CASE_HEADS = ("案件", "案", "事项", "文件", "决定", "申请", "纠纷")
# How the name of a body ends (区政府, 司法局, 市委, 法院, 行政机关…): a body before a verb is who acted.
BODY_ENDS = ("政府", "局", "委", "院", "机关", "部门", "单位", "中心", "办", "厅", "所", "队", "站", "组")
# The stages of handling a matter: a figure of one stage never answers a question about another
# (「新收了多少件」 is not 「审结…834件」, 「命名了几个」 is not 「申报…21个」).
ACT_STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # received and accepted are one stage as users ask (「收到多少件申请」 of 「受理申请728件」); a sentence that
    # states both keeps them apart by its act (extractive: the asked act's sibling)
    ("received", ("收到", "接收", "新收", "收案", "接到", "收件", "受理", "立案")),
    ("concluded", ("审结", "办结", "结案", "办复", "答复", "结办")),
    ("awarded", ("命名", "获评", "表彰", "授予", "评为", "入选", "获批")),
    ("applied", ("申报", "推荐", "参评", "争创")),  # not 申请: mostly the noun (行政复议申请)
)
# Heads that say only what kind of record a list is of (「行政复议、行政诉讼等案件」): the list is the thing.
GENERIC_HEADS = ("案件", "事项", "工作", "活动", "文件", "问题", "事务", "材料", "项目")
# Verbs that carry an activity named before them (「专项清理全年开展2次」「集中整治进行3轮」): the activity is the thing.
LIGHT_VERBS = frozenset("开展 进行 组织 举办 组织开展 实施".split())
FIELD_NOUNS = frozenset(("举措", "例会", "清单", "诉求", "窗口", "述法", "专班", "调解室", "综合", "审批", "信访", "考评", "预算",
                         # a decision made in a procedure, which jieba reads as the verb 决定 (「36件重大执法决定」)
                         "执法决定", "处罚决定", "复议决定", "许可决定", "强制决定"))
# The administrative negations of an act (不予受理, 免予处罚, 不予实施强制措施): the negated act is part of what is
# counted, never the act done (a single 不 / 未 is too often part of a word: 执法不规范).
NEGATORS = ("不予", "免予", "未予")
NOUN_TAGS = ("n", "nz", "vn", "ng", "nr", "ns", "nt", "an", "j", "l", "eng", "x")
NOUN_STOP = frozenset("的 是 为 和 与 及 等 了 在 对 将 把 被 由 从 向 以 按 其 中 并 且 或 共".split())
