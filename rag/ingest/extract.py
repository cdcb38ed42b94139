"""Plain report text from the files users bring: .txt, .md, .html/.htm, .docx, .pdf.

Libraries do the reading (trafilatura for a web page's main text, python-docx, pypdf); this module
only joins what they give into report text: a title line first when the format has one, page chrome
removed (rag.ingest.chrome), PDF lines broken mid-sentence joined back.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExtractionError
from .chrome import published_date, strip_chrome
from .limits import check_docx, check_file_size, check_text

FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
           ".docx": "docx", ".pdf": "pdf"}


@dataclass
class Extracted:
    text: str  # what gets indexed; offsets of citations are offsets into it
    kind: str  # text | markdown | html | docx | pdf
    titles: list[str] = field(default_factory=list)  # title candidates the format itself names
    published: str | None = None
    removed: list[str] = field(default_factory=list)  # chrome lines dropped, for the user to check


def extract(path: Path) -> Extracted:
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ExtractionError(f"不支持的文件类型 {path.suffix or '（无扩展名）'}：{path.name}。"
                              f"支持 {', '.join(sorted(FORMATS))}。", str(path))
    check_file_size(path)  # before reading it
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(f"无法读取文件 {path}：{exc.strerror}", str(path)) from None
    if not data.strip():
        raise ExtractionError(f"文件 {path.name} 是空的。", str(path))
    reader = {"text": _text, "markdown": _markdown, "html": _html, "docx": _docx, "pdf": _pdf}[kind]
    try:
        out = reader(path, data)
    except ExtractionError:
        raise
    except Exception as exc:  # the readers' libraries raise many kinds on hostile files: mapped here, once
        raise ExtractionError(f"无法读取文件 {path.name}：文件已损坏或格式不正确（{type(exc).__name__}）。"
                              "未索引任何内容。", str(path)) from None
    lines = out.text.splitlines()
    out.published = out.published or published_date(lines[:30])
    text, removed = strip_chrome(out.text)
    out.text, out.removed = _tidy(text), out.removed + removed
    if len(re.sub(r"\s", "", out.text)) < 20:
        raise ExtractionError(f"文件 {path.name} 中几乎没有可用的正文文字。", str(path))
    check_text(out.text, path)  # characters, paragraphs, chunks: before anything is stored
    return out


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode(data: bytes, path: Path) -> str:
    for bom, encoding in _BOMS:  # Windows Notepad's "Unicode" is UTF-16 with a BOM
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise ExtractionError(f"文件 {path.name} 标明是 {encoding.upper()} 编码，但内容无法按此编码读取。",
                                      str(path)) from None
    if b"\x00" in data[:4096]:
        raise ExtractionError(f"文件 {path.name} 是二进制文件，不是文本。", str(path))
    for encoding in ("utf-8-sig", "gb18030"):  # government sites still publish GBK pages
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError(f"文件 {path.name} 既不是 UTF-8 也不是 GBK 编码的文本。", str(path))


def _text(path: Path, data: bytes) -> Extracted:
    return Extracted(decode(data, path), "text")


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def _markdown(path: Path, data: bytes) -> Extracted:
    text = decode(data, path)
    titles = [m.group(1).strip() for m in re.finditer(r"^\s{0,3}#\s+(.+)$", text, re.M)][:1]
    text = _MD_EMPHASIS.sub(r"\2", _MD_HEADING.sub("", text))
    return Extracted(text, "markdown", titles)


def _html(path: Path, data: bytes) -> Extracted:
    import trafilatura
    from lxml import html as lxml_html

    page = decode(data, path)
    body = trafilatura.extract(page, include_comments=False, include_tables=True, favor_precision=True,
                               deduplicate=False)
    meta = trafilatura.extract_metadata(page)
    tree = lxml_html.fromstring(page)
    h1 = [" ".join(h.text_content().split()) for h in tree.iter("h1")]
    titles = [t for t in [*h1, meta.title if meta else None] if t]
    if not body:  # a page trafilatura cannot read: all visible text, chrome filtered below
        for bad in tree.xpath("//script|//style|//noscript"):
            bad.drop_tree()
        body = tree.text_content()
    # trafilatura drops the <h1>; the report's title belongs at the top of its text.
    if h1 and h1[0] not in body[:200]:
        body = h1[0] + "\n" + body
    published = meta.date if meta and meta.date else None
    return Extracted(body, "html", titles, published)


def _docx(path: Path, data: bytes) -> Extracted:
    import docx
    from docx.table import Table

    check_docx(path)  # declared sizes and paragraph count, before anything is decompressed
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zip/xml errors of many kinds
        raise ExtractionError(f"无法读取 Word 文件 {path.name}：{exc}", str(path)) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells))  # merged cells repeat
                lines.append("\t".join(cells))
        else:
            lines.append(block.text)
    titles = [p.text.strip() for p in document.paragraphs[:5]
              if p.style is not None and p.style.name.lower() in ("title", "heading 1") and p.text.strip()]
    return Extracted("\n".join(lines), "docx", titles)


def _pdf(path: Path, data: bytes) -> Extracted:
    from .pdf import pdf_text

    return Extracted(pdf_text(path), "pdf")
