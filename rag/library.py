"""The user's own reports, kept under RAG_DATA_DIR/library (the shipped seeds/ are never touched).

    library/catalog.json       the same schema as seeds/catalog.json, plus issuer, source, sha256, added
    library/originals/<id>.*   the file as the user gave it
    library/texts/<id>.txt     its extracted text: every citation offset points into this file
    library/trash/<id>/        a removed report (entry.json, text, original) until restored or emptied

The same file added twice is recognised by its content hash. A different report of the same region, level
and year is kept beside the first under a new doc_id, unless the user asks to replace it (`replace=True`,
`rag add --replace`): then it is a new version of that doc_id. The catalogue entry is written last.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import CorpusError, ExtractionError
from .ingest.detect import LEVELS, Detected, detect, region_fields
from .ingest.extract import FORMATS, extract
from .ingest.limits import check_file_size

CATALOG = "catalog.json"
TRASH = "trash"  # removed reports, kept until the trash is emptied
TRASH_ENTRY = "entry.json"
EDITABLE = ("title", "issuer", "region", "parent", "level", "aliases", "year", "published", "script")


@dataclass
class AddResult:
    path: str
    status: str  # added | replaced | unchanged | resumed (in the library, its indexing completed now) | failed
    doc_id: str | None = None
    entry: dict = field(default_factory=dict)
    undetermined: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    removed_lines: int = 0  # page chrome lines dropped
    beside: str | None = None  # the doc_id of a same-place-same-year report it was kept beside

    def as_dict(self) -> dict:
        return asdict(self)


class Library:
    def __init__(self, root: Path, reserved_ids: set[str] | None = None):
        self.root = Path(root)
        self.reserved = reserved_ids or set()  # seed doc_ids: never reused

    @property
    def catalog_path(self) -> Path:
        return self.root / CATALOG

    def stamp(self) -> int | None:
        """Changes whenever the catalogue is rewritten (what a running assistant watches)."""
        try:
            return self.catalog_path.stat().st_mtime_ns
        except OSError:
            return None

    def entries(self) -> list[dict]:
        try:
            raw = json.loads(self.catalog_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CorpusError(f"报告库目录 {self.catalog_path} 无法解析：{exc}", str(self.catalog_path)) from None
        return list(raw.get("reports", []))

    def catalog(self) -> list:
        """The entries as the index reads them (CatalogEntry)."""
        from .corpus import read_catalog

        return read_catalog(self.root, missing_ok=True)[0]

    def get(self, doc_id: str) -> dict:
        for e in self.entries():
            if e["doc_id"] == doc_id:
                return e
        known = "、".join(e["doc_id"] for e in self.entries()) or "（报告库为空）"
        raise CorpusError(f"报告库中没有 {doc_id}。现有：{known}", doc_id=doc_id)

    # ---- changes ------------------------------------------------------
    def add(self, path: Path, overrides: dict | None = None, *, replace: bool = False) -> AddResult:
        """Store one file's report. A different report of the same place, level and year as one already in
        the library is kept beside it under a new doc_id (said in `notes` and `beside`); it replaces that one
        only with `replace=True`. Nothing is deleted without being asked."""
        path = Path(path)
        check_file_size(path)  # a huge file is refused before it is read (rag.ingest.limits)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ExtractionError(f"无法读取文件 {path}：{exc.strerror}", str(path)) from None
        digest = hashlib.sha256(data).hexdigest()
        with self._locked():
            entries = self.entries()
            same = next((e for e in entries if e.get("sha256") == digest), None)
            if same and not overrides:
                return AddResult(str(path), "unchanged", same["doc_id"], same)
            extracted = extract(path)  # raises before anything is written
            found = detect(extracted, path.name)
            entry = _entry_from(found, path.name, digest)
            for key, value in (overrides or {}).items():
                entry[key] = _checked(key, value)
            if not entry["region"]:
                # Never empty (every name in the catalogue is matched against questions): the issuer or
                # the file name stands in until the user corrects it; `undetermined` still says so.
                entry["region"] = found.issuer or path.stem
            namesake = None if same else _previous_version(entries, entry)
            old = same or (namesake if replace else None)
            doc_id = old["doc_id"] if old else self._new_id(entry, entries)
            entry = {"doc_id": doc_id, "file": f"texts/{doc_id}.txt", **entry}
            (self.root / "texts").mkdir(parents=True, exist_ok=True)
            (self.root / "originals").mkdir(parents=True, exist_ok=True)
            # Text and original first, the catalogue entry last: a run killed before it leaves the catalogue
            # as it was (the next add of the file starts over), one killed after it is completed by the index.
            _write_atomic(self.root / entry["file"], extracted.text)
            entry["original"] = f"originals/{doc_id}{path.suffix.lower()}"
            _copy_atomic(path, self.root / entry["original"])
            if old and old.get("original") and old["original"] != entry["original"]:
                (self.root / old["original"]).unlink(missing_ok=True)
            entries = [e for e in entries if e["doc_id"] != doc_id] + [entry]
            self._save(entries)
            undetermined = [f for f in found.undetermined if f not in (overrides or {})]
            notes = list(found.notes)
            beside = None
            if namesake and not replace:
                beside = namesake["doc_id"]
                notes.append(f"报告库中已有同一地区、同一年份的另一份报告 {beside}（{namesake.get('title', '')}），"
                             f"内容不同：两份都保留，新的一份为 {doc_id}。如要用它替换 {beside}，请加 --replace 重新添加。")
            return AddResult(str(path), "replaced" if old else "added", doc_id, entry, undetermined,
                             notes, removed_lines=len(extracted.removed), beside=beside)

    def edit(self, doc_id: str, **fields) -> dict:
        with self._locked():
            entries = self.entries()
            entry = next((e for e in entries if e["doc_id"] == doc_id), None)
            if entry is None:
                self.get(doc_id)  # raises with the list of ids
            for key, value in fields.items():
                entry[key] = _checked(key, value)
            derived = {}
            if "region" in fields:
                # Everything that carries the name follows it (aliases: what facts, rankings and questions
                # call the place), unless the same correction sets it too.
                derived = {k: v for k, v in region_fields(entry["region"]).items() if k not in fields}
                entry.update(derived)
            entry["undetermined"] = [f for f in entry.get("undetermined", []) if f not in fields and f not in derived]
            self._save(entries)
            return entry

    def remove(self, doc_id: str) -> dict:
        """Take a report out of the catalogue, keeping it aside in `trash/<doc_id>/` (entry, text,
        original) until `restore` puts it back or `empty_trash` deletes it."""
        with self._locked():
            entries = self.entries()
            entry = next((e for e in entries if e["doc_id"] == doc_id), None)
            if entry is None:
                self.get(doc_id)
            kept = self.trash_dir / doc_id
            if kept.exists():  # an older removal of the same id: the newer one is kept
                shutil.rmtree(kept)
            kept.mkdir(parents=True)
            for rel in (entry.get("file"), entry.get("original")):
                if rel and (self.root / rel).exists():
                    os.replace(self.root / rel, kept / Path(rel).name)
            removed = {**entry, "removed": time.strftime("%Y-%m-%dT%H:%M:%S")}
            _write_atomic(kept / TRASH_ENTRY, json.dumps(removed, ensure_ascii=False, indent=1))
            self._save([e for e in entries if e["doc_id"] != doc_id])
            return entry

    @property
    def trash_dir(self) -> Path:
        return self.root / TRASH

    def removed(self) -> list[dict]:
        """The reports kept aside by `remove`, newest first (each entry with its `removed` time)."""
        out = []
        for d in sorted(self.trash_dir.glob("*/" + TRASH_ENTRY)) if self.trash_dir.exists() else []:
            try:
                out.append(json.loads(d.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                continue  # a half-written removal: not offered for restoring
        return sorted(out, key=lambda e: e.get("removed", ""), reverse=True)

    def restore(self, doc_id: str) -> dict:
        """Put a removed report back under its own doc_id (refused when that id has been reused)."""
        with self._locked():
            kept = self.trash_dir / doc_id
            try:
                entry = json.loads((kept / TRASH_ENTRY).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                known = "、".join(e["doc_id"] for e in self.removed()) or "（回收站为空）"
                raise CorpusError(f"回收站中没有 {doc_id}。现有：{known}", doc_id=doc_id) from None
            entries = self.entries()
            if any(e["doc_id"] == doc_id for e in entries):
                raise CorpusError(f"报告库中已有 {doc_id}（删除后又添加了同名报告），无法恢复。", doc_id=doc_id)
            entry.pop("removed", None)
            for rel in (entry.get("file"), entry.get("original")):
                if rel and (kept / Path(rel).name).exists():
                    (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(kept / Path(rel).name, self.root / rel)
            if entry.get("file") and not (self.root / entry["file"]).exists():
                raise CorpusError(f"回收站中 {doc_id} 的正文文件已丢失，无法恢复。", doc_id=doc_id)
            self._save(entries + [entry])
            shutil.rmtree(kept, ignore_errors=True)
            return entry

    def empty_trash(self) -> int:
        """Delete every removed report for good; returns how many there were."""
        with self._locked():
            n = len(self.removed())
            shutil.rmtree(self.trash_dir, ignore_errors=True)
            return n

    # ---- helpers ------------------------------------------------------
    def _new_id(self, entry: dict, entries: list[dict]) -> str:
        taken = self.reserved | {e["doc_id"] for e in entries}
        name = (entry.get("aliases") or [entry.get("region") or "report"])[0]
        base = re.sub(r"[^\w\u4e00-\u9fff]+", "", name) or "report"
        base = f"{base}-{entry['year']}" if entry.get("year") else base
        doc_id, n = base, 2
        while doc_id in taken:
            doc_id, n = f"{base}-{n}", n + 1
        return doc_id

    def _save(self, entries: list[dict]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.catalog_path, json.dumps({"reports": entries}, ensure_ascii=False, indent=1))

    @contextmanager
    def _locked(self):
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)  # changes are short: wait for the other writer
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


def _entry_from(found: Detected, source: str, digest: str) -> dict:
    return {"title": found.title, "issuer": found.issuer, "region": found.region, "aliases": found.aliases,
            "level": found.level, "parent": found.parent, "year": found.year, "published": found.published,
            "script": found.script, "source": source, "sha256": digest,
            "added": time.strftime("%Y-%m-%dT%H:%M:%S"), "undetermined": found.undetermined}


def _previous_version(entries: list[dict], entry: dict) -> dict | None:
    """The report in the library of the same region, level and year (the one of the same file name first,
    when several are): what `replace` replaces, and what a new report is otherwise kept beside."""
    if not entry["region"]:
        return None
    same = [e for e in entries if e.get("region") == entry["region"] and e.get("year") == entry["year"]
            and e.get("level") == entry["level"]]
    return next((e for e in same if e.get("source") == entry["source"]), same[0] if same else None)


def _checked(key: str, value):
    """A user's correction, checked and converted (CLI values arrive as strings)."""
    if key not in EDITABLE:
        raise CorpusError(f"不能修改字段 {key}；可修改：{', '.join(EDITABLE)}。")
    if key in ("region", "title") and not str(value or "").strip():
        raise CorpusError(f"{key} 不能为空。")
    if key == "year":
        try:
            year = int(value)
        except (TypeError, ValueError):
            raise CorpusError(f"年份 {value!r} 不是整数。") from None
        if not 1990 <= year <= 2100:
            raise CorpusError(f"年份 {year} 不合理。")
        return year
    if key == "level" and value not in LEVELS:
        raise CorpusError(f"级别 {value!r} 无效；可选：{', '.join(LEVELS)}。")
    if key == "script" and value not in ("simplified", "traditional"):
        raise CorpusError("script 只能是 simplified 或 traditional。")
    if key == "aliases":
        return [a.strip() for a in (value.split(",") if isinstance(value, str) else value) if a.strip()]
    if key == "published" and value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
        raise CorpusError(f"发布日期 {value!r} 应写成 YYYY-MM-DD。")
    return value


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _copy_atomic(src: Path, dst: Path) -> None:
    tmp = dst.with_name(dst.name + ".tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def supported(path: Path) -> bool:
    return path.suffix.lower() in FORMATS


def expand(paths: list[Path]) -> list[Path]:
    """Files and folders → the report files to add (folders: supported files, recursively, sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and supported(f)
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            out.append(p)
    return out
