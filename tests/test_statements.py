"""Statements: what each sentence states. One row per rule of rag/statements/rules.py (sentences written in
the reports' manner, not copied from any report); no index build."""
from __future__ import annotations

import pytest

from rag.statements.extract import _chunk_statements


def _statements(sentence: str, kind: str = "成效", year: int = 2024):
    return _chunk_statements(sentence, kind, "一、主要成效", 0, "t-1", "测试区", year, "测试区报告")


def _figure(sentence: str, as_written: str, **kw):
    found = [s for s in _statements(sentence, **kw) if s.as_written == as_written]
    assert found, f"no figure {as_written} in {sentence}: {[s.as_written for s in _statements(sentence, **kw)]}"
    return found[0]


def _act(sentence: str, **kw):
    found = [s for s in _statements(sentence, **kw) if not s.as_written]
    assert found, f"no act in {sentence}"
    return found[0]


# --- the measured thing: the noun phrase the number belongs to, before or after it -------------------
@pytest.mark.parametrize("sentence,as_written,measures", [
    ("将全镇14个科室的96项服务事项集中到便民服务中心办理。", "14个", "科室"),
    ("将全镇14个科室的96项服务事项集中到便民服务中心办理。", "96项", "服务事项"),
    ("目前保留的政务服务事项602项,依申请事项233项,其他类事项369项。", "369项", "其他类事项"),
    ("全年审结行政复议案件87件。", "87件", "行政复议案件"),
    ("为23家小微企业兑现扶持资金316.5万元。", "23家", "小微企业"),
    ("为23家小微企业兑现扶持资金316.5万元。", "316.5万元", "扶持资金"),
    ("新设立综合执法队等3个机构。", "3个", "机构"),
    ("全镇保留的行政许可事项已压减到52项。", "52项", "行政许可事项"),  # a verb of reaching, an adverb between
    ("个别村的法律顾问覆盖率仍低于90%。", "90%", "法律顾问覆盖率"),  # a bound
    ("全区行政机关负责人出庭应诉率达到98%。", "98%", "行政机关负责人出庭应诉率"),  # a rate's name holds its verbs
    ("高速公路ETC使用率达到85%。", "85%", "高速公路ETC使用率"),  # a Latin word is part of the name
    ("全年开展各类法治讲座320余场。", "320余场", "法治讲座"),  # 讲座 is a noun, not the act
    ("办事时限压缩86个工作日。", "86个工作日", "办事时限"),  # the reduction verb is the act
    ("全镇2100余名党员实现学法考试全覆盖。", "2100余名", "党员"),  # 实现 is the predicate, not a modifier
    ("仍有2个村尚未配备法律顾问。", "2个", "村"),  # a negation ends the phrase
    ("企业办事跑动减少48次。", "48次", "企业办事跑动"),  # the subject before its verb
    ("普法讲座、培训和宣讲会共举办260余场。", "260余场", "普法讲座、培训和宣讲会"),  # a list as the subject
    ("审批时限压缩120个工作日。", "120个工作日", "审批时限"),  # 审批 modifies the subject of 压缩
    ("线上学法参与人数达2.3万人。", "2.3万人", "线上学法参与人数"),  # a count's name holds its verb
    ("法治督察覆盖3市5县。", "5县", "县"),  # a place level as the unit is the thing counted
    ("平台已接入82个部门、2400项审查备案事项。", "2400项", "审查备案事项"),  # verbs running on to a noun name it
    ("县里举办两期全面依法治市专题研讨班。", "两期", "全面依法治市专题研讨班"),  # 依法 inside a name
    ("共有16项县级审批权限下放到乡镇。", "16项", "县级审批权限"),  # 下放到: where, not what
    ("市委常委(扩大)会议全年召开6次。", "6次", "市委常委(扩大)会议"),  # a bracket closed inside a name
    ("全年支付法律顾问的费用达12万元。", "12万元", "支付法律顾问的费用"),  # a bare head keeps its 的-phrase
    ("市级部门收回的事项共37项。", "37项", "市级部门收回的事项"),
    ("督察覆盖2市5县及8个省直部门。", "8个", "省直部门"),  # a figure with its own noun does not share its neighbour's
    ("全年印发120项重要举措。", "120项", "重要举措"),  # 举措 is a noun (jieba: a verb)
    ("现场述法的有260余人。", "260余人", "现场述法"),  # 述/法 read as one noun
    ("纠正违法或者不当文件6件。", "6件", "违法或者不当文件"),  # 或者 links two kinds of one thing
    # a clause with no noun of its own: the sentence's subject, quoted names (whatever their words) kept
    ("“马上办”和“就近办”事项清单经梳理后向社会公布，共计860项。", "860项", "马上办和就近办事项清单"),
    # a word of time inside the clause says when; what stands before it is who (rules.TIME_WORDS)
    ("区政府党组每季度专题学法不少于1次。", "1次", "专题学法"),
    ("本年度镇政府行政诉讼案件为0件。", "0件", "行政诉讼案件"),  # a body (镇政府) that opens the phrase is who
    ("分3批公布行政执法典型案例共12件。", "3批", "批"),  # 分N批: the batches (rules.DIVIDED_INTO)
    ("全县分4个片区开展交叉检查。", "4个", "片区"),  # a noun of its own after the figure: that
    ("全年分4期举办行政执法人员培训班。", "4期", "举办行政执法人员培训班"),  # no other figure counts the classes
    # a verb that takes the counted thing as its object is the act (rules.OBJECT_VERBS), with its complement 出
    ("围绕法治建设开展调研,形成调研报告18篇。", "18篇", "调研报告"),
    ("全年向社会公布权责清单事项2350项。", "2350项", "权责清单事项"),
    ("专项督察中查找出问题204个。", "204个", "问题"),
    # a change said before its figure (rules.CHANGE_TAIL): the thing is what stands before it
    ("行政复议纠错率较上年下降1.5个百分点。", "1.5个百分点", "行政复议纠错率"),
    ("惠企资金兑现金额达8600万元。", "8600万元", "惠企资金兑现金额"),  # 金额 is a measure's name: it keeps its verb
    ("企业投资项目审批时限由5个工作日压缩至3个工作日。", "5个工作日", "企业投资项目审批时限"),  # 审批: a field noun
    # a verb of the field between a field noun and a case-like head modifies it (rules.CASE_VERBS); a body before a
    # verb is who acted; a passive (被) inside the phrase is part of it
    ("全年行政诉讼败诉案件3件。", "3件", "行政诉讼败诉案件"),
    ("区政府办理案件120件。", "120件", "案件"),
    ("代理区政府应诉案件103件。", "103件", "应诉案件"),  # the body before the compound is who acted
    ("专项清理全年开展2次。", "2次", "专项清理"),  # the activity a light verb carries (rules.LIGHT_VERBS)
    ("乡村“法律明白人”经规范培养已达8600人。", "8600人", "乡村法律明白人"),  # 经+verbs: how, not what
    ("经审查的合同、协议、备忘录等行政协议共150件。", "150件", "行政协议"),  # examples, then what they are
    ("全省已有6个市和40个县(市、区)建成该平台。", "6个", "市"),  # a level before 和 and a figure is counted
    ("全省已有6个市和40个县(市、区)建成该平台。", "40个", "县(市、区)"),  # a bracket is one word of the name
    ("480余项行政审批(备案)事项已划转。", "480余项", "行政审批(备案)事项"),
    ("全市共有400名党政主要负责人完成述法,其中18名进行现场述法。", "18名", "党政主要负责人"),  # 进行: a predicate
    ("“无感兑现”累计惠及3200户次。", "3200户次", "无感兑现"),
    # a count with no noun of its own counts what was last counted in its unit, not the figure just before it
    ("针对督察反馈的9个问题，先后3次开展专项整治，目前已整改完成8个。", "8个", "问题"),
    # the to of a from→to is what the base measures (「由上年的537项压减至498项」); a bound after it is the figure's
    ("区级保留的行政许可事项由上年的210项压减至186项。", "186项", "行政许可事项"),
    ("企业开办时间压缩至1个工作日以内。", "1个工作日", "企业开办时间"),
    ("行政机关负责人出庭应诉率连续两年保持100%。", "100%", "行政机关负责人出庭应诉率"),  # the rate its clause names
    ("全省将工商登记前置审批事项中的231项改为后置审批。", "231项", "工商登记前置审批事项"),  # N among a thing
    # where these rules must not fire
    ("在年度考核中的3个单位获评优秀。", "3个", "单位"),  # a noun after the figure: that, not what it is among
    ("出庭应诉率达100%，办结案件1723件，占全部案件的60%。", "60%", "案件"),  # a share borrows no rate's thing
    ("办理行政复议、行政诉讼等案件120件。", "120件", "行政复议、行政诉讼等案件"),  # 等 + a generic head: the list
    ("收到群众反馈意见30条。", "30条", "群众反馈意见"),
    ("纠错率未达到5%。", "5%", "纠错率"),  # the bound not reached is no part of the thing
    # a part of a total named only by its kind (其中…的N): the kind of what the total counts
    ("共评查案卷480卷，其中评定为优秀的126卷、不合格的23卷。", "126卷", "优秀的评查案卷"),
    ("共评查案卷480卷，其中评定为优秀的126卷、不合格的23卷。", "23卷", "不合格的评查案卷"),
    # a part named only by what befell it (verbs after 其中): that kind of the whole's thing
    ("全年受理行政复议案件120件,其中调解结案30件。", "30件", "调解结案的行政复议案件"),
    ("受理行政复议案件120件,其中行政许可类30件。", "30件", "行政许可类"),  # a noun names the part itself
    # after a 向-phrase (to whom), the verb is the act
    ("开展法治建设督察,共向被督察单位反馈问题227条。", "227条", "问题"),
    ("向企业提供法律体检服务320次。", "320次", "法律体检服务"),  # a verb after the first is part of the thing
    ("向县委报送法治督察报告5份。", "5份", "法治督察报告"),
    ("受理复议案件80件,其中维持65件、撤销12件。", "12件", "撤销的复议案件"),
    ("办理案件100件，其中联合检查120次。", "120次", "联合检查"),  # another unit: no part of the cases
    ("300名执法人员参加了专题培训。", "300名", "执法人员"),
    ("全年本局行政复议被纠错案件2件。", "2件", "行政复议被纠错案件"),
    # an administrative negation is part of what is counted (rules.NEGATORS), never dropped for the act
    ("对轻微违法行为作出不予处罚决定52件。", "52件", "不予处罚决定"),
    ("作出免罚决定70件、不予实施行政强制措施15件。", "15件", "不予实施行政强制措施"),
    ("对36件重大执法决定进行了法制审核。", "36件", "重大执法决定"),  # 决定: a decision (rules.FIELD_NOUNS)
    # a clause with a verb, then 的, after the figure says which of the noun after it; a noun then 的 says whose
    ("全年有61名新任命的国家工作人员进行宪法宣誓。", "61名", "新任命的国家工作人员"),
    ("共有20个乡镇的综治中心完成建设。", "20个", "乡镇"),
    ("有3名新入职人员参加岗前培训。", "3名", "新入职人员"),
    # after a whole noun, a verbal noun before a verb says how, not what
    ("将全县27个部门单位的278项行政许可事项统一划入县行政审批局。", "278项", "行政许可事项"),
    # the names before 等 are examples of what the figure counts
    ("对州发改委、市场监管局等10个单位开展实地督察。", "10个", "单位"),
    # a link after a figure opens the next thing: the figure's is before it
    ("县人大代表建议119件和县政协委员提案105件年内全部办复。", "119件", "县人大代表建议"),
    ("市政府常务会议听取法治政府建设汇报13次。", "13次", "法治政府建设汇报"),  # 听取 takes it as object
    # the verb opening a 的-phrase acts on the whole phrase
    ("全州已完成“一规划两纲要”确定的任务287项。", "287项", "一规划两纲要确定的任务"),
    # a clause with no noun takes the nearest clause before it that names one
    ("目前,政务服务事项改造正在加快推进,已完成约九成。", "约九成", "政务服务事项"),
])
def test_measured_thing(sentence, as_written, measures):
    assert _figure(sentence, as_written).measures == measures


@pytest.mark.parametrize("lead,divided", [("分", True), ("全年分", True), ("考核得分", False), ("部分", False),
                                          ("综合评分", False)])
def test_divided_into_is_the_verb_not_a_word_ending_in_it(lead, divided):
    from rag.statements import rules

    assert bool(rules.DIVIDED_INTO.search(lead)) is divided


# --- frames: from → to, changes, parts, totals, 分别 lists ---------------------------------------------
@pytest.mark.parametrize("sentence,as_written,frame", [
    ("网上办理率由68%提升至95%。", "68%", "from"),
    ("网上办理率由68%提升至95%。", "95%", "to"),
    ("跑动次数从1.2万次压缩到4800次。", "1.2万次", "from"),
    ("跑动次数从1.2万次压缩到4800次。", "4800次", "to"),
    ("办结时限缩短至3个工作日。", "3个工作日", "to"),
    ("收到行政复议申请365件,同比增长12.3%。", "12.3%", "delta"),
    ("信访总量比去年减少了21件。", "21件", "delta"),
    ("共办理行政应诉案件58件,其中胜诉49件。", "58件", "total"),
    ("共办理行政应诉案件58件,其中胜诉49件。", "49件", "part"),
    ("全年开展普法讲座120场。", "120场", "plain"),
    ("考核指标由原来的48项精简至15项。", "48项", "from"),  # 由 + what the base was + 的
    ("考核指标由原来的48项精简至15项。", "15项", "to"),
    ("镇级保留的审批事项已压减到62项。", "62项", "to"),  # a verb of reaching
    ("全区引进各类法律服务机构27家，其中公证机构4家。", "27家", "total"),  # a total before 其中 and its part
    ("全区引进各类法律服务机构27家，其中公证机构4家。", "4家", "part"),
    ("承接下放执法事项31项，其中行政处罚事项24项、行政检查事项7项。", "7项", "part"),  # every item 其中 lists
    ("全县15个司法所中已有9个达到省级规范化标准。", "15个", "total"),  # among them (中), already (已有)
    ("全县15个司法所中已有9个达到省级规范化标准。", "9个", "part"),
    # a 其中 after a semicolon lists the parts of the clause group's first figure in their measure word; the
    # list runs on past commas; a figure in another measure word is no total of theirs
    ("全年查处各类违法案件150件，结案140件，罚没款合计80.5万元；其中食品领域案件60件，价格领域案件20件。", "150件", "total"),
    ("全年查处各类违法案件150件，结案140件，罚没款合计80.5万元；其中食品领域案件60件，价格领域案件20件。", "140件", "plain"),
    ("全年查处各类违法案件150件，结案140件，罚没款合计80.5万元；其中食品领域案件60件，价格领域案件20件。", "80.5万元", "plain"),
    ("全年查处各类违法案件150件，结案140件，罚没款合计80.5万元；其中食品领域案件60件，价格领域案件20件。", "20件", "part"),
    # the 其中 list ends at a clause of its own total or the whole year's, and at a figure above its total
    ("共受理投诉120件，其中网络投诉80件，电话投诉30件，全年共处理咨询3200件。", "30件", "part"),
    ("共受理投诉120件，其中网络投诉80件，电话投诉30件，全年共处理咨询3200件。", "3200件", "plain"),
    ("共受理投诉120件，其中网络投诉80件，电话投诉30件，办结咨询950件。", "950件", "plain"),
    # 其中 after a comma lists the parts of the figure right before it, not of the clause group's first
    ("受理公开申请200件，办理行政应诉案件150件，其中败诉5件。", "200件", "plain"),
    ("受理公开申请200件，办理行政应诉案件150件，其中败诉5件。", "150件", "total"),
])
def test_frame(sentence, as_written, frame):
    assert _figure(sentence, as_written).frame == frame


def test_respective_items_pair_in_order():
    sentence = "投诉总量和办结时长分别下降35%和40%。"
    first, second = _figure(sentence, "35%"), _figure(sentence, "40%")
    assert (first.item, second.item) == (0, 1)
    assert "投诉总量" in first.measures and "办结时长" in second.measures
    assert first.frame == second.frame == "delta"


@pytest.mark.parametrize("sentence,items", [
    # the 分别 clause names none of the items: they open the clause before it
    ("区政府规章和行政规范性文件，经清理修改或废止的分别有3件和48件。", ("区政府规章", "行政规范性文件")),
    # it names items of its own: those (the earlier clause's count is no matter)
    ("全年受理案件120件，办结和在办的分别为100件和20件。", ("办结", "在办")),
    # the clause before holds figures of its own: each 分别 figure is of the thing the n-th of them counts
    ("受理复议案件120件、诉讼案件80件，同比分别增长10%和5%。", ("受理复议案件", "诉讼案件")),
])
def test_respective_items_may_open_the_clause_before(sentence, items):
    figures = [s for s in _statements(sentence) if s.item >= 0]
    assert tuple(s.measures for s in sorted(figures, key=lambda s: s.item)) == items


# --- status: done / under way / exploring / preparing / planned / target -------------------------------
@pytest.mark.parametrize("sentence,status", [
    ("探索建立镇级行政争议预防化解中心。", "exploring"),
    ("在城管领域试点推行首违不罚清单。", "exploring"),
    ("扎实做好省级法治政府建设示范县创建迎检工作。", "preparing"),
    ("启动公共法律服务中心改造。", "preparing"),
    ("“综合查一次”改革启动以来，逐步在各乡镇推开。", "ongoing"),  # begun and going on since (rules.SINCE)
    ("行政执法能力提升行动将于明年在全县谋划开展。", "planned"),  # 将于: a date to come governs 谋划
    ("计划年内出台重大行政决策目录管理办法。", "planned"),
    ("力争全部行政执法人员持证上岗。", "target"),
    ("持续推进综合行政执法改革。", "ongoing"),
    ("建成村级公共法律服务工作室45个。", "done"),
    ("成功获评第二批全国法治政府建设示范县。", "done"),
    ("印发《镇级行政执法协调监督办法（试行）》。", "done"),  # 试行 names the document, not a trial
    ("探索推行《包容审慎监管清单》。", "exploring"),
    ("镇司法所探索的调解工作法获评全市优秀案例。", "done"),  # 探索的 describes the thing, not the clause
    ("重点项目标准化建设全面完成。", "done"),  # no 目标 across 项目|标准化
    ("在经济社会发展目标考核中的分值由上年的2分提高到4分。", "done"),  # 目标 inside a compound noun
])
def test_status(sentence, status):
    assert _statements(sentence)[0].status == status


# --- acts with no figure: the thing after the status word, or the subject when the clause ends in its verb -
@pytest.mark.parametrize("sentence,measures,status", [
    ("探索建设镇级行政争议调处中心。", "镇级行政争议调处中心", "exploring"),
    ("七五普法终期评估验收已顺利通过。", "七五普法终期评估验收", "done"),  # the subject, then the predicate
    ("法治宣传教育基地提档升级已圆满完成。", "法治宣传教育基地提档升级", "done"),
    ("重大行政决策目录化管理由我县在全省率先推行。", "重大行政决策目录化管理", "ongoing"),  # not 由我县在全省
    ("县里正在筹备省级法治政府建设示范县申报材料。", "省级法治政府建设示范县申报材料", "preparing"),  # 筹备's object
    ("综合行政执法改革试点在三个乡镇稳步推进。", "综合行政执法改革试点", "exploring"),  # a pilot is a trial
    ("县市场监管局已被推荐参加全省法治政府建设示范项目评选。", "全省法治政府建设示范项目评选", "preparing"),
    ("为迎接省级法治督察开展的迎检准备工作已全部完成。", "迎检准备工作", "done"),  # 已 ends the preparing
    ("扎实做好第二批省级法治政府建设示范项目创建活动申报工作。", "省级法治政府建设示范项目", "preparing"),
    # after the status word only when and by whom, then the predicate: the thing is the subject before it
    ("其中物业管理条例已于年内经市人大常委会审议通过。", "物业管理条例", "done"),
    ("2025年将力争创建省级法治政府建设示范区。", "省级法治政府建设示范区", "target"),  # a year is no figure
    # a status word across two words is none (「落实行政…」 holds no 实行); 综合 is no verb glued onto the act
    ("严格落实行政执法“三项制度”。", "行政执法三项制度", "ongoing"),
    ("全面实行政府权责清单制度。", "政府权责清单制度", "ongoing"),
    ("深入推进综合行政执法改革。", "综合行政执法改革", "ongoing"),
    ("深化审批制度改革。", "审批制度改革", "ongoing"),  # 审批 / 信访 / 预算 name fields here, not acts
    # a shortcoming's subject ends before 还需 / 有待 (what is still needed); 二是 numbers the item
    ("二是法治宣传工作精度还需进一步提升。", "法治宣传工作精度", "ongoing"),
    ("一是行政复议体制改革顺利完成。", "行政复议体制改革", "done"),
    ("深化信访问题源头治理。", "信访问题源头治理", "ongoing"),
    # a number that names (5+N, 12345) or ranks (第二批) is no figure: the clause is still an act
    ("县里的3+X联调机制入选全市第一批法治建设创新案例。", "全市第一批法治建设创新案例", "done"),
    ("12345热线已实现全县覆盖。", "全县覆盖", "done"),
    # beside a figure an act is stated only when explored or under way (the figure says done and planned)
    ("行政执法协调监督试点在4个街道有序推进。", "行政执法协调监督试点", "exploring"),
    # a quoted object is a name: its first word is no verb of the act (not 探索巡审 + 同步)
    ("强化审计监督,探索“巡审同步”。", "巡审同步", "exploring"),
    ("探索推行“首违不罚”清单制度。", "首违不罚清单制度", "exploring"),
    # 初步: begun, not finished
    ("初步调整园区管理体制。", "园区管理体制", "ongoing"),
    ("行政执法监督体系初步形成。", "行政执法监督体系", "ongoing"),
    # a date after the status word is when, and the verb after it the act
    ("全县力争到2025年创成全国法治政府建设示范县。", "全国法治政府建设示范县", "target"),
])
def test_act_thing_and_status(sentence, measures, status):
    act = _act(sentence)
    assert (act.measures, act.status) == (measures, status)


@pytest.mark.parametrize("sentence", [
    "目前仍有3个村尚未配备法律顾问。",  # the figure counts the villages not done: no 「none done」 act beside it
    "已建成公共法律服务工作站12个。",  # done: the figure's statement says it
    "2026年力争新增持证执法人员4名。",  # planned: the figure's statement says it
])
def test_a_clause_with_a_figure_done_or_planned_states_no_act_beside_it(sentence):
    found = _statements(sentence)
    assert found and all(s.as_written for s in found), [(s.measures, s.act, s.status) for s in found]


@pytest.mark.parametrize("sentence,as_written,measures,value", [
    ("AQI优良率提升至88.8%,改善幅度居全省第二。", "第二", "改善幅度", 2),
    ("在全省法治政府建设考核中连续3年位列第一。", "第一", "法治政府建设考核", 1),
    ("在全市2023年度政务服务满意度评价中排名第四。", "第四", "政务服务满意度评价", 4),
    # ranks of a 分别 list pair with its things in order
    ("营商环境指数和“互联网+”指数分别位列全国第1位、第8位。", "第8位", "互联网+指数", 8),
])
def test_a_rank_is_a_statement_of_its_place(sentence, as_written, measures, value):
    rank = next(s for s in _statements(sentence) if s.as_written == as_written)
    assert (rank.measures, rank.value, rank.unit) == (measures, value, "排名")


def test_a_place_said_of_all_the_figures_before_it_is_each_ones():
    # 「…；…；均在全市排名第3」: the clauses after ； are sentences of their own, the place is theirs all
    found = _statements("全区受理投诉1.2万件;调解成功率98%;均在全市排名第5。")
    rank = next(s for s in found if s.as_written == "第5")
    assert (rank.unit, rank.measures) == ("排名", "投诉、调解成功率")
    assert "受理投诉1.2万件" in rank.own and "调解成功率98%" in rank.own


@pytest.mark.parametrize("sentence,measures", [
    # a head that names nothing (rules.BARE_HEADS) keeps its 的-phrase; a head that names a thing does not
    ("全县行政机关未出现不执行复议决定的情形。", "不执行复议决定的情形"),
    ("辖区内未发现违规收取中介服务费用的问题。", "违规收取中介服务费用的问题"),
    ("全年未收到市场主体对涉企执法检查工作的投诉。", "投诉"),
    # stated as a figure of zero (为零): the subject, without who, when and 均
    ("镇里全年行政复议、行政诉讼案件均为零。", "行政复议、行政诉讼案件"),
    ("全区行政复议决定被法院判决撤销的为零。", "行政复议决定"),
    # 零 reached (实现“零…”): what never happened, without the verb that reached it
    ("全市劳动人事争议仲裁实现了“零投诉”。", "劳动人事争议仲裁投诉"),
    ("区政务服务大厅全年办件零超时。", "办件超时"),
])
def test_a_zero_statement_names_what_never_happened(sentence, measures):
    zero = [s for s in _statements(sentence) if s.polarity == "zero"]
    assert zero and zero[0].measures == measures


def test_a_zero_verb_counts_the_subject():
    # 「…案件全年无一宗败诉」: what never lost is the cases, not 败诉.
    zero = [s for s in _statements("以县政府为被告的行政诉讼案件全年无一宗败诉。") if s.polarity == "zero"]
    assert zero and zero[0].measures.endswith("行政诉讼案件")


@pytest.mark.parametrize("sentence,as_written,status", [
    ("另有2个项目获推荐,参加全省示范项目申报。", "2个", "preparing"),  # nominated, not yet awarded
    ("综合执法改革试点已扩展到5个乡镇。", "5个", "exploring"),  # a pilot's reach is a trial's
    ("到2027年,全县行政复议纠错率保持在10%以下。", "10%", "target"),
    ("在20余家新业态企业中开展包容审慎监管试点。", "20余家", "exploring"),  # the trial named after the count
    ("在试点乡镇共办理调解案件300件。", "300件", "done"),  # 试点 naming where: the count was done
    ("105项涉企监管事项纳入年度监管计划。", "105项", "done"),  # 计划 inside a noun after the count
    ("优化审批流程,申报材料精简288项。", "288项", "done"),  # 申报 begins a noun (the materials), not an act
    # under an ongoing verb, tasks and projects are under way; what happened (讲座, 场次) was done
    ("统筹推进12项法治领域改革任务。", "12项", "ongoing"),
    ("加快推进5个重点项目建设。", "5个", "ongoing"),
    ("持续开展普法讲座80余场。", "80余场", "done"),
    # what the projects came to, said after them: reached
    ("依托为民办实事活动,推动15个法治项目取得实效。", "15个", "done"),
    ("扎实推进9个重点项目落地见效。", "9个", "done"),
    ("扎实推进12项重点任务落地。", "12项", "ongoing"),  # 落地 alone says no result reached
    ("在全省法治政府建设示范创建中入选数量居全省第三位。", "第三位", "done"),  # a place ranked is reached
    ("行政机关负责人出庭应诉率尚未达到100%。", "100%", "target"),  # not reached: a goal (rules.NOT_REACHED)
    # a planned level is a target (a rate, a change in points, a level verb: rules.LEVEL_WORDS); a count is planned
    ("下一步,县政府将确保行政机关负责人出庭应诉率稳定在100%。", "100%", "target"),
    ("将推动行政复议纠错率较上年下降2个百分点。", "2个百分点", "target"),
    ("下一步将把办理时限压缩至3个工作日。", "3个工作日", "target"),
    ("明年将新增政府立法基层联系点5个。", "5个", "planned"),
    ("明年将在保持现有成果基础上新增基层立法联系点5个。", "5个", "planned"),  # the level verb is not the figure's
    ("对照年度工作计划，全年持续开展普法宣传活动320场。", "320场", "done"),  # a plan named, not a plan made
    # a plan before the clause governs a figure under way in it
    ("将力争把纠错率控制在10%以内,并推动出庭应诉率保持100%。", "100%", "target"),
])
def test_figure_status(sentence, as_written, status):
    kind = "下一年安排" if sentence.startswith("到") else "成效"
    assert _figure(sentence, as_written, kind=kind).status == status


def test_plan_section_is_planned():
    assert _statements("完善行政规范性文件备案审查。", kind="下一年安排")[0].status == "planned"


def test_a_count_under_way_words_was_done():
    # 「推进…完成8座」: the count itself was done.
    assert _figure("稳步推进基层站所建设,完成8座应急服务站建设。", "8座").status == "done"


# --- polarity: stated as none -----------------------------------------------------------------------------
@pytest.mark.parametrize("sentence", [
    "全年发生行政复议纠错案件0件。",
    "全年无一起因违法行政被判败诉的案件。",
    "辖区未发生重大群体性事件。",
    "实现重大行政决策零差错。",
    "街道本年度未出台行政规范性文件。",  # 未 + a verb: the act did not happen
    "问题整改尚未完成。",  # not yet, by the report's date
    "镇便民服务中心全年办件零超时。",  # 零 before an event word
    "区级行政复议决定被法院撤销的比例为零。",  # a figure stated as 零
])
def test_zero(sentence):
    assert any(s.polarity == "zero" for s in _statements(sentence))


@pytest.mark.parametrize("sentence", [
    "对未取得执法证的人员一律不安排执法岗位。",  # the 未-phrase names a kind of people
    "依法查处未经许可擅自经营的行为。",
    "个别单位尚未建立法律顾问制度。",  # only some did not
    "加强未成年人保护。",  # 未成年人 is a word, not 未 + a verb
    "仍有3个村尚未配备法律顾问。",  # a figure of the ones not done: most were
    "坚持未诉先办，推动矛盾纠纷源头化解。",
])
def test_not_zero(sentence):
    assert not any(s.polarity == "zero" for s in _statements(sentence))


def test_a_positive_count_is_not_zero():
    assert _figure("受理群众投诉12件。", "12件").polarity == "positive"


# --- scope and period ---------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence,scope", [
    ("在交通运输领域推行轻微违法免罚清单。", "在交通运输领域"),
    ("全区共配备法律顾问130名。", "全区"),
    ("镇级综合执法队伍达到4支。", "镇级"),
    ("在全市率先建立行政复议听证室3个。", ""),  # 全市率先 ranks it in the city; it limits nothing
    ("全区首创涉企执法观察员制度,聘请观察员20名。", ""),
    ("全区率先完成改革，全区共配备法律顾问130名。", "全区"),
    # only some places or bodies (rules.SCOPE_PART): what it says holds of them alone
    ("个别乡镇行政执法案卷评查合格率仍低于90%。", "个别乡镇"),
    ("部分单位尚未建立合法性审查台账。", "部分单位"),
    ("绝大部分乡镇已建立合法性审查台账,共建立台账36本。", ""),  # nearly all is no part
    ("一些地区法治意识不强，全县共培训执法人员320人次。", "全县"),  # the clause before limits nothing here
    ("所有执法领域均已实现全覆盖,共覆盖执法部门23个。", ""),
    # a field opening its clause limits it, with or without 在 (rules.SCOPE_FIELD_OPENING) …
    ("破产管理领域正在积极探索“多事一裁”模式。", "破产管理领域"),
    ("全县行政执法领域实现“零投诉”。", "行政执法领域"),
    # … but a field that names a kind of the thing after it does not
    ("重点领域专项普法活动全年开展2656场。", ""),
])
def test_scope(sentence, scope):
    assert _statements(sentence)[0].scope == scope


@pytest.mark.parametrize("sentence,as_written,period,year", [
    ("受理申请300件,上年同期为260件。", "260件", "previous", 2023),
    ("受理申请300件,上年同期为260件。", "300件", "current", 2024),
    ("力争到2026年网办率达到98%。", "98%", "target", 2026),
    ("行政许可事项由上年的210项压减至186项。", "186项", "current", 2024),  # 上年 is the base's, not the figure's
    ("新建调解室8个，明年再建调解室5个。", "5个", "target", 2025),  # a clause dated next year (rules.NEXT_YEAR)
    ("新建调解室8个，明年再建调解室5个。", "8个", "current", 2024),
    ("明年将审批时限由20天压缩至10天。", "10天", "target", 2025),  # a date before the base is both's
    ("明年将审批时限由20天压缩至10天。", "20天", "target", 2025),
])
def test_period(sentence, as_written, period, year):
    st = _figure(sentence, as_written)
    assert (st.period, st.year) == (period, year)


def test_names_are_not_figures():
    assert not [s for s in _statements("开通12345热线分中心,落实“3个一”工作法。") if s.as_written]


def test_every_span_is_exact():
    sentence = "共办理行政应诉案件58件,其中胜诉49件。"
    for s in _statements(sentence):
        assert sentence[s.start:s.end] == s.text
        if s.as_written:
            assert sentence[s.value_start:s.value_end] == s.as_written


def test_a_count_of_times_after_adverbs_counts_the_act_that_follows():
    # 「常务会先后8次听取…」: 8 times the meetings heard the work, not 8 meetings.
    st = _figure("区政府常务会先后8次听取和研究法治政府建设工作。", "8次")
    assert st.measures.startswith("听取")


def test_a_level_that_opens_a_list_is_not_the_thing_counted():
    # 「86项市、区两级审批权」 counts powers, not cities.
    assert _figure("将86项市、区两级审批权下放镇街。", "86项").measures != "市"


def test_a_bare_change_owns_the_words_of_the_figure_it_changes():
    st = _figure("全年接收行政复议申请860件,同比增长21.5%。", "21.5%")
    assert st.frame == "delta" and st.measures == "行政复议申请" and "行政复议申请" in st.own


def test_a_semicolon_before_a_parts_list_does_not_end_the_sentence():
    from rag.text.sentences import sentence_spans

    text = "全年查处案件150件；其中食品领域案件60件。下一步将继续加强执法；强化监督。"
    assert [text[a:b] for a, b in sentence_spans(text, 0, len(text))] == [
        "全年查处案件150件；其中食品领域案件60件。", "下一步将继续加强执法；", "强化监督。"]


def test_a_figure_not_reached_is_no_stated_value():
    from rag.statements.status import is_plan_figure

    assert is_plan_figure(_figure("行政机关负责人出庭应诉率尚未达到100%。", "100%"))
    assert not is_plan_figure(_figure("行政机关负责人出庭应诉率达到100%。", "100%"))


def test_a_zero_not_reached_is_no_zero():
    assert not [s for s in _statements("全年未实现零投诉。") if s.polarity == "zero"]
    assert not [s for s in _statements("尚未做到重大行政决策零差错。") if s.polarity == "zero"]


# --- the stage of handling a figure states (rules.ACT_STAGES), set once at extraction -------------------
@pytest.mark.parametrize("sentence,as_written,stage", [
    ("全年受理行政复议申请728件。", "728件", "received"),  # its act
    ("全市法院审结一审行政诉讼案件834件。", "834件", "concluded"),
    ("推荐申报的5个项目全部获评省级示范。", "5个", "awarded"),  # the clause's verb after the figure
    ("其中申报综合示范地区21个、单项示范项目35个。", "35个", "applied"),  # the last one before it
    ("组织执法人员培训12期。", "12期", ""),  # no stage of handling at all
])
def test_stage(sentence, as_written, stage):
    assert _figure(sentence, as_written).stage == stage


# --- a figure said of each thing of a list (rules.EACH_OF_LIST): the things, each with the head they share --------
@pytest.mark.parametrize("sentence,each", [
    ("本年度镇政府行政复议、行政诉讼案件均为0件。", ("行政复议案件", "行政诉讼案件")),
    ("全年参考率、通过率和优秀率均为100%。", ("参考率", "通过率", "优秀率")),
    ("领导干部任前考法和集中考试的合格率均为100%。", ("领导干部任前考法合格率", "集中考试合格率")),
    ("街道全年行政复议、行政诉讼案件均为零。", ("行政复议案件", "行政诉讼案件")),  # a zero stated of each
    ("人大代表建议和政协提案办复率达100%。", ()),  # no 均: one rate of the two together
    ("全区案件的办结率均为100%。", ()),  # no list
    ("城区和农村法律顾问覆盖率均为100%。", ("城区法律顾问覆盖率", "农村法律顾问覆盖率")),  # one word each before
])
def test_a_figure_said_of_each_thing_of_a_list(sentence, each):
    assert _statements(sentence)[0].each == each


def test_each_survives_a_json_round_trip():
    import json

    from rag.types import Statement

    st = _statements("全年参考率、通过率和优秀率均为100%。")[0]
    back = Statement.from_dict(json.loads(json.dumps(st.to_dict(), ensure_ascii=False)))
    assert back == st and back.each == ("参考率", "通过率", "优秀率")
    partial = {k: v for k, v in json.loads(json.dumps(st.to_dict())).items() if k != "stage"}  # an older row
    assert Statement.from_dict(partial).each == ("参考率", "通过率", "优秀率") and hash(Statement.from_dict(partial))


def test_a_negated_stage_verb_states_no_stage():
    assert _figure("全年不予受理行政复议申请8件。", "8件").stage == ""
