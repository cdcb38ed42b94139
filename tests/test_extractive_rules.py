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
