"""Load the catalogue and the reports: exact original text, plus a Simplified search form.

Every offset used anywhere in the project is an offset into the original file's
text (`Report.text`), so a citation can always be shown in place.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .errors import CorpusError
from .text.script import to_simplified
from .types import CatalogEntry, Report

CATALOG_FILE = "catalog.json"
log = logging.getLogger(__name__)

# Web-page residue such as "来源:长子营镇  日期:2024-03-28 10:09 打印 【字体:".
_RESIDUE = re.compile(r"^[ \t\u3000]*(来源|來源)[:：].*(日期|打印|字体|字體).*$", re.M)


# A report year outside this range is a typo (2200, 20240), not a report.
YEARS = range(1949, 2101)


def load_catalog(seeds_dir: Path, *, missing_ok: bool = False) -> list[CatalogEntry]:
    """The catalogue's good entries; bad ones are skipped (`read_catalog` says which and why)."""
    entries, errors = read_catalog(seeds_dir, missing_ok=missing_ok)
    for err in errors:
        log.warning("%s", err)
    return entries


def read_catalog(seeds_dir: Path, *, missing_ok: bool = False) -> tuple[list[CatalogEntry], list[CorpusError]]:
    """(good entries, one error per bad entry). One bad entry (a duplicate doc_id, a year like
    "2020年") must not stop the others; only an unreadable catalogue file is fatal."""
    path = Path(seeds_dir) / CATALOG_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if missing_ok:
            return [], []
        raise CorpusError(f"找不到报告目录文件 {path}。", str(path)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorpusError(f"报告目录文件 {path} 无法解析：{exc}", str(path)) from None
    items = raw.get("reports") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise CorpusError(f"报告目录文件 {path} 缺少 reports 列表。", str(path))
    entries, errors = [], []
    seen: set[str] = set()
    for i, item in enumerate(items):
        name = item.get("doc_id") if isinstance(item, dict) else None
        where = f"{path} 第 {i + 1} 条记录" + (f"（{name}）" if name else "")
        try:
            entry = _catalog_entry(item)
        except (KeyError, TypeError, ValueError) as exc:
            errors.append(CorpusError(f"{where}有误，已跳过：{exc}", str(path)))
            continue
        if entry.doc_id in seen:
            errors.append(CorpusError(f"{where}的 doc_id {entry.doc_id!r} 与前面的记录重复，已跳过。", str(path)))
            continue
        seen.add(entry.doc_id)
        entries.append(entry)
    return entries, errors


def _catalog_entry(item: dict) -> CatalogEntry:
    if not isinstance(item, dict):
        raise TypeError("记录不是 JSON 对象")
    for key in ("doc_id", "file", "title", "region"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ValueError(f"缺少或有误的字段 {key}")
    year = item.get("year")
    if isinstance(year, str) and year.isdigit():
        year = int(year)
    if isinstance(year, bool) or not isinstance(year, int) or year not in YEARS:
        raise ValueError(f"year 应为 {YEARS.start}–{YEARS.stop - 1} 之间的整数年份，而不是 {year!r}")
    return CatalogEntry(
        doc_id=item["doc_id"],
        file=item["file"],
        title=item["title"],
        region=item["region"],
        aliases=tuple(str(a) for a in item.get("aliases", [])),
        level=str(item.get("level", "")),
        parent=str(item.get("parent", "")),
        year=year,
        published=item.get("published"),
        script=str(item.get("script", "simplified")),
        issuer=str(item.get("issuer", "")),
        source=str(item.get("source", "")),
    )


def province_of(entry: CatalogEntry) -> str:
    """The province when the region's full name does not start with it (巴中市 → 四川省), else ""."""
    m = re.match(r".+?省", entry.parent or "")
    return "" if not m or entry.region.startswith(m.group()) else m.group()


def issuer_of(entry: CatalogEntry) -> str:
    """「巴中市恩阳区人民政府关于…的报告」 → 巴中市恩阳区人民政府; otherwise the region's government."""
    m = re.match(r"(.+?(?:人民政府|办公室|委员会|司法局|局|厅|委|办))(?:关于|\d{4}年)", entry.title)
    return m.group(1) if m else f"{entry.region}人民政府"


def report_path(seeds_dir: Path, entry: CatalogEntry) -> Path:
    """The report's file, refusing names that would leave the seeds directory."""
    base = Path(seeds_dir).resolve()
    if base not in (base / entry.file).resolve().parents:
        raise CorpusError(f"报告 {entry.doc_id} 的文件名 {entry.file!r} 指向 seeds 目录之外。", entry.file)
    return base / entry.file  # unresolved, so errors name the file the catalogue names


def read_report_text(path: Path) -> tuple[str, bytes]:
    """Decode one report file; every failure names the file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(f"报告文件不存在：{path}", str(path)) from None
    except OSError as exc:
        raise CorpusError(f"无法读取报告文件 {path}：{exc.strerror}", str(path)) from None
    if b"\x00" in data[:4096]:
        raise CorpusError(f"报告文件 {path} 是二进制文件，不是 UTF-8 文本。", str(path))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = "（看起来是 GBK 编码，请转换为 UTF-8）" if _looks_like_gbk(data) else ""
        raise CorpusError(
            f"报告文件 {path} 不是有效的 UTF-8 文本：第 {exc.start} 字节处解码失败{hint}。", str(path)
        ) from None
    if not text.strip():
        raise CorpusError(f"报告文件 {path} 是空的。", str(path))
    return text, data


def _looks_like_gbk(data: bytes) -> bool:
    try:
        data.decode("gbk")
        return True
    except UnicodeDecodeError:
        return False


def load_report(seeds_dir: Path, entry: CatalogEntry) -> Report:
    text, data = read_report_text(report_path(seeds_dir, entry))
    skip = tuple((m.start(), m.end()) for m in _RESIDUE.finditer(text))
    return Report(
        entry=entry,
        text=text,
        search_text=to_simplified(text),
        sha256=hashlib.sha256(data).hexdigest(),
        skip=skip,
    )


def load_library_report(library: Path, entry: CatalogEntry) -> Report:
    """A report of the user's library: its version also names its title, which is embedded with every
    chunk (a corrected title is a new version)."""
    report = load_report(library, entry)
    salted = hashlib.sha256((report.sha256 + entry.title).encode()).hexdigest()
    return replace(report, sha256=salted)


@dataclass
class Corpus:
    """The reports that loaded, and an error for each that did not."""

    reports: list[Report]
    errors: list[CorpusError]
    catalog: list[CatalogEntry]
    unlisted: list[str] = field(default_factory=list)  # report files in seeds/ that no entry names

    def by_id(self) -> dict[str, Report]:
        return {r.doc_id: r for r in self.reports}


def load_corpus(seeds_dir: Path, library_dir: Path | None = None) -> Corpus:
    """The shipped seeds, then the user's library (rag.library) when one is given."""
    seeds_entries, errors = read_catalog(seeds_dir)
    sources = [(Path(seeds_dir), seeds_entries)]
    if library_dir is not None:
        library_entries, library_errors = read_catalog(library_dir, missing_ok=True)
        sources.append((Path(library_dir), library_entries))
        errors += library_errors
    reports, catalog = [], []
    seen: set[str] = set()
    for base, entries in sources:
        for entry in entries:
            if entry.doc_id in seen:
                errors.append(CorpusError(f"报告库中的 doc_id {entry.doc_id!r} 与内置报告重复，已跳过。",
                                          str(base), None))
                continue
            seen.add(entry.doc_id)
            catalog.append(entry)
            try:
                report = load_report(base, entry) if base == Path(seeds_dir) else load_library_report(base, entry)
                reports.append(report)
            except CorpusError as exc:
                exc.doc_id = entry.doc_id
                errors.append(exc)
    return Corpus(reports=reports, errors=errors, catalog=catalog, unlisted=unlisted_files(seeds_dir, catalog))


REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


def unlisted_files(seeds_dir: Path, catalog: list[CatalogEntry]) -> list[str]:
    """Report-like files in the seeds folder that no catalogue entry names: said, not skipped silently."""
    listed = {Path(e.file).name for e in catalog}
    return sorted(p.name for p in Path(seeds_dir).iterdir()
                  if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and p.name not in listed)


def library_dir(settings) -> Path:
    return Path(settings.data_dir) / "library"


def load_all(settings) -> Corpus:
    """Everything the assistant answers from: seeds plus the user's library."""
    return load_corpus(settings.seeds_dir, library_dir(settings))


_WS = re.compile(r"[\s\u3000]+")


def normalise_space(text: str) -> str:
    """Collapse whitespace (incl. full-width spaces) for search and embedding text."""
    return _WS.sub(" ", text).strip()
