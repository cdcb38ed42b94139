"""A question parsed the way `Assistant.ask` parses it, over the shipped catalogue: no index is built."""
from __future__ import annotations

from functools import lru_cache

from rag.corpus import load_catalog
from rag.filters import ScopeDetector
from rag.question import ParsedQuestion, QuestionParser
from rag.settings import Settings


@lru_cache(maxsize=1)
def _parser() -> QuestionParser:
    return QuestionParser(ScopeDetector(load_catalog(Settings().seeds_dir)))


def parsed(text: str, history: list | None = None) -> ParsedQuestion:
    return _parser().parse(text, history)
