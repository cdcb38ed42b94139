"""Every shape answered in code and cited, without an index: a fake retriever over the seed reports' chunks
and a facts table extracted from them (no embeddings)."""
from __future__ import annotations

import re

import pytest

from rag.answer.context import AnswerContext
from rag.answer.pipeline import extractive_answer
from rag.text.tokens import tokenize
from rag.chunking import chunk_report
from rag.corpus import load_corpus
from rag.text.script import to_simplified
from rag.statements import StatementTable, extract_statements
from rag.filters import ScopeDetector
from rag.question import QuestionParser
from rag.settings import Settings
from rag.types import Passage


class FakeIndex:
    def __init__(self, corpus):
        self.chunks = [c for r in corpus.reports for c in chunk_report(r)]
        self.titles = {r.doc_id: r.entry.title for r in corpus.reports}
        self.years = {r.doc_id: r.entry.year for r in corpus.reports}
        self.manifest = type("M", (), {"docs": {r.doc_id: None for r in corpus.reports}})()

    def passage(self, chunk, score):
        return Passage(chunk, self.titles[chunk.doc_id], score, year=self.years[chunk.doc_id])


class FakeRetriever:
    """Token overlap over the chunks in scope: enough to hand the answerers the right passages."""

    def __init__(self, corpus):
        self.index = FakeIndex(corpus)
        self.detector = ScopeDetector(corpus.catalog)

    def idf(self, term):
        return None

    def search(self, question, k=5, *, scope=None, kind=None, **_):
        words = set(tokenize(to_simplified(scope.content if scope and scope.content else question)))
        allowed = None if scope is None or scope.doc_ids is None else set(scope.doc_ids)

        def score(c):
            toks = set(tokenize(to_simplified(c.section_path + c.text)))
            return len(words & toks) + (0.5 if kind and c.kind == kind else 0)

        ranked = sorted((c for c in self.index.chunks if allowed is None or c.doc_id in allowed), key=score, reverse=True)
        return type("R", (), {"passages": [self.index.passage(c, float(score(c))) for c in ranked[:k]]})()


@pytest.fixture(scope="module")
def world():
    corpus = load_corpus(Settings().seeds_dir)
    retriever = FakeRetriever(corpus)
    facts = [f for r in corpus.reports for f in extract_statements(r, [c for c in retriever.index.chunks if c.doc_id == r.doc_id])
             if f.as_written]
    table = StatementTable(facts, None)
    ctx = AnswerContext(retriever, corpus.catalog, lambda: table, top_k=5)
    return QuestionParser(retriever.detector), ctx, corpus


def ask(world, question, history=()):
    parser, ctx, _ = world
    pq = parser.parse(question, [{"role": "user", "content": h} for h in history])
    return pq, extractive_answer(pq, ctx)


def _cited_in_report(world, ans):
    _, _, corpus = world
    texts = {r.doc_id: r.text for r in corpus.reports}
    for c in ans.citations:
        assert texts[c.doc_id][c.start:c.end] == c.text


def test_value(world):
    pq, ans = ask(world, "昌平区2024年共接收行政复议申请多少件？")
    assert ans.answered and ans.text.startswith("1723件")
    _cited_in_report(world, ans)


@pytest.mark.parametrize("question,lead", [
    ("恩阳区2024年行政复议案件有没有超过40件？", "有"),
    ("恩阳区2024年办理的行政复议案件达到50件了吗？", "否"),
    ("西城区2023年完成的审计项目有40个吗？", "否"),
    ("昌平区2024年行政复议申请是不是1723件？", "是"),
    # a place asked: the report's rank decides (通州区's figures are 「均在全市排名第3」)
    ("通州区2020年行政处罚案件总量是全市第一吗？", "否"),
    ("通州区2020年行政检查量排名全市前三吗？", "是"),
    ("西城区在2023年度好差评评价中是全市第一吗？", "是"),
    ("Was Tongzhou ranked first in the city for administrative penalty cases in 2020?", "No"),
    # an ordinal asked (第五届): the report's ordinal of that measure word decides
    ("西城区2023年举办的是第五届政府向公众报告工作活动吗？", "否"),
    ("西城区2023年举办的是第六届政府向公众报告工作活动吗？", "是"),
])
def test_yes_no_leads_with_the_verdict_and_cites(world, question, lead):
    pq, ans = ask(world, question)
    assert ans.answered and ans.text.startswith(lead), ans.text
    assert ans.citations
    _cited_in_report(world, ans)


@pytest.mark.parametrize("question,place", [
    ("通州区2020年行政处罚案件总量在全市排第几？", "第3"),
    ("西城区在2023年度好差评评价中排名第几？", "第一"),
    ("What place did Tongzhou rank in the city for total administrative penalty cases in 2020?", "第3"),
])
def test_a_place_asked_is_answered_by_the_reports_rank(world, question, place):
    _, ans = ask(world, question)
    assert ans.answered and ans.text.startswith(place), ans.text
    _cited_in_report(world, ans)


def test_rank_over_every_report_names_the_place_and_the_unstated(world):
    pq, ans = ask(world, "哪个地方的行政复议案件最多？")
    first = ans.text.split("\n")[0]
    assert first.startswith("昌平区") and "1723" in first, ans.text
    assert "未写明此项的报告" in ans.text and "西城区" in ans.text.split("未写明此项的报告")[1]
    assert [row["place"] for row in ans.chart][:2] == ["昌平区", "通州区"]
    _cited_in_report(world, ans)


def test_a_ranking_across_many_reports_lists_the_first_ten_and_reads_only_them(world):
    """300 reports state it: the ten highest are listed and quoted, the rest counted; only the ten are read."""
    from dataclasses import replace

    from rag.answer.across import RANK_SHOWN
    from rag.types import StatementMatch

    parser, ctx, _ = world
    seed = next(m.statement for m in ctx.statements().best_per_report(
        parser.parse("哪个地方的行政复议案件最多？").metric, [e.doc_id for e in ctx.catalog]) if m.statement)
    read = []

    def load(i):
        read.append(i)
        return replace(seed, doc_id=f"d{i}", region=f"样本{i}区", value=float(i), as_written=f"{i}件")

    class ManyReports:
        def best_per_report(self, metric, docs, **_):
            return [StatementMatch(f"d{i}", None, 5.0, 0.9, lambda i=i: load(i), (float(i), "件")) for i in range(300)]

    many = replace(ctx, statements=lambda: ManyReports())
    pq = parser.parse("哪个地方的行政复议案件最多？")
    ans = extractive_answer(pq, many)
    assert ans.text.startswith("样本299区") and "299件" in ans.text.split("\n")[0], ans.text
    assert "共300份报告写明此项" in ans.text and len(ans.chart) == RANK_SHOWN == len(ans.citations)
    assert sorted(read) == list(range(300 - RANK_SHOWN, 300))


def test_rank_ascending(world):
    pq, ans = ask(world, "这些报告里，谁的行政复议案件数最少？")
    assert ans.text.startswith("长子营镇"), ans.text


def test_sum_across_places(world):
    pq, ans = ask(world, "昌平和通州的行政复议案件加起来一共多少件？")
    assert ans.text.startswith("合计1895件"), ans.text
    assert len(ans.citations) == 2 and len(ans.chart) == 2


def test_sum_and_difference_of_items_in_one_report(world):
    _, total = ask(world, "昌平区2024年按时办复的人大代表议案建议和政协提案合计多少件？")
    assert total.text.startswith("合计415件"), total.text
    _, gap = ask(world, "通州区2020年发布的红名单比黑名单多出多少家？")
    assert gap.text.startswith("多18759家"), gap.text


def test_a_rate_alone_is_not_stated_as_a_count(world):
    # The count asked is computed from the stated rate, and said to be computed: never given as if stated.
    pq, ans = ask(world, "昌平区2024年行政复议申请比上年增加了多少件？")
    assert "推算值，报告未直接写明" in ans.text and "48.2%" in ans.text, ans.text


def test_false_premise_says_what_the_report_says(world):
    pq, ans = ask(world, "为什么昌平区2024年行政复议申请下降了？")
    assert ans.text.startswith("报告并未说下降") and "增长48.2%" in ans.text, ans.text


def test_about_the_reports_from_the_catalogue(world):
    assert "大兴区" in ask(world, "长子营镇是哪个区的？")[1].text
    assert "2024-03-28" in ask(world, "长子营镇的报告是哪天发布的？")[1].text
    coverage = ask(world, "这些报告覆盖了哪些地方？")[1].text
    assert all(p in coverage for p in ("昌平", "通州", "恩阳", "长子营", "西城"))


def test_list_of_a_report_part(world):
    pq, ans = ask(world, "西城区2023年法治政府建设存在哪些不足？")
    assert pq.kind == "不足" and ans.answered
    assert "接诉即办" in ans.text and "基层治理法治化水平发展不平衡" in ans.text


def test_english_answered_in_english_with_chinese_quote(world):
    pq, ans = ask(world, "How many legal aid cases did Enyang handle in 2024?")
    assert ans.text.startswith("252件") and "Evidence [1]" in ans.text and re.search(r"「.*法律援助.*」", ans.text)


def test_follow_up_compare(world):
    pq, ans = ask(world, "这个比昌平多吗？", ["恩阳区2024年区政府常务会会前学法几次？"])
    assert pq.shape == "yesno" and ans.text[:1] in "是否", ans.text


def test_unknown_place_refused(world):
    pq, ans = ask(world, "How many administrative reconsideration cases did Haidian District handle in 2023?")
    assert not ans.answered and "Haidian" in ans.text


@pytest.mark.parametrize("text,items", [
    ("一是执法力量不足。二是培训不够。三是考核偏软。", 3),
    ("（一）执法力量不足；（二）培训不够。", 2),
    ("仍存在一些短板,主要表现在执法力量不足;培训覆盖不够;考核结果运用偏软。", 3),  # semicolons list them
    ("执法力量仍显不足。", 0),
    ("下一步：落实三项制度；加强宣传。同时，加大培训力度；完善考核。", 2),  # the first listing sentence only
])
def test_items_of_a_report_part(text, items):
    from rag.sections import item_starts

    assert len(item_starts(text)) == items


def test_items_listed_with_semicolons_are_counted(world):
    pq, ans = ask(world, "恩阳区2024年的报告在存在的不足部分列了几项不足？")
    assert pq.operation == "count" and ans.text.startswith("共3项")
    _cited_in_report(world, ans)


def test_an_english_question_the_reports_do_not_answer_is_refused_in_english(world):
    pq, ans = ask(world, "How many drone patrol flights did Enyang fly in 2024?")
    assert not ans.answered
    assert ans.text.startswith("The reports do not state this for 恩阳区") and "的相关内容" not in ans.text


def test_the_year_before_with_only_a_rate_stated_is_computed_back_and_said_so(world):
    # The 2024 report states 1723件 and 同比增长48.2%, no 2023 figure: 1723 ÷ 1.482, marked as computed.
    pq, ans = ask(world, "昌平区2023年接收行政复议申请多少件？")
    assert pq.period == "previous"
    assert ans.answered and ans.text.startswith("约1162.6件（推算值") and "1723 ÷ 1.482" in ans.text
    _cited_in_report(world, ans)


def test_an_english_mention_is_looked_for_in_the_reports_words(world):
    pq, ans = ask(world, "Does Enyang's report mention 'first violation no penalty'?")
    assert pq.mention == "首违不罚"  # the glossary's words, none repeated inside another
    assert ans.text.startswith("Yes.") and "恩阳区（2024年）" in ans.text
    pq, ans = ask(world, "Does Xicheng's report mention 'sandbox' supervision?")
    assert pq.mention == "沙箱" and ans.text.startswith("No: the report searched does not mention")  # Tongzhou's does


def test_quote_marks_do_not_part_a_mentioned_name(world):
    # The report writes 「建立“警企復産聯查”機制」: asked without the quotes, it is still found, quoted as written.
    pq, ans = ask(world, "警企复产联查机制是哪里搞的？")
    assert pq.operation == "mentions" and "通州区（2020年）" in ans.text.split("\n")[0]
    _cited_in_report(world, ans)


def test_the_parts_of_the_achievements_are_counted_by_their_sub_headings(world):
    pq, ans = ask(world, "西城区2023年主要举措和成效分成几个方面？")
    assert (pq.operation, pq.kind) == ("count", "成效")
    assert ans.text.startswith("共9个方面") and len(ans.citations) == 9
    _cited_in_report(world, ans)
    _, plan = ask(world, "长子营镇2023年的主要安排有几条？")
    assert plan.text.startswith("共4条")  # counted in the question's own measure word


def test_a_part_within_a_thing_needs_a_figure_that_names_the_part(world):
    # 「直接纠错33件」 counts every corrected case; how many were about demolition the report does not say.
    pq, ans = ask(world, "通州区2020年复议纠错的案件里，拆迁拆违领域的有几件？")
    assert pq.within in ("拆迁", "拆违") and not ans.answered and "33件" not in ans.text.split("\n")[0]
    pq, ans = ask(world, "恩阳区2024年办理的行政复议案件中，纠错的有几件？")
    assert pq.within == "纠错" and ans.text.startswith("5件")


def test_the_library_is_asked_for_reports_of_a_level(world):
    pq, ans = ask(world, "库里有没有镇一级的报告？是哪个？")
    assert pq.about == "levels" and ans.text.startswith("有：") and "长子营镇" in ans.text
    _, none = ask(world, "资料库里有省级的报告吗？")
    assert none.text.startswith("没有：本库没有省级的报告")


def test_a_change_in_a_count_is_computed_back_from_the_stated_rate(world):
    # 「1723件，同比增长48.2%」: the count more than the year before is 1723 − 1723 ÷ 1.482, marked as computed.
    pq, ans = ask(world, "昌平区2024年接收行政复议申请比上年多了多少件？")
    assert pq.operation == "change"
    assert ans.text.startswith("约增加560件（推算值") and "1723 − 1723 ÷ 1.482" in ans.text
    _cited_in_report(world, ans)


def test_a_stated_rate_is_applied_to_the_count_beside_it(world):
    pq, ans = ask(world, "昌平区A类执法岗位按参与执法率算，实际参与执法的大概多少人？")
    assert pq.operation == "apply"
    assert ans.text.startswith("约836.4人（推算值") and "870 × 96.14%" in ans.text
    _cited_in_report(world, ans)
    # No count in the asked measure word beside the rate: no figure.
    _, none = ask(world, "长子营镇按A岗参与执法率计算，参与执法的有多少人？")
    assert not none.answered and none.text.startswith("无法计算")


def test_an_average_keeps_the_reports_magnitude(world):
    pq, ans = ask(world, "恩阳区兑现的惠企政策资金平均每家企业多少万元？")
    assert pq.operation == "average" and ans.text.startswith("平均每家约194.9万元")


def test_a_ratio_of_two_places_with_the_frame_after_the_first(world):
    pq, ans = ask(world, "昌平区接收的行政复议申请数大约是恩阳区的多少倍？")
    assert pq.operation == "ratio" and ans.text.startswith("约42倍") and "1723 ÷ 41" in ans.text


def test_places_whose_figures_count_different_things_are_flagged(world):
    # 昌平 states 接收行政复议申请, 恩阳 办理行政复议案件: compared and added, but said to differ.
    for question in ("昌平区和恩阳区哪个行政复议案件更多？", "昌平区接收的行政复议申请数大约是恩阳区的多少倍？"):
        pq, ans = ask(world, question)
        assert "所计的对象不同" in ans.text.split("\n")[0], ans.text


def test_places_whose_figures_count_the_same_thing_are_not_flagged():
    from rag.answer.across import Figure, measures_note
    from rag.types import Citation

    cite = Citation("d", "t", "", "", 0, 0)
    same = [Figure("甲区", 2024, 5, "件", False, "5件", cite, "行政复议案件"),
            Figure("乙区", 2024, 7, "件", False, "7件", cite, "办理行政复议案件")]
    assert measures_note(same) == ""
    assert "甲区为行政复议案件" in measures_note([same[0], Figure("乙区", 2024, 7, "件", False, "7件", cite, "法律援助案件")])


def test_an_english_yes_no_says_why_in_english(world):
    pq, ans = ask(world, "Has Changping built a district-level administrative dispute mediation center?")
    first = ans.text.split("\n")[0]
    assert first.startswith(("Yes: the report", "No: the report")) and "报告" not in first, ans.text
