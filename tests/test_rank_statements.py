"""A place (排名第二) is a statement of its own: it answers a question asking a place, and never a count."""
from __future__ import annotations

import pytest

from rag.corpus import load_catalog
from rag.filters import ScopeDetector
from rag.question import QuestionParser
from rag.question.normalise import Vocabulary
from rag.settings import Settings
from rag.statements.extract import _chunk_statements
from rag.statements.match import StatementTable

TEXT = ("全区共办理行政复议案件41件,办案质量在全市考核中排名第二。"
        "区政府常务会议会前学法12次,学法工作在全市评价中位列第一。")


@pytest.fixture(scope="module")
def table():
    statements = [s for s in _chunk_statements(TEXT, "成效", "", 0, "demo-2024", "昌平区", 2024, "") if s.as_written]
    return StatementTable(statements, None)


@pytest.fixture(scope="module")
def parser():
    return QuestionParser(ScopeDetector(load_catalog(Settings().seeds_dir)), Vocabulary(["行政复议", "学法"]))


@pytest.mark.parametrize("question,answer", [
    ("昌平区办案质量在全市考核中排名第几？", "第二"),
    ("昌平区学法工作在全市评价中位列第几名？", "第一"),
    ("昌平区共办理行政复议案件多少件？", "41件"),
    ("昌平区会前学法多少次？", "12次"),
])
def test_a_place_answers_a_place_and_a_count_a_count(table, parser, question, answer):
    intent = parser.parse(question, []).metric
    best = table.best_per_report(intent, ["demo-2024"])
    assert best and best[0].statement is not None and best[0].statement.as_written == answer
