"""The answer layer reads the parsed question's fields, never the question's text: no regular expression
in rag/answer/ except where an LLM's reply is parsed (its citation markers, its echoes and refusals)."""
from __future__ import annotations

import ast
from pathlib import Path

ANSWER = Path(__file__).resolve().parents[1] / "rag" / "answer"
# The two modules that read what a model wrote: markers ([1] 【2】 [1-3]) and echo / refusal / junk filters.
REPLY_PARSING = {"grounding.py", "llm_reply.py"}
# Question-text analysis lives in rag.question: an answerer that calls it parses the question a second time.
QUESTION_READERS = {"analyse", "asks_for_number", "expected_units", "metric_terms", "ask_slots", "per_part_question",
                    "split_parts", "asked_frame"}


def _imports(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, "") for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            out += [(node.module or "", a.name) for a in node.names]
    return out


def test_no_regular_expression_in_the_answer_layer_outside_reply_parsing():
    offenders = [p.name for p in sorted(ANSWER.glob("*.py")) if p.name not in REPLY_PARSING
                 and any(mod == "re" or mod.startswith("re.") for mod, _ in _imports(p))]
    assert offenders == [], f"modules of rag/answer that import re: {offenders}"


def test_no_answerer_parses_the_question_again():
    offenders = [(p.name, name) for p in sorted(ANSWER.glob("*.py")) for mod, name in _imports(p)
                 if mod.endswith("question.metric") and name in QUESTION_READERS]
    assert offenders == [], f"question analysis called from rag/answer: {offenders}"


def test_the_check_sees_a_module_that_imports_re(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import re\nfrom ..question.metric import analyse\n", encoding="utf-8")
    assert ("re", "") in _imports(bad) and ("question.metric", "analyse") in _imports(bad)
