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
