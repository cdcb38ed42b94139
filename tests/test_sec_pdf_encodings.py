"""Issue 20, finding 11: hostile PDFs end in the project's own error (Chinese, naming the file) and
`rag add folder/` goes on with the next file; UTF-16 text is read; an encrypted PDF asks for its password."""
from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest

from rag.errors import ExtractionError
from rag.ingest.extract import extract

from .sec_helpers import XIHU, empty_seeds


def pdf_with_cmap(cmap: bytes, filter_name: str | None) -> bytes:
    """A one-page PDF whose font's ToUnicode stream is `cmap` (pypdf decodes it inside extract_text)."""
    content = b"BT /F1 12 Tf 72 720 Td (hello) Tj ET"
    filt = f" /Filter /{filter_name}".encode() if filter_name else b""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
            b"<< /Length %d%s >>\nstream\n" % (len(cmap), filt) + cmap + b"\nendstream"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def unsupported_filter_pdf() -> bytes:  # pypdf: NotImplementedError("Unsupported filter /Foo")
    return pdf_with_cmap(b"garbage", "Foo")


def decompression_bomb_pdf() -> bytes:  # pypdf: LimitReachedError (80 MB of zeros in 78 KB)
    return pdf_with_cmap(zlib.compress(b"0" * 80_000_000, 9), "FlateDecode")


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("make,words", [(unsupported_filter_pdf, "不支持"), (decompression_bomb_pdf, "过大"),
                                        (lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog", "损坏")])
def test_corrupt_pdf_is_an_extraction_error_in_chinese(tmp_path, make, words):
    path = tmp_path / "坏文件.pdf"
    path.write_bytes(make())
    with pytest.raises(ExtractionError) as err:
        extract(path)
    message = str(err.value)
    assert "坏文件.pdf" in message and words in message and _has_han(message)
    assert "Traceback" not in message and "Unsupported filter" not in message and "Limit reached" not in message


def test_encrypted_pdf_says_a_password_is_needed(tmp_path):
    path = tmp_path / "加密.pdf"
    path.write_bytes(encrypted_pdf())
    with pytest.raises(ExtractionError) as err:
        extract(path)
    assert "加密" in str(err.value) and "密码" in str(err.value) and "加密.pdf" in str(err.value)


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                          ("utf-32-le", b"\xff\xfe\x00\x00")])
def test_utf16_text_with_bom_is_read(tmp_path, encoding, bom):
    text = XIHU.format(planted="")
    path = tmp_path / "西湖区.txt"
    path.write_bytes(bom + text.encode(encoding))
    out = extract(path)
    assert "全年办理法律援助案件88件。" in out.text and "杭州市西湖区2023年法治政府建设年度报告" in out.text


def test_binary_is_still_refused(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x00\x01\x02binary" * 100)
    with pytest.raises(ExtractionError, match="二进制"):
        extract(path)


def test_rag_add_folder_goes_on_after_bad_pdfs(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "报告"
    folder.mkdir()
    (folder / "1-不支持的压缩.pdf").write_bytes(unsupported_filter_pdf())
    (folder / "2-解压炸弹.pdf").write_bytes(decompression_bomb_pdf())
    (folder / "3-加密.pdf").write_bytes(encrypted_pdf())
    (folder / "4-西湖区2023年法治政府建设年度报告.txt").write_bytes(
        b"\xff\xfe" + XIHU.format(planted="").encode("utf-16-le"))
    monkeypatch.setenv("RAG_SEEDS_DIR", str(empty_seeds(tmp_path)))
    from rag import cli

    code = cli.main(["--data-dir", str(tmp_path / "data"), "add", str(folder)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    assert out.err.count("失败：") == 3
    assert "不支持" in out.err and "过大" in out.err and "需要密码" in out.err
    assert "已添加" in out.out and "4-西湖区" in out.out  # the UTF-16 report after the three bad ones
    assert code == 1  # some files failed: said in the exit code, after the others were added
    from rag.api import Assistant
    from rag.settings import Settings

    a = Assistant(Settings(seeds_dir=tmp_path / "seeds", data_dir=tmp_path / "data"))
    assert a.ask("西湖区2023年办理法律援助案件多少件？").text.startswith("88件")
