"""evals.scorer: scoring answers against gold facts."""
from __future__ import annotations

import math

import pytest

from evals.scorer import (answer_quantities, citation_correct, gold_measures, hit_at, lenient_correct,
                          mrr, normalize_text, percentile, refusal_correct, retrieval_ranks, strict_correct)

GOLD = {"id": "cp-004", "question": "2024年昌平区共接收行政复议申请多少件？", "category": "direct",
        "doc_id": "changping-2024", "value": 1723, "unit": "件", "evidence": "2024年共接收行政复议申请1723件"}
MONEY = {"id": "ey-m", "question": "恩阳区2024年为企业兑现惠企政策资金多少？", "doc_id": "enyang-2024",
         "value": 1949.39, "unit": "万元", "evidence": "为10家企业兑现惠企政策资金1949.39万元"}
TRAD = {"id": "tz-001", "question": "通州区2020年共协助核查复工人员多少？", "doc_id": "tongzhou-2020",
        "value": 3.2, "unit": "萬餘人", "evidence": "共協助核查復工人員50批次3.2萬餘人"}
MULTI = {"id": "mv-001", "question": "昌平区2024年区委理论学习中心组和区政府常务会分别会前学法多少次？",
         "doc_id": "changping-2024",
         "values": [{"value": 7, "unit": "次", "doc_id": "changping-2024", "evidence": "区委理论学习中心组开展会前学法7次"},
                    {"value": 6, "unit": "次", "doc_id": "changping-2024", "evidence": "区政府常务会会前学法6次"}]}
COMPARE = {"id": "cmp-001", "question": "2024年昌平区和巴中市恩阳区，哪个区的行政复议案件量更多？",
           "entity": "昌平区",
           "values": [{"doc_id": "changping-2024", "value": 1723, "unit": "件", "evidence": "2024年共接收行政复议申请1723件"},
                      {"doc_id": "enyang-2024", "value": 41, "unit": "件", "evidence": "全年办理行政复议案件41件"}]}
REFUSE = {"id": "un-001", "question": "北京市海淀区2024年共接收行政复议申请多少件？", "refuse": True}
NAME_NUMERAL = {"id": "cp-023", "question": "昌平区2024年行政执法规范建设年专项行动提出了几大提升？",
                "doc_id": "changping-2024", "value": 6, "unit": "大提升",
                "evidence": "开展行政执法规范建设年“六大提升”专项行动"}


def ans(text: str, answered: bool = True, citations: list | None = None) -> dict:
    return {"answer": text, "answered": answered, "citations": citations or []}


def cite(doc_id: str, text: str) -> dict:
    return {"doc_id": doc_id, "title": "", "section": "", "text": text, "start": 0, "end": len(text)}


# --- answer_quantities ----------------------------------------------------------

def test_answer_quantities_skips_years_question_numbers_and_citation_markers():
    qs = answer_quantities("2024年昌平区共接收行政复议申请1723件[1]，同比增长48.2%【2】。", GOLD["question"])
    assert [q.value for q in qs] == [1723, 48.2]


def test_answer_quantities_skips_a_number_the_user_typed():
    question = "12345热线在2024年受理了多少件诉求？"
    qs = answer_quantities("12345热线共受理诉求200余件。", question)
    assert [q.value for q in qs] == [200]


def test_answer_quantities_reads_name_numerals_only_when_asked():
    text = "昌平区开展了“六大提升”专项行动。"
    assert answer_quantities(text, NAME_NUMERAL["question"]) == []
    assert [q.value for q in answer_quantities(text, NAME_NUMERAL["question"], ["大提升"])] == [6]


def test_gold_measures_only_for_facts_written_as_names():
    assert gold_measures(NAME_NUMERAL) == ["大提升"]
    assert gold_measures(GOLD) == []
    assert gold_measures(TRAD) == []


# --- strict and lenient -----------------------------------------------------------

@pytest.mark.parametrize("gold, text", [
    (GOLD, "2024年，昌平区共接收行政复议申请1723件，同比增长48.2%。[1]"),
    (GOLD, "共接收１７２３件。"),
    (GOLD, "共接收1,723件行政复议申请"),
    (MONEY, "恩阳区为10家企业……不对，应为：兑现资金1949.39万元"),
    (MONEY, "兑现惠企政策资金约19493900元"),
    (TRAD, "共協助核查復工人員3.2萬餘人（50批次）"),
    (TRAD, "约3.2万人"),
    (NAME_NUMERAL, "提出了“六大提升”。"),
    (NAME_NUMERAL, "共6大提升"),
])
def test_lenient_accepts_the_gold_value_anywhere(gold, text):
    assert lenient_correct(gold, ans(text))


def test_strict_and_lenient_differ_when_the_right_number_is_second():
    answer = ans("昌平区接收行政复议申请同比增长48.2%，共1723件。")
    assert not strict_correct(GOLD, answer)
    assert lenient_correct(GOLD, answer)


def test_strict_accepts_the_right_first_number():
    assert strict_correct(GOLD, ans("2024年，昌平区共接收行政复议申请1723件，同比增长48.2%。"))
    assert strict_correct(TRAD, ans("通州區共協助核查復工人員3.2萬餘人。"))


def test_money_first_number_is_the_count_of_firms_so_strict_fails():
    answer = ans("恩阳区为10家企业兑现惠企政策资金1949.39万元。")
    assert not strict_correct(MONEY, answer)
    assert lenient_correct(MONEY, answer)


def test_wrong_value_and_unanswered():
    assert not lenient_correct(GOLD, ans("共接收1724件。"))
    assert not strict_correct(GOLD, ans("1723件", answered=False))
    assert not lenient_correct(GOLD, ans("1723件", answered=False))


def test_percent_gold_needs_a_percent():
    gold = {"question": "昌平区考试通过率是多少？", "value": 97.30, "unit": "%", "doc_id": "changping-2024",
            "evidence": "考试通过率97.30%"}
    assert strict_correct(gold, ans("通过率为97.3%。"))
    assert not lenient_correct(gold, ans("有97.3人通过"))


def test_multi_value_in_gold_order():
    assert strict_correct(MULTI, ans("区委理论学习中心组会前学法7次，区政府常务会会前学法6次。"))
    # context numbers between the gold values are allowed
    assert strict_correct(MULTI, ans("中心组学法7次（全年共13次），常务会学法6次。"))
    swapped = ans("常务会学法6次，中心组学法7次。")
    assert not strict_correct(MULTI, swapped)
    assert lenient_correct(MULTI, swapped)
    assert not lenient_correct(MULTI, ans("中心组学法7次。"))


def test_comparison_entity_in_first_sentence_before_the_other_region():
    assert strict_correct(COMPARE, ans("昌平区更多。昌平区1723件，恩阳区41件。"))
    assert strict_correct(COMPARE, ans("昌平區的行政複議案件更多（1723件對41件）。"))
    assert not strict_correct(COMPARE, ans("恩阳区41件，昌平区1723件，昌平区更多。"))
    assert not strict_correct(COMPARE, ans("两区相比差距很大。昌平区更多。"))
    assert lenient_correct(COMPARE, ans("恩阳区41件，昌平区1723件，昌平区更多。"))
    assert not lenient_correct(COMPARE, ans("恩阳区更多。"))


def test_refusal():
    refused = ans("资料中没有海淀区的报告，无法回答。", answered=False)
    assert refusal_correct(REFUSE, refused)
    assert strict_correct(REFUSE, refused) and lenient_correct(REFUSE, refused)
    assert not refusal_correct(REFUSE, ans("1723件"))
    assert not refusal_correct(GOLD, refused)
    assert refusal_correct(GOLD, ans("1723件"))


# --- citations and retrieval --------------------------------------------------------

def test_citation_in_the_right_document():
    passage = "二是强化行政复议。2024年共接收行政复议申请1723件,同比增长48.2%。"
    assert citation_correct(GOLD, ans("1723件", citations=[cite("changping-2024", passage)]))
    assert not citation_correct(GOLD, ans("1723件", citations=[cite("enyang-2024", passage)]))
    assert not citation_correct(GOLD, ans("1723件", citations=[cite("changping-2024", "2024年共接收行政复议申请")]))
    assert not citation_correct(GOLD, ans("1723件"))


def test_citation_matches_a_traditional_quote_and_ignores_whitespace():
    passage = "建立“警企復産聯查”機制,助力相關重大工程復工,共協助核查復工人員50批次3.2萬餘人。"
    assert citation_correct(TRAD, ans("3.2万余人", citations=[cite("tongzhou-2020", passage)]))
    simplified_gold = dict(TRAD, evidence="共协助核查复工人员50批次 3.2万余人")
    assert citation_correct(simplified_gold, ans("3.2万余人", citations=[cite("tongzhou-2020", passage)]))


def test_citation_for_multi_value_needs_every_evidence():
    both = cite("changping-2024", "区委理论学习中心组开展会前学法7次、区政府常务会会前学法6次")
    assert citation_correct(MULTI, ans("7次、6次", citations=[both]))
    half = cite("changping-2024", "区委理论学习中心组开展会前学法7次")
    assert not citation_correct(MULTI, ans("7次、6次", citations=[half]))


def test_normalize_text():
    assert normalize_text("協助 核查\n３.２萬餘人，") == "协助核查3.2万余人,"


def test_retrieval_ranks():
    hit = {"doc_id": "changping-2024", "text": "2024年共接收行政复议申请1723件,同比增长48.2%"}
    wrong_doc = dict(hit, doc_id="enyang-2024")
    miss = {"doc_id": "changping-2024", "text": "一是扎实开展党纪学习教育"}
    assert retrieval_ranks(GOLD, [hit, miss]) == 1
    assert retrieval_ranks(GOLD, [miss, wrong_doc, hit]) == 3
    assert retrieval_ranks(GOLD, [miss, wrong_doc]) is None
    assert retrieval_ranks(REFUSE, [hit]) is None
    trad = {"doc_id": "tongzhou-2020", "text": "共協助核查復工人員50批次3.2萬餘人。"}
    assert retrieval_ranks(TRAD, [miss, trad]) == 2


def test_hit_at_and_mrr():
    assert hit_at(1, 1) and hit_at(3, 5) and not hit_at(6, 5) and not hit_at(None, 5)
    assert mrr([1, 2, None, 4]) == pytest.approx((1 + 0.5 + 0 + 0.25) / 4)
    assert mrr([]) == 0.0


@pytest.mark.parametrize("values, p, expected", [
    ([1, 2, 3, 4, 5], 50, 3),
    ([5, 1, 3, 2, 4], 50, 3),
    ([1, 2, 3, 4], 50, 2.5),
    ([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 95, 95.5),
    ([7], 95, 7),
    ([1, 2, 3], 0, 1),
    ([1, 2, 3], 100, 3),
])
def test_percentile(values, p, expected):
    assert percentile(values, p) == pytest.approx(expected)


def test_percentile_of_nothing_is_nan():
    assert math.isnan(percentile([], 50))
