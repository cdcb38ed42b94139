"""What answerers are given: the parts they use, never the Assistant itself."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..filters import QueryScope
from ..types import CatalogEntry, Citation, Passage


@dataclass(frozen=True)
class AnswerContext:
    retriever: object  # rag.retrieve.Retriever: search(question, k, scope=...) and idf(term)
    catalog: list[CatalogEntry]
    statements: Callable[[], object]  # → rag.statements.StatementTable (or StoreTable), loaded on first use
    top_k: int = 5

    @property
    def idf(self):
        return self.retriever.idf

    def search(self, pq, k: int | None = None) -> list[Passage]:
        """The question's passages: its scope, its content words, the report part it asks about; for a
        follow-up about the last answer's sentences (`pq.near`), the passages holding them too."""
        found = self.retriever.search(pq.resolved, k or self.top_k, scope=pq.scope, kind=pq.kind).passages
        if not pq.near:
            return found
        index = self.retriever.index
        top = max((p.score for p in found), default=1.0)
        held = {(p.chunk.doc_id, p.chunk.start) for p in found}
        extra = [index.passage(c, top) for c in index.chunks
                 if any(c.doc_id == d and c.start <= a < c.end for d, a, _ in pq.near)
                 and (c.doc_id, c.start) not in held]
        return found + extra

    def search_docs(self, pq, docs, k: int | None = None) -> list[Passage]:
        """Passages of the given reports only, ranked by the question's content words."""
        scope = QueryScope(tuple(docs), content=pq.scope.content)
        return self.retriever.search(pq.resolved, k or self.top_k, scope=scope, kind=pq.kind).passages

    def part(self, pq, limit: int = 8) -> list[Passage]:
        """The whole part of each report in scope the question asks about (下一年安排 / 不足 / …), in order."""
        index = self.retriever.index
        docs = pq.scope.doc_ids if pq.scope.doc_ids is not None else tuple(index.manifest.docs)
        out: list[Passage] = []
        for doc in docs:
            chunks = [c for c in index.chunks if c.doc_id == doc and c.kind == pq.kind][:limit]
            out += [index.passage(c, 1.0) for c in chunks]
        return out

    def entry(self, doc_id: str) -> CatalogEntry | None:
        return next((e for e in self.catalog if e.doc_id == doc_id), None)


def passage_citation(p: Passage) -> Citation:
    """A whole passage as a citation (shown, never highlighted as a quote, when it is only the nearest)."""
    c = p.chunk
    return Citation(c.doc_id, p.title, c.section_path, c.text, c.start, c.end, p.score, c.text)
