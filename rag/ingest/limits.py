"""Limits at the door: what one added report may cost, checked before the work it would cause.

A small upload can carry a huge report (a 341 KB .docx that expands to 3 million paragraphs, a zip
bomb, 50,000 one-line paragraphs that become 100,000 facts); every later build pays for it again.
So an added file is refused, with a Chinese message naming the limit, when

* the file is larger than MAX_FILE_BYTES (checked on the file's size, before it is read);
* it is a .docx (a zip) whose entries *declare* more than MAX_DOCX_XML_BYTES of XML or
  MAX_DOCX_TOTAL_BYTES in all, or more than MAX_ZIP_ENTRIES entries: read from the zip's directory,
  before anything is decompressed (Python's zipfile never inflates an entry past its declared size,
  so a lying header cannot expand further); or its body has more than MAX_PARAGRAPHS paragraphs
  (counted in the XML as it streams, before python-docx builds a tree of it);
* the extracted text has more than MAX_CHARS characters or MAX_PARAGRAPHS non-empty lines;
* it would make more than MAX_CHUNKS chunks (counted with the index's own chunker).
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import ExtractionError

__all__ = ["MAX_FILE_BYTES", "MAX_CHARS", "MAX_PARAGRAPHS", "MAX_CHUNKS", "MAX_DOCX_XML_BYTES",
           "MAX_DOCX_TOTAL_BYTES", "MAX_ZIP_ENTRIES", "check_file_size", "check_docx", "check_text"]

MAX_FILE_BYTES = 50 * 1024 * 1024  # a report PDF with scanned seals and photos stays well below
MAX_CHARS = 1_000_000  # the largest real report seen is about 60,000 characters
MAX_PARAGRAPHS = 20_000
MAX_CHUNKS = 2_000
MAX_DOCX_XML_BYTES = 32 * 1024 * 1024  # word/document.xml of a long report: a few MB
MAX_DOCX_TOTAL_BYTES = 200 * 1024 * 1024  # images included
MAX_ZIP_ENTRIES = 5_000
_CHUNK_CHECK_FROM = 50_000  # characters: below this a report cannot reach MAX_CHUNKS worth checking


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def check_file_size(path: Path) -> None:
    try:
        size = Path(path).stat().st_size
    except OSError:
        return  # reading it will say what is wrong
    if size > MAX_FILE_BYTES:
        raise ExtractionError(f"文件 {Path(path).name} 有 {_mb(size)}，超过单个报告文件 {_mb(MAX_FILE_BYTES)} 的上限，"
                              "未添加。", str(path))


def check_docx(path: Path) -> None:
    """The zip's declared sizes and the body's paragraph count, before python-docx reads it."""
    name = Path(path).name
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise ExtractionError(f"Word 文件 {name} 内含 {len(infos)} 个部件，超过 {MAX_ZIP_ENTRIES} 个的上限"
                                      "（可能是恶意构造的文件），未添加。", str(path))
            total = sum(i.file_size for i in infos)
            xml = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels")))
            if xml > MAX_DOCX_XML_BYTES or total > MAX_DOCX_TOTAL_BYTES:
                raise ExtractionError(
                    f"Word 文件 {name} 解压后将有 {_mb(total)}（其中文字部分 {_mb(xml)}），超过上限"
                    f"（文字部分 {_mb(MAX_DOCX_XML_BYTES)}，全部 {_mb(MAX_DOCX_TOTAL_BYTES)}），"
                    "可能是“压缩炸弹”，未解压、未添加。", str(path))
            if "word/document.xml" in archive.namelist():
                paragraphs = _count_paragraphs(archive, "word/document.xml")
                if paragraphs > MAX_PARAGRAPHS:
                    raise ExtractionError(f"Word 文件 {name} 有 {paragraphs} 个以上段落，超过单个报告 "
                                          f"{MAX_PARAGRAPHS} 段的上限，未添加。", str(path))
    except ExtractionError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        raise ExtractionError(f"无法读取 Word 文件 {name}：文件已损坏或不是 .docx 格式。", str(path)) from None


def _count_paragraphs(archive: zipfile.ZipFile, member: str) -> int:
    """`<w:p>` / `<w:p …>` openings, streamed (stops counting past the limit)."""
    count, tail = 0, b""
    with archive.open(member) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            count += data.count(b"<w:p>") + data.count(b"<w:p ") + data.count(b"<w:p/>")
            tail = data[-5:]
            count -= tail.count(b"<w:p>") + tail.count(b"<w:p ") + tail.count(b"<w:p/>")
            if count > MAX_PARAGRAPHS:
                return count
    return count + tail.count(b"<w:p>") + tail.count(b"<w:p ") + tail.count(b"<w:p/>")


def check_text(text: str, path: Path) -> None:
    """The extracted text: characters, paragraphs, and the chunks the index would make of it."""
    name = Path(path).name
    if len(text) > MAX_CHARS:
        raise ExtractionError(f"文件 {name} 提取出 {len(text)} 个字符，超过单个报告 {MAX_CHARS} 字符的上限，未添加。",
                              str(path))
    paragraphs = sum(1 for line in text.splitlines() if line.strip())
    if paragraphs > MAX_PARAGRAPHS:
        raise ExtractionError(f"文件 {name} 有 {paragraphs} 段文字，超过单个报告 {MAX_PARAGRAPHS} 段的上限，未添加。",
                              str(path))
    if len(text) >= _CHUNK_CHECK_FROM:
        chunks = count_chunks(text)
        if chunks > MAX_CHUNKS:
            raise ExtractionError(f"文件 {name} 将切分为 {chunks} 个检索片段，超过单个报告 {MAX_CHUNKS} 个的上限，"
                                  "未添加。", str(path))


def count_chunks(text: str) -> int:
    """How many chunks the index's own chunker makes of `text`."""
    from ..chunking import chunk_report
    from ..text.script import to_simplified
    from ..types import CatalogEntry, Report

    entry = CatalogEntry("limit-check", "", "", "", (), "", "", 2000, None, "simplified")
    return len(chunk_report(Report(entry, text, to_simplified(text), "")))
