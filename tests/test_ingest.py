"""Real files of every format → report text without chrome, and the right catalogue entry."""
from __future__ import annotations

import os

import pytest

from rag.errors import ExtractionError
from rag.ingest.chrome import is_chrome
from rag.ingest.detect import detect
from rag.ingest.extract import Extracted, extract
from tests.report_files import DATA, FONT, PDF_TITLE, make_docx, make_pdf, make_scanned_pdf

CHROME_WORDS = ("首页", "无障碍", "繁體", "浏览次数", "字体", "分享到", "主办单位", "ICP备", "打印", "相关链接",
                "发布时间", "瀏覽次數", "主辦單位", "ICP備")
needs_font = pytest.mark.skipif(not FONT.exists() and not os.environ.get("CI"),
                                reason="fonts-wqy-microhei (installed by .ci/run) is missing")


def _no_chrome(text: str) -> None:
    for word in CHROME_WORDS:
        assert word not in text, word


def test_html_page_main_text_without_chrome():
    out = extract(DATA / "gulou-2022.html")
    _no_chrome(out.text)
    assert out.text.startswith("徐州市鼓楼区人民政府关于2022年度法治政府建设情况的报告\n")
    assert "全年收到行政复议申请157件" in out.text and "<h2>" not in out.text and "二、2022年推进" in out.text
    entry = detect(out, "gulou-2022.html")
    assert (entry.region, entry.parent, entry.level) == ("江苏省徐州市鼓楼区", "江苏省徐州市", "district")
    assert entry.year == 2022 and entry.published == "2023-03-31"  # published the next year: not the year
    assert entry.issuer == "徐州市鼓楼区人民政府" and "鼓楼区" in entry.aliases and not entry.undetermined


def test_docx_department_report_with_table(tmp_path):
    out = extract(make_docx(tmp_path / "report.docx"))
    assert "行政处罚案件（件）\t198\t214" in out.text  # the table is text too, in place
    assert out.text.index("（三）加强普法宣传") < out.text.index("行政处罚案件（件）") < out.text.index("二、存在的不足")
    entry = detect(out, "report.docx")
    assert (entry.region, entry.parent, entry.level) == ("浙江省湖州市生态环境局", "浙江省湖州市", "department")
    assert entry.year == 2023 and entry.aliases[0] == "湖州市生态环境局"


@needs_font
def test_pdf_lines_joined_and_running_header_dropped(tmp_path):
    out = extract(make_pdf(tmp_path / "r.pdf", pages_of_body=3))
    assert "安德街道办事处文件" not in out.text and "- 1 -" not in out.text
    # fpdf2 wrapped this sentence over two lines; it comes back whole.
    assert "研究解决基层执法协调、合同审查和矛盾化解等问题14个，落实党政主要负责人履行推进法治建设第一责任人职责。" in out.text
    assert "\n二、存在的不足和原因\n" in out.text  # headings stay on their own lines
    entry = detect(out, "r.pdf")
    assert entry.title == PDF_TITLE
    assert (entry.region, entry.parent, entry.level, entry.year) == (
        "四川省成都市郫都区安德街道", "四川省成都市郫都区", "town", 2021)


def test_scanned_pdf_needs_ocr(tmp_path):
    with pytest.raises(ExtractionError, match="OCR"):
        extract(make_scanned_pdf(tmp_path / "scan.pdf"))


def test_traditional_text_with_residue():
    out = extract(DATA / "yuexiu-2020-traditional.txt")
    _no_chrome(out.text)
    entry = detect(out, "yuexiu-2020-traditional.txt")
    assert entry.script == "traditional" and entry.title.startswith("廣州市越秀區")
    assert (entry.region, entry.parent, entry.year, entry.published) == ("广东省广州市越秀区", "广东省广州市", 2020,
                                                                          "2021-03-26")
    assert "越秀區" in entry.aliases


def test_markdown_without_title_takes_region_from_file_name():
    path = DATA / "房山区2021年度法治政府建设情况报告.md"
    out = extract(path)
    assert "##" not in out.text and "**" not in out.text
    entry = detect(out, path.name)  # the body says only 我区
    assert (entry.region, entry.parent, entry.level, entry.year) == ("北京市房山区", "北京市", "district", 2021)


def test_unknown_format_is_refused(tmp_path):
    p = tmp_path / "r.xls"
    p.write_bytes(b"x")
    with pytest.raises(ExtractionError, match="不支持"):
        extract(p)


@pytest.mark.parametrize("line,chrome", [
    ("您当前的位置：首页 > 政务公开 > 法治政府建设", True),
    ("无障碍 | 简体 | 繁體 | 长者模式", True),
    ("发布时间：2024-03-28 09:18　来源：区司法局", True),
    ("發佈時間：2021-03-26　來源：區司法局　瀏覽次數：9", True),
    ("栏目：政策文件 发布时间：2023-01-12", True),
    ("主办单位：某区人民政府办公室 苏ICP备00000000号", True),
    ("分享到：微信 微博", True),
    ("（四）依法化解矛盾纠纷。全年收到行政复议申请157件，来源：申请人。", False),
    ("2023年，区政府将继续深化行政执法体制改革。", False),
    ("一、2022年推进法治政府建设的主要举措和成效", False),
])
def test_chrome_lines(line, chrome):
    assert is_chrome(line) is chrome


# Titles written for this table in the styles real reports use (region, parent, level, year).
TITLES = [
    ("江门市蓬江区人民政府关于2022年度法治政府建设情况的报告", "广东省江门市蓬江区", "广东省江门市", "district", 2022),
    ("蓬江区2023年度法治政府建设情况报告", "广东省江门市蓬江区", "广东省江门市", "district", 2023),
    ("2021年平遥县法治政府建设情况报告", "山西省晋中市平遥县", "山西省晋中市", "county", 2021),
    ("甘肃省人民政府关于2020年法治政府建设情况的报告", "甘肃省", "", "province", 2020),
    ("洛阳市人民政府2019年度法治政府建设工作报告", "河南省洛阳市", "河南省", "city", 2019),
    ("黔东南州2022年法治政府建设工作情况报告", "贵州省黔东南苗族侗族自治州", "贵州省", "city", 2022),
    ("昆山市2023年法治政府建设年度报告", "江苏省苏州市昆山市", "江苏省苏州市", "county", 2023),
    ("南京市玄武区梅园新村街道2024年度法治政府建设情况报告", "江苏省南京市玄武区梅园新村街道", "江苏省南京市玄武区", "town", 2024),
    ("杭州市西湖区三墩镇人民政府关于2023年度法治政府建设工作情况的报告", "浙江省杭州市西湖区三墩镇", "浙江省杭州市西湖区", "town", 2023),
    ("宁波市市场监督管理局2022年法治政府建设年度报告", "浙江省宁波市市场监督管理局", "浙江省宁波市", "department", 2022),
    ("中共鹤壁市淇滨区委淇滨区人民政府关于2024年法治政府建设情况的报告", "河南省鹤壁市淇滨区", "河南省鹤壁市", "district", 2024),
    ("郑州市金水区司法局2021年度法治政府建设工作报告", "河南省郑州市金水区司法局", "河南省郑州市金水区", "department", 2021),
    ("嘉兴市南湖区人民政府关于二〇二二年度法治政府建设情况的报告", "浙江省嘉兴市南湖区", "浙江省嘉兴市", "district", 2022),
    ("臨海市2021年法治政府建設年度報告", "浙江省台州市临海市", "浙江省台州市", "county", 2021),
    ("鼓楼区2022年度法治政府建设情况报告\n2022年，鼓楼区在福州市委市政府领导下", "福建省福州市鼓楼区", "福建省福州市", "district", 2022),
    ("思明区人民政府鹭江街道办事处关于2023年度法治政府建设情况的报告", "福建省厦门市思明区鹭江街道", "福建省厦门市思明区",
     "town", 2023),  # the district's government names the street office's parent, not its name
    ("沭阳县人民政府 > 政务公开 > 法治政府建设\n发布机构：沭阳县司法局　发布日期：2024-02-01\n"
     "沭阳县2023年法治政府建设年度报告", "江苏省宿迁市沭阳县", "江苏省宿迁市", "county", 2023),  # past the breadcrumb
    ("中共广州市越秀区北京街道工作委员会　广州市越秀区人民政府北京街道办事处关于2023年法治政府建设情况的报告",
     "广东省广州市越秀区北京街道", "广东省广州市越秀区", "town", 2023),  # the street's party working committee
]


@pytest.mark.parametrize("title,region,parent,level,year", TITLES)
def test_title_table(title, region, parent, level, year):
    entry = detect(Extracted(title + "\n正文。\n", "text"), "report.txt")
    assert (entry.region, entry.parent, entry.level, entry.year) == (region, parent, level, year)


def test_a_government_the_gazetteer_does_not_know_names_its_place():
    # 「青石县人民政府关于…」: no such county in the gazetteer; the region is the county, not 「青石县人民政府」, and
    # the parent is left for the user to fill in (said, not guessed).
    entry = detect(Extracted("青石县人民政府关于2023年度法治政府建设情况的报告\n正文。\n", "text"), "report.txt")
    assert (entry.region, entry.level, entry.parent) == ("青石县", "county", "")
    assert "region" in entry.undetermined and "parent" in entry.undetermined


def test_year_is_not_the_plan_period_nor_publication():
    text = "某某区人民政府\n关于法治政府建设情况的报告\n根据《实施纲要(2021—2025年)》，2023年，我区…\n2024年3月29日\n"
    entry = detect(Extracted(text, "text"), "x.txt")
    assert entry.year == 2023 and entry.published == "2024-03-29"


def test_a_namesake_is_flagged_not_guessed_silently():
    entry = detect(Extracted("西湖区2023年度法治政府建设情况报告\n我区…\n", "text"), "x.txt")
    assert "region" in entry.undetermined and any("多处同名" in n for n in entry.notes)


def test_what_is_unknown_is_said():
    entry = detect(Extracted("关于法治政府建设情况的报告\n我局全年办理案件。\n", "text"), "报告.txt")
    assert {"year", "region"} <= set(entry.undetermined)


@pytest.mark.parametrize("opening,region,level", [
    # Pages saved without their title: the opening sentence's subject names the town.
    ("2023年，南京市玄武区梅园新村街道办事处坚持依法行政，现将情况报告如下。", "江苏省南京市玄武区梅园新村街道", "town"),
    ("2022年，三墩镇在杭州市西湖区委区政府领导下扎实推进法治建设。", "浙江省杭州市西湖区三墩镇", "town"),
])
def test_region_from_the_opening_sentence(opening, region, level):
    entry = detect(Extracted(opening + "\n一、主要举措\n", "text"), "index.html")
    assert (entry.region, entry.level) == (region, level)


def test_a_body_speaking_as_we_the_bureau_is_a_department_with_its_name_asked_for():
    entry = detect(Extracted("2023年，我局坚持依法行政，助力宁波市高质量发展。\n", "text"), "page.html")
    assert entry.level == "department" and "region" in entry.undetermined


def test_a_heading_is_not_a_title():
    # 「一、2024年法治政府建设主要举措和成效」 opens a part; with no title line the title is left for the user.
    entry = detect(Extracted("一、2024年法治政府建设主要举措和成效\n2024年，区里坚持依法行政。\n", "text"), "report.txt")
    assert "title" in entry.undetermined and not entry.title.startswith("一、")


def test_a_department_is_found_by_its_short_name_and_its_place():
    entry = detect(Extracted("西宁市城东区市场监督管理局2024年法治政府建设工作情况报告\n正文。\n", "text"), "report.txt")
    assert entry.level == "department"
    assert {"城东区市场监督管理局", "城东区市场监管局", "城东区"} <= set(entry.aliases)
