"""rag.text.quantity: finding and normalising quantities in Chinese report text."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from rag.text.quantity import (Quantity, cn_to_number, find_counted, find_quantities, find_ranks, parse_quantity,
                         same_value)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _q(text: str) -> Quantity:
    q = parse_quantity(text)
    assert q is not None, text
    return q


def _counts(text: str) -> list[tuple[float, str]]:
    """(value, unit) of the non-year quantities."""
    return [(q.value, q.unit) for q in find_quantities(text) if not q.is_year]


@pytest.mark.parametrize("text, number, value, unit, approx, percent", [
    ("1.2万", 1.2, 12000, "", False, False),
    ("百分之六十", 60, 60, "%", False, True),
    ("百分之46.9", 46.9, 46.9, "%", False, True),
    ("3.2萬餘人", 3.2, 32000, "人", True, False),
    ("324.77億元", 324.77, 32477000000, "元", False, False),
    ("1.1亿元", 1.1, 110000000, "元", False, False),
    ("1949.39万元", 1949.39, 19493900, "元", False, False),
    ("１７２３件", 1723, 1723, "件", False, False),
    ("1,723件", 1723, 1723, "件", False, False),
    ("1，723件", 1723, 1723, "件", False, False),
    ("五批次", 5, 5, "批次", False, False),
    ("七期", 7, 7, "期", False, False),
    ("两期", 2, 2, "期", False, False),
    ("300余场次", 300, 300, "场次", True, False),
    ("2000余件(次)", 2000, 2000, "件次", True, False),
    ("60余次", 60, 60, "次", True, False),
    ("50余条", 50, 50, "条", True, False),
    ("97.30%", 97.3, 97.3, "%", False, True),
    ("23％", 23, 23, "%", False, True),
    ("6萬戶次", 6, 60000, "户次", False, False),
    ("12小時", 12, 12, "小时", False, False),
    ("18198條", 18198, 18198, "条", False, False),
    ("三十万元", 30, 300000, "元", False, False),
    ("一千二百人", 1200, 1200, "人", False, False),
    ("二十多万元", 20, 200000, "元", True, False),
    ("约3.2万人", 3.2, 32000, "人", True, False),
    ("超过100人", 100, 100, "人", True, False),
    ("5个百分点", 5, 5, "个百分点", False, False),
    ("3倍", 3, 3, "倍", False, False),
    ("159微克/立方米", 159, 159, "微克/立方米", False, False),  # an environment bureau's concentrations
    ("35平方公里", 35, 35, "平方公里", False, False),
])
def test_parse_quantity(text, number, value, unit, approx, percent):
    q = _q(text)
    assert q.text == text and (q.start, q.end) == (0, len(text))
    assert q.number == pytest.approx(number)
    assert q.value == pytest.approx(value)
    assert (q.unit, q.approx, q.is_percent, q.is_year) == (unit, approx, percent, False)


@pytest.mark.parametrize("cn, n", [
    ("二十", 20), ("十", 10), ("十三", 13), ("一百二十三", 123), ("一千二百", 1200), ("一百零五", 105),
    ("三十万", 300000), ("两万五千", 25000), ("兩", 2), ("四十六点九", 46.9), ("三亿五千万", 350000000),
])
def test_cn_to_number(cn, n):
    assert cn_to_number(cn) == pytest.approx(n)


@pytest.mark.parametrize("word", ["十三五", "八五", "一一", "百", "万", "千家"])
def test_cn_to_number_rejects_words(word):
    assert cn_to_number(word) is None


def test_offsets_and_surface_in_context():
    text = "为10家企业兑现惠企政策资金1949.39万元。依托"
    qs = find_quantities(text)
    assert [q.text for q in qs] == ["10家", "1949.39万元"]
    assert all(text[q.start:q.end] == q.text for q in qs)


@pytest.mark.parametrize("text, years", [
    ("2024年,昌平区坚持", [2024]),
    ("完成2022年度西城区法治建设评估", [2022]),
    ("法治政府建设规划(2021-2025年)中期评估", [2021, 2025]),
    ("實施綱要(2015-2020)》", [2015, 2020]),
    ("2019年以來", [2019]),
    ("日期:2024-03-28 10:09 打印", [2024]),
    ("2024年3月28日", [2024]),
])
def test_years_are_flagged_not_dropped(text, years):
    qs = find_quantities(text)
    assert [q.number for q in qs] == years
    assert all(q.is_year for q in qs)


def test_year_next_to_a_count():
    qs = find_quantities("2024年共接收行政复议申请1723件")
    assert [(q.number, q.is_year) for q in qs] == [(2024, True), (1723, False)]


@pytest.mark.parametrize("text", [
    "一是扎实开展", "二是健全", "统一管理", "一体化综合监管", "一站式", "全市第一家", "第三批全国",
    "紧扣“三重一大”决策", "“一网通办”", "高效办成一件事", "“十三五”规划", "“八五”普法", "“一办五组”格局",
    "双随机、一公开", "“四力微调”", "党的二十大和二十届二中全会", "京市唯一一家", "学法进万家", "零的突破",
    "“两个确立”", "“通八條”産業扶持", "《十个问题》", "三年行动计划", "最多跑一次",
])
def test_chinese_numerals_inside_words_are_not_quantities(text):
    assert _counts(text) == []


@pytest.mark.parametrize("text", ["构建财会监督“1+2+N”昌平模式", "“2-1-1-5-2”中国式现代化", "见[1]【2】", "（1）加强"])
def test_codes_and_markers_are_skipped(text):
    assert _counts(text) == []


def test_hotline_is_a_bare_number_not_a_crash():
    assert _counts("入选全国12345政务服务优秀案例") == [(12345, "")]


def test_list_marker_at_line_start_is_skipped():
    assert _counts("1.統籌協調疫情防控\n  2.加大執法力度,共32件") == [(32, "件")]


def test_growth_and_rate():
    assert _counts("同比增长48.2%,矛盾综合化解率达46.9%") == [(48.2, "%"), (46.9, "%")]
    (q,) = find_quantities("纠错率约为23%")
    assert (q.value, q.approx, q.is_percent) == (23, True, True)
    (q,) = find_quantities("糾錯率約為23%")
    assert q.approx


def test_two_counts_in_one_sentence():
    text = "区委理论学习中心组开展会前学法7次、区政府常务会会前学法6次"
    assert _counts(text) == [(7, "次"), (6, "次")]


def test_durations_count_but_plan_titles_do_not():
    assert _counts("近三年") == [(3, "年")]
    assert _counts("建立涉疫案件12小时行刑衔接") == [(12, "小时")]
    assert _counts("纵深推进提升行政执法质量三年行动计划") == []


def test_ranges_share_the_unit():
    assert _counts("15-20人") == [(15, "人"), (20, "人")]
    assert _counts("3至5万元") == [(30000, "元"), (50000, "元")]


def test_chinese_counts_in_real_sentences():
    assert _counts("组织五批次行政执法资格考试,考试通过率97.30%") == [(5, "批次"), (97.3, "%")]
    assert _counts("發佈七期“紅黑名單”") == [(7, "期")]
    assert _counts("评查工作2次;抽取执法案卷二次共20份") == [(2, "次"), (2, "次"), (20, "份")]


def test_same_value():
    assert same_value(_q("1949.39万元"), _q("19493900元"))
    assert same_value(_q("3.2萬餘人"), _q("32000人"))
    assert same_value(_q("1.2万"), _q("12000件"))  # missing unit is compatible
    assert same_value(_q("2000余件(次)"), _q("2000件"))  # 件 ~ 件次
    assert same_value(_q("百分之六十"), _q("60%"))
    assert not same_value(_q("60%"), _q("60件"))  # percent only equals percent
    assert not same_value(_q("60"), _q("60%"))
    assert not same_value(_q("5个百分点"), _q("5%"))
    assert not same_value(_q("42名"), _q("42件"))
    assert not same_value(_q("1723件"), _q("1724件"))


def test_parse_quantity_reads_name_like_numerals_and_rejects_noise():
    assert _q("一件").value == 1
    assert _q("六十").value == 60
    assert _q("六大提升").value == 6
    assert _q("第六届").value == 6
    assert parse_quantity("") is None
    assert parse_quantity("统一管理") is None


def test_find_counted_reads_numerals_that_are_names():
    assert [q.value for q in find_counted("提出了“六大提升”", "大提升")] == [6]
    assert [q.value for q in find_counted("调整确立“一办五组”格局", "组")] == [5]
    assert [(q.value, q.unit) for q in find_counted("出臺“通八條”産業扶持政策", "條")] == [(8, "条")]
    assert [q.value for q in find_counted("做好第三批全国示范创建", "批")] == [3]
    assert find_counted("一是加强", "大") == []


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_every_seed_report_scans(name):
    text = (SEEDS / name).read_text(encoding="utf-8")
    qs = find_quantities(text)
    assert qs
    assert all(text[q.start:q.end] == q.text for q in qs)
    assert [q.start for q in qs] == sorted(q.start for q in qs)


@pytest.mark.parametrize("name, value, unit", [
    ("changping-2024.txt", 1723, "件"),
    ("changping-2024.txt", 5, "批次"),
    ("tongzhou-2020.txt", 19351, "家"),
    ("tongzhou-2020.txt", 32477000000, "元"),
    ("tongzhou-2020.txt", 7, "期"),
    ("enyang-2024.txt", 19493900, "元"),
    ("xicheng-2023.txt", 22432, "条"),
    ("zhangziying-2023.txt", 8552, "件"),
])
def test_seed_reports_contain_known_facts(name, value, unit):
    qs = find_quantities((SEEDS / name).read_text(encoding="utf-8"))
    assert any(q.value == pytest.approx(value) and q.unit == unit and not q.is_year for q in qs)


def test_seed_reports_have_no_word_numerals():
    text = (SEEDS / "changping-2024.txt").read_text(encoding="utf-8")
    chinese = [q.text for q in find_quantities(text) if not any(c.isdigit() for c in q.text)]
    assert chinese == ["五批次"]


def test_speed_on_a_500_char_passage():
    text = (SEEDS / "tongzhou-2020.txt").read_text(encoding="utf-8")[1500:2000]
    find_quantities(text)
    t0 = time.perf_counter()
    for _ in range(200):
        find_quantities(text)
    per_call = (time.perf_counter() - t0) / 200
    assert per_call < 0.002, f"{per_call * 1000:.2f} ms per 500 characters"


@pytest.mark.parametrize("text,ranks", [
    ("改善幅度居全省第二。", [("第二", 2)]),
    ("总分排第二,法治保障一项得分居首位。", [("第二", 2), ("首位", 1)]),
    ("在全市评价中排名第一。", [("第一", 1)]),
    ("荣获全省第一名。", [("第一名", 1)]),
    ("位列全市第3位。", [("第3位", 3)]),
    ("排名全省第12。", [("第12", 12)]),
    # the places listed after the first are ranks too
    ("两项指数分别位列全国第1位、第8位。", [("第1位", 1), ("第8位", 8)]),
    ("分别排名全省第二和第五。", [("第二", 2), ("第五", 5)]),
    ("排名第一、第二批次另行评定。", [("第一", 1)]),  # not a batch
    ("两项指标分别位列全市第3名和第5名。", [("第3名", 3), ("第5名", 5)]),  # each place once
    # an ordinal naming a batch, a session or a time is no place
    ("列入第二批示范名单。", []),
    ("举办第六届政府开放日。", []),
    ("居民第二次参加听证。", []),
    ("安排第二批次检查。", []),
])
def test_ranks(text, ranks):
    assert [(q.text, q.value) for q in find_ranks(text)] == [(t, float(v)) for t, v in ranks]


@pytest.mark.parametrize("asked,unit,other", [
    ("名", "件次", True), ("人", "项", True), ("件", "人次", True), ("名", "人", False), ("人", "人次", False),
    ("件", "项", False), ("个", "名", False), ("名", "个", False), ("户", "家", False), ("名", "", False),
    # money and time are families of their own: 「罚了多少钱」 is never answered by 「312件」
    ("名", "元", True), ("元", "件", True), ("元", "万元", False), ("天", "件", True), ("天", "个工作日", False),
    ("支", "项", True), ("家", "件", True), ("次", "件次", False), ("次", "场", False), ("次", "人次", True),
    ("场", "项", True), ("座", "家", False),
])
def test_a_count_in_another_family_of_measure_words(asked, unit, other):
    from rag.text.quantity import counts_other_than

    assert counts_other_than(asked, unit) is other
