"""Words: jieba tokens for search and matching, and splitting at conjunctions."""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["tokenize", "jieba_module", "STOPWORDS", "split_items", "split_on_conjunctions"]

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

_CONJUNCTIONS = frozenset(["、", "，", ",", "；", ";", "以及", "和", "与", "及", "跟", "同"])


def split_items(text: str) -> list[str]:
    """「案件总量和败诉率」 → [案件总量, 败诉率]."""
    return [p.strip(" 的") for p in split_on_conjunctions(text)]


def split_on_conjunctions(text: str) -> list[str]:
    """Split at conjunction words (jieba's precise cut keeps 参与 whole, unlike a regex on 与)."""
    pieces, cur = [], ""
    for tok in jieba_module().cut(text):
        if tok in _CONJUNCTIONS:
            pieces.append(cur)
            cur = ""
        else:
            cur += tok
    pieces.append(cur)
    return pieces
