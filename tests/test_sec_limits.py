"""Issue 20, finding 6: limits at the door (file size, zip-bomb .docx refused before expansion,
paragraphs, characters, chunks, each said in Chinese), bounded 数据-tab pages and `rag facts --limit`,
and CSV downloads that do not pile up."""
from __future__ import annotations

import csv
import io
import os
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from rag.errors import ExtractionError
from rag.ingest import limits
from rag.ingest.extract import extract

from .report_files import make_docx
from .sec_helpers import XIHU, library_with


def _docx_with(tmp_path: Path, name: str, *, document_xml: bytes | None = None,
               extra: tuple[str, int] | None = None) -> Path:
    """A real .docx (python-docx), its body replaced and/or an extra member of `size` zero bytes added."""
    base = make_docx(tmp_path / "base.docx")
    out = tmp_path / name
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml" and document_xml is not None:
                data = document_xml
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        if extra:
            member, size = extra
            with dst.open(member, "w") as fh:  # streamed: the test itself never holds it in memory
                block = b"\0" * (1 << 20)
                for _ in range(size >> 20):
                    fh.write(block)
    return out


def _body(paragraphs: int, text: str = "全年办理案件1件。") -> bytes:
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    para = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode() if text else b"<w:p/>"
    return head + para * paragraphs + b"</w:body></w:document>"


def _refused_without_expanding(path: Path) -> str:
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ExtractionError) as err:
            extract(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * 1024 * 1024, f"peaked at {peak / 1e6:.0f} MB"
    assert time.monotonic() - started < 5
    return str(err.value)


def test_zip_bomb_docx_is_refused_before_expansion(tmp_path):
    bomb = _docx_with(tmp_path, "炸弹.docx", extra=("word/media/image1.bin", 300 << 20))
    assert bomb.stat().st_size < 2 * 1024 * 1024  # small upload, 300 MB inside
    message = _refused_without_expanding(bomb)
    assert "炸弹.docx" in message and "压缩炸弹" in message and "MB" in message


def test_docx_with_huge_xml_is_refused_before_expansion(tmp_path):
    body = _body(0)[:-len(b"</w:body></w:document>")] + b" " * (40 << 20) + b"</w:body></w:document>"
    big = _docx_with(tmp_path, "大.docx", document_xml=body)
    message = _refused_without_expanding(big)
    assert "文字部分" in message and "32 MB" in message


def test_small_docx_with_millions_of_paragraphs_is_refused_before_parsing(tmp_path):
    """The issue's 341 KB .docx that expands to 3.08 M paragraphs."""
    path = _docx_with(tmp_path, "三百万段.docx", document_xml=_body(3_080_000, text=""))
    assert path.stat().st_size < 400 * 1024
    message = _refused_without_expanding(path)
    assert "段落" in message and str(limits.MAX_PARAGRAPHS) in message


def test_docx_with_50000_paragraphs_is_refused(tmp_path):
    path = _docx_with(tmp_path, "五万段.docx", document_xml=_body(50_000))
    message = _refused_without_expanding(path)
    assert "五万段.docx" in message and "段落" in message and "20000" in message


def test_oversized_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "巨大.txt"
    with open(path, "wb") as fh:
        fh.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: nothing is written, and nothing must be read
    with pytest.raises(ExtractionError, match=r"巨大\.txt 有 50 MB.*50 MB 的上限"):
        extract(path)


def test_too_many_characters_is_refused(tmp_path):
    path = tmp_path / "长.txt"
    line = "全年办理法律援助案件88件，开展普法宣传活动120场，受理行政复议案件35件。" * 20 + "\n"
    path.write_text(XIHU.format(planted="") + line * (limits.MAX_CHARS // len(line) + 10), encoding="utf-8")
    with pytest.raises(ExtractionError, match="字符的上限"):
        extract(path)


def test_too_many_text_paragraphs_is_refused(tmp_path):
    path = tmp_path / "多段.txt"
    path.write_text(XIHU.format(planted="") + "全年办理案件1件。\n" * 25_000, encoding="utf-8")
    with pytest.raises(ExtractionError, match="段文字，超过单个报告 20000 段的上限"):
        extract(path)


def test_too_many_chunks_is_refused(tmp_path):
    """Under the character and paragraph limits, but more chunks than MAX_CHUNKS (the index's own chunker)."""
    line = "全年办理法律援助案件88件，开展普法宣传活动120场，受理行政复议案件35件，依法纠错3件。" * 12 + "\n"
    text = XIHU.format(planted="") + line * ((limits.MAX_CHARS - 20_000) // len(line))
    assert len(text) < limits.MAX_CHARS and text.count("\n") < limits.MAX_PARAGRAPHS
    assert limits.count_chunks(text) > limits.MAX_CHUNKS
    path = tmp_path / "多片段.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExtractionError, match="检索片段"):
        extract(path)


def test_rag_add_refuses_and_stores_nothing(tmp_path, embedder):
    bomb = _docx_with(tmp_path, "炸弹.docx", extra=("word/media/image1.bin", 300 << 20))
    a, results = library_with(tmp_path, embedder, {"炸弹.docx": bomb.read_bytes(),
                                                   "西湖区2023年法治政府建设年度报告.txt": XIHU.format(planted="")})
    by_name = {os.path.basename(r.path): r for r in results}
    assert by_name["炸弹.docx"].status == "failed" and "压缩炸弹" in by_name["炸弹.docx"].error
    assert by_name["西湖区2023年法治政府建设年度报告.txt"].status == "added"
    assert [e["source"] for e in a.library_reports()] == ["西湖区2023年法治政府建设年度报告.txt"]


# ---- queries are bounded, downloads do not pile up ---------------------------------------------
MANY = "\n".join(f"第{i}项：全年办理第{i}类案件{i}件。" for i in range(1, 401))


@pytest.fixture
def many_facts(tmp_path, embedder):
    text = XIHU.format(planted="") + "一、其他工作\n" + MANY + "\n"
    a, results = library_with(tmp_path, embedder, {"西湖区2023年法治政府建设年度报告.txt": text})
    assert [r.status for r in results] == ["added"]
    assert len(a.facts()) > 400
    return a


def test_data_tab_page_and_csv_are_bounded(many_facts, monkeypatch):
    from rag import export
    from ui import data_tab

    monkeypatch.setattr(data_tab, "MAX_EXPORT_ROWS", 300)
    total = len(many_facts.facts())
    html, path = data_tab.run_query(many_facts, lambda doc_id: [], "", [], [], False, "数值从大到小")
    assert html.count("<tr>") == data_tab.PAGE_ROWS + 1  # header + one page
    assert f"共 {total} 条，页面只显示前 {data_tab.PAGE_ROWS} 条" in html and "CSV 含前 300 条" in html
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 300
    assert not [v for r in rows for v in r.values() if v.startswith(export.FORMULA_START)]


def test_csv_downloads_are_pruned(many_facts, monkeypatch):
    from rag import export
    from ui import data_tab

    paths = [data_tab.run_query(many_facts, lambda d: [], "案件", [], [], False, "地区")[1]
             for _ in range(export.CSV_KEEP + 5)]
    kept = [p for p in paths if os.path.exists(p)]
    assert len(kept) == export.CSV_KEEP and paths[-1] in kept  # the oldest deleted, the newest kept
    old = time.time() - export.CSV_TTL_SECONDS - 1
    for p in kept:
        os.utime(p, (old, old))
    newest = data_tab.run_query(many_facts, lambda d: [], "案件", [], [], False, "地区")[1]
    assert [p for p in os.listdir(os.path.dirname(newest))] == [os.path.basename(newest)]


def test_facts_limit(many_facts, capsys, monkeypatch):
    assert len(many_facts.facts(limit=7)) == 7
    from rag import cli

    monkeypatch.setenv("RAG_SEEDS_DIR", str(many_facts.settings.seeds_dir))
    assert cli.main(["--data-dir", str(many_facts.settings.data_dir), "facts", "--csv", "--limit", "5"]) == 0
    assert len(list(csv.DictReader(io.StringIO(capsys.readouterr().out)))) == 5
