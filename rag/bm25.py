"""BM25 over jieba tokens of the Simplified text (bm25s), persisted per generation."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import IndexError_
from .text.tokens import STOPWORDS, jieba_module, tokenize  # noqa: F401 - the index's tokens
from .store import REBUILD_HINT

class BM25Index:
    def __init__(self, model, size: int):
        self._model = model
        self.size = size
        self._vocab = set(model.vocab_dict) if model is not None else set()

    @property
    def vocabulary(self) -> set[str]:
        """The corpus's words (jieba search-mode tokens, lower-cased)."""
        return self._vocab

    @classmethod
    def build(cls, texts: list[str]) -> "BM25Index":
        import bm25s

        if not texts:
            return cls(None, 0)
        model = bm25s.BM25()
        model.index([tokenize(t) or [""] for t in texts], show_progress=False)
        return cls(model, len(texts))

    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        (path / "size").write_text(str(self.size))
        if self._model is not None:
            self._model.save(str(path), show_progress=False)

    @classmethod
    def load(cls, path: Path) -> "BM25Index":
        import bm25s

        try:
            size = int((path / "size").read_text())
            model = bm25s.BM25.load(str(path), show_progress=False) if size else None
        except (OSError, ValueError) as exc:
            raise IndexError_(f"BM25 索引 {path} 缺失或已损坏（{type(exc).__name__}）。{REBUILD_HINT}") from None
        return cls(model, size)

    def idf(self, term: str) -> float | None:
        """Inverse document frequency of a token over the chunks; None when no chunk has it."""
        if self._model is None or term not in self._vocab:
            return None
        i = self._model.vocab_dict[term]
        indptr = self._model.scores["indptr"]
        if i + 1 >= len(indptr):
            return None
        df = int(indptr[i + 1] - indptr[i])
        if df <= 0:
            return None
        return float(np.log((self.size - df + 0.5) / (df + 0.5) + 1.0))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk (same order as built) for the question."""
        if self._model is None:
            return np.zeros(0, dtype=np.float32)
        toks = [t for t in tokenize(query) if t in self._vocab]
        if not toks:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._model.get_scores(toks), dtype=np.float32)
