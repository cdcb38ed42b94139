"""Answers through the Python API and the CLI: numbers first, cited, refusals, follow-ups."""
from __future__ import annotations

import json

import pytest

from rag.errors import QuestionError

from .test_cli import run_rag


def test_number_first_in_the_reports_unit_with_its_sentence(assistant):
    ans = assistant.ask("恩阳区给企业兑现了多少惠企政策资金？")
    assert ans.answered and ans.mode == "extractive"
    assert ans.text.startswith("1949.39万元")
    cite = ans.citations[0]
    report = assistant.reports()[cite.doc_id]
    assert report.text[cite.start:cite.end] == cite.text and "1949.39万元" in cite.text
    assert "[1]" in ans.text and ans.timings


def test_right_number_among_several_in_one_sentence(assistant):
    assert assistant.ask("昌平区2024年共接收行政复议申请多少件？").text.startswith("1723件")
    assert assistant.ask("昌平区2024年行政复议申请同比增长了多少？").text.startswith("48.2%")
    assert assistant.ask("2024年昌平区区政府常务会会前学法几次？").text.startswith("6次")
    assert assistant.ask("2024年昌平区区委理论学习中心组会前学法几次？").text.startswith("7次")


def test_traditional_report_answers_a_simplified_question(assistant):
    ans = assistant.ask("通州区2020年协助核查复工人员多少人？")
    assert ans.text.startswith("3.2萬餘人（3.2万余人）")
    assert ans.citations[0].doc_id == "tongzhou-2020" and "3.2萬餘人" in ans.citations[0].text


def test_chinese_numerals_are_read(assistant):
    assert assistant.ask("昌平区2024年组织了几批次行政执法资格考试？").text.startswith("五批次")


@pytest.mark.parametrize("question", [
    "海淀区2024年共接收行政复议申请多少件？",
    "昌平区2019年共接收行政复议申请多少件？",
    "2024年昌平区办理法律援助案件多少件？",
])
def test_refuses_what_the_reports_do_not_hold(assistant, question):
    ans = assistant.ask(question)
    assert not ans.answered and ans.text.startswith("报告中未找到")
    assert not any(ch.isdigit() for ch in ans.text.replace("2024", "").replace("2019", "")
                   .replace("2020", "").replace("2023", ""))


def test_a_change_of_another_thing_in_the_sentence_does_not_answer(assistant):
    # 「…申请1723件,同比增长48.2%,矛盾综合化解率达46.9%」: the 48.2% is the applications' change, not the rate's
    ans = assistant.ask("昌平区矛盾综合化解率比上年提高了多少？")
    assert not ans.answered and "46.9%" in ans.text.split("\n")[0] and "48.2" not in ans.text.split("\n")[0]


@pytest.mark.parametrize("question,stated", [
    ("西城区政策性文件草案公开征集意见比上年多了多少件？", "21件"),  # the year's count, no change and no 上年 figure
    ("西城区2023年发布政策解读的数量同比增长了多少？", "31件"),
])
def test_a_change_asked_against_the_year_before_is_not_answered_by_the_years_figure(assistant, question, stated):
    ans = assistant.ask(question)
    lead = ans.text.split("\n")[0]
    assert not ans.answered and stated in lead and "未写明" in lead


def test_a_plan_asked_is_not_answered_by_what_was_done(assistant):
    ans = assistant.ask("恩阳区2025年计划办理多少件法律援助案件？")
    lead = ans.text.split("\n")[0]
    assert not ans.answered and "252件" in lead and "未写明计划" in lead


def test_a_count_of_something_else_beside_the_asked_people_is_no_answer(assistant):
    # 「现有公职律师42名,区政府法律顾问参与规范性文件审查共计42件次」 states no number of 法律顾问
    ans = assistant.ask("昌平区有多少名区政府法律顾问？")
    assert not ans.answered and "42" not in ans.text.split("\n")[0]


def test_comparison_is_computed_with_a_citation_per_side(assistant):
    ans = assistant.ask("2024年昌平区和恩阳区，哪个区的行政复议案件更多？")
    assert ans.text.startswith("昌平区更多")
    assert {c.doc_id for c in ans.citations} == {"changping-2024", "enyang-2024"}
    assert "1723件" in ans.text and "41件" in ans.text


def test_multi_part_question_answers_each_part(assistant):
    ans = assistant.ask("2020年通州区的黑名单和红名单分别有多少家？")
    assert ans.text.index("592") < ans.text.index("19351")


def test_follow_ups_take_what_they_omit_from_the_conversation(assistant):
    first = "昌平区2024年共接收行政复议申请多少件？"
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": assistant.ask(first).text}]
    ans = assistant.ask("那恩阳区呢？", history=history)
    assert ans.citations and ans.citations[0].doc_id == "enyang-2024"
    assert "理解为" in (ans.notice or "")


def test_stream_yields_partials_then_the_final_answer(assistant):
    parts = list(assistant.ask_stream("西城区2023年主动公开信息多少条？"))
    assert len(parts) >= 2 and parts[-1].citations and parts[-1].text.startswith("22432条")


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01", None])
def test_empty_questions_are_rejected_clearly(assistant, bad):
    with pytest.raises(QuestionError, match="问题不能为空"):
        assistant.ask(bad)


def test_overlong_and_control_character_questions_still_answer(assistant):
    ans = assistant.ask("昌平区2024年共接收行政复议申请多少件？\x07" + "啊" * 40_000)
    assert "截取" in (ans.notice or "")
    ans = assistant.ask(b"\xe6\x98\x8c\xe5\xb9\xb3\xe5\x8c\xba2024\xe5\xb9\xb4\xff\xfe".decode("utf-8", "replace")
                        + "共接收行政复议申请多少件？")
    assert ans.text.startswith("1723件")


def test_cli_ask_batch_contract(built_settings, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": 1, "question": "昌平区2024年共接收行政复议申请多少件？"},
        {"id": 2, "question": "海淀区2024年行政复议多少件"}]), encoding="utf-8")
    out = run_rag("ask", "--batch", str(batch), "--json", data_dir=built_settings.data_dir)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [set(r) for r in rows] == [{"id", "question", "answer", "answered", "citations", "mode", "notice", "latency_ms"}] * 2
    assert rows[0]["answered"] and rows[0]["answer"].startswith("1723件")
    assert set(rows[0]["citations"][0]) == {"doc_id", "title", "section", "text", "start", "end"}
    assert rows[1]["answered"] is False


def test_cli_ask_empty_exits_nonzero(built_settings):
    out = run_rag("ask", "", data_dir=built_settings.data_dir)
    assert out.returncode != 0 and "问题不能为空" in out.stderr


def test_questions_that_want_a_passage_get_quoted_sentences(assistant):
    ans = assistant.ask("西城区2023年法治政府建设存在哪些不足？")
    assert ans.answered and len(ans.citations) == 3
    assert all(c.doc_id == "xicheng-2023" for c in ans.citations)
    assert "行政执法工作与接诉即办工作结合还不够紧密" in ans.text
    honour = assistant.ask("恩阳区获得了什么荣誉称号？")
    assert "中国城市精细化管理创新典范" in honour.text


def test_a_conversation_carries_place_year_and_metric_forward(assistant):
    history: list[dict] = []
    said = []
    for q in ["西城区2023年主动公开信息多少条？", "2020年呢？", "那通州区呢？", "受理依申请公开多少件？",
              "和昌平区比哪个多？"]:
        ans = assistant.ask(q, history=history)
        said.append(ans)
        history += [{"role": "user", "content": q}, {"role": "assistant", "content": ans.text}]
    assert said[0].text.startswith("22432条")
    assert not said[1].answered and "西城区2020年" in said[1].text  # the place is kept, the year is new
    assert said[2].text.startswith("18198條")
    assert said[3].text.startswith("419件")
    assert said[4].text.startswith("昌平区更多") and "728件" in said[4].text


def test_respectively_maps_numbers_to_their_items(assistant):
    # 「案件总量和败诉率分别降低60%和75%」
    assert assistant.ask("2023年长子营镇的败诉率比上一年降低了多少？").text.startswith("75%")
    assert assistant.ask("2023年长子营镇案件总量比上一年降低了百分之多少？").text.startswith("60%")


def test_numerals_inside_names_are_read_when_asked_for(assistant):
    assert assistant.ask("昌平区2024年调整确立的“一办五组”格局中有几个组？").text.startswith("五组")
    assert assistant.ask("昌平区2024年行政执法规范建设年专项行动有几大提升？").text.startswith("六大")


@pytest.mark.parametrize("question", ["深圳2024年行政复议申请多少件？", "朝阳行政复议案件多少件？"])
def test_places_without_a_suffix_are_not_answered_from_other_reports(assistant, question):
    ans = assistant.ask(question)
    assert not ans.answered and ans.text.startswith("报告中未找到") and not ans.citations


def test_an_unknown_place_beside_a_known_one_is_said_not_skipped(assistant):
    ans = assistant.ask("朝阳区和昌平区哪个公职律师多？")
    assert not ans.answered and "朝阳区" in ans.text and "42名" in ans.text
    assert "朝阳区" in ans.notice


def test_a_year_written_for_one_place_does_not_drop_the_other(assistant):
    ans = assistant.ask("2020年的通州区和2024年的恩阳区，谁主动公开的政府信息更多？")
    assert ans.text.startswith("通州区更多") and {c.doc_id for c in ans.citations} == {"tongzhou-2020", "enyang-2024"}
    ans = assistant.ask("西城区2023年和昌平区，哪个区的区政府常务会会前学法次数更多？")
    assert {c.doc_id for c in ans.citations} == {"xicheng-2023", "changping-2024"}


def test_several_asks_without_fenbie_answer_each(assistant):
    ans = assistant.ask("通州区2020年代理区政府应诉案件多少件，审结多少件？")
    assert ans.text.index("103件") < ans.text.index("80件")


def test_a_difference_is_computed(assistant):
    ans = assistant.ask("2024年昌平区比恩阳区多办理多少件政协提案？")
    assert ans.text.startswith("昌平区更多") and "相差98件" in ans.text


def test_which_is_more_after_two_places_compares_them(assistant):
    history = []
    for q in ["昌平区2024年办理政协提案多少件？", "那恩阳区呢？"]:
        history += [{"role": "user", "content": q}, {"role": "assistant", "content": assistant.ask(q, history=history).text}]
    ans = assistant.ask("哪个更多？", history=history)
    assert ans.text.startswith("昌平区更多") and "225件" in ans.text and "127件" in ans.text


def test_punctuation_only_is_not_a_question(assistant):
    with pytest.raises(QuestionError, match="没有可识别的文字"):
        assistant.ask("？？？")


def test_questions_about_plans_quote_the_plan_passages_whole(assistant):
    ans = assistant.ask("昌平区2025年有什么工作安排？")
    assert ans.answered and len(ans.citations) == 4
    report = assistant.reports()["changping-2024"]
    for c in ans.citations:
        assert c.section.startswith("四、2025年法治政府建设工作主要安排") and report.text[c.start:c.end] == c.text


@pytest.mark.parametrize("question,lead", [
    ("昌平区2024年合法性审查了多少件次文件？", "323件次"),  # the topic clause before the year belongs to 323
    ("2020年通州区代理的区政府应诉案件中审结了多少件？", "80件"),  # the verb beside 多少 decides
    ("2024年恩阳区评查行政执法案卷后，一共纠正了多少个执法不规范问题？", "77个"),  # and the counted thing
])
def test_the_words_beside_the_question_word_pick_the_number(assistant, question, lead):
    assert assistant.ask(question).text.startswith(lead)
