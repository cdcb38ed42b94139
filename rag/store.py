"""The on-disk state beside Chroma: manifest, chunk table and BM25, one generation at a time.

A build writes a new generation (chunks + BM25) and then swaps the manifest in
one atomic rename; readers only ever see a complete generation. Chroma may hold
vectors of other versions meanwhile: queries filter on the versions the
manifest names, and the next build deletes the rest.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .errors import IndexError_
from .types import Chunk

FORMAT = 2  # 2: search text maps Taiwan wording (资讯→信息); older indexes need a rebuild
REBUILD_HINT = "请运行 `rag index --rebuild` 重建索引。"


@dataclass
class DocState:
    """One report version in the live index. It is in a committed manifest only once every part of it is
    stored (chunks and BM25 in the generation's files, one vector per chunk, and `facts` facts under
    `facts_key`): the manifest, renamed into place last, is the version's completion marker."""

    sha256: str
    title: str
    chunks: int
    facts: int = -1  # facts stored for this version, checked against the store; -1: not known to be complete
    facts_key: str = ""  # the catalogue fields the facts carry (region, year…): a correction re-derives them
    year: int = 0  # the report's year: a passage's statements date their targets (到2025年) by it

    @property
    def version(self) -> str:
        return self.sha256[:16]


@dataclass
class Manifest:
    embedding: str
    collection: str
    generation: int = 0
    docs: dict[str, DocState] = field(default_factory=dict)

    def doc_version(self, doc_id: str) -> str:
        return f"{doc_id}@{self.docs[doc_id].version}"

    def fact_version(self, doc_id: str) -> str:
        """What the version's facts are stored under: the text's version plus the catalogue fields they carry."""
        state = self.docs[doc_id]
        return self.doc_version(doc_id) + (f"~{state.facts_key}" if state.facts_key else "")

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "embedding": self.embedding,
            "collection": self.collection,
            "generation": self.generation,
            "docs": {k: vars(v) for k, v in self.docs.items()},
        }


class StateDir:
    def __init__(self, root: Path):
        self.root = Path(root)

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def chunks_path(self, gen: int) -> Path:
        return self.root / f"chunks-{gen}.jsonl"

    def bm25_path(self, gen: int) -> Path:
        return self.root / f"bm25-{gen}"

    def read_manifest(self) -> Manifest | None:
        if not self.manifest_path.exists():
            return None
        try:
            raw = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT:
                raise IndexError_(f"索引格式版本 {raw.get('format')} 与本程序（{FORMAT}）不兼容。{REBUILD_HINT}")
            docs = {k: DocState(**v) for k, v in raw["docs"].items()}
            return Manifest(raw["embedding"], raw["collection"], int(raw["generation"]), docs)
        except IndexError_:
            raise
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexError_(f"索引清单 {self.manifest_path} 已损坏（{type(exc).__name__}）。{REBUILD_HINT}") from None

    def read_chunks(self, gen: int) -> list[Chunk]:
        path = self.chunks_path(gen)
        try:
            with path.open(encoding="utf-8") as f:
                return [_chunk_from(json.loads(line)) for line in f if line.strip()]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexError_(f"索引文件 {path} 缺失或已损坏（{type(exc).__name__}）。{REBUILD_HINT}") from None

    def write_chunks(self, gen: int, chunks: list[Chunk]) -> None:
        path = self.chunks_path(gen)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for c in chunks:
                f.write(json.dumps(_chunk_to(c), ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)

    def commit(self, manifest: Manifest) -> None:
        """Atomically make `manifest` (and its generation's files) the live index."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.manifest_path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            json.dump(manifest.to_json(), f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.manifest_path)
        self._remove_other_generations(manifest.generation)

    def _remove_other_generations(self, keep: int) -> None:
        for p in self.root.glob("chunks-*"):
            if p.name != self.chunks_path(keep).name:
                p.unlink(missing_ok=True)
        for p in self.root.glob("bm25-*"):
            if p.name != self.bm25_path(keep).name:
                shutil.rmtree(p, ignore_errors=True)


def _chunk_to(c: Chunk) -> dict:
    return {"doc_id": c.doc_id, "section": list(c.section), "kind": c.kind, "text": c.text,
            "start": c.start, "end": c.end}


def _chunk_from(d: dict) -> Chunk:
    return Chunk(d["doc_id"], tuple(d["section"]), d["kind"], d["text"], int(d["start"]), int(d["end"]))
