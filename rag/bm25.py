"""BM25 over jieba tokens of the Simplified text (bm25s), persisted per generation."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import IndexError_
from .store import REBUILD_HINT

_KEEP = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]")
# Function words that only add noise to question matching.
STOPWORDS = frozenset(
    "的 了 和 与 及 等 在 对 为 是 有 中 共 个 其 将 并 或 把 被 于 以 就 都 也 而 之 这 那 该 各 "
    "多少 几 哪些 哪个 什么 怎么 如何 是否 呢 吗 吧 啊 请问 请 一下 情况 方面 相关 多 少 年 年度 "
    "一共 总共 共计 累计 分别 具体 到底 其中 一是 二是 三是 四是 五是".split()
)


@lru_cache(maxsize=1)
def jieba_module():
    """jieba, initialised once and quiet."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens (行政复议 → 行政, 复议, 行政复议), no punctuation or stopwords."""
    out = []
    for tok in jieba_module().cut_for_search(text):
        tok = tok.strip()
        if tok and _KEEP.search(tok) and tok not in STOPWORDS:
            out.append(tok.lower())
    return out


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
