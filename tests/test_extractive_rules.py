"""The offline answerer's acceptance rules, over hand-made passages (no index)."""
from __future__ import annotations

import pytest

from rag.answer import extractive
from rag.question.metric import analyse
from rag.types import Chunk, Passage


def _passage(text: str) -> Passage:
    return Passage(Chunk("demo-2024", ("一、主要成效",), "成效", text, 0, len(text)), "示范区2024年法治政府建设年度报告", 1.0)


def test_a_rate_asked_is_not_answered_by_a_count():
    p = _passage("全年行政机关负责人出庭应诉6次，出庭应诉工作持续规范。")
    assert extractive.best(analyse("行政机关负责人出庭应诉率是多少？"), [p]) is None


def test_a_count_asked_is_not_answered_by_a_rate():
    p = _passage("行政复议申请同比增长48.2%。")
    assert extractive.best(analyse("行政复议申请多少件？"), [p]) is None


def test_the_asked_kind_is_taken_when_both_are_stated():
    p = _passage("全年行政机关负责人出庭应诉6次，出庭应诉率达100%。")
    assert extractive.best(analyse("行政机关负责人出庭应诉率是多少？"), [p]).quantity.text == "100%"
    assert extractive.best(analyse("行政机关负责人出庭应诉多少次？"), [p]).quantity.text == "6次"


def _idf(term: str) -> float:
    return float(len(term))  # stand-in: longer words are rarer


def test_a_stated_change_does_not_answer_a_rate_asked_as_a_level():
    p = _passage("全年办理行政复议案件86件,同比增长21.5%。")
    assert extractive.best(analyse("行政复议纠错率是多少？"), [p]) is None
    assert extractive.best(analyse("行政复议案件同比增长了多少？"), [p]).quantity.text == "21.5%"


def test_a_rate_stated_before_its_count_is_found():
    from rag.answer.rates import stated_rate

    for text in ("全区行政复议申请同比增长12%,达到860件。", "全区行政复议申请860件,同比增长12%。"):
        p = _passage(text)
        current = extractive.best(analyse("行政复议申请多少件？"), [p])
        found = stated_rate(current, [p])
        assert current.quantity.text == "860件" and found is not None and round(found.base, 1) == 767.9, text


# How many meetings were held is answered only by a count of meetings: not by an act done at or before them
# (会前学法, 专题研究, 组织学习), nor, after such a miss, by a neighbouring figure (出庭应诉4件次).
MEETINGS = [
    ("全年区政府负责人出庭应诉4件次,区政府常务会会前学法8次。", "区政府常务会议一共开了多少次？", None),
    ("全年区政府负责人出庭应诉4件次,区政府常务会会前学法8次。", "区政府常务会会前学法几次？", "8次"),
    ("县政府常务会议专题研究法治政府建设工作5次。", "县政府常务会议一共召开了多少次？", None),
    ("县政府常务会议专题研究法治政府建设工作5次。", "县政府常务会议专题研究法治工作几次？", "5次"),
    ("全年召开县政府常务会议24次，专题研究法治政府建设工作5次。", "县政府常务会议一共召开了多少次？", "24次"),
    ("县委常委会、县政府常务会组织学习习近平法治思想等9次。", "县委常委会一共开了多少次会？", None),
    ("县委常委会、县政府常务会组织学习习近平法治思想等9次。", "县委常委会组织学习了几次？", "9次"),
    ("全年召开县政府常务会议24次。", "县政府常务会议一共召开了多少次？", "24次"),
]


@pytest.mark.parametrize("text,question,answer", MEETINGS)
def test_meetings_are_counted_only_by_counts_of_meetings(text, question, answer):
    pick = extractive.best(analyse(question), [_passage(text)], idf=_idf)
    assert (pick.quantity.text if pick else None) == answer


# A count of people is not answered by a count of things, nor teams by items; after such a miss the
# neighbouring figure must name the asked thing itself (公职律师 are not 法律顾问).
COUNT_FAMILIES = [
    ("现有公职律师42名,区政府法律顾问参与规范性文件审查共计42件次。", "区政府法律顾问有多少名？", None),
    ("现有公职律师42名,区政府法律顾问参与规范性文件审查共计42件次。", "公职律师有多少名？", "42名"),
    ("现有公职律师42名,区政府法律顾问参与规范性文件审查共计42件次。", "法律顾问参与审查了多少件次？", "42件次"),
    ("全年开展普法培训12场,参训干部3600人次。", "参训干部有多少人？", "3600人次"),
    ("全年开展普法培训12场,参训干部3600人次。", "开展普法培训多少场？", "12场"),
    ("接待来访群众320人次,办理信访事项85件。", "办理信访事项多少件？", "85件"),
    ("聘请法律顾问15名,审查合同80份。", "聘请了几个法律顾问？", "15名"),  # 个 counts people as well
    ("在各街道组建综合执法队,431项行政处罚权下放街道。", "组建了多少支综合执法队？", None),  # teams, not powers
    ("组建综合执法队22支,下放行政处罚权431项。", "组建了多少支综合执法队？", "22支"),
]


@pytest.mark.parametrize("text,question,answer", COUNT_FAMILIES)
def test_a_count_is_answered_in_its_family_of_measure_words(text, question, answer):
    pick = extractive.best(analyse(question), [_passage(text)], idf=_idf)
    assert (pick.quantity.text if pick else None) == answer


# Which of a sentence's figures measures the asked thing: the asked act, the named part, not a plan.
PICKS = [
    ("全市共收到行政复议申请3120件，同比增长9.6%，受理2875件，审结2640件。", "全市受理了多少件行政复议申请？", "2875件"),
    ("全市共收到行政复议申请3120件，同比增长9.6%，受理2875件，审结2640件。", "全市收到多少件行政复议申请？", "3120件"),
    ("全市共收到行政复议申请3120件，同比增长9.6%，受理2875件，审结2640件。", "审结了多少件行政复议案件？", "2640件"),
    ("园区已入驻公证、仲裁、律师事务所等法律服务机构38家，其中律师事务所22家。", "园区入驻的律师事务所有多少家？", "22家"),
    ("园区已入驻公证、仲裁、律师事务所等法律服务机构38家，其中律师事务所22家。", "园区入驻法律服务机构多少家？", "38家"),
    # a part named by a word its total lacks, even when the question names the total too
    ("镇里承接县级下放的行政执法事项31项，其中行政处罚事项24项、行政检查事项7项。", "下放执法事项中行政检查事项有几项？", "7项"),
    ("全年办件量达到12.6万件，其中网上办件8.1万件。", "网上办件量是多少？", "8.1万件"),
    # of one sentence's counts, the one whose words hold the question's most specific word
    ("保留镇级政务服务事项420项，其中即办件160项，实现“全程网办”的事项315项。", "能全程网办的镇级政务服务事项有多少项？", "315项"),
    ("全年涉行政复议和行政诉讼案件共计9件，其中，行政复议案件7件，行政诉讼案件2件。", "行政复议案件有多少件？", "7件"),
]


@pytest.mark.parametrize("text,question,answer", PICKS)
def test_the_figure_of_the_asked_act_or_part_is_taken(text, question, answer):
    pick = extractive.best(analyse(question), [_passage(text)], idf=_idf)
    assert pick is not None and pick.quantity.text == answer


@pytest.mark.parametrize("text,question,answer", [
    ("对照年度工作计划，全年共办理行政复议案件320件。", "全年办理了多少件行政复议案件？", "320件"),  # 计划 a noun here
    ("围绕年度目标任务，全年培训执法人员5200人次。", "全年培训执法人员多少人次？", "5200人次"),
])
def test_a_plan_word_as_a_noun_does_not_make_a_figure_planned(text, question, answer):
    from types import SimpleNamespace

    from rag.answer.single import value_pick

    pq = SimpleNamespace(metric=analyse(question), period="current", asks_plan=False, near=(), asked_thing="")
    assert value_pick(pq, [_passage(text)], SimpleNamespace(idf=None)).quantity.text == answer


def test_a_planned_figure_answers_only_a_question_about_the_plan():
    from types import SimpleNamespace

    from rag.answer.single import value_pick

    p = Passage(Chunk("demo-2024", ("四、下一年工作安排",), "下一年安排", "力争行政复议案件平均办理周期缩短至40天以内。", 0, 23),
                "示范区2024年法治政府建设年度报告", 1.0)
    ctx = SimpleNamespace(idf=None)

    def ask(question, plan):
        return value_pick(SimpleNamespace(metric=analyse(question), period="current", asks_plan=plan, near=(), asked_thing=""), [p], ctx)

    assert ask("行政复议案件平均办理周期是多少天？", False) is None
    assert ask("计划把行政复议案件平均办理周期缩短到多少天？", True).quantity.text == "40天"


def test_all_done_is_no_when_only_part_of_a_total_was():
    from types import SimpleNamespace

    from rag.answer.exists import _part_short_of_total
    from rag.statements.extract import chunk_statements

    p = _passage("全年纳入重大行政决策目录的事项共8项，已完成5项，其余3项转入下一年度。")
    st = next(s for s in chunk_statements(p.chunk, p.chunk.doc_id, "", 0, p.title) if s.as_written == "8项")
    part, total = _part_short_of_total(p, st)
    assert (part.as_written, total.as_written) == ("5项", "8项")
    kinds = _passage("全区共有23个镇街建成公共法律服务工作站，其中12个达到省级示范标准。")  # a kind, not undone
    st = next(s for s in chunk_statements(kinds.chunk, kinds.chunk.doc_id, "", 0, kinds.title) if s.as_written == "23个")
    assert _part_short_of_total(kinds, st) is None
    q = _passage("全年纳入重大行政决策目录的事项共8项，已全部完成。")
    st = next(s for s in chunk_statements(q.chunk, q.chunk.doc_id, "", 0, q.title) if s.as_written == "8项")
    assert _part_short_of_total(q, st) is None


def test_a_rate_the_report_states_only_as_counts_is_computed_and_said_so():
    from types import SimpleNamespace

    from rag.answer.arith import rate_from_counts
    from rag.question import Part

    p = _passage("全街道共调解矛盾纠纷150件，调解成功147件，涉及金额约200万元。")
    ctx = SimpleNamespace(idf=None, top_k=5, search=lambda pq, k=5: [p])
    counts = Part("成功", "矛盾纠纷调解的成功多少", analyse("矛盾纠纷调解的成功多少"))
    pq = SimpleNamespace(rate_counts=counts, period="current", asks_plan=False, near=(), language="zh",
                         text="矛盾纠纷调解的成功率是多少？")
    ans = rate_from_counts(pq, ctx)
    assert ans is not None and ans.text.startswith("约98%（推算值，报告未直接写明成功率）") and "147件" in ans.text
    assert rate_from_counts(SimpleNamespace(rate_counts=None), ctx) is None
    # the whole must count the same thing: 「受理依申请公开328件…复议被纠错0件」 gives no 纠错率
    q = _passage("受理依申请公开328件，全部按时答复，因政府信息公开引发的行政复议被纠错0件。")
    ctx = SimpleNamespace(idf=None, top_k=5, search=lambda pq, k=5: [q])
    counts = Part("纠错", "行政复议的纠错多少", analyse("行政复议的纠错多少"))
    assert rate_from_counts(SimpleNamespace(rate_counts=counts, period="current", asks_plan=False, near=(),
                                            language="zh", text="行政复议纠错率是多少？"), ctx) is None


def test_a_figure_of_the_negation_does_not_answer_the_asked_thing():
    p = _passage("全年对轻微违法行为适用不予处罚、减轻处罚的案件共860件。")
    assert extractive.best(analyse("全年办理了多少件行政处罚案件？"), [p]) is None
    assert extractive.best(analyse("适用不予处罚的案件有多少件？"), [p]).quantity.text == "860件"


def test_a_figure_of_another_stage_or_rate_or_kind_does_not_answer():
    court = _passage("全市法院审结一审行政诉讼案件834件。")
    assert extractive.best(analyse("收到了多少件一审行政诉讼案件？"), [court]) is None  # received is not concluded
    assert extractive.best(analyse("审结了多少件一审行政诉讼案件？"), [court]).quantity.text == "834件"
    p = _passage("案卷评查合格率为97.1%，办理处罚案件486件，其中适用简易程序的312件，罚没款97.6万元。")
    assert extractive.best(analyse("案卷评查的优秀率是多少？"), [p]) is None  # 优秀率 is not 合格率
    assert extractive.best(analyse("适用简易程序的案件罚了多少钱？"), [p]).quantity.text == "97.6万元"
    named = _passage("其中申报综合示范地区21个、单项示范项目35个。")
    assert extractive.best(analyse("最后命名了几个综合示范地区？"), [named]) is None  # applied is not awarded
    assert extractive.best(analyse("申报了几个综合示范地区？"), [named]).quantity.text == "21个"


def test_a_passages_targets_are_dated_by_its_reports_year():
    from rag.statements.extract import chunk_statements

    text = "到2026年，行政执法案卷评查合格率达到98%。"
    chunk = Chunk("demo-2024", ("一、主要成效",), "成效", text, 0, len(text))
    dated = Passage(chunk, "示范区2024年法治政府建设年度报告", 1.0, year=2024)
    st = next(s for s in chunk_statements(chunk, chunk.doc_id, "", dated.year, dated.title) if s.as_written)
    assert (st.period, st.year) == ("target", 2026)
    # a passage of a report whose year is not known judges nothing by it
    assert next(s for s in chunk_statements(chunk, chunk.doc_id, "", 0, dated.title) if s.as_written).period == "current"


def test_a_plan_says_not_done_and_why():
    from types import SimpleNamespace

    from rag.answer.exists import verdict
    from rag.statements.extract import chunk_statements

    text = "推动行政执法监督平台在全部乡镇上线运行。"
    plan = Passage(Chunk("demo-2024", ("四、下一年工作安排",), "下一年安排", text, 0, len(text)), "示范区", 1.0)
    st = next(s for s in chunk_statements(plan.chunk, plan.chunk.doc_id, "", 0, plan.title) if s.value is None)
    ok, why = verdict(SimpleNamespace(language="zh", asks_done=True, asks_all=False, asks_plan=False), st)
    assert not ok and why.startswith("报告把它列在下一年的工作安排中")
    # asked about the plan itself (「明年计划让平台在全部乡镇上线吗」), the plan says yes
    ok, why = verdict(SimpleNamespace(language="zh", asks_done=False, asks_all=False, asks_plan=True), st)
    assert ok and why.startswith("报告的下一年工作安排写明")
    record = _passage("行政执法监督平台尚未实现全县覆盖。")
    st = next(s for s in chunk_statements(record.chunk, record.chunk.doc_id, "", 0, record.title) if not s.as_written)
    assert st.polarity == "zero" and "行政执法监督平台" in st.measures
    assert verdict(SimpleNamespace(language="zh", asks_done=True, asks_all=True, asks_plan=False), st)[0] is False


def test_done_in_some_places_only_is_no_to_all_of_them():
    from types import SimpleNamespace

    from rag.answer.exists import verdict
    from rag.statements.extract import chunk_statements

    record = _passage("部分乡镇已建立合法性审查工作台账。")
    st = next(s for s in chunk_statements(record.chunk, record.chunk.doc_id, "", 0, record.title) if not s.as_written)
    assert st.scope == "部分乡镇"
    ok, why = verdict(SimpleNamespace(language="zh", asks_done=True, asks_all=True, asks_plan=False), st)
    assert not ok and "部分乡镇" in why  # 「所有乡镇都建立了吗」: only some have


def _plan_and_record(plan_text: str, record_text: str):
    """Next year's plan and the year's record as two passages, and a context that retrieves both."""
    from types import SimpleNamespace

    plan = Passage(Chunk("demo-2024", ("四、下一年工作安排",), "下一年安排", plan_text, 0, len(plan_text)), "示范区", 1.0)
    record = _passage(record_text)
    return plan, record, SimpleNamespace(idf=None, top_k=5, search=lambda pq, k=5: [plan, record])


def test_the_years_record_is_cited_before_next_years_plan_when_both_say_no():
    from rag.answer.exists import exists_answer
    from .parsed import parsed as parse

    text = "推动行政执法监督平台在全部乡镇上线运行。"
    plan, record, ctx = _plan_and_record(text, "二是数字法治建设不够，行政执法监督平台尚未实现全县覆盖。")
    ans = exists_answer(parse("行政执法监督平台已经全县覆盖了吗？"), ctx)
    assert ans.text.startswith("否") and ans.citations[0].text == record.chunk.text
    # a question about the plan is answered by the plan
    ans = exists_answer(parse("明年计划推动行政执法监督平台在全部乡镇上线运行吗？"), ctx)
    assert ans.text.startswith("是") and ans.citations[0].text == text
    # the record says it in its sentence, its own words being few (「…正在推进，目前已在2个收费站开展试点」)
    plan, record, ctx = _plan_and_record("三是推动高速公路入口称重检测数据联网向全市收费站推广。",
                                         "高速公路入口称重检测数据与执法系统的联网工作正在推进，目前已在2个收费站开展试点。")
    ans = exists_answer(parse("高速公路入口称重数据是不是已经跟执法系统全市联网了？"), ctx)
    assert ans.text.startswith("否") and ans.citations[0].text == record.chunk.text


def test_a_base_computed_back_reads_in_the_reports_magnitude():
    from types import SimpleNamespace

    from rag.answer.arith import base_answer
    from .parsed import parsed

    p = _passage("全年新登记经营主体11.2万户，同比增长8.7%，其中新登记企业2.9万户。")
    ctx = SimpleNamespace(idf=None, top_k=5, search=lambda pq, k=5: [p])
    pq = parsed("按同比增速倒推，上年新登记经营主体大约多少万户？")
    assert pq.operation == "base"
    ans = base_answer(pq, ctx)  # 11.2万户 ÷ 1.087, one decimal as the computation keeps it
    assert ans.answered and ans.text.startswith("约10.3万户（推算值") and "11.2 ÷ 1.087" in ans.text


@pytest.mark.parametrize("asked,sentence,as_written,other", [
    # the asked head noun of another named kind, the asked kind nowhere in the sentence: another thing
    ("行政处罚案件", "法律援助机构办理法律援助案件4986件，同比增长8.3%。", "4986件", True),
    ("查处的网络交易违法案件", "全年立案查处各类违法案件214件，结案198件。", "214件", True),
    # a kind said by a verb, or the asked kind in the sentence, or no kind asked: not another thing
    ("共办理行政复议案件", "全年新收行政复议案件120件，审结115件。", "120件", False),
    ("行政处罚案件", "全年办理行政处罚案件300件，其中简易程序案件120件。", "120件", False),
    ("案件", "全年办理法律援助案件4986件。", "4986件", False),
    ("涉疫行政复议案件", "依法办理涉疫行政复议案件21件。", "21件", False),
])
def test_a_figure_of_another_kind_of_the_asked_thing_does_not_answer(asked, sentence, as_written, other):
    from rag.answer.single import another_kind
    from rag.statements.extract import chunk_statements

    p = _passage(sentence)
    st = next(s for s in chunk_statements(p.chunk, p.chunk.doc_id, "", 0, p.title) if s.as_written == as_written)
    assert another_kind(asked, st) is other


def test_a_figure_of_another_stage_is_said_not_given():
    from types import SimpleNamespace

    from rag.answer.single import value_answer
    from .parsed import parsed as parse

    court = _passage("全市法院审结一审行政诉讼案件834件。")
    ctx = SimpleNamespace(idf=None, top_k=5, search=lambda pq, k=5: [court])
    ans = value_answer(parse("全市法院收到了多少件一审行政诉讼案件？"), ctx)
    assert not ans.answered and ans.text.startswith("报告未写明「收到」的数字；它写明的是834件")
    assert ans.citations[0].text == court.chunk.text
    assert value_answer(parse("全市法院审结了多少件一审行政诉讼案件？"), ctx).text.startswith("834件")
