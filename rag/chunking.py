"""Chunks follow sections; a section over the token budget splits at sentence ends."""
from __future__ import annotations

from functools import lru_cache

from .corpus import normalise_space

from .text.script import to_simplified
from .sections import Segment, segments
from .text.sentences import sentence_spans
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
    for a, b in _bounded_spans(text, seg.start, seg.end, budget):
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


_CLAUSE_END = "，,、 \t\u3000"


def _bounded_spans(text: str, start: int, end: int, budget: int) -> list[tuple[int, int]]:
    """Sentence spans, each within the budget: a sentence over it (a flattened table line with no
    punctuation, 200,000 characters) is cut at clause marks, then into windows of whole tokens."""
    out: list[tuple[int, int]] = []
    for a, b in sentence_spans(text, start, end):
        if count_tokens(text[a:b]) <= budget:
            out.append((a, b))
            continue
        for c, d in _cut_at(text, a, b, _CLAUSE_END):
            out.extend(_windows(text, c, d, budget) if count_tokens(text[c:d]) > budget else [(c, d)])
    return out


def _cut_at(text: str, a: int, b: int, marks: str) -> list[tuple[int, int]]:
    spans, s = [], a
    for i in range(a, b):
        if text[i] in marks:
            spans.append((s, i + 1))
            s = i + 1
    if s < b:
        spans.append((s, b))
    return spans


def _windows(text: str, a: int, b: int, budget: int) -> list[tuple[int, int]]:
    """Fixed windows of about `budget` tokens, never ending inside a number."""
    out = []
    while a < b:
        n = count_tokens(text[a:min(b, a + 4 * budget)])
        size = max(1, int(min(b - a, 4 * budget) * min(1.0, budget / max(n, 1)) * 0.95))
        cut = min(b, a + size)
        while a + 1 < cut < b and (text[cut - 1].isdigit() or text[cut - 1] in ".%") and text[cut].isdigit():
            cut -= 1
        out.append((a, cut))
        a = cut
    return out


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
