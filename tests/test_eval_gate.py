"""The regression gate: the offline (extractive) assistant over the whole gold set.

Each constant is the level the product has reached, rounded down to 0.01.
Raise these as the product improves; never lower one to pass.
Issue targets: strict >= 0.95, citation >= 0.98, refusal = 1.0.
"""
from __future__ import annotations

import pytest

from evals.retrieval import load_questions
from evals.runner import run_eval

# raise these as the product improves; never lower one to pass
GATE_STRICT = 0.99  # measured 192/193 = 0.995
GATE_CITATION = 0.99  # measured 178/179 = 0.994
GATE_REFUSAL = 1.0  # every unanswerable refused, every answerable answered (193/193)
GATE_HIT5 = 0.99
GATE_HIT1 = 0.95


@pytest.fixture(scope="module")
def result(assistant):
    return run_eval(assistant, load_questions(), "extractive")


def _why(result, check: str) -> str:
    ids = result.failing_ids(check)
    return f"{len(ids)} failing on {check}: {', '.join(ids)}"


def _retrieval_misses(result, k: int) -> str:
    misses = [f"{r.id} (rank {r.rank})" for r in result.rows if not r.refuse and (r.rank is None or r.rank > k)]
    return f"not within top {k}: {', '.join(misses)}"


def test_gold_set_is_complete(result):
    assert result.overall.n >= 110 and result.overall.answerable < result.overall.n


def test_strict_accuracy(result):
    assert result.overall.strict >= GATE_STRICT, f"strict {result.overall.strict:.3f} < {GATE_STRICT}; " \
        + _why(result, "strict")


def test_citation_accuracy(result):
    assert result.overall.citation >= GATE_CITATION, f"citation {result.overall.citation:.3f} < {GATE_CITATION}; " \
        + _why(result, "citation")


def test_refusal_accuracy(result):
    assert result.overall.refusal >= GATE_REFUSAL, f"refusal {result.overall.refusal:.3f} < {GATE_REFUSAL}; " \
        + _why(result, "refusal")


def test_retrieval_hit_at_5(result):
    assert result.overall.hit5 >= GATE_HIT5, f"hit@5 {result.overall.hit5:.3f} < {GATE_HIT5}; " \
        + _retrieval_misses(result, 5)


def test_retrieval_hit_at_1(result):
    assert result.overall.hit1 >= GATE_HIT1, f"hit@1 {result.overall.hit1:.3f} < {GATE_HIT1}; " \
        + _retrieval_misses(result, 1)
