"""The 报告库 panel: its handlers over the public API, and the app starting with it."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from rag.api import Assistant
from rag.settings import Settings
from tests.conftest import SEEDS
from tests.report_files import DATA, make_scanned_pdf
from ui.library_tab import add_files, edit_field, library_rows, may_change, remove


def test_upload_detect_correct_remove(tmp_path, embedder):
    a = Assistant(Settings(seeds_dir=SEEDS, data_dir=tmp_path / "data"), embedder=embedder)
    seen = []
    message = add_files(a, [str(DATA / "yuexiu-2020-traditional.txt"), str(make_scanned_pdf(tmp_path / "s.pdf"))],
                        progress=lambda frac, desc=None: seen.append((frac, desc)))
    assert "广东省广州市越秀区" in message and "OCR" in message
    assert seen and seen[-1][0] == 1.0  # progress reached the end while indexing
    rows = library_rows(a)
    assert len(rows) == 1 and rows[0][7] == "繁体"
    doc_id = rows[0][0]
    assert "2019" in edit_field(a, doc_id, "year", "2019")
    assert library_rows(a)[0][5] == 2019
    assert "已删除" in remove(a, doc_id) and library_rows(a) == []


@pytest.mark.parametrize("host,auth,user,allowed", [
    ("127.0.0.1", None, None, True),
    ("192.0.2.7", None, None, False),
    ("192.0.2.7", "u:p", "u", True),
    ("127.0.0.1", "u:p", None, False),
])
def test_who_may_change_the_library(monkeypatch, host, auth, user, allowed):
    if auth:
        monkeypatch.setenv("RAG_AUTH", auth)
    request = SimpleNamespace(client=SimpleNamespace(host=host), username=user, headers={"host": "127.0.0.1:7860"})
    assert may_change(request) is allowed


def test_app_builds_with_library_panel(assistant):
    from ui.app import build_app

    demo = build_app(assistant)
    ids = {getattr(b, "elem_id", None) for b in demo.blocks.values()}
    assert {"rag-lib-files", "rag-lib-add", "rag-lib-table", "rag-lib-remove"} <= ids


# ---- correction form in Chinese (issue 19 item 7) ------------------------------------------
def test_correction_form_is_prefilled_and_sends_only_what_changed():
    from ui.library_tab import FORM_FIELDS, LEVEL_CHOICES, changed_fields, form_values

    entry = {"doc_id": "鼓楼区-2022", "title": "鼓楼区2022年报告", "issuer": "徐州市鼓楼区人民政府",
             "region": "江苏省徐州市鼓楼区", "parent": "江苏省徐州市", "level": "district",
             "aliases": ["鼓楼区", "鼓楼"], "year": 2022, "published": "2023-01-05", "script": "simplified"}
    values = form_values(entry)
    assert values == ["鼓楼区2022年报告", "徐州市鼓楼区人民政府", "江苏省徐州市鼓楼区", "江苏省徐州市", "district",
                      "鼓楼区，鼓楼", "2022", "2023-01-05", "simplified"]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in FORM_FIELDS.values())
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label, _ in LEVEL_CHOICES)
    assert changed_fields(entry, values) == {}
    values[4], values[6], values[5] = "county", "2021", "鼓楼、鼓楼区、南京鼓楼"
    assert changed_fields(entry, values) == {"level": "county", "year": "2021", "aliases": "鼓楼,鼓楼区,南京鼓楼"}
    assert form_values(None)[0] == ""


# ---- removal is safe: confirm, undo, restore (issue 19 item 4) -------------------------------
def test_library_remove_keeps_the_report_aside_until_restored_or_emptied(tmp_path):
    from rag.errors import CorpusError
    from rag.library import Library

    lib = Library(tmp_path / "library")
    added = lib.add(DATA / "gulou-2022.html")
    doc = added.doc_id
    text = (lib.root / added.entry["file"]).read_text(encoding="utf-8")
    entry = lib.remove(doc)
    assert entry["doc_id"] == doc and lib.entries() == []
    assert not (lib.root / added.entry["file"]).exists()
    assert [e["doc_id"] for e in lib.removed()] == [doc] and lib.removed()[0]["removed"]
    restored = lib.restore(doc)
    assert restored["doc_id"] == doc and "removed" not in restored
    assert [e["doc_id"] for e in lib.entries()] == [doc] and lib.removed() == []
    assert (lib.root / added.entry["file"]).read_text(encoding="utf-8") == text
    assert (lib.root / added.entry["original"]).exists()
    with pytest.raises(CorpusError, match="回收站中没有"):
        lib.restore(doc)
    lib.remove(doc)
    assert lib.empty_trash() == 1 and lib.removed() == []
    with pytest.raises(CorpusError):
        lib.restore(doc)


def test_restore_refuses_when_the_id_was_reused(tmp_path):
    from rag.errors import CorpusError
    from rag.library import Library

    lib = Library(tmp_path / "library")
    doc = lib.add(DATA / "gulou-2022.html").doc_id
    lib.remove(doc)
    assert lib.add(DATA / "gulou-2022.html").doc_id == doc  # added again meanwhile
    with pytest.raises(CorpusError, match="无法恢复"):
        lib.restore(doc)
    assert [e["doc_id"] for e in lib.removed()] == [doc]  # still kept aside


def test_assistant_and_panel_remove_then_undo(tmp_path, embedder):
    from ui.library_tab import confirm_text, restore, trash_choices

    a = Assistant(Settings(seeds_dir=SEEDS, data_dir=tmp_path / "data"), embedder=embedder)
    a.add_reports([DATA / "gulou-2022.html"])
    doc = a.library_reports()[0]["doc_id"]
    question = "鼓楼区2022年收到行政复议申请多少件？"
    assert a.ask(question).answered
    stamp = a.library_stamp()
    assert "确定删除" in confirm_text(a, doc) and confirm_text(a, "no-such") is None
    assert "回收站" in remove(a, doc)
    assert a.library_stamp() != stamp  # an open page sees the change
    assert doc not in {e.doc_id for e in a.catalog} and not a.ask(question).answered
    assert [v for _, v in trash_choices(a)] == [doc] and [e["doc_id"] for e in a.removed_reports()] == [doc]
    assert "已恢复" in restore(a, doc)
    assert doc in {e.doc_id for e in a.catalog} and a.removed_reports() == []
    ans = a.ask(question)
    assert ans.answered and "157" in ans.text


def test_cli_remove_then_restore(tmp_path, capsys, monkeypatch):
    from rag.cli import main

    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RAG_SEEDS_DIR", str(SEEDS))
    from rag.library import Library

    lib = Library(tmp_path / "data" / "library")
    doc = lib.add(DATA / "gulou-2022.html").doc_id  # catalogued; the CLI indexes on change
    monkeypatch.setattr(Assistant, "build_index", lambda self, **kw: None)  # the index is not what is tested here
    assert main(["remove", doc]) == 0
    assert f"rag restore {doc}" in capsys.readouterr().out
    assert main(["restore"]) == 0 and doc in capsys.readouterr().out
    assert main(["restore", doc]) == 0 and "已恢复" in capsys.readouterr().out
    assert [e["doc_id"] for e in lib.entries()] == [doc]
    assert main(["restore", doc]) == 2 and "回收站中没有" in capsys.readouterr().err
    assert main(["remove", doc]) == 0 and main(["restore", "--empty"]) == 0
    assert "永久删除 1" in capsys.readouterr().out and lib.removed() == []
