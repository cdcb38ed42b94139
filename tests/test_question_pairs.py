"""An English question parses to the same query as its Chinese twin: operation, shape, places, years,
period, what is asked for (a number or not, a report part, a catalogue field) and any threshold."""
from __future__ import annotations

import pytest

from .parsed import parsed

PAIRS = [
    ("昌平区2024年接收行政复议申请多少件？", "How many administrative reconsideration applications did Changping receive in 2024?"),
    ("恩阳区2024年办理法律援助案件多少件？", "How many legal aid cases did Enyang handle in 2024?"),
    ("哪个地方的行政复议案件最多？", "Which place had the most administrative reconsideration cases?"),
    ("昌平区和恩阳区哪个行政复议案件更多？", "Which had more administrative reconsideration cases, Changping or Enyang?"),
    ("西城区2023年有没有提到包容审慎监管？", "Does Xicheng's 2023 report mention inclusive and prudent supervision?"),
    ("资料库里一共有几份报告？", "How many reports are in the library?"),
    ("恩阳区2024年行政复议纠错率是多少？", "What was Enyang's administrative reconsideration correction rate in 2024?"),
    ("昌平区2024年行政复议申请是否超过1000件？",
     "Did Changping receive more than 1000 administrative reconsideration applications in 2024?"),
    ("青石县2023年行政复议案件多少件？", "How many administrative reconsideration cases did Qingshi County have in 2023?"),
    ("通州区2020年存在哪些不足？", "What shortcomings did Tongzhou report for 2020?"),
    ("恩阳区是哪个地级市的？", "Which prefecture-level city is Enyang part of?"),
    ("昌平区2024年接收行政复议申请比上年增长了多少？",
     "By how much did Changping's administrative reconsideration applications grow in 2024 compared with the previous year?"),
    ("通州区2020年公共资源交易项目的预算总额是多少？",
     "What was the total budget of the public resource trading projects in Tongzhou in 2020?"),  # 「what was the total」
    ("恩阳区2024年兑现惠企政策资金多少？", "How much business-support policy funding did Enyang pay out in 2024?"),
    ("恩阳区2024年行政复议案件少于50件吗？", "Did Enyang have under 50 administrative reconsideration cases in 2024?"),
]


def _query(pq) -> dict:
    s = pq.scope
    return {"operation": pq.operation, "shape": pq.shape, "regions": s.regions, "years": s.years,
            "holds_unknown_place": bool(s.unknown_regions), "refused": s.empty, "period": pq.period,
            "wants_number": pq.wants_number, "kind": pq.kind, "about": pq.about,
            "threshold": (pq.threshold.op, pq.threshold.value) if pq.threshold else None}


@pytest.mark.parametrize("zh, en", PAIRS, ids=[zh for zh, _ in PAIRS])
def test_english_parses_to_the_chinese_query(zh, en):
    chinese, english = parsed(zh), parsed(en)
    assert english.language == "en" and chinese.language == "zh"
    assert _query(english) == _query(chinese)
