"""Sentence spans: cut after 。；！？ and line ends, never inside a number, nor before a 其中 that lists parts."""
from __future__ import annotations

__all__ = ["sentence_spans", "SENTENCE_END"]

SENTENCE_END = "。；;！？!?"


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans in text[start:end], cut after 。；!? — never inside a number."""
    spans = []
    s = start
    for i in range(start, end):
        if text[i] in "；;" and text.startswith("其中", i + 1):
            continue  # 「…违法案件214件；其中食品安全领域案件87件」: a total and its parts are one sentence
        if text[i] in SENTENCE_END or text[i] == "\n":
            spans.append((s, i + 1))
            s = i + 1
    if s < end:
        spans.append((s, end))
    return [(a, b) for a, b in spans if text[a:b].strip(" \t\r\n\u3000")]
