"""Follow-ups of 2–4 turns composed from the earlier queries (a Conversation), answered over the seed
reports' statements with the fake retriever of test_answer_shapes: no index, no embeddings."""
from __future__ import annotations

from rag.answer.pipeline import extractive_answer
from rag.question import Conversation

from .test_answer_shapes import world  # noqa: F401 - the fixture


def chain(world, *questions):
    """(query, answer) of every turn, each asked with the Conversation of the turns before it."""
    parser, ctx, _ = world
    conversation, out = Conversation(), []
    for q in questions:
        pq = parser.parse(q, conversation)
        ans = extractive_answer(pq, ctx)
        out.append((pq, ans))
        conversation = conversation.then(q, pq, ans.text, ans.citations)
    return out


def test_sum_of_two_earlier_answers_cites_both_and_flags_different_measures(world):
    turns = chain(world, "昌平区2024年共接收行政复议申请多少件？", "恩阳区呢？", "这两个加起来是多少？")
    (first, _), (second, a2), (pq, ans) = turns
    assert a2.text.startswith("41件")
    assert pq.operation == "sum" and pq.operands == (first, second)  # the earlier queries themselves
    assert ans.answered and ans.text.startswith("合计1764件")
    assert len(ans.citations) == 2 and "对象不同" in ans.text  # 接收申请 beside 办理案件: said, not hidden


def test_four_turns_difference_then_ratio_over_the_same_two_answers(world):
    turns = chain(world, "通州区2020年主动公开政府信息多少条？", "西城区2023年呢？", "两者相差多少？", "前者是后者的多少倍？")
    assert [pq.operation for pq, _ in turns] == ["value", "value", "difference", "ratio"]
    assert turns[2][1].text.startswith("相差4234条")
    assert turns[3][1].text.startswith("约0.8倍") and "年份不同" in turns[3][1].text


def test_later_is_divided_by_earlier_when_asked_so(world):
    *_, (pq, ans) = chain(world, "通州区2020年主动公开政府信息多少条？", "西城区2023年呢？", "后者是前者的多少倍？")
    assert [o.scope.regions for o in pq.operands] == [("西城区",), ("通州区",)]
    assert ans.text.startswith("约1.2倍")


def test_which_of_the_two_is_fewer(world):
    *_, (pq, ans) = chain(world, "通州区2020年主动公开政府信息多少条？", "西城区2023年呢？", "它们哪个更少？")
    assert pq.operation == "compare" and pq.asked_direction == "down"
    assert ans.text.startswith("通州区2020年主动公开政府信息更少")


def test_an_operand_the_reports_do_not_state_gives_no_figure(world):
    *_, (pq, ans) = chain(world, "昌平区2024年共接收行政复议申请多少件？", "长子营镇2023年的无人机巡查架次呢？",
                          "这两个加起来是多少？")
    assert pq.operation in ("sum", "value")
    if pq.operands:
        assert not ans.answered and "1723" not in ans.text.split("\n")[0].replace("已找到", "")


def test_the_year_before_rewrites_the_year_of_the_earlier_query(world):
    (first, _), (pq, _) = chain(world, "昌平区2024年共接收行政复议申请多少件？", "那上一年呢？")
    assert pq.scope.regions == ("昌平区",) and "2023年" in pq.resolved and "year" in pq.carried


def test_a_self_contained_question_inherits_no_place(world):
    *_, (pq, _) = chain(world, "恩阳区2024年办理行政复议案件多少件？", "哪个地方的行政复议案件最多？")
    assert pq.operation == "rank" and pq.scope.regions == () and "place" not in pq.carried


def test_chat_messages_and_a_conversation_give_the_same_query(world):
    parser, _, _ = world
    asked = ["通州区2020年主动公开政府信息多少条？", "西城区2023年呢？"]
    messages = [m for q in asked for m in ({"role": "user", "content": q}, {"role": "assistant", "content": "…"})]
    from_messages = parser.parse("两者相差多少？", messages)
    from_conversation = chain(world, *asked, "两者相差多少？")[-1][0]
    assert from_messages.operation == from_conversation.operation == "difference"
    assert from_messages.resolved == from_conversation.resolved
    assert Conversation.from_history(messages).user_turns == tuple(asked)


def test_a_query_kept_in_the_conversation_is_not_parsed_again(world, monkeypatch):
    parser, _, _ = world
    first = parser.parse("昌平区2024年共接收行政复议申请多少件？")
    conversation = Conversation().then("昌平区2024年共接收行政复议申请多少件？", first, "1723件。")
    seen = []
    real = parser.normalise
    monkeypatch.setattr(parser, "normalise", lambda text: seen.append(text) or real(text))
    parser.parse("恩阳区呢？", conversation)
    assert len(seen) == 1 and seen[0].startswith("恩阳区呢")  # the new turn only


def test_an_earlier_turn_with_nothing_to_ask_is_skipped(world):
    parser, _, _ = world
    messages = [{"role": "user", "content": "昌平区2024年共接收行政复议申请多少件？"}, {"role": "user", "content": "？？"}]
    pq = parser.parse("恩阳区呢？", messages)
    assert pq.scope.regions == ("恩阳区",) and "metric" in pq.carried


def test_a_bare_follow_up_counts_its_own_thing_in_its_own_measure(world):
    # 主动公开 is counted in 条, 依申请公开 in 件: the earlier 条 must not pull the answer back to 18198条.
    *_, (pq, ans) = chain(world, "通州区2020年主动公开政府信息多少条？", "那依申请公开呢？")
    assert ans.text.startswith("419件"), ans.text


def test_a_question_naming_its_own_places_is_not_a_follow_up_over_earlier_answers(world):
    *_, (pq, _) = chain(world, "昌平区2024年共接收行政复议申请多少件？", "恩阳区呢？",
                        "西城区和通州区这两个区哪个行政复议案件更多？")
    assert not pq.operands and {"西城区", "通州区"} <= set(pq.scope.regions)


def test_a_new_thing_of_the_same_place_is_looked_for_first_where_the_last_answer_quoted(world):
    # 「涉及几个执法单位？」 after the case files reviewed: the units of that sentence (9个), not the units of
    # another sentence of the report that also counts 执法单位.
    (first, a1), (pq, ans) = chain(world, "恩阳区2024年评查了多少本行政执法案卷？", "涉及几个执法单位？")
    assert a1.text.startswith("100本")
    assert pq.near == tuple((c.doc_id, c.start, c.end) for c in a1.citations)
    assert ans.text.startswith("9个") and ans.citations[0].start == a1.citations[0].start


def test_a_follow_up_naming_its_own_place_does_not_look_near_the_last_answer(world):
    _, (pq, _) = chain(world, "恩阳区2024年评查了多少本行政执法案卷？", "昌平区2024年抽查了多少卷行政处罚案件？")
    assert pq.near == ()


def test_english_computed_answers_lead_in_english_and_quote_in_chinese(world):
    from .test_answer_shapes import ask

    _, compared = ask(world, "Which had more administrative reconsideration cases, Changping or Enyang?")
    lead = compared.text.split("\n")[0]
    assert lead.startswith("昌平区 has more: ") and "note: they count different things" in lead
    assert not any(w in lead for w in ("更多", "注意", "所计"))
    assert "「" in compared.text  # the reports' own words, quoted
    _, ranked = ask(world, "Which place had the most administrative reconsideration cases?")
    assert " has the most: " in ranked.text.split("\n")[0] and "最多" not in ranked.text
