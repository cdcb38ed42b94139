"""The user's library end to end: add real files, answer from them, follow changes, correct, remove."""
from __future__ import annotations

import json
import shutil

import pytest

from rag.api import Assistant
from rag.chunking import chunk_report, count_tokens
from rag.cli import main
from rag.corpus import load_corpus
from rag.settings import Settings
from rag.types import CatalogEntry, Report
from tests.conftest import SEEDS
from tests.report_files import DATA, make_docx, make_scanned_pdf


@pytest.fixture
def settings(tmp_path):
    return Settings(seeds_dir=SEEDS, data_dir=tmp_path / "data")


def test_add_answer_follow_edit_remove(settings, embedder, tmp_path):
    chat = Assistant(settings, embedder=embedder)  # a running chat, opened before anything is added
    assert "鼓楼区" not in {e.short_region for e in chat.catalog}
    chat.ask("昌平区2024年共接收行政复议申请多少件？")  # builds and opens the seed index

    other = Assistant(settings, embedder=embedder)  # another process: `rag add`
    docx = make_docx(tmp_path / "湖州.docx")
    results, build = other.add_reports([DATA / "gulou-2022.html", docx])
    assert [r.status for r in results] == ["added", "added"] and build.embedded > 0
    gulou = results[0].doc_id

    # The running chat follows: catalogue, filters, and answers from the new report.
    assert gulou in {e.doc_id for e in chat.catalog}
    ans = chat.ask("鼓楼区2022年收到行政复议申请多少件？")
    assert ans.answered and "157" in ans.text and ans.citations[0].doc_id == gulou
    text = (settings.data_dir / "library" / "texts" / f"{gulou}.txt").read_text(encoding="utf-8")
    c = ans.citations[0]
    assert text[c.start:c.end] == c.text  # offsets point into the stored extracted text
    ans = chat.ask("湖州市生态环境局2023年办理生态环境行政处罚案件多少件？")
    assert ans.answered and "214" in ans.text

    # The same file again is recognised; nothing is re-embedded.
    again, build = other.add_reports([DATA / "gulou-2022.html"])
    assert again[0].status == "unchanged" and build is None

    # A correction reaches the running chat's filters.
    other.edit_report(gulou, year="2021")
    assert {e.doc_id: e.year for e in chat.catalog}[gulou] == 2021

    # Removal: gone from the catalogue and from answers; seeds untouched.
    other.remove_report(gulou)
    assert gulou not in {e.doc_id for e in chat.catalog}
    assert not chat.ask("鼓楼区2022年收到行政复议申请多少件？").answered
    assert not (settings.data_dir / "library" / "originals" / f"{gulou}.html").exists()


def test_scanned_pdf_indexes_nothing(settings, embedder, tmp_path):
    a = Assistant(settings, embedder=embedder)
    results, build = a.add_reports([make_scanned_pdf(tmp_path / "scan.pdf")])
    assert results[0].status == "failed" and "OCR" in results[0].error and build is None
    assert a.library_reports() == []


def test_same_place_same_year_is_kept_beside_unless_replace_is_asked(settings, embedder, tmp_path):
    """Issue 20, finding 10: a different report detected as the same region and year no longer replaces the
    first (its text and original were deleted, with no confirmation); `replace=True` (`--replace`) does."""
    a = Assistant(settings, embedder=embedder)
    src = tmp_path / "gulou.html"
    shutil.copy(DATA / "gulou-2022.html", src)
    first, _ = a.add_reports([src])
    src.write_text(src.read_text(encoding="utf-8").replace("157件", "158件"), encoding="utf-8")
    second, build = a.add_reports([src])
    kept, new = first[0].doc_id, second[0].doc_id
    assert second[0].status == "added" and new != kept and second[0].beside == kept
    assert any("--replace" in n for n in second[0].notes)
    library = settings.data_dir / "library"
    assert {e["doc_id"] for e in a.library_reports()} == {kept, new} and build.added == [new]
    assert "157件" in (library / "texts" / f"{kept}.txt").read_text(encoding="utf-8")
    assert (library / "originals" / f"{kept}.html").exists()
    assert {kept, new} <= set(a.index.manifest.docs)
    # Both answer when asked about the one report: each is found by its own figure.
    assert any(p.chunk.doc_id == kept for p in a.search("鼓楼区2022年行政复议申请157件", k=5).passages)

    src.write_text(src.read_text(encoding="utf-8").replace("158件", "159件"), encoding="utf-8")
    third, build = a.add_reports([src], replace=True)
    assert third[0].status == "replaced" and third[0].doc_id in {kept, new}
    assert len(a.library_reports()) == 2 and build.replaced == [third[0].doc_id]
    text = (library / "texts" / f"{third[0].doc_id}.txt").read_text(encoding="utf-8")
    assert "159件" in text


def test_cli_add_reports_edit_remove(settings, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RAG_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("RAG_SEEDS_DIR", str(SEEDS))
    md = DATA / "房山区2021年度法治政府建设情况报告.md"
    assert main(["add", str(md), "--json"]) == 0
    added = json.loads(capsys.readouterr().out)["results"][0]
    assert added["status"] == "added" and added["entry"]["region"] == "北京市房山区"
    assert main(["reports", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {"doc_id", "title", "region", "level", "parent", "year", "published", "script", "source"} <= set(listed[0])
    assert listed[0]["source"] == md.name
    assert main(["edit", added["doc_id"], "--level", "nonsense"]) == 2
    assert "级别" in capsys.readouterr().err
    assert main(["edit", added["doc_id"], "--aliases", "房山区,房山,良乡"]) == 0
    assert main(["remove", added["doc_id"]]) == 0
    assert main(["remove", "no-such"]) == 2


def test_unlisted_seed_file_is_reported(seeds_copy):
    (seeds_copy / "new-report.txt").write_text("某区2024年法治政府建设情况报告\n正文。\n", encoding="utf-8")
    assert load_corpus(seeds_copy).unlisted == ["new-report.txt"]


def test_unpunctuated_table_line_is_split_within_budget():
    entry = CatalogEntry("t", "t.txt", "标题", "北京市昌平区", (), "district", "北京市", 2024, None, "simplified")
    line = "".join(f"单位{i}处罚案件{i % 97}件罚没{i % 13}万元" for i in range(12000))[:200_000]
    text = "一、基本情况\n" + line + "\n二、存在的不足\n人员不足。\n"
    chunks = chunk_report(Report(entry, text, text, "x"), 400)
    assert len(chunks) > 100
    assert max(count_tokens(c.text) for c in chunks) <= 400
    assert all(c.text == text[c.start:c.end] for c in chunks)
    assert sum(len(c.text) for c in chunks if c.section[0].startswith("一")) >= len(line) - len(chunks)


def test_same_file_name_from_another_place_is_a_new_report(settings, embedder, tmp_path):
    a = Assistant(settings, embedder=embedder)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(DATA / "gulou-2022.html", tmp_path / "a" / "附件1.html")
    page = (DATA / "gulou-2022.html").read_text(encoding="utf-8").replace("徐州市鼓楼区", "南京市玄武区")
    (tmp_path / "b" / "附件1.html").write_text(page, encoding="utf-8")
    results, _ = a.add_reports([tmp_path])  # a folder, recursively
    assert [r.status for r in results] == ["added", "added"] and len(a.library_reports()) == 2
    assert {e["region"] for e in a.library_reports()} == {"江苏省徐州市鼓楼区", "江苏省南京市玄武区"}


def test_a_report_whose_place_is_unknown_is_added_and_said(settings, embedder, tmp_path):
    p = tmp_path / "年度报告.txt"
    p.write_text("关于法治政府建设情况的报告\n我乡全年调解纠纷12件。\n", encoding="utf-8")
    a = Assistant(settings, embedder=embedder)
    results, _ = a.add_reports([p])
    r = results[0]
    assert r.status == "added" and {"region", "year"} <= set(r.undetermined)
    assert r.entry["region"]  # a stand-in name, never empty
    assert a.ask("昌平区2024年共接收行政复议申请多少件？").answered  # the seeds still answer as before
