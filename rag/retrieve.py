"""Question → passages: scope filters, dense + BM25, fused by weights measured on the gold set."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .filters import QueryScope, ScopeDetector
from .index import ChunkIndex
from .types import Passage

METHODS = ("dense", "bm25", "fused")
# Chosen by `python -m evals.bench_retrieval` (fusion sweep); see the README.
BM25_WEIGHT = 0.7
CANDIDATES = 30
KIND_BONUS = 0.25  # added to the fused score of chunks of the section kind the question asks about


@dataclass(frozen=True)
class SearchResult:
    passages: list[Passage]
    scope: QueryScope


class Retriever:
    def __init__(self, index: ChunkIndex, detector: ScopeDetector, bm25_weight: float = BM25_WEIGHT):
        self.index = index
        self.detector = detector
        self.bm25_weight = bm25_weight

    def idf(self, term: str) -> float | None:
        """How specific a word is in this corpus (None when no passage uses it)."""
        return self.index.bm25.idf(term)

    def scope(self, question: str, doc_ids: list[str] | None = None) -> QueryScope:
        return self.detector.detect(question).restrict(doc_ids)

    def search(self, question: str, k: int = 5, *, doc_ids: list[str] | None = None,
               method: str = "fused", use_filters: bool = True,
               scope: QueryScope | None = None, kind: str | None = None) -> SearchResult:
        """`kind`: the report part the (parsed) question asks about; its chunks rank higher."""
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        if scope is None:
            scope = self.scope(question, doc_ids) if use_filters else QueryScope(None, content=question).restrict(doc_ids)
        if scope.empty or not self.index.chunks:
            return SearchResult([], scope)
        allowed = list(self.index.manifest.docs) if scope.doc_ids is None else list(scope.doc_ids)
        mask = self.index.doc_mask(allowed)
        if not mask.any():
            return SearchResult([], scope)
        n = max(k, CANDIDATES)
        if use_filters and scope.content:
            question = scope.content  # places and years did their job as filters
        bm25 = dense = None
        if method in ("bm25", "fused"):
            bm25 = np.where(mask, self.index.bm25.scores(question), -np.inf)
        if method in ("dense", "fused"):
            dense = self._dense(question, n, None if scope.doc_ids is None else allowed)
        ranked = self._fuse(bm25, dense, n, method)
        hint = kind if method == "fused" else None
        if hint:
            ranked = sorted(((i, s + (KIND_BONUS if self.index.chunks[i].kind == hint else 0.0))
                             for i, s in ranked), key=lambda x: -x[1])
        passages = [
            self.index.passage(self.index.chunks[i], score, dense=None if dense is None or i not in dense else dense[i],
                               bm25=None if bm25 is None else float(bm25[i]))
            for i, score in ranked[:k]
        ]
        return SearchResult(passages, scope)

    def _dense(self, question: str, n: int, allowed: list[str] | None) -> dict[int, float]:
        vec = self.index.embedder.embed([question])[0]
        # The whole corpus needs no filter: ids of other versions (an interrupted build) are dropped below.
        versions = None if allowed is None else self.index.versions(allowed)
        hits = self.index.vectors.query(vec, n, versions)
        return {self.index.by_vector_id[i]: s for i, s in hits if i in self.index.by_vector_id}

    def _fuse(self, bm25: np.ndarray | None, dense: dict[int, float] | None, n: int,
              method: str) -> list[tuple[int, float]]:
        if method == "dense":
            return sorted(dense.items(), key=lambda x: -x[1])
        finite = np.isfinite(bm25)
        top = [int(i) for i in np.argsort(-bm25)[:n] if finite[i]]
        if method == "bm25":
            return [(i, float(bm25[i])) for i in top if bm25[i] > 0] or [(i, 0.0) for i in top]
        cands = set(top) | set(dense)
        bmax = float(max((bm25[i] for i in cands), default=0.0))
        dvals = list(dense.values())
        dmin, dmax = (min(dvals), max(dvals)) if dvals else (0.0, 0.0)
        w = self.bm25_weight if bmax > 0 else 0.0  # no lexical signal: dense alone decides
        fused = []
        for i in cands:
            b = float(bm25[i]) / bmax if bmax > 0 else 0.0
            d = (dense.get(i, dmin) - dmin) / (dmax - dmin) if dmax > dmin else 0.0
            fused.append((i, w * b + (1 - w) * d))
        fused.sort(key=lambda x: -x[1])
        return fused
