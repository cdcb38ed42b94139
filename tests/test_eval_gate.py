"""The regression gate: the offline (extractive) assistant over the development half of the gold set.

Rules are shaped on the development half only; the test half and the blind sets (evals/blind/, written by
someone who never saw the code) are measured by `rag eval` and reported in the README, never gated here.
Two groups, because they stand at different levels:
* value questions (the first nine categories: one number or a comparison, asked tidily), and
* the other operations (yes/no, rankings, totals, English, pinyin, spoken, about the reports, false premises,
  follow-ups, lists, and unanswerable questions of every shape).
Each constant is the level reached less at least two questions, rounded down to 0.01, so that one
changed answer does not turn CI red while a real regression does. Raise them as the product improves;
never lower one to pass.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from evals.retrieval import load_questions
from evals.runner import Aggregate, run_eval

VALUE = {"direct", "paraphrase", "distractor", "chinese_numeral", "approximate", "multi_value", "traditional",
         "money", "comparison"}

# dev value questions: measured 91/91 strict, cited, answered; hit@1 91/91
GATE_VALUE = (0.97, 0.97, 0.97)  # strict / citation / refusal: (91 - 2) / 91 = 0.978
GATE_HIT5 = 0.97
GATE_HIT1 = 0.97
# dev other operations: measured strict 117/123, citation 107/110, refusal 122/123
GATE_SHAPES = (0.93, 0.95, 0.97)  # (115/123 = 0.935, 105/110 = 0.955, 120/123 = 0.976)
# The second development set (evals/dev2, written by a helper who never saw the code; rules shaped on its odd
# ids, the even ids held out): its development half measured strict 89/90, citation 75/77, refusal 90/90.
GATE_DEV2 = (0.96, 0.94, 0.97)  # (87/90 = 0.967, 73/77 = 0.948, 88/90 = 0.978)
DEV2 = Path(__file__).resolve().parent.parent / "evals" / "dev2" / "questions.jsonl"


@pytest.fixture(scope="module")
def questions():
    return load_questions()


@pytest.fixture(scope="module")
def result(assistant, questions):
    return run_eval(assistant, [q for q in questions if q.get("split") == "dev"], "extractive")


def _group(result, pred):
    rows = [r for r in result.rows if pred(r)]
    return rows, Aggregate.of(rows)


def _why(rows, check: str) -> str:
    ids = [r.id for r in rows if check in r.failed_checks]
    return f"{len(ids)} failing on {check}: {', '.join(ids)}"


def test_gold_set_is_complete(questions):
    cats = {q["category"] for q in questions}
    assert len(questions) >= 400 and {"yes_no", "ranking", "aggregate", "english", "followup"} <= cats
    assert {q["split"] for q in questions} == {"dev", "test"}


@pytest.mark.parametrize("group", ["value", "shapes"])
def test_development_half(result, group):
    in_group = (lambda r: r.category in VALUE) if group == "value" else (lambda r: r.category not in VALUE)
    rows, agg = _group(result, in_group)
    strict, citation, refusal = GATE_VALUE if group == "value" else GATE_SHAPES
    assert agg.strict >= strict, f"{group} strict {agg.strict:.3f}; " + _why(rows, "strict")
    assert agg.citation >= citation, f"{group} citation {agg.citation:.3f}; " + _why(rows, "citation")
    assert agg.refusal >= refusal, f"{group} refusal {agg.refusal:.3f}; " + _why(rows, "refusal")


def test_retrieval_of_value_questions(result):
    rows, agg = _group(result, lambda r: r.category in VALUE)
    misses = [f"{r.id} (rank {r.rank})" for r in rows if not r.refuse and (r.rank is None or r.rank > 1)]
    assert agg.hit5 >= GATE_HIT5, f"hit@5 {agg.hit5:.3f}"
    assert agg.hit1 >= GATE_HIT1, f"hit@1 {agg.hit1:.3f}; not first: {', '.join(misses)}"


def test_second_development_set(assistant):
    rows = run_eval(assistant, [q for q in load_questions(DEV2) if q.get("split") == "dev"], "extractive").rows
    agg = Aggregate.of(rows)
    strict, citation, refusal = GATE_DEV2
    assert agg.strict >= strict, f"dev2 strict {agg.strict:.3f}; " + _why(rows, "strict")
    assert agg.citation >= citation, f"dev2 citation {agg.citation:.3f}; " + _why(rows, "citation")
    assert agg.refusal >= refusal, f"dev2 refusal {agg.refusal:.3f}; " + _why(rows, "refusal")


# The development set over real-style reports (evals/devreal: 20 reports written from real report openings of
# 18 provinces by a helper who never saw the code, added as `rag add` does; rules shaped on its odd ids, the
# even ids held out): its development half measured strict 97/100, citation 80/85, refusal 99/100.
GATE_DEVREAL = (0.95, 0.91, 0.97)  # (95/100, 78/85 = 0.918, 97/100)
DEVREAL = Path(__file__).resolve().parent.parent / "evals" / "devreal"


def _gate_real_style_set(tmp_path_factory, embedder, folder: Path, gate: tuple[float, float, float]) -> None:
    """A set of real-style reports added as `rag add` does, its dev half run and held to its gate."""
    from evals.blind_real import load_library, remap
    from rag.api import Assistant
    from rag.settings import Settings

    assistant = Assistant(Settings(data_dir=tmp_path_factory.mktemp(folder.name)), embedder=embedder)
    ids = load_library(assistant, folder / "reports")
    questions = remap([q for q in load_questions(folder / "questions.jsonl") if q.get("split") == "dev"], ids)
    rows = run_eval(assistant, questions, "extractive").rows
    agg = Aggregate.of(rows)
    strict, citation, refusal = gate
    assert agg.strict >= strict, f"{folder.name} strict {agg.strict:.3f}; " + _why(rows, "strict")
    assert agg.citation >= citation, f"{folder.name} citation {agg.citation:.3f}; " + _why(rows, "citation")
    assert agg.refusal >= refusal, f"{folder.name} refusal {agg.refusal:.3f}; " + _why(rows, "refusal")


def test_development_set_over_real_style_reports(tmp_path_factory, embedder):
    _gate_real_style_set(tmp_path_factory, embedder, DEVREAL, GATE_DEVREAL)


# The third development set over real-style reports (evals/devreal2: 8 reports of 8 provinces and every level,
# 120 questions, by a helper who never saw the code; measured as it came at 76.7% dev / 56.7% test, then rules
# shaped on its odd ids only): its development half measured strict 58/60, citation 44/50, refusal 59/60.
GATE_DEVREAL2 = (0.93, 0.84, 0.95)  # (56/60 = 0.933, 42/50, 57/60)
DEVREAL2 = Path(__file__).resolve().parent.parent / "evals" / "devreal2"


def test_third_development_set_over_real_style_reports(tmp_path_factory, embedder):
    _gate_real_style_set(tmp_path_factory, embedder, DEVREAL2, GATE_DEVREAL2)
