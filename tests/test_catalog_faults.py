"""Fault 5 and catalogue-year validation (issue 12): one bad catalogue entry is skipped with an error that
names it; every command keeps working with the rest."""
from __future__ import annotations

import json

import pytest

from rag.corpus import read_catalog

from .test_faults import CP_QUESTION, XC_QUESTION, clone_index, run_rag, writable


def _edit_catalog(seeds, change) -> None:
    path = writable(seeds / "catalog.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    change(raw["reports"])
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def _entry(reports, doc_id):
    return next(r for r in reports if r["doc_id"] == doc_id)


def _duplicate(reports):
    reports.append(dict(_entry(reports, "xicheng-2023"), title="另一份"))


def _year_with_suffix(reports):
    _entry(reports, "xicheng-2023")["year"] = "2020年"


@pytest.mark.parametrize("change, named", [(_duplicate, "xicheng-2023"), (_year_with_suffix, "2020年")])
def test_bad_catalogue_entry_is_skipped_and_the_rest_work(built_settings, seeds_copy, tmp_path, change, named):
    settings = clone_index(built_settings, seeds_copy, tmp_path / "data")
    _edit_catalog(seeds_copy, change)

    for args in (("ask", CP_QUESTION), ("search", CP_QUESTION, "--json")):
        run = run_rag(*args, seeds=seeds_copy, data=settings.data_dir)
        assert run.returncode == 0, run.stderr
        assert "1723件" in run.stdout

    indexed = run_rag("index", seeds=seeds_copy, data=settings.data_dir)
    assert indexed.returncode == 1  # an error was reported …
    assert "已跳过" in indexed.stderr and named in indexed.stderr and "Traceback" not in indexed.stderr
    assert "索引完成" in indexed.stdout  # … and the rest indexed
    after = run_rag("ask", CP_QUESTION, seeds=seeds_copy, data=settings.data_dir)
    assert after.returncode == 0 and after.stdout.startswith("1723件")
    if change is _duplicate:  # the first entry of that doc_id stays and answers
        xc = run_rag("ask", XC_QUESTION, seeds=seeds_copy, data=settings.data_dir)
        assert xc.returncode == 0 and xc.stdout.startswith("575件")


@pytest.mark.parametrize("year, ok", [(2024, True), ("2024", True), ("2020年", False), (20240, False),
                                      (1800, False), (True, False), (None, False), (2024.5, False)])
def test_catalogue_years_are_validated(seeds_copy, year, ok):
    _edit_catalog(seeds_copy, lambda reports: _entry(reports, "enyang-2024").update(year=year))
    entries, errors = read_catalog(seeds_copy)
    assert ("enyang-2024" in {e.doc_id for e in entries}) is ok
    assert len(entries) == 5 - (not ok) and len(errors) == (not ok)
    if not ok:
        assert "enyang-2024" in str(errors[0]) and "year" in str(errors[0])
