"""The Python API: `Assistant().ask("问题")` / `.search(...)`. UI, CLI and evals call only this."""
from __future__ import annotations

import logging
import threading
from typing import Iterator

from .corpus import Corpus, load_catalog, load_corpus
from .embeddings import Embedder
from .filters import ScopeDetector
from .index import BuildReport, ChunkIndex, Progress
from .retrieve import Retriever, SearchResult
from .settings import Settings
from .types import Answer, CatalogEntry, Report

log = logging.getLogger(__name__)


class Assistant:
    """Opens the index lazily, once per process, and reuses it for every question."""

    def __init__(self, settings: Settings | None = None, *, embedder: Embedder | None = None,
                 llm=None, progress: Progress | None = None):
        self.settings = settings or Settings.from_env()
        self._embedder = embedder
        self._llm = llm
        self._progress = progress
        self._lock = threading.RLock()
        self._index: ChunkIndex | None = None
        self._retriever: Retriever | None = None
        self._catalog: list[CatalogEntry] | None = None
        self._corpus: Corpus | None = None

    # ---- components, opened on first use -------------------------------
    @property
    def catalog(self) -> list[CatalogEntry]:
        if self._catalog is None:
            self._catalog = load_catalog(self.settings.seeds_dir)
        return self._catalog

    @property
    def corpus(self) -> Corpus:
        if self._corpus is None:
            self._corpus = load_corpus(self.settings.seeds_dir)
        return self._corpus

    def reports(self) -> dict[str, Report]:
        return self.corpus.by_id()

    @property
    def index(self) -> ChunkIndex:
        with self._lock:
            if self._index is not None and self._index.is_stale():
                # A `rag index` in another process switched generations: follow it, so a running
                # chat never queries vectors that build has just deleted.
                log.info("index changed on disk; reloading")
                self._index.load()
                self._retriever = None
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
            index = self.index  # may have reloaded (and dropped the old retriever)
            if self._retriever is None:
                self._retriever = Retriever(index, ScopeDetector(self.catalog))
            return self._retriever

    @property
    def llm(self):
        """The configured LLM endpoint (only touched in LLM mode)."""
        with self._lock:
            if self._llm is None:
                from .errors import ConfigError
                from .llm import OpenAICompatibleLLM

                if not self.settings.llm_configured:
                    raise ConfigError("未配置大模型：请设置 OPENAI_API_KEY 或 OPENAI_BASE_URL（以及可选的 RAG_LLM_MODEL）。")
                self._llm = OpenAICompatibleLLM(self.settings)
            return self._llm

    def build_index(self, *, rebuild: bool = False, progress: Progress | None = None) -> BuildReport:
        with self._lock:
            self._corpus = None
            index = self._index or ChunkIndex(self.settings, self._embedder)
            report = index.build(self.corpus, rebuild=rebuild, progress=progress or (lambda *a: None))
            self._index, self._retriever = index, None
            return report

    # ---- questions ------------------------------------------------------
    def search(self, question: str, k: int = 5, *, doc_ids: list[str] | None = None,
               method: str = "fused", use_filters: bool = True) -> SearchResult:
        from .answer.question import clean_question

        question = clean_question(question)
        return self.retriever.search(question, k, doc_ids=doc_ids, method=method, use_filters=use_filters)

    def ask(self, question: str, history: list | None = None, *, doc_ids: list[str] | None = None,
            mode: str | None = None) -> Answer:
        from .answer.pipeline import answer_question

        return answer_question(self, question, history or [], doc_ids=doc_ids, mode=mode)

    def ask_stream(self, question: str, history: list | None = None, *, doc_ids: list[str] | None = None,
                   mode: str | None = None) -> Iterator[Answer]:
        """Yields partial Answers (growing text); the last one is final."""
        from .answer.pipeline import stream_answer

        yield from stream_answer(self, question, history or [], doc_ids=doc_ids, mode=mode)
