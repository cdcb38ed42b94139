"""Matching through the statements store's queries (StoreTable, for libraries too large to hold in memory)
picks what the in-memory table picks, over the seed reports' real statements in a real SQLite store."""
from __future__ import annotations

import pytest

from rag.chunking import chunk_report
from rag.corpus import load_corpus
from rag.question.metric import analyse
from rag.settings import Settings
from rag.statements import StatementStore, StatementTable, StoreTable, extract_statements

METRICS = ["行政复议案件多少件", "主动公开政府信息多少条", "法律援助案件多少件", "政策解读多少件", "纠错率是多少"]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    corpus = load_corpus(Settings().seeds_dir)
    by_doc = {r.doc_id: [s for s in extract_statements(r, chunk_report(r)) if s.as_written] for r in corpus.reports}
    store = StatementStore(tmp_path_factory.mktemp("store") / "statements.sqlite3", None, None)
    versions = []
    for doc, sts in by_doc.items():
        store.add(f"{doc}@v1", sts)
        versions.append(f"{doc}@v1")
    memory = StatementTable([s for sts in by_doc.values() for s in sts], None)
    return memory, StoreTable(store, versions), list(by_doc)


@pytest.mark.parametrize("metric", METRICS)
def test_the_store_picks_what_memory_picks(tables, metric):
    memory, stored, docs = tables
    intent = analyse(metric)
    want = [(m.doc_id, m.statement.statement_id if m.statement else None) for m in memory.best_per_report(intent, docs)]
    got = [(m.doc_id, m.statement.statement_id if m.statement else None) for m in stored.best_per_report(intent, docs)]
    assert got == want and any(sid for _, sid in want)


def test_a_store_match_carries_its_figure_and_reads_its_statement_when_used(tables):
    _, stored, docs = tables
    matches = stored.best_per_report(analyse("行政复议案件多少件"), docs)
    found = [m for m in matches if m.found]
    assert found and all("statement" not in m.__dict__ for m in found)  # nothing read yet
    for m in found:
        assert (m.value, m.unit) == (m.statement.value, m.statement.unit) and m.statement.doc_id == m.doc_id
    assert all(m.statement is None for m in matches if not m.found)


def test_the_previous_year_is_asked_of_the_store_too(tables):
    memory, stored, docs = tables
    intent = analyse("行政复议案件多少件")
    for m in stored.best_per_report(intent, docs, period="previous"):
        assert m.statement is None or m.statement.period == "previous"


def test_the_sqlite_store_is_a_statement_storage(tables):
    from rag.statements import StatementStorage

    _, stored, _ = tables
    assert isinstance(stored.store, StatementStorage)  # every method a shared deployment's store must have


def _enyang_store(tmp_path):
    """enyang-2024's figures as version v1 of a store, a second connection to it (another process's), and
    the figures."""
    from rag.statements.score import score_spec

    corpus = load_corpus(Settings().seeds_dir)
    report = next(r for r in corpus.reports if r.doc_id == "enyang-2024")
    sts = [s for s in extract_statements(report, chunk_report(report)) if s.as_written]
    store = StatementStore(tmp_path / "s.sqlite3", None, None)
    store.add("enyang-2024@v1", sts)
    intent = analyse("行政复议案件多少件")
    spec = score_spec(intent, None)
    return store, StatementStore(tmp_path / "s.sqlite3", None, None), sts, \
        (lambda versions: store.best_scored(spec, list(intent.terms), versions))


def test_a_version_outside_the_asked_ones_is_never_read(tmp_path):
    """Every stored version asked: no IN list; one left out: its rows stay out (another process's add too)."""
    from dataclasses import replace

    store, other, sts, best = _enyang_store(tmp_path)
    [first] = best(["enyang-2024@v1"])
    other.add("enyang-2024@v2", [replace(s, value=s.value * 10) for s in sts])  # the report changed
    [v1] = best(["enyang-2024@v1"])
    [v2] = best(["enyang-2024@v2"])
    assert v1.value == first.value == v1.statement.value and v2.value == first.value * 10 == v2.statement.value


def test_a_match_read_after_another_process_replaced_its_report_is_not_another_statement(tmp_path):
    """A lazy match whose row another process deleted reads nothing, even where SQLite reused its rowid."""
    store, other, sts, best = _enyang_store(tmp_path)
    [match] = best(["enyang-2024@v1"])
    other.delete_except([])
    other.add("enyang-2024@v2", list(reversed(sts)))  # the same rowids, other statements in them
    assert match.found and match.statement is None


def test_each_report_is_ranked_by_its_best_figure_of_the_asked_kind(tmp_path):
    """A report stating two stages of handling (received, concluded) or two families of units is ranked by the
    figure of the asked one, in memory and through the store alike; a report stating only another kind is not."""
    from rag.statements.extract import _chunk_statements

    texts = {"a-2024": "全年审结一审行政诉讼案件834件，收到一审行政诉讼案件900件。",
             "b-2024": "全年审结一审行政诉讼案件120件。",
             "c-2024": "全区法律顾问参与审查合同42件次。", "d-2024": "法律顾问审查合同42件次，全区聘请法律顾问15名。"}
    sts = {d: [s for s in _chunk_statements(t, "成效", "", 0, d, d, 2024, d) if s.as_written] for d, t in texts.items()}
    store = StatementStore(tmp_path / "statements.sqlite3", None, None)
    for d, s in sts.items():
        store.add(f"{d}@v1", s)
    memory = StatementTable([s for v in sts.values() for s in v], None)
    stored = StoreTable(store, [f"{d}@v1" for d in texts])
    for table in (memory, stored):
        got = {m.doc_id: m.statement.as_written if m.statement else None
               for m in table.best_per_report(analyse("收到了多少件一审行政诉讼案件"), list(texts))}
        assert got["a-2024"] == "900件" and got["b-2024"] is None  # b states only the concluded
        people = {m.doc_id: m.statement.as_written if m.statement else None
                  for m in table.best_per_report(analyse("聘请了多少名法律顾问"), ["c-2024", "d-2024"])}
        assert people == {"c-2024": None, "d-2024": "15名"}  # 42件次 counts no people
