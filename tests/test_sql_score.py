"""The scoring rule rendered for SQLite (`sql_score`) gives the very scores of the Python rule
(`score_statement`), for every figure of the seed reports and questions of every shape: a ranking across
thousands of reports scores inside the store and must pick what the rule picks."""
from __future__ import annotations

import sqlite3

import pytest

from rag.chunking import chunk_report
from rag.corpus import load_corpus
from rag.question.metric import analyse
from rag.settings import Settings
from rag.statements import extract_statements
from rag.statements.score import NO_FIT, question_weights, score_spec, score_statement, stored_texts
from rag.statements.sql_score import scored_query

QUESTIONS = ["行政复议案件多少件", "纠错率是多少", "进驻率提升到了多少", "入企次数减少到了多少次", "败诉率降低了多少",
             "行政诉讼案件同比增长了多少", "全省排名第几", "审结了多少件", "来自多少个部门单位", "有多少名法律顾问",
             "主动公开政府信息多少条", "政策解读多少件", "A类事项几项", "原来的进驻率是多少", "培训了多少人次"]
COLUMNS = ("sid", "doc_id", "value", "unit", "act", "frame", "sentence_lc", "own_lc", "wide_lc", "own_raw", "thing_lc",
           "extra_words", "extra_n")


@pytest.fixture(scope="module")
def rows():
    corpus = load_corpus(Settings().seeds_dir)
    sts = [s for r in corpus.reports for s in extract_statements(r, chunk_report(r)) if s.as_written]
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE TABLE statements (rowid INTEGER PRIMARY KEY, {', '.join(COLUMNS)})")
    for i, s in enumerate(sts):
        texts = stored_texts(s)
        db.execute(f"INSERT INTO statements VALUES (?, {','.join('?' * len(COLUMNS))})",
                   (i, str(i), s.doc_id, s.value, s.unit, s.act, s.frame, *(texts[c] for c in COLUMNS[6:])))
    return sts, db


def _idf(word: str):
    return None if len(word) > 3 else 1.0 + len(word) / 2  # some words unknown: the rule's fallback weight


@pytest.mark.parametrize("idf", [None, _idf], ids=["no idf", "idf"])
@pytest.mark.parametrize("question", QUESTIONS)
def test_sqlite_scores_as_the_rule_does(rows, question, idf):
    sts, db = rows
    intent = analyse(question)
    spec = score_spec(intent, idf)
    sql, args = scored_query(spec, sorted({s.unit for s in sts}), "1 = ?", [1])
    got = db.execute(f"SELECT id, score, support FROM ({sql}) ORDER BY id", args).fetchall()
    weights, plain = question_weights(intent, idf)
    checked = 0
    for (i, sql_score, sql_support), st in zip(got, sts):
        want = score_statement(st, intent, weights, plain, 0.0)
        if want == NO_FIT:
            continue  # a place for a count or a count for a place: the store's filter drops it
        assert (sql_score, sql_support) == want, (question, st.text, st.as_written)
        checked += 1
    assert checked >= (2 if "排名" in question else len(sts) // 2)  # asked a place: the two places stated
