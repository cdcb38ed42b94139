"""PDF text layer → report text (pypdf).

A PDF wraps lines at the page edge, so a sentence arrives in pieces: a line is joined to the next
unless it ends a sentence or the next starts a heading. Running headers/footers and page numbers
repeat on most pages and go. A PDF with no text layer (a scan) is refused: it needs OCR first.

Every failure of pypdf (a corrupt file, an unsupported filter: NotImplementedError, a decompression
limit: LimitReachedError, anything else) becomes ExtractionError with a Chinese message naming the
file, here and only here; an encrypted PDF says that it needs its password removed first.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..errors import ExtractionError

_PAGE_NUMBER = re.compile(r"^\s*([-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?|"
                          r"\d{1,3}\s*/\s*\d{1,3}|\d{1,3})\s*$")
_ENDS_SENTENCE = re.compile(r"[。！？!?；;：:」』”）)】]\s*$")
_STARTS_BLOCK = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.、．](?!\d)|"
                           r"[一二三四五六七八九十]是|第[一二三四五六七八九十]+[章节条部分]|附件)")
MIN_CHARS_PER_PAGE = 20  # fewer visible characters than this on average: no text layer


def _encrypted(path: Path) -> ExtractionError:
    return ExtractionError(f"PDF 文件 {path.name} 已加密，需要密码才能打开。请先用 PDF 阅读器输入密码后另存为"
                           "不加密的 PDF（或去除密码），再添加。未索引任何内容。", str(path))


def _reason(exc: BaseException) -> str:
    """A short Chinese reason, from the exception's type (pypdf's English text is not shown)."""
    from pypdf.errors import LimitReachedError

    if isinstance(exc, LimitReachedError):
        return "文件中的数据解压后过大（可能是恶意构造的文件）"
    if isinstance(exc, NotImplementedError):
        return "文件使用了不支持的压缩或编码方式"
    if isinstance(exc, (MemoryError, RecursionError)):
        return "文件结构过于复杂"
    return "文件已损坏或格式不正确"


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, WrongPasswordError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:  # a PDF with only an owner password (no copying/printing) opens with an empty one
                if not reader.decrypt(""):
                    raise _encrypted(path)
            except (WrongPasswordError, FileNotDecryptedError, DependencyError, NotImplementedError):
                raise _encrypted(path) from None
        pages = [(page.extract_text() or "") for page in reader.pages]
    except ExtractionError:
        raise
    except (FileNotDecryptedError, WrongPasswordError):
        raise _encrypted(path) from None
    except OSError as exc:
        raise ExtractionError(f"无法读取 PDF 文件 {path.name}：{exc.strerror or type(exc).__name__}", str(path)) from None
    except Exception as exc:  # pypdf raises many kinds on hostile files; none may escape as a traceback
        raise ExtractionError(f"无法读取 PDF 文件 {path.name}：{_reason(exc)}。未索引任何内容。", str(path)) from None
    visible = sum(len(re.sub(r"\s", "", p)) for p in pages)
    if not pages or visible < MIN_CHARS_PER_PAGE * len(pages):
        raise ExtractionError(
            f"PDF 文件 {path.name} 没有文字层（可能是扫描件），需要先做 OCR 文字识别，再添加识别后的文件。"
            "未索引任何内容。", str(path))
    lines = _drop_running_lines([p.splitlines() for p in pages])
    return join_broken_lines(lines)


def _drop_running_lines(pages: list[list[str]]) -> list[str]:
    """Page numbers, and header/footer lines repeated at the top or bottom of most pages."""
    edge = Counter()
    for lines in pages:
        stripped = [ln.strip() for ln in lines if ln.strip()]
        edge.update(set(stripped[:2] + stripped[-2:]))
    running = {ln for ln, n in edge.items() if len(pages) >= 2 and n >= max(2, 0.6 * len(pages))}
    out: list[str] = []
    for lines in pages:
        out.extend(ln for ln in lines if ln.strip() not in running and not _PAGE_NUMBER.match(ln))
    return out


def join_broken_lines(lines: list[str]) -> str:
    """Join a line to the previous one when the previous did not end its sentence.

    Only lines about as long as a full line are continued: a short line (a title, a signature, a
    date) ended where its author ended it.
    """
    widths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    full = widths[int(len(widths) * 0.8)] if widths else 0  # a typical full line
    out: list[str] = []
    prev_full = False
    for raw in lines:
        line = raw.strip()
        if not line:
            out.append("")
            prev_full = False
            continue
        if out and out[-1] and prev_full and not _ENDS_SENTENCE.search(out[-1]) and not _STARTS_BLOCK.match(line):
            out[-1] += line
        else:
            out.append(line)
        prev_full = len(line) >= 0.85 * full
    return "\n".join(out)
