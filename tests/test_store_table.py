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


def test_the_previous_year_is_asked_of_the_store_too(tables):
    memory, stored, docs = tables
    intent = analyse("行政复议案件多少件")
    for m in stored.best_per_report(intent, docs, period="previous"):
        assert m.statement is None or m.statement.period == "previous"


def test_the_sqlite_store_is_a_statement_storage(tables):
    from rag.statements import StatementStorage

    _, stored, _ = tables
    assert isinstance(stored.store, StatementStorage)  # every method a shared deployment's store must have
