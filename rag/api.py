"""The Python API: `Assistant().ask("问题")` / `.search(...)`. UI, CLI and evals call only this."""
from __future__ import annotations

import logging
import operator
import threading
import time
from dataclasses import replace
from typing import Iterator

from .corpus import Corpus, library_dir, load_all
from .embeddings import Embedder
from .errors import ConfigError
from .filters import ScopeDetector
from .index import BuildReport, ChunkIndex, Progress
from .retrieve import Retriever, SearchResult
from .question import QuestionParser, clean_question
from .settings import Settings
from .types import Answer, CatalogEntry, Report, Statement

log = logging.getLogger(__name__)

MODES = ("extractive", "llm")  # `mode=None`: LLM when one is configured, else extractive
MAX_K = 100  # passages per search: more is a mistake, and Chroma would be asked for all of them


class Assistant:
    """Opens the index lazily, once per process, and reuses it for every question."""

    def __init__(self, settings: Settings | None = None, *, embedder: Embedder | None = None,
                 llm=None, progress: Progress | None = None):
        self.settings = settings or Settings.from_env()
        self._embedder = embedder
        self._llm = llm
        self._progress = progress
        self._lock = threading.RLock()
        self._llm_lock = threading.Lock()  # only LLM callers wait for the client (and model discovery)
        self._build_lock = threading.Lock()
        self._index: ChunkIndex | None = None
        self._retriever: Retriever | None = None
        self._catalog: list[CatalogEntry] | None = None
        self._corpus: Corpus | None = None
        self._parser = None
        self._memory_statements = None  # (index snapshot, StatementTable) while the store cannot be reached
        self._texts_of = None  # the index version the corpus was read for (see reports())

        self._library_stamp: int | None = None

    # ---- components, opened on first use -------------------------------
    @property
    def library(self):
        from .library import Library

        return Library(library_dir(self.settings))

    def _follow_library(self) -> None:
        """Another process (or this one) added, changed or removed a report: forget the old lists."""
        stamp = self.library.stamp()
        if stamp != self._library_stamp:
            self._library_stamp = stamp
            self._catalog = self._corpus = None
            self._retriever = None

    @property
    def catalog(self) -> list[CatalogEntry]:
        with self._lock:
            self._follow_library()
            if self._catalog is None:
                self._catalog = self.corpus.catalog
            return self._catalog

    @property
    def corpus(self) -> Corpus:
        with self._lock:
            self._follow_library()
            if self._corpus is None:
                self._corpus = load_all(self.settings)
            return self._corpus

    def reports(self) -> dict[str, Report]:
        """The reports as last indexed: after a `rag index` in another process, the new texts."""
        with self._lock:
            if self._index is not None:
                manifest = self.index.manifest  # follows a re-index by another process
                if manifest is not self._texts_of:  # a new version: read the texts again
                    self._corpus, self._catalog, self._texts_of = None, None, manifest
            return self.corpus.by_id()

    def report(self, doc_id: str) -> Report | None:
        """One report's current text (None when it is not in the corpus)."""
        return self.reports().get(doc_id)

    @property
    def index(self) -> ChunkIndex:
        with self._lock:
            if self._index is not None and self._index.is_stale():
                # A `rag index` in another process switched generations: follow it, so a running
                # chat never queries vectors that build has just deleted.
                log.info("index changed on disk; reloading")
                fresh = self._index.reloaded()  # a new snapshot: questions in flight keep theirs
                if fresh is not self._index:  # (the same one while a build is still writing)
                    self._index, self._retriever = fresh, None
            if self._index is None:
                index = ChunkIndex(self.settings, self._embedder)
                if index.exists():
                    index.load()
                    if self.settings.server_mode:
                        index.check_vectors()
                    else:
                        index.warm_up_in_background()
                else:  # first run: build it, showing progress if someone listens
                    log.info("no index yet; building it")
                    index.build(self.corpus, progress=self._progress or (lambda *a: None))
                self._index = index
            return self._index

    @property
    def retriever(self) -> Retriever:
        with self._lock:
            self._follow_library()
            index = self.index  # may have reloaded (and dropped the old retriever)
            if self._retriever is None:
                # Questions are scoped by the catalogue the live snapshot indexed (what can be answered now);
                # a correction being built meanwhile takes over with its snapshot.
                held = index.corpus.catalog if getattr(index, "corpus", None) is not None else self.catalog
                self._retriever = Retriever(index, ScopeDetector(held))
            return self._retriever

    @property
    def llm(self):
        """The configured LLM endpoint (only touched in LLM mode). Made under its own lock, never the
        assistant's: model discovery (bounded, rag.llm.DISCOVERY_SECONDS) holds no other user."""
        with self._llm_lock:
            if self._llm is None:
                from .errors import ConfigError
                from .llm import OpenAICompatibleLLM

                if not self.settings.llm_configured:
                    raise ConfigError("未配置大模型：请设置 OPENAI_API_KEY 或 OPENAI_BASE_URL（以及可选的 RAG_LLM_MODEL）。")
                self._llm = OpenAICompatibleLLM(self.settings)
            return self._llm

    def build_index(self, *, rebuild: bool = False, progress: Progress | None = None,
                    wait: bool = False) -> BuildReport:
        """Build a new index snapshot beside the live one and swap it in when it is complete. Questions
        meanwhile are answered from the live snapshot, whole and unchanged (the assistant's lock is held
        only for the swap). `wait`: queue behind another process's build instead of refusing."""
        with self._build_lock:  # one build at a time in this process (the file lock covers other processes)
            with self._lock:
                live = self._index
            snapshot = live.snapshot() if live is not None else ChunkIndex(self.settings, self._embedder)
            report = snapshot.build(rebuild=rebuild, progress=progress or (lambda *a: None), wait=wait,
                                    prune=False)
            ready = self._prepared(snapshot)  # the first question on it would otherwise pay, under the lock
            with self._lock:
                self._index, self._retriever, self._parser = snapshot, ready[0], ready[1]
                self._corpus, self._catalog, self._texts_of = snapshot.corpus, snapshot.corpus.catalog, snapshot.manifest
                self._library_stamp = snapshot.corpus_stamp
            snapshot.prune()  # the old snapshot's vectors go only now that nothing new starts on it
            return report

    def _prepared(self, snapshot: ChunkIndex):
        """What answering needs from a new snapshot, made before it is swapped in: retriever, question parser
        (its vocabulary reads every word's pinyin) and the statements table."""
        from .question.normalise import Vocabulary

        retriever = Retriever(snapshot, ScopeDetector(snapshot.corpus.catalog))
        vocab = Vocabulary(snapshot.bm25.vocabulary) if snapshot.bm25 else None
        parser = (retriever, QuestionParser(retriever.detector, vocab))
        try:
            snapshot.statement_table()
        except Exception:  # the store cannot be reached: _statement_table falls back to statements in memory
            log.debug("facts table not preloaded", exc_info=True)
        return retriever, parser

    @property
    def parser(self) -> QuestionParser:
        """The question parser for the live catalogue and index vocabulary (rebuilt when either changes)."""
        with self._lock:
            retriever = self.retriever
            if self._parser is None or self._parser[0] is not retriever:
                from .question.normalise import Vocabulary

                vocab = Vocabulary(retriever.index.bm25.vocabulary) if retriever.index.bm25 else None
                self._parser = (retriever, QuestionParser(retriever.detector, vocab))
            return self._parser[1]

    def parse(self, question: str, history=None, *, doc_ids: list[str] | None = None):
        """The question as understood: scope, metric, shape, what a follow-up carried (a ParsedQuestion).
        `history`: a Conversation, or chat messages (role/content dicts or (user, assistant) pairs)."""
        return self.parser.parse(question, history, doc_ids)

    def _context(self):
        from .answer.context import AnswerContext

        retriever = self.retriever
        return AnswerContext(retriever, retriever.detector.catalog, self._statement_table, self.settings.top_k)

    def _statement_table(self):
        """The statements table; while the vector store cannot be reached, the live reports' statements are
        read in memory (lexical matching only) so rankings and totals still answer."""
        index = self.index
        try:
            if not index.statements_checked:  # an index built before the statements store (or an older one)
                index.ensure_statements(self.corpus)
            return index.statement_table()
        except Exception as exc:  # chromadb raises many types for a server that went away
            if self._memory_statements is None or self._memory_statements[0] is not index:  # once per snapshot
                log.warning("statements store unreachable (%s); reading the statements in memory", type(exc).__name__)
                from .statements import StatementTable, extract_statements

                live = {d: s.sha256 for d, s in index.manifest.docs.items()}
                found = [st for r in self.corpus.reports if live.get(r.doc_id) == r.sha256
                         for st in extract_statements(r, [c for c in index.chunks if c.doc_id == r.doc_id])
                         if st.has_figure and st.as_written]
                self._memory_statements = (index, StatementTable(found, None, None,
                                                                 index.bm25.idf if index.bm25 else None))
            return self._memory_statements[1]

    # ---- the user's library ---------------------------------------------
    def add_reports(self, paths, *, overrides: dict | None = None, progress: Progress | None = None,
                    on_result=None, replace: bool = False) -> tuple[list, BuildReport | None]:
        """Add files or folders to the library, then index what changed. Returns (AddResults, build).

        An add is complete only once its report version is wholly in the index: a file already in the
        library whose indexing an earlier run did not finish (killed, a store fault, two adds at once) is
        completed (status `resumed`), never passed over as unchanged. A file that cannot be read gets a
        failed result with the reason; nothing of it is stored, and the rest of the batch goes on.
        A report of the same place and year as one in the library is kept beside it unless `replace`."""
        from pathlib import Path

        from .errors import CorpusError
        from .library import AddResult, expand

        library = self._library_with_reserved()
        results = []
        for path in expand([Path(p) for p in paths]):
            try:
                result = library.add(path, overrides, replace=replace)
            except CorpusError as exc:
                result = AddResult(str(path), "failed", error=str(exc))
            except Exception as exc:  # an extractor's own failure on a corrupt file: this file only
                log.warning("adding %s failed", path, exc_info=True)
                result = AddResult(str(path), "failed",
                                   error=f"无法读取文件 {path.name}：{type(exc).__name__}（文件可能已损坏），未加入报告库。")
            if result.status == "unchanged" and not self._version_stored(result.doc_id):
                result.status = "resumed"
            results.append(result)
            if on_result:
                on_result(result)
        build = None
        if any(r.status in ("added", "replaced", "resumed") for r in results):
            build = self.build_index(progress=progress, wait=True)
        return results, build

    def _version_stored(self, doc_id: str) -> bool:
        """Whether the library report's current version is completely in the live index."""
        from .corpus import load_library_report
        from .errors import RagError

        index = ChunkIndex(self.settings, self._embedder)
        try:
            index.manifest = index.state.read_manifest()
            entry = next((e for e in self.library.catalog() if e.doc_id == doc_id), None)
            return entry is not None and index.stored(load_library_report(library_dir(self.settings), entry))
        except RagError:
            return False

    def edit_report(self, doc_id: str, **fields) -> dict:
        entry = self._library_with_reserved().edit(doc_id, **fields)
        self.build_index(wait=True)  # titles live in the index, regions and years in the facts: re-derived
        return entry

    def remove_report(self, doc_id: str) -> dict:
        """Take a report out of the library and the index; it is kept aside (`removed_reports`) until
        `restore_report` puts it back or `empty_removed` deletes it."""
        entry = self._library_with_reserved().remove(doc_id)
        self.build_index()
        return entry

    def restore_report(self, doc_id: str) -> dict:
        """Put a removed report back (same doc_id) and index it again."""
        entry = self._library_with_reserved().restore(doc_id)
        self.build_index()
        return entry

    def removed_reports(self) -> list[dict]:
        """The removed reports that can still be restored, newest first."""
        return self.library.removed()

    def empty_removed(self) -> int:
        """Delete the removed reports for good; returns how many."""
        return self.library.empty_trash()

    def library_stamp(self):
        """A cheap value that changes whenever the library or the live index changes (a page polls it)."""
        index = self._index
        return (self.library.stamp(), index.manifest_stamp() if index is not None else None)

    def library_reports(self) -> list[dict]:
        return self.library.entries()

    def _library_with_reserved(self):
        from .corpus import load_catalog
        from .library import Library

        return Library(library_dir(self.settings), {e.doc_id for e in load_catalog(self.settings.seeds_dir)})

    # ---- questions ------------------------------------------------------
    def search(self, question: str, k: int = 5, *, doc_ids: list[str] | None = None,
               method: str = "fused", use_filters: bool = True) -> SearchResult:
        _check_k(k)
        question = clean_question(question)
        return self.retriever.search(question, k, doc_ids=doc_ids, method=method, use_filters=use_filters)

    def ask(self, question: str, history=None, *, doc_ids: list[str] | None = None,
            mode: str | None = None) -> Answer:
        """The final Answer. `history`: a Conversation (`conversation.then(question, answer.query,
        answer.text)` after each turn: follow-ups are composed from the earlier queries) or chat messages."""
        final = None
        for final in self.ask_stream(question, history, doc_ids=doc_ids, mode=mode):
            pass
        return final

    def ask_stream(self, question: str, history=None, *, doc_ids: list[str] | None = None,
                   mode: str | None = None) -> Iterator[Answer]:
        """Yields partial Answers (growing text); the last one is final (its `.query` is the parsed question)."""
        from .answer.pipeline import stream_answer
        from .question import Conversation

        _check_mode(mode)
        started = time.perf_counter()
        conversation = Conversation.from_history(history)
        pq = self.parse(question, conversation, doc_ids=doc_ids)
        use_llm = (mode == "llm") or (mode is None and self.settings.llm_configured)
        for partial in stream_answer(pq, self._context(), history=conversation.messages(), use_llm=use_llm,
                                     llm=lambda: self.llm, texts=lambda: {d: r.text for d, r in self.reports().items()},
                                     started=started):
            yield self._store_notice(partial)

    # ---- the statements: facts view, metrics, matching ----------------------
    def facts(self, metric: str | None = None, regions: list[str] | None = None, years: list[int] | None = None,
              kinds: list[str] | None = None, limit: int | None = None) -> list[Statement]:
        """Every figure the reports state, filtered: the facts view of the statements; each carries its
        sentence and offsets (`.citation`), what it measures, its frame, status and period.
        `limit`: at most that many (the first in table order)."""
        facts = self._statement_table().select(metric, regions, years, kinds)
        return facts if limit is None else facts[:max(0, int(limit))]

    def measures(self, limit: int = 500) -> list[tuple[str, int]]:
        """Measured things with a figure, by how many reports state one (most first); read from the
        statements store, or from the statements in memory while the vector store cannot be reached."""
        index = self.index
        try:
            return index.statements_store.measures(index.fact_versions(), limit)
        except Exception as exc:  # chromadb raises many types for a server that went away
            log.warning("statements store unreachable (%s); counting measures in memory", type(exc).__name__)
            docs: dict[str, set[str]] = {}
            for st in self.facts():
                if st.measures:
                    docs.setdefault(st.measures, set()).add(st.doc_id)
            return sorted(((m, len(d)) for m, d in docs.items()), key=lambda x: (-x[1], x[0]))[:limit]

    def match_metric(self, metric: str, doc_ids: list[str] | None = None) -> list:
        """Each report's best statement for the metric words (semantic + lexical, the answerers' own scoring),
        or `statement=None` where the report does not state it: a list of StatementMatch, one per report."""
        from .question.metric import analyse

        words = clean_question(metric)
        docs = doc_ids if doc_ids is not None else [e.doc_id for e in self.catalog]
        return self._statement_table().best_per_report(analyse(words + "多少"), docs, metric_text=words)

    def _store_notice(self, answer: Answer) -> Answer:
        """While the Chroma server is down, answers come from BM25 alone: say so."""
        index = self._index
        if index is not None and index.vectors_down:
            note = f"向量库（{index.vectors.where}）暂时无法连接，本次只用关键词（BM25）检索作答"
            if note not in (answer.notice or ""):
                return replace(answer, notice=f"{answer.notice}；{note}" if answer.notice else note)
        return answer


def _check_mode(mode: str | None) -> None:
    if mode is not None and mode not in MODES:
        raise ConfigError(f"mode={mode!r} 无效：可选 {' 或 '.join(MODES)}（或不指定）。")


def _check_k(k) -> None:
    try:
        ok = not isinstance(k, bool) and 1 <= operator.index(k) <= MAX_K
    except TypeError:
        ok = False
    if not ok:
        raise ConfigError(f"k 应为 1–{MAX_K} 之间的整数，而不是 {k!r}。")
