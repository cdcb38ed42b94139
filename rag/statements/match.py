"""Matching an asked metric to each report's statements: the one scoring rule, plus the measured things'
vectors (semantic), over the statements the metric's words point at (lexical postings).

Two sources behind one table: the live statements in memory (small libraries: fastest), or the store's SQL
and vector queries (large libraries: nothing loaded whole).
"""
from __future__ import annotations

import numpy as np

from ..text.tokens import tokenize
from ..text.script import to_simplified
from ..types import Statement, StatementMatch
from .storage import StatementStorage
from .score import (MIN_SCORE, MIN_SUPPORT, asked_kind, change_for_level, in_kind, question_weights, score_spec,
                    score_statement, support_ceiling)

DENSE_CANDIDATES = 200  # nearest measured-thing vectors always considered, beside the lexical postings
IN_MEMORY_LIMIT = 200_000  # statements above this are matched through the store's queries, not loaded


class StatementTable:
    """The live statements with figures, in memory, with a token → statements index and their vectors."""

    def __init__(self, statements: list[Statement], vectors: np.ndarray | None, embedder=None, idf=None):
        self.statements = statements
        self.vectors = vectors if vectors is not None and len(vectors) == len(statements) else None
        self.embedder = embedder
        self.idf = idf
        self._postings: dict[str, list[int]] = {}
        for i, s in enumerate(statements):
            for tok in set(tokenize(s.own + " " + s.measures)):
                self._postings.setdefault(tok.lower(), []).append(i)

    def select(self, metric: str | None = None, regions=None, years=None, kinds=None,
               doc_ids=None) -> list[Statement]:
        """Statements by plain filters; `metric` keeps those whose words or measured thing contain it."""
        m = to_simplified(metric) if metric else None
        regions = {to_simplified(r) for r in regions} if regions else None
        out = []
        for s in self.statements:
            if doc_ids is not None and s.doc_id not in doc_ids:
                continue
            if regions and not any(r in to_simplified(s.region) or to_simplified(s.region) in r for r in regions):
                continue
            if years and s.year not in years:
                continue
            if kinds and s.kind not in kinds:
                continue
            if m and m not in s.metric_simplified and m not in s.own and m not in s.measures:
                continue
            out.append(s)
        return out

    def best_per_report(self, intent, doc_ids: list[str], *, period: str = "current",
                        metric_text: str | None = None) -> list[StatementMatch]:
        """Each report's best statement for the metric (same rule and thresholds as the answerers)."""
        wanted = set(doc_ids)
        cand: set[int] = set()
        # The metric's specific words point at the candidates; a word in a fifth of all statements (行政) is
        # no pointer, unless the metric has nothing rarer.
        lists = sorted((self._postings.get(t.lower(), []) for t in intent.terms), key=len)
        common = max(50, len(self.statements) // 5)
        for postings in lists:
            if len(postings) <= common or not cand:
                cand.update(postings)
        dense = self._dense(metric_text or " ".join(intent.terms))
        if dense is not None:
            cand.update(int(i) for i in np.argsort(-dense)[:DENSE_CANDIDATES])
        cand = {i for i in cand if self.statements[i].doc_id in wanted}
        sims = {i: float(dense[i]) for i in cand} if dense is not None else {}
        return rank_candidates([(self.statements[i], sims.get(i)) for i in cand], intent, doc_ids, period,
                               self.idf)

    def _dense(self, text: str) -> np.ndarray | None:
        if self.embedder is None or self.vectors is None or not len(self.statements) or not text.strip():
            return None
        q = self.embedder.embed([text])[0]
        return self.vectors @ (q / max(float(np.linalg.norm(q)), 1e-12))


class StoreTable:
    """The same matching over the statements store's queries: candidates by words (FTS) and by nearest
    measured things (Chroma), never the whole table in memory."""

    def __init__(self, store: StatementStorage, versions: list[str], embedder=None, idf=None):
        self.store = store
        self.versions = versions
        self.embedder = embedder
        self.idf = idf

    def select(self, metric: str | None = None, regions=None, years=None, kinds=None, doc_ids=None,
               limit: int | None = None) -> list[Statement]:
        return self.store.select(self.versions, measures=to_simplified(metric) if metric else None,
                                 regions=regions, years=years, kinds=kinds, doc_ids=doc_ids, limit=limit)

    def best_per_report(self, intent, doc_ids: list[str], *, period: str = "current",
                        metric_text: str | None = None) -> list[StatementMatch]:
        """The lexical candidates are scored inside the store (the same rule, `sql_score`), which returns
        each report's best; the nearest measured things are scored here, with their similarity, and the
        better of the two kept per report."""
        wanted = set(doc_ids)
        versions = [v for v in self.versions if v.split("@")[0] in wanted]
        terms = sorted(intent.terms, key=lambda t: self.idf(t) or 0.0, reverse=True) if self.idf else list(intent.terms)
        best: dict[str, StatementMatch] = {}
        for m in self.store.best_scored(score_spec(intent, self.idf), terms[:3], versions, period):
            best[m.doc_id] = m
        text = metric_text or " ".join(intent.terms)
        if self.embedder is not None and text.strip():
            q = self.embedder.embed([text])[0]
            near = self.store.nearest(q / max(float(np.linalg.norm(q)), 1e-12), versions, DENSE_CANDIDATES)
            sims = {_statement_id(sid): sim for sid, sim in near}
            cands = [(s, sims.get(s.statement_id)) for s in self.store.by_ids([sid for sid, _ in near])]
            for d, m in _best_of([c for c in cands if c[0].doc_id in wanted], intent, period, self.idf).items():
                if d not in best or m.score > best[d].score:
                    best[d] = m
        return _per_report(best, doc_ids)


def rank_candidates(cands: list[tuple[Statement, float | None]], intent, doc_ids: list[str], period: str,
                    idf) -> list[StatementMatch]:
    return _per_report(_best_of(cands, intent, period, idf), doc_ids)


def _per_report(best: dict[str, StatementMatch], doc_ids: list[str]) -> list[StatementMatch]:
    return [best[d] if d in best else StatementMatch(d, None) for d in doc_ids]


def _best_of(cands: list[tuple[Statement, float | None]], intent, period: str, idf) -> dict[str, StatementMatch]:
    """doc_id → its best candidate above the rule's floors (`sim`: the measured thing's similarity, or None)."""
    weights, plain = question_weights(intent, idf)
    sims = [sim for _, sim in cands if sim is not None]
    lo, hi = (min(sims), max(sims)) if sims else (0.0, 0.0)
    kind = asked_kind(intent)
    best: dict[str, StatementMatch] = {}
    for s, sim in cands:
        if s.period != period or s.value is None or not s.as_written or change_for_level(s, intent) \
                or not in_kind(s, kind):
            continue
        if support_ceiling(s, plain) < MIN_SUPPORT:
            continue  # its support cannot reach the floor: each part's coverage is at most the whole's
        sem = (sim - lo) / (hi - lo) if sim is not None and hi > lo else 0.0
        score, support = score_statement(s, intent, weights, plain, sem)
        if support < MIN_SUPPORT or score < MIN_SCORE:
            continue
        if s.doc_id not in best or score > best[s.doc_id].score:
            best[s.doc_id] = StatementMatch(s.doc_id, s, score, support)
    return best


def _statement_id(sid: str) -> str:
    """The store's key (doc@version#start-end) as a Statement's id (doc:start-end)."""
    version, span = sid.rsplit("#", 1)
    return f"{version.rsplit('@', 1)[0]}:{span}"
