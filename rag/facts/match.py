"""Matching a question's metric to each report's facts: the answerer's own scoring rule, plus the metric
vectors (semantic), over the facts the metric's words point at (lexical postings)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..answer.extractive import MIN_SCORE, MIN_SUPPORT, NumberWords, question_weights, score_number
from ..bm25 import tokenize
from ..corpus import to_simplified
from ..numbers import Quantity
from ..question.metric import Intent
from ..types import Fact

DENSE_CANDIDATES = 200  # nearest metric vectors always considered, beside the lexical postings


@dataclass(frozen=True)
class FactMatch:
    """A report's best fact for a metric, or `fact=None`: the report does not state it."""

    doc_id: str
    fact: Fact | None
    score: float = 0.0
    support: float = 0.0


class FactTable:
    """The live facts in memory, with a token → facts index and their metric vectors."""

    def __init__(self, facts: list[Fact], vectors: np.ndarray, embedder=None, idf=None):
        self.facts = facts
        self.vectors = vectors
        self.embedder = embedder
        self.idf = idf
        self._postings: dict[str, list[int]] = {}
        for i, f in enumerate(facts):
            for tok in set(tokenize(f.own)):
                self._postings.setdefault(tok, []).append(i)
        self._words = [_words(f) for f in facts]

    def select(self, metric: str | None = None, regions=None, years=None, kinds=None,
               doc_ids=None) -> list[Fact]:
        """Facts by plain filters; `metric` keeps facts whose metric words contain it (Simplified)."""
        m = to_simplified(metric) if metric else None
        regions = {to_simplified(r) for r in regions} if regions else None
        out = []
        for f in self.facts:
            if doc_ids is not None and f.doc_id not in doc_ids:
                continue
            if regions and not any(r in to_simplified(f.region) or to_simplified(f.region) in r for r in regions):
                continue
            if years and f.year not in years:
                continue
            if kinds and f.kind not in kinds:
                continue
            if m and m not in f.metric_simplified and m not in f.own:
                continue
            out.append(f)
        return out

    def best_per_report(self, intent: Intent, doc_ids: list[str], *, period: str = "current",
                        metric_text: str | None = None) -> list[FactMatch]:
        """Each report's best fact for the metric (same rule and thresholds as the extractive answerer)."""
        wanted = set(doc_ids)
        cand: set[int] = set()
        # The metric's specific words point at the candidates; a word in a fifth of all facts (行政) is no
        # pointer, unless the metric has nothing rarer.
        lists = sorted((self._postings.get(t.lower(), []) for t in intent.terms), key=len)
        common = max(50, len(self.facts) // 5)
        for postings in lists:
            if len(postings) <= common or not cand:
                cand.update(postings)
        dense = self._dense(metric_text or " ".join(intent.terms))
        if dense is not None:
            cand.update(int(i) for i in np.argsort(-dense)[:DENSE_CANDIDATES])
        cand = {i for i in cand if self.facts[i].doc_id in wanted}
        weights, plain = question_weights(intent, self.idf)
        lo = float(min((dense[i] for i in cand), default=0.0)) if dense is not None else 0.0
        hi = float(max((dense[i] for i in cand), default=0.0)) if dense is not None else 0.0
        best: dict[str, FactMatch] = {}
        for i in cand:
            f = self.facts[i]
            if f.period != period:
                continue
            sem = (float(dense[i]) - lo) / (hi - lo) if dense is not None and hi > lo else 0.0
            score, support = score_number(self._words[i], f.context or to_simplified(f.text + f.section), intent,
                                          intent.measures, weights, plain, sem)
            if support < MIN_SUPPORT or score < MIN_SCORE:
                continue
            if f.doc_id not in best or score > best[f.doc_id].score:
                best[f.doc_id] = FactMatch(f.doc_id, f, score, support)
        return [best.get(d, FactMatch(d, None)) for d in doc_ids]

    def _dense(self, text: str) -> np.ndarray | None:
        if self.embedder is None or not len(self.facts) or not text.strip():
            return None
        q = self.embedder.embed([text])[0]
        return self.vectors @ (q / max(float(np.linalg.norm(q)), 1e-12))


def _words(f: Fact) -> NumberWords:
    surface = to_simplified(f.as_written)
    q = Quantity(surface, 0, len(surface), f.value, f.value, f.unit, f.approx, False, f.unit == "%")
    at = f.own.find(surface)
    lead = f.lead or (f.own[:at] if at >= 0 else f.metric_simplified)
    return NumberWords(q, f.own, f.wide, lead, False)

