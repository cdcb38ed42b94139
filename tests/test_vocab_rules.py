"""Table tests of the question word lists that decide what a question asks about time (rag/question/vocab.py)."""
from __future__ import annotations

import pytest

from rag.question.vocab import AGAINST_BEFORE, PLAN_ONLY


@pytest.mark.parametrize("question,asks", [
    ("2025年计划办理多少件法律援助案件？", True),
    ("明年要培训多少名执法人员？", True),
    ("力争把办理时限压缩到几天？", True),
    ("有多少项涉企监管事项被列入年度监管计划？", False),  # 计划 names a plan document
    ("落实八五普法规划开展了多少场活动？", False),
    ("按照工作计划，全年办理了多少件？", False),
])
def test_a_plan_word_asks_for_the_plan_only_when_it_governs_the_asking(question, asks):
    assert bool(PLAN_ONLY.search(question)) is asks


@pytest.mark.parametrize("question,against", [
    ("政策性文件草案公开征集意见比上年多了多少件？", True),
    ("行政复议案件较去年同期减少了多少？", True),
    ("政策解读同比增长了多少？", True),
    ("新组建了几家单位？", False),
    ("2023年发布了多少件政策解读？", False),
])
def test_a_comparison_with_the_year_before(question, against):
    assert bool(AGAINST_BEFORE.search(question)) is against
