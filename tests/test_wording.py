"""Every answer phrase exists in both languages with the same blanks to fill (English may leave out a Chinese
noun: 「昌平区3个方面」 is "Changping: 3")."""
from __future__ import annotations

import string

import pytest

from rag.answer import wording


def _names(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(wording._PHRASES))
def test_a_phrase_has_the_same_blanks_in_both_languages(key):
    zh, en = wording._PHRASES[key]
    assert zh and en
    assert _names(en) <= _names(zh)


def test_a_change_between_two_years_reads_in_the_asked_language():
    fill = {"gap": "12", "unit": "件", "a": "120件", "b": "108件"}
    assert wording.say("change_between", "zh", word=wording.say("went_up"), **fill) == "增加12件（本年120件，上年108件）。"
    assert wording.say("change_between", "en", word=wording.say("went_up", "en"), **fill) == \
        "Up 12件 (this year 120件, the year before 108件)."


def test_no_phrase_is_written_twice():
    """A key written twice in the table silently keeps only the last: the source is read for repeats."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(wording.__file__).read_text(encoding="utf-8"))
    table = next(n.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                 and any(getattr(t, "id", "") == "_PHRASES" for t in n.targets))
    keys = [k.value for k in table.keys]
    assert len(keys) == len(set(keys))
