"""Chroma, embedded or server: the chunks' vectors. Only ids and scores leave this module.

Three faults of issue 12 shaped it:
- Embedded Chroma keeps its index in memory, per process; after another process's `rag index` that
  view is stale (`Error finding id`). `reopen()` reads the store afresh.
- Several data dirs on one Chroma server: each index gets its own collection (`index_namespace`), and
  the collection records the data dir that owns it; another data dir refuses to write into it.
- A Chroma server that is down: queries return no vectors (BM25 answers alone, the caller adds a
  notice), one log line when it goes down and one when it is back, and no traceback per question.

Writes go through llama-index's ChromaVectorStore; queries call the collection directly, because
importing llama-index costs ~0.9 s of a fresh process's first answer.
"""
from __future__ import annotations

import fcntl
import logging
import os
import re
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import numpy as np

from .embeddings import Embedder
from .errors import IndexError_
from .settings import Settings
from .store import REBUILD_HINT
from .types import Chunk

log = logging.getLogger(__name__)

INDEX_ID_FILE = "index-id"  # in RAG_DATA_DIR: this data dir's identity on a shared Chroma server
OWNER_KEY = "rag_owner"  # collection metadata: the index-id of the data dir that writes the collection
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
RETRY_SECONDS = 5.0  # while the server is down, try it again at most this often
PROBE_TIMEOUT = 2.0


def chunk_vector_id(chunk: Chunk, version: str) -> str:
    return f"{version}#{chunk.start}-{chunk.end}"


def collection_name(embedder: Embedder, namespace: str | None = None) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in embedder.name).strip("-")
    base = f"chunks-{safe}"
    if namespace is None:
        return base[:60]  # as before namespaces: existing embedded indexes keep their collection
    return f"{base[:40].rstrip('-')}-{namespace}"


def index_identity(data_dir: Path) -> str:
    """This data dir's stable id, made once and kept in `RAG_DATA_DIR/index-id` (moving the directory
    keeps it; a copy of the directory shares it, and with it the collection on the server)."""
    path = Path(data_dir) / INDEX_ID_FILE
    for _ in range(2):
        try:
            ident = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            break
        if NAME_PATTERN.fullmatch(ident):
            return ident
        raise IndexError_(f"{path} 内容无效（应为一行字母数字标识）；删除它会让本目录在 Chroma 服务上使用新的集合。")
    path.parent.mkdir(parents=True, exist_ok=True)
    ident = uuid.uuid4().hex[:12]
    tmp = path.with_name(f"{INDEX_ID_FILE}.{os.getpid()}.tmp")
    tmp.write_text(ident + "\n", encoding="utf-8")
    try:
        os.link(tmp, path)  # atomic and refuses to overwrite: two first runs agree on one id
    except FileExistsError:
        ident = path.read_text(encoding="utf-8").strip()
    finally:
        tmp.unlink(missing_ok=True)
    return ident


def index_namespace(settings: Settings) -> str | None:
    """The collection suffix on a Chroma server: RAG_INDEX_NAME, else this data dir's id. An embedded
    store lives inside its data dir and needs none (existing embedded indexes keep their collection)."""
    if not settings.server_mode:
        return None
    return settings.index_name or index_identity(settings.data_dir)


class VectorStore:
    def __init__(self, settings: Settings, collection: str):
        self._settings, self._name = settings, collection
        self._owner = index_identity(settings.data_dir) if settings.server_mode else None
        self._reopen_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._client = self.collection = self._store = None
        self.down = False  # server mode: the last attempt to reach the server failed
        self._retry_at = 0.0
        if settings.server_mode:
            try:
                self._open()
            except IndexError_ as exc:
                if self._server_alive():
                    raise  # reachable but wrong (another owner, a bad collection): say so now
                self._mark_down(exc)  # answer from BM25 until it is back
        else:
            self._open()

    @property
    def name(self) -> str:
        return self._name

    def sibling(self, name: str):
        """Another collection of the same Chroma (the facts live beside the chunks)."""
        self._live()
        return self._client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"})

    @property
    def where(self) -> str:
        s = self._settings
        return f"Chroma 服务 {s.chroma_host}:{s.chroma_port}" if s.server_mode else \
            f"Chroma 数据目录 {Path(s.data_dir) / 'chroma'}"

    # ---- opening -------------------------------------------------------------------------
    def _open(self) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        settings = self._settings
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if settings.server_mode:
                client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                             settings=chroma_settings)
            else:
                path = Path(settings.data_dir) / "chroma"
                path.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            collection = self._get_or_create(client)
        except IndexError_:
            raise
        except Exception as exc:  # chromadb raises many types for a bad store
            hint = "请确认服务已启动（chroma run）。" if settings.server_mode else REBUILD_HINT
            raise IndexError_(f"无法打开{self.where}：{type(exc).__name__}: {exc}。{hint}") from exc
        self._client, self.collection, self._store = client, collection, None
        self._files = None if settings.server_mode else _store_files(settings.data_dir)

    def _get_or_create(self, client):
        from chromadb.errors import NotFoundError

        metadata = {"hnsw:space": "cosine", **({OWNER_KEY: self._owner} if self._owner else {})}
        try:
            collection = client.get_collection(self._name)
        except NotFoundError:
            try:
                return client.create_collection(self._name, metadata=metadata)
            except Exception:  # created meanwhile by another process: use (and check) that one
                collection = client.get_collection(self._name)
        held = (collection.metadata or {}).get(OWNER_KEY)
        if self._owner and held and held != self._owner:
            # Fail before anything is written or deleted: the other index would lose its vectors.
            raise IndexError_(
                f"{self.where} 上的集合 {self._name} 属于另一个数据目录（index-id {held}），"
                f"本目录 {self._settings.data_dir} 的 index-id 是 {self._owner}。"
                "几个部署共用一个 Chroma 服务时，请给每个部署设置不同的 RAG_INDEX_NAME。")
        return collection

    def _live(self):
        """The collection, for writes and checks: a server that is down is an error here."""
        if self.collection is None:
            self._open()
            self._mark_up()
        return self.collection

    def reopen(self, unless_changed_from=None) -> None:
        """See the store as it is on disk now (embedded mode).

        Embedded Chroma keeps one System per path and process, with the HNSW index in memory; it does not
        see what another process (`rag index`) deleted or added since, and queries then fail with
        `InternalError: Error finding id` (chromadb is not multi-process safe, chroma-core/chroma#2399).
        A new System reads the store afresh. The old one is detached, not stopped: a question in flight
        keeps using it, and it goes with its last reference."""
        if self._settings.server_mode:
            return  # the server is the single process that owns the store: always current
        from chromadb.api.shared_system_client import SharedSystemClient

        with self._reopen_lock:
            if unless_changed_from is not None and self.collection is not unless_changed_from:
                return
            with SharedSystemClient._refcount_lock:  # chromadb's own lock over its cache of Systems
                SharedSystemClient._identifier_to_system.pop(self._client._identifier, None)
                SharedSystemClient._identifier_to_refcount.pop(self._client._identifier, None)
            self._open()

    # ---- server health -------------------------------------------------------------------
    def _server_alive(self) -> bool:
        s = self._settings
        try:
            with urllib.request.urlopen(f"http://{s.chroma_host}:{s.chroma_port}/api/v2/heartbeat",
                                        timeout=PROBE_TIMEOUT):
                return True
        except Exception:  # refused, timed out, reset: not reachable
            return False

    def _mark_down(self, exc: BaseException) -> None:
        with self._state_lock:
            self._retry_at = time.monotonic() + RETRY_SECONDS
            if not self.down:
                self.down = True
                log.warning("%s 无法连接（%s）：暂时只用 BM25 关键词检索作答，每 %.0f 秒重试。",
                            self.where, type(exc).__name__, RETRY_SECONDS)

    def _mark_up(self) -> None:
        with self._state_lock:
            if self.down:
                self.down = False
                log.warning("%s 已恢复：重新使用向量检索。", self.where)

    # ---- writing -------------------------------------------------------------------------
    @property
    def store(self):
        """llama-index's view of the collection, for writing nodes."""
        from llama_index.vector_stores.chroma import ChromaVectorStore

        collection = self._live()
        if self._store is None:
            self._store = ChromaVectorStore(chroma_collection=collection)
        return self._store

    def reset(self) -> None:
        """Drop and recreate this collection (server mode rebuild)."""
        self._live()
        try:
            self._client.delete_collection(self._name)
        except Exception:  # not there yet
            log.debug("no collection to delete", exc_info=True)
        self.collection, self._store = self._get_or_create(self._client), None

    def existing_ids(self, ids: list[str]) -> set[str]:
        collection = self._live()
        found: set[str] = set()
        for i in range(0, len(ids), 1000):  # bounded requests for large corpora
            found.update(collection.get(ids=ids[i:i + 1000], include=[])["ids"])
        return found

    def add(self, chunks: list[Chunk], versions: list[str], vectors: np.ndarray) -> None:
        from llama_index.core.schema import TextNode

        nodes = [
            TextNode(
                id_=chunk_vector_id(c, v),
                text=c.text,
                embedding=vec.tolist(),
                metadata={"doc_id": c.doc_id, "doc_version": v, "start": c.start, "end": c.end,
                          "section": c.section_path, "kind": c.kind},
                excluded_embed_metadata_keys=["doc_id", "doc_version", "start", "end", "section", "kind"],
            )
            for c, v, vec in zip(chunks, versions, vectors)
        ]
        for i in range(0, len(nodes), 512):
            self.store.add(nodes[i:i + 512])

    def delete_except(self, live_versions: list[str]) -> None:
        """Drop vectors of any version the manifest no longer names."""
        collection = self._live()
        if live_versions:
            collection.delete(where={"doc_version": {"$nin": live_versions}})
        else:
            ids = collection.get(include=[])["ids"]
            if ids:
                collection.delete(ids=ids)

    # ---- reading -------------------------------------------------------------------------
    def count_versions(self, versions: list[str]) -> int | None:
        """How many vectors the given versions have; None while the server is down."""
        try:
            return len(self._query_or_down(lambda c: c.get(where={"doc_version": {"$in": versions}},
                                                             include=[])["ids"]))
        except _Down:
            return None

    def query(self, vector: np.ndarray, k: int, versions: list[str] | None) -> list[tuple[str, float]]:
        """Nearest chunks as (vector id, cosine); `versions=None` searches everything
        (callers drop ids they do not know, e.g. those an interrupted build left). Empty while a
        Chroma server is down."""
        if versions == [] or k <= 0:
            return []
        where = None if versions is None else {"doc_version": {"$in": versions}}

        def run(collection):
            return collection.query(query_embeddings=[vector.tolist()], n_results=k, where=where,
                                    include=["distances"])

        try:
            res = self._query_or_down(run)
        except _Down:
            return []
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]

    def _query_or_down(self, run):
        if not self._settings.server_mode:
            from chromadb.errors import ChromaError

            collection = self.collection
            if self._files != _store_files(self._settings.data_dir):
                # A rebuild in another process deleted the files this view reads (and is writing new ones):
                # touching them now would recreate SQLite's side files under the new store. BM25 until the
                # build is done and the assistant follows it.
                raise _Down
            try:
                return run(collection)
            except ChromaError as exc:
                if build_in_progress(self._settings.data_dir):
                    # A `rag index` is writing the store right now: opening it meanwhile from a second process
                    # is what corrupts an embedded Chroma. Answer from BM25 until it is done.
                    log.info("embedded Chroma is being rebuilt (%s); keyword search only meanwhile", exc)
                    raise _Down from None
                # Another process changed the store under this one's in-memory view: read it afresh, once
                # (unless another thread already has, since this query began).
                log.info("embedded Chroma view is stale (%s); reopening", exc)
                self.reopen(unless_changed_from=collection)
                return run(self.collection)
        if self.down and time.monotonic() < self._retry_at:
            raise _Down
        try:
            result = run(self._live())
        except Exception as exc:
            if self._server_alive():
                raise  # a real error, not an outage
            self._mark_down(exc)
            raise _Down from None
        self._mark_up()
        return result


def _store_files(data_dir):
    """Which files an embedded store is: the inodes of its folder and database (new ones after a rebuild)."""
    path = Path(data_dir) / "chroma"
    try:
        return path.stat().st_ino, (path / "chroma.sqlite3").stat().st_ino
    except OSError:
        return None


def build_in_progress(data_dir) -> bool:
    """Whether a `rag index` (any process) holds this data dir's build lock now. Probed only when the
    store looks changed, so the probe's instant shared lock cannot stand in a starting build's way."""
    path = Path(data_dir) / "index.lock"
    if not path.exists():
        return False
    with open(path) as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


class _Down(Exception):
    """The Chroma server did not answer (state and log line already recorded)."""


__all__ = ["VectorStore", "chunk_vector_id", "collection_name", "index_identity", "index_namespace"]
