"""Issue 20, finding 10: the library never loses or hides data quietly.

- a different report of the same place and year is kept beside the first (tests/test_library.py:
  test_same_place_same_year_is_kept_beside_unless_replace_is_asked, and the CLI's --replace below);
- `rag edit --region` re-derives everything that carries the name (facts, rankings, 数据, CSV);
- year and region detection cross-check title, body and publication date and flag conflicts;
- a question about a year the library lacks for a place names the nearest report it has.
"""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from rag.api import Assistant
from rag.cli import main
from rag.ingest.detect import detect
from rag.ingest.extract import Extracted
from rag.settings import Settings
from tests.conftest import SEEDS
from tests.report_files import DATA


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RAG_SEEDS_DIR", str(SEEDS))
    return Settings(seeds_dir=SEEDS, data_dir=tmp_path / "data")


# ---- detection -----------------------------------------------------------------------------------
CHONGQING = "重庆市江北区人民政府关于2019年法治政府建设情况的报告"
RANKINGS_2018 = "在2018年度全市法治政府建设考核中，我区排名第二，2018年度依法行政考核被评为优秀等次。\n"


def test_a_2019_report_citing_its_2018_rankings_stays_2019():
    text = CHONGQING + "\n" + RANKINGS_2018 + "一、主要工作\n全区办理行政复议案件52件。\n"
    entry = detect(Extracted(text, "text"), "report.txt")
    assert entry.year == 2019 and "year" not in entry.undetermined


def test_without_a_year_in_the_title_the_body_is_read_against_the_publication_date():
    untitled = "重庆市江北区人民政府关于法治政府建设情况的报告\n" + RANKINGS_2018
    # The body names 2019 most, and 2019 fits a report published in March 2020.
    entry = detect(Extracted(untitled + "2019年，我区扎实推进依法行政。2019年全年办理复议案件52件。\n", "text",
                             published="2020-03-10"), "report.txt")
    assert entry.year == 2019 and "year" not in entry.undetermined
    # The body names only 2018 (its rankings), published in 2020: not 2018; said and flagged.
    entry = detect(Extracted(untitled, "text", published="2020-03-10"), "report.txt")
    assert entry.year == 2019 and "year" in entry.undetermined
    assert any("发布日期" in n and "请核对" in n for n in entry.notes)
    # A title year the publication date contradicts is kept, and flagged.
    entry = detect(Extracted(CHONGQING + "\n正文。\n", "text", published="2017-01-05"), "report.txt")
    assert entry.year == 2019 and "year" in entry.undetermined


@pytest.mark.parametrize("line", ["现将有关情况报告如下：", "根据《法治政府建设与责任落实督察工作规定》，现将有关情况报告如下："])
def test_an_opening_sentence_is_never_the_title(line):
    page = Extracted(line + "\n" + RANKINGS_2018 + "一、主要工作\n", "html", titles=[line])
    entry = detect(page, "重庆市江北区2019年法治政府建设情况报告.html")
    assert entry.title == "重庆市江北区2019年法治政府建设情况报告"  # the file name, not the sentence
    assert entry.year == 2019 and entry.region == "重庆市江北区"
    # in the text too, with the real title on the next line
    entry = detect(Extracted(line + "\n" + CHONGQING + "\n正文。\n", "text"), "x.txt")
    assert entry.title == CHONGQING


def test_the_parent_named_in_the_title_wins_over_a_namesake_elsewhere_and_is_flagged():
    """The gazetteer has no 重庆市江北区 (500105), only 浙江省宁波市江北区."""
    entry = detect(Extracted(CHONGQING + "\n正文。\n", "text"), "report.txt")
    assert (entry.region, entry.parent, entry.level) == ("重庆市江北区", "重庆市", "district")
    assert "宁波" not in "".join(entry.aliases) and "江北区" in entry.aliases
    assert "region" in entry.undetermined and any("行政区划数据中没有重庆市下的江北区" in n for n in entry.notes)
    # The namesake itself is still found, unflagged.
    entry = detect(Extracted("宁波市江北区人民政府关于2019年法治政府建设情况的报告\n正文。\n", "text"), "r.txt")
    assert entry.region == "浙江省宁波市江北区" and "region" not in entry.undetermined


# ---- same place, same year: kept beside unless --replace ----------------------------------------
def test_cli_keeps_a_same_place_same_year_report_beside_and_replaces_only_when_asked(settings, tmp_path, capsys):
    src = tmp_path / "gulou.html"
    shutil.copy(DATA / "gulou-2022.html", src)
    assert main(["add", str(src), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)["results"][0]["doc_id"]
    src.write_text(src.read_text(encoding="utf-8").replace("157件", "158件"), encoding="utf-8")
    assert main(["add", str(src)]) == 0
    out = capsys.readouterr().out
    assert "已添加" in out and "--replace" in out and first in out
    assert main(["reports", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    src.write_text(src.read_text(encoding="utf-8").replace("158件", "159件"), encoding="utf-8")
    assert main(["add", str(src), "--replace", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["status"] == "replaced"
    assert main(["reports", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


# ---- a correction re-derives everything that carries the name -------------------------------------
def test_edit_region_re_derives_facts_rankings_and_csv(settings, embedder, capsys):
    a = Assistant(settings, embedder=embedder)
    (added,), _ = a.add_reports([DATA / "gulou-2022.html"])
    doc = added.doc_id
    chat = Assistant(settings, embedder=embedder)  # a running chat, opened before the correction
    assert {f.region for f in chat.facts(metric="行政复议") if f.doc_id == doc} == {"鼓楼区"}
    assert "鼓楼区" in chat.ask("哪个地方的行政复议申请最多？").text

    assert main(["edit", doc, "--region", "江苏省徐州市云龙区"]) == 0
    capsys.readouterr()
    entry = next(e for e in chat.library_reports() if e["doc_id"] == doc)
    assert entry["aliases"][0] == "云龙区" and entry["parent"] == "江苏省徐州市"

    for assistant in (chat, Assistant(settings, embedder=embedder)):
        facts = [f for f in assistant.facts() if f.doc_id == doc]
        assert facts and {f.region for f in facts} == {"云龙区"}
        best = assistant.match_metric("行政复议申请", [doc])[0].statement
        assert best is not None and best.region == "云龙区"
        ranking = assistant.ask("哪个地方的行政复议申请最多？")
        assert "云龙区" in ranking.text and "鼓楼区" not in ranking.text
        ans = assistant.ask("云龙区2022年收到行政复议申请多少件？")
        assert ans.answered and "157" in ans.text
    assert main(["facts", "--csv", "--metric", "行政复议"]) == 0
    rows = [r for r in csv.DictReader(io.StringIO(capsys.readouterr().out)) if r["doc_id"] == doc]
    assert rows and {r["region"] for r in rows} == {"云龙区"}

    # The year too: the facts' years follow it.
    chat.edit_report(doc, year="2021")
    assert {f.year for f in chat.facts() if f.doc_id == doc and f.period == "current"} == {2021}


# ---- a year the library lacks for a place ---------------------------------------------------------
def test_a_year_the_library_lacks_names_the_nearest_report_of_that_place(assistant):
    ans = assistant.ask("昌平区2019年共接收行政复议申请多少件？")
    assert not ans.answered
    assert "昌平区" in ans.text and "2024年" in ans.text and "最接近" in ans.text
    assert "西城区" not in ans.text  # that place's report, not the whole list
