"""Chunks follow sections; a section over the token budget splits at sentence ends."""
from __future__ import annotations

from functools import lru_cache

from .corpus import normalise_space, to_simplified
from .sections import Segment, segments, sentence_spans
from .types import Chunk, Report


@lru_cache(maxsize=1)
def _tokenizer():
    # llama-index ships a tiktoken cache, so this works offline.
    from llama_index.core.utils import get_tokenizer

    return get_tokenizer()


def count_tokens(text: str) -> int:
    return len(_tokenizer()(text))


def chunk_report(report: Report, budget: int = 400) -> list[Chunk]:
    chunks: list[Chunk] = []
    for seg in segments(report):
        path = tuple(h.label for h in seg.path)
        for start, end in _split(report, seg, budget):
            chunks.append(Chunk(report.doc_id, path, seg.kind, report.text[start:end], start, end))
    return chunks


def _split(report: Report, seg: Segment, budget: int) -> list[tuple[int, int]]:
    text = report.text
    if count_tokens(text[seg.start:seg.end]) <= budget:
        return [(seg.start, seg.end)]
    pieces: list[tuple[int, int]] = []
    cur_start, cur_end, cur_tokens = None, None, 0
    for a, b in sentence_spans(text, seg.start, seg.end):
        n = count_tokens(text[a:b])
        if cur_start is not None and cur_tokens + n > budget:
            pieces.append((cur_start, cur_end))
            cur_start, cur_tokens = None, 0
        if cur_start is None:
            cur_start = a
        cur_end, cur_tokens = b, cur_tokens + n
    if cur_start is not None:
        pieces.append((cur_start, cur_end))
    return [_strip(text, a, b) for a, b in pieces]


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t\r\n\u3000":
        a += 1
    while b > a and text[b - 1] in " \t\r\n\u3000":
        b -= 1
    return a, b


def embedding_text(chunk: Chunk, title: str) -> str:
    """What is embedded: report title and heading path, then the Simplified text."""
    path = to_simplified(chunk.section_path)
    body = normalise_space(to_simplified(chunk.text))
    return f"{title}\n{path}\n{body}" if path else f"{title}\n{body}"
