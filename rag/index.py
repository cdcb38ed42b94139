"""The index: chunks → embeddings in Chroma (through llama-index) + BM25, built incrementally.

Each report is hashed; an unchanged report costs no embedding work, a changed
one replaces exactly its chunks, a removed one disappears. The live state is
whatever the manifest names (see `rag.store`), so an interrupted build never
answers from a mix of versions.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from .bm25 import BM25Index
from .chunking import chunk_report, embedding_text
from .corpus import Corpus, library_dir, load_all
from .text.script import to_simplified
from .embeddings import Embedder, as_llama_embedding, make_embedder
from .errors import CorpusError, IndexError_, RagError
from .statements.match import IN_MEMORY_LIMIT, StatementTable, StoreTable
from .statements.store import EXTRACTION_VERSION, StatementStore, statement_collection_name
from .statements.sync import sync_statements
from .settings import Settings
from .store import REBUILD_HINT, DocState, Manifest, StateDir
from .types import Chunk, Passage, Report
from .vectors import VectorStore, build_in_progress, chunk_vector_id, collection_name, index_namespace

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[CorpusError] = field(default_factory=list)
    embedded: int = 0  # texts sent to the embedder
    statements: int = 0  # statements extracted and stored
    completed: list[str] = field(default_factory=list)  # unchanged reports whose statements an earlier run left partial
    chunks: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.removed)


def _noop(stage: str, done: int, total: int) -> None:
    pass


class ChunkIndex:
    """Opened once per process; `build` updates it, `load` reads the live generation."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.embedder = embedder or make_embedder(settings)
        # BM25 and the manifest describe one vector store: a server gets its own state beside it.
        state = f"state-{settings.chroma_host}-{settings.chroma_port}" if settings.server_mode else "state"
        self.state = StateDir(Path(settings.data_dir) / state)
        # On a shared Chroma server each data dir (or RAG_INDEX_NAME) has its own collection.
        self.collection = collection_name(self.embedder, index_namespace(settings))
        self._vectors: VectorStore | None = None
        self._open_lock = threading.Lock()
        self._llama_embedding = None
        self._stamp: int | None = None
        self.manifest: Manifest | None = None
        self.chunks: list[Chunk] = []
        self.bm25: BM25Index | None = None
        self.titles: dict[str, str] = {}
        self.years: dict[str, int] = {}
        self._statements: tuple[int | None, object] | None = None
        self._statements_lock = threading.Lock()
        self._statement_store: StatementStore | None = None
        self.corpus: Corpus | None = None  # what the last build of this snapshot indexed
        self.corpus_stamp: int | None = None  # the library catalogue's mtime when that corpus was read
        self.statements_checked = False  # whether ensure_statements has run for this snapshot (builds store them)

    # ---- reading -------------------------------------------------------
    @property
    def vectors(self) -> VectorStore:
        with self._open_lock:
            if self._vectors is None:
                self._vectors = VectorStore(self.settings, self.collection)
            return self._vectors

    @property
    def vectors_down(self) -> bool:
        """The Chroma server did not answer the last attempt: dense retrieval is off meanwhile."""
        return self._vectors is not None and self._vectors.down

    def warm_up_in_background(self) -> threading.Thread:
        """Open Chroma and load the embedding model while the caller does other start-up work."""

        def work():
            try:
                self.vectors
                self.embedder.embed(["预热"])
            except Exception:  # the foreground call will raise the same error properly
                log.debug("warm-up failed", exc_info=True)

        thread = threading.Thread(target=work, name="rag-warm-up", daemon=True)
        thread.start()
        return thread

    @property
    def statements_store(self) -> StatementStore:
        """Statements in SQLite beside the manifest; their measured-thing vectors in the same Chroma
        (embedded or server) as the chunk vectors."""
        vectors = self.vectors
        collection = vectors.sibling(statement_collection_name(vectors.name))
        with self._statements_lock:
            store = self._statement_store
            if store is None:
                path = self.state.root / f"statements-v{EXTRACTION_VERSION}.sqlite3"
                self._statement_store = store = StatementStore(path, collection, self.embedder)
            elif store.collection is not collection:
                store.collection = collection  # the Chroma client was reopened: same rows, new handle
            return store

    def _store_statements(self, corpus: Corpus, chunks: list[Chunk], manifest: Manifest, old: Manifest | None,
                          progress: Progress) -> tuple[int, list[str]]:
        """Make every live version's statements complete; returns (statements added, doc_ids completed).

        A version's statements are written in one SQLite transaction whose last row records their count
        (after their vectors): a run killed half-way leaves no such row, and that version is extracted and
        stored again. The count is kept in the version's DocState (`facts`)."""
        store = self.statements_store
        present = store.version_counts([manifest.fact_version(d) for d in manifest.docs])
        todo: list[Report] = []
        for r in corpus.reports:
            state = manifest.docs.get(r.doc_id)
            if state is None:
                continue
            version = manifest.fact_version(r.doc_id)
            if version in present:
                state.facts = present[version]  # complete
                continue
            todo.append(r)
        added, completed = 0, []
        progress("statements", 0, len(todo))
        for n, r in enumerate(todo, 1):
            version = manifest.fact_version(r.doc_id)
            produced = sync_statements(store, [r], chunks, {r.doc_id: version})
            stored = store.version_counts([version]).get(version)
            if stored != produced:
                raise IndexError_(f"报告 {r.doc_id} 的数字表未能完整写入（抽取 {produced} 条，写入 {stored or 0} 条）。"
                                  "请再次运行 `rag index` 补全。")
            manifest.docs[r.doc_id].facts = produced
            added += produced
            prev = old.docs.get(r.doc_id) if old else None
            if prev is not None and prev.sha256 == manifest.docs[r.doc_id].sha256:
                completed.append(r.doc_id)
            progress("statements", n, len(todo))
        return added, completed

    def ensure_statements(self, corpus: Corpus) -> int:
        """Fill in the statements of live reports the store lacks (an index built before the statements store
        existed, or by an older extraction version); returns how many were added."""
        live = {d: self.manifest.fact_version(d) for d in self.manifest.docs}
        # Only reports unchanged since the build: the live chunks' offsets are into exactly that text.
        reports = [r for r in corpus.reports if r.doc_id in live and self.manifest.docs[r.doc_id].sha256 == r.sha256]
        added = sync_statements(self.statements_store, reports, self.chunks, live)
        self.statements_checked = True
        return added

    def stored(self, report: Report) -> bool:
        """Whether this exact version of the report is completely in the live index (its manifest entry is
        written last, once chunks, BM25, vectors and facts are all stored)."""
        state = self.manifest.docs.get(report.doc_id) if self.manifest else None
        return bool(state and state.sha256 == report.sha256 and state.facts >= 0
                    and state.facts_key == facts_key(report))

    def statement_table(self):
        """The live statements for matching: in memory for a library of ordinary size (loaded once per
        generation), through the store's queries above `IN_MEMORY_LIMIT`."""
        with self._statements_lock:
            stamp = self.manifest.generation if self.manifest else None
            cached = self._statements
        if cached is not None and cached[0] == stamp:
            return cached[1]
        store = self.statements_store
        versions = self.fact_versions()
        idf = self.bm25.idf if self.bm25 else None
        if store.count(versions) > IN_MEMORY_LIMIT:
            table = StoreTable(store, versions, self.embedder, idf)
        else:
            statements, vectors = store.load(versions)
            table = StatementTable(statements, vectors, self.embedder, idf)
        with self._statements_lock:
            self._statements = (stamp, table)
        return table

    @property
    def llama_embedding(self):
        """The embedder as a llama-index embedding: what the build embeds chunks through."""
        if self._llama_embedding is None:
            self._llama_embedding = as_llama_embedding(self.embedder)
        return self._llama_embedding

    def exists(self) -> bool:
        return self.state.manifest_path.exists()

    def load(self) -> "ChunkIndex":
        manifest = self.state.read_manifest()
        if manifest is None:
            raise IndexError_("索引尚未建立。请先运行 `rag index`。")
        if manifest.embedding != self.embedder.name:
            raise IndexError_(f"索引使用的嵌入模型是 {manifest.embedding}，当前配置为 {self.embedder.name}。{REBUILD_HINT}")
        chunks = self.state.read_chunks(manifest.generation)
        bm25 = BM25Index.load(self.state.bm25_path(manifest.generation))
        if bm25.size != len(chunks):
            raise IndexError_(f"BM25 索引与分块表不一致。{REBUILD_HINT}")
        self._set(manifest, chunks, bm25)
        return self

    def reloaded(self) -> "ChunkIndex":
        """A new snapshot of the live generation another process has switched to. This one is left
        untouched, so a question already running on it finishes on one consistent version."""
        if not self.exists() or build_in_progress(self.settings.data_dir):
            # A `rag index` is under way (a rebuild may have removed everything): answer from this snapshot
            # until the build has finished writing, then follow it.
            return self
        fresh = ChunkIndex(self.settings, self.embedder)
        fresh._llama_embedding = self._llama_embedding
        fresh._vectors = self._vectors
        if fresh._vectors is not None:
            fresh._vectors.reopen()  # the other process added and deleted vectors: see them
        return fresh.load()

    def manifest_stamp(self) -> int | None:
        try:
            return self.state.manifest_path.stat().st_mtime_ns
        except OSError:
            return None

    def is_stale(self) -> bool:
        """Another process (`rag index`) switched the live generation since this one was read."""
        return self.manifest is not None and self.manifest_stamp() != self._stamp

    def _set(self, manifest: Manifest, chunks: list[Chunk], bm25: BM25Index) -> None:
        self._stamp = self.manifest_stamp()
        self.manifest, self.chunks, self.bm25 = manifest, chunks, bm25
        self.titles = {d: s.title for d, s in manifest.docs.items()}
        self.years = {d: s.year for d, s in manifest.docs.items()}
        self.by_vector_id = {chunk_vector_id(c, manifest.doc_version(c.doc_id)): i
                             for i, c in enumerate(chunks)}
        ordinal = {d: i for i, d in enumerate(manifest.docs)}
        self._chunk_doc = np.array([ordinal[c.doc_id] for c in chunks], dtype=np.int32)
        self._ordinal = ordinal

    def passage(self, chunk: Chunk, score: float, dense: float | None = None, bm25: float | None = None) -> Passage:
        """A chunk as retrieved, with its report's title and year (a passage's statements date targets by it)."""
        return Passage(chunk, self.titles.get(chunk.doc_id, ""), score, dense=dense, bm25=bm25,
                       year=self.years.get(chunk.doc_id, 0))

    def doc_mask(self, doc_ids) -> np.ndarray:
        """Which chunks belong to the given reports (vectorised: corpora may hold thousands)."""
        wanted = [self._ordinal[d] for d in doc_ids if d in self._ordinal]
        return np.isin(self._chunk_doc, wanted)

    def fact_versions(self) -> list[str]:
        assert self.manifest is not None
        return [self.manifest.fact_version(d) for d in self.manifest.docs]

    def versions(self, doc_ids: list[str] | tuple[str, ...] | None = None) -> list[str]:
        assert self.manifest is not None
        ids = self.manifest.docs if doc_ids is None else [d for d in doc_ids if d in self.manifest.docs]
        return [self.manifest.doc_version(d) for d in ids]

    # ---- building ------------------------------------------------------
    def snapshot(self) -> "ChunkIndex":
        """A new, empty snapshot sharing this one's stores and models: what a build fills in while this one
        keeps answering (`Assistant.build_index` swaps the two when the build is done)."""
        fresh = ChunkIndex(self.settings, self.embedder)
        fresh._vectors, fresh._llama_embedding, fresh._stamp = self._vectors, self._llama_embedding, self._stamp
        return fresh

    def build(self, corpus: Corpus | None = None, *, rebuild: bool = False, progress: Progress = _noop,
              wait: bool = False, prune: bool = True) -> BuildReport:
        """Bring the index up to date with the corpus (read under the build lock unless given), completing
        whatever an interrupted or failed run left half-stored. `wait`: queue behind another process's build
        instead of refusing (what `rag add` does). `prune=False` leaves the vectors of versions the new
        manifest drops for `prune()`, so a snapshot still answering from them stays whole until it is
        swapped out. Store faults (a Chroma server that went away, a full disk) come out as IndexError_."""
        t0 = time.perf_counter()
        try:
            with self._lock(wait):
                report = self._build_locked(corpus, rebuild, progress, prune)
        except RagError:
            raise
        except OSError as exc:
            raise IndexError_(self._fault_message(exc)) from exc
        except Exception as exc:  # chromadb / httpx / sqlite errors of the vector store
            raise IndexError_(self._fault_message(exc)) from exc
        report.chunks = len(self.chunks)
        report.seconds = time.perf_counter() - t0
        return report

    def _fault_message(self, exc: BaseException) -> str:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            what = f"磁盘空间不足（{exc.filename or self.settings.data_dir}）"
        else:
            where = self._vectors.where if self._vectors is not None else "索引"
            what = f"写入{where}失败（{type(exc).__name__}: {str(exc)[:160]}）"
        return (f"索引未能完成：{what}。已加入报告库的报告不会丢失，也不会只用一半：排除故障后再运行 "
                "`rag index`（或再次 `rag add` 同一文件）即可补全。")

    def _build_locked(self, corpus: Corpus | None, rebuild: bool, progress: Progress, prune: bool) -> BuildReport:
        # Read inside the lock: a `rag add` in another process that wrote its catalogue entry before this
        # build began is part of it, never removed by it.
        self.corpus_stamp = _mtime(library_dir(self.settings) / "catalog.json")  # before reading it
        corpus = corpus or load_all(self.settings)  # seeds + the user's library
        self.corpus = corpus
        report = BuildReport(errors=list(corpus.errors))
        if not self.settings.server_mode and self._vectors is not None and self.manifest_stamp() != self._stamp:
            self._vectors.reopen()  # another process wrote the embedded store since this one last read it
        old = None if rebuild else self._read_manifest_for_update()
        if rebuild:
            self._reset_vectors()
        old_chunks = self.state.read_chunks(old.generation) if old and old.docs else []
        manifest = Manifest(self.embedder.name, self.collection, (old.generation + 1) if old else 1)
        kept: list[Chunk] = []
        todo: list[tuple[Chunk, str, str]] = []  # chunk, version, title
        failed = {e.doc_id for e in corpus.errors if e.doc_id}
        loaded = {r.doc_id for r in corpus.reports}
        for r in corpus.reports:
            prev = old.docs.get(r.doc_id) if old else None
            state = DocState(r.sha256, r.entry.title, 0, facts_key=facts_key(r), year=r.entry.year)
            if prev and prev.sha256 == r.sha256:
                doc_chunks = [c for c in old_chunks if c.doc_id == r.doc_id]
                report.unchanged.append(r.doc_id)
            else:
                doc_chunks = chunk_report(r, self.settings.chunk_tokens)
                (report.replaced if prev else report.added).append(r.doc_id)
            # Vectors lost meanwhile (a reset server, a killed run) are re-embedded; present ones cost nothing.
            todo.extend((c, f"{r.doc_id}@{state.version}", r.entry.title) for c in doc_chunks)
            kept.extend(doc_chunks)
            state.chunks = len(doc_chunks)
            manifest.docs[r.doc_id] = state
        # A report that failed to load keeps its last good version: nothing is lost.
        for doc_id, prev in (old.docs.items() if old else []):
            if doc_id in loaded:
                continue
            if doc_id in failed:
                manifest.docs[doc_id] = prev
                kept.extend(c for c in old_chunks if c.doc_id == doc_id)
            else:
                report.removed.append(doc_id)
        report.embedded = self._embed_and_store(todo, progress)
        try:
            report.statements, report.completed = self._store_statements(corpus, kept, manifest, old, progress)
        except RagError:
            raise
        except Exception as exc:
            if self.settings.server_mode:
                raise
            # chromadb's InternalError: an embedded store another process touched meanwhile
            log.warning("storing statements failed (%s: %s); reopening the store and retrying once",
                        type(exc).__name__, exc)
            self.vectors.reopen()
            report.statements, report.completed = self._store_statements(corpus, kept, manifest, old, progress)
        self.statements_checked = True
        order = {d: i for i, d in enumerate(manifest.docs)}
        kept.sort(key=lambda c: (order[c.doc_id], c.start))
        if report.changed or old is None or rebuild:
            self._write_generation(manifest, kept, progress)
        elif manifest.to_json()["docs"] != old.to_json()["docs"]:
            # Only completion records changed (facts completed, a correction re-derived them): same chunks and
            # BM25, a new manifest naming them.
            manifest.generation = old.generation
            self.state.commit(manifest)
        else:
            manifest = old
        if prune:
            self._prune(manifest)
        self._set(manifest, kept if manifest is not old else self.state.read_chunks(old.generation),
                  BM25Index.load(self.state.bm25_path(manifest.generation)))
        return report

    def _prune(self, manifest: Manifest) -> None:
        """Vectors and facts of versions the manifest does not name (replaced, removed, or left by an
        interrupted run) go."""
        self.vectors.delete_except([manifest.doc_version(d) for d in manifest.docs])
        self.statements_store.delete_except([manifest.fact_version(d) for d in manifest.docs])

    def prune(self) -> None:
        """What `build(prune=False)` left: done under the build lock, and only while this snapshot's manifest
        is still the live one (a later build by another process prunes for itself)."""
        try:
            with self._lock(True):
                live = self.state.read_manifest()
                if live is not None and self.manifest is not None and live.to_json() == self.manifest.to_json():
                    self._prune(self.manifest)
        except RagError:
            raise
        except Exception as exc:
            raise IndexError_(self._fault_message(exc)) from exc

    def _read_manifest_for_update(self) -> Manifest | None:
        try:
            old = self.state.read_manifest()
        except IndexError_:
            log.warning("index manifest unreadable; rebuilding from scratch")
            self._reset_vectors()
            return None
        if old and old.embedding != self.embedder.name:
            return None  # another vector space: everything is re-embedded
        return old

    def _embed_and_store(self, todo: list[tuple[Chunk, str, str]], progress: Progress) -> int:
        if not todo:
            return 0
        ids = [chunk_vector_id(c, v) for c, v, _ in todo]
        present = self.vectors.existing_ids(ids)  # left by an interrupted run
        todo = [t for t, i in zip(todo, ids) if i not in present]
        total, done, batch = len(todo), 0, 64
        progress("embed", 0, total)
        for i in range(0, total, batch):
            part = todo[i:i + batch]
            texts = [embedding_text(c, to_simplified(title)) for c, _, title in part]
            vecs = np.asarray(self.llama_embedding.get_text_embedding_batch(texts), dtype=np.float32)
            self.vectors.add([c for c, _, _ in part], [v for _, v, _ in part], vecs)
            done += len(part)
            progress("embed", done, total)
        return total

    def _write_generation(self, manifest: Manifest, chunks: list[Chunk], progress: Progress) -> None:
        progress("bm25", 0, len(chunks))
        self.state.root.mkdir(parents=True, exist_ok=True)
        texts = [search_text_for_bm25(c) for c in chunks]
        BM25Index.build(texts).save(self.state.bm25_path(manifest.generation))
        self.state.write_chunks(manifest.generation, chunks)
        self.state.commit(manifest)
        progress("bm25", len(chunks), len(chunks))

    def _reset_vectors(self) -> None:
        import shutil

        import chromadb

        if self.settings.server_mode:
            self.vectors.reset()
        else:
            self._vectors = None
            chromadb.api.client.SharedSystemClient.clear_system_cache()
            shutil.rmtree(Path(self.settings.data_dir) / "chroma", ignore_errors=True)
        shutil.rmtree(self.state.root, ignore_errors=True)

    def check_vectors(self) -> None:
        """A shared Chroma server may have been reset by someone else: say so instead of answering half."""
        live = self.versions()
        if not live:
            return
        found = self.vectors.count_versions(live)
        if found is None:
            return  # the server is down (logged): BM25 answers until it is back
        if found < len(self.chunks):
            raise IndexError_(f"Chroma 中只找到 {found}/{len(self.chunks)} 个向量，索引与本地清单不一致。"
                              "请运行 `rag index` 补齐（或 `rag index --rebuild` 重建）。")

    @contextmanager
    def _lock(self, wait: bool = False):
        Path(self.settings.data_dir).mkdir(parents=True, exist_ok=True)
        with open(Path(self.settings.data_dir) / "index.lock", "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                raise IndexError_("另一个 `rag index` 正在运行，请等待其完成。") from None
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def facts_key(report: Report) -> str:
    """The catalogue fields a report's facts carry (region, year, title…): correcting one re-derives them."""
    e = report.entry
    fields = [e.region, e.short_region, str(e.year), e.level, e.parent, e.title, *e.aliases]
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()[:8]


def search_text_for_bm25(chunk: Chunk) -> str:
    """Heading path plus body, Simplified: headings carry the topic words."""
    return to_simplified(chunk.section_path + "\n" + chunk.text)


__all__ = ["ChunkIndex", "BuildReport", "VectorStore"]
