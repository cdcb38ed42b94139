"""How a report sentence says a figure moved: 「同比增长48.2%」 and its direction (up / down)."""
from __future__ import annotations

from ..text.script import to_simplified
from . import rules


def change_phrase(sentence: str) -> str | None:
    """「同比增长48.2%」: how the sentence says the figure moved, as written, if it does."""
    m = rules.CHANGE_PHRASE.search(to_simplified(sentence))
    return sentence[m.start():m.end()] if m else None


def direction_of(phrase: str | None) -> str | None:
    """"up", "down", or None when the phrase says neither or both."""
    if not phrase:
        return None
    p = to_simplified(phrase)
    up = any(w in p for w in rules.UP_WORDS)
    down = any(w in p for w in rules.DOWN_WORDS)
    return "up" if up and not down else "down" if down and not up else None
