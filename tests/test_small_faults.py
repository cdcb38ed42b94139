"""Fault 9 (issue 12): odd input gets a clear answer or error, never a traceback or a silent wrong scope."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from rag.errors import ConfigError, QuestionError

from .conftest import ROOT
from .test_faults import CP_QUESTION


def _rag(built_settings, *args: str | bytes, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "RAG_SEEDS_DIR": str(built_settings.seeds_dir), "RAG_DATA_DIR": str(built_settings.data_dir)}
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, timeout=120)


def test_lone_surrogate_in_a_question_is_dropped(assistant):
    ans = assistant.ask("\udcff" + CP_QUESTION)
    assert ans.text.startswith("1723件")
    assert "\udcff" not in ans.question
    assert assistant.search(CP_QUESTION + "\ud800").passages


def test_undecodable_bytes_on_the_command_line_answer_without_a_traceback(built_settings):
    raw = b"\xff" + CP_QUESTION.encode("utf-8")  # argv Python decodes with a lone surrogate
    for args in (("ask", raw), ("search", "--json", raw)):
        run = _rag(built_settings, *args)
        assert run.returncode == 0 and b"Traceback" not in run.stderr, run.stderr.decode()
        assert "1723件".encode() in run.stdout


def test_lone_surrogate_in_a_batch_line_gets_its_answer_line(built_settings):
    line = json.dumps({"id": "\udcff", "question": "\udcff" + CP_QUESTION}) + "\n"  # escaped as \\udcff
    run = _rag(built_settings, "ask", "--batch", "-", "--json", stdin=line.encode())
    assert run.returncode == 0 and b"Traceback" not in run.stderr, run.stderr.decode()
    row = json.loads(run.stdout)
    assert row["answer"].startswith("1723件")


@pytest.mark.parametrize("question", ["😀", "👍🏻👍🏻", "👨‍👩‍👧", "🇨🇳？"])
def test_emoji_only_question_is_told_to_use_words_not_that_it_is_empty(assistant, question):
    with pytest.raises(QuestionError) as err:
        assistant.ask(question)
    assert "不能为空" not in str(err.value) and "文字" in str(err.value)


@pytest.mark.parametrize("year", ["99999999999999999999", "3024", "1023"])
def test_absurd_year_is_refused_not_answered_from_another_year(assistant, year):
    ans = assistant.ask(f"昌平区{year}年共接收行政复议申请多少件？")
    assert not ans.answered and f"{year}年" in ans.text and "1723" not in ans.text
    assert assistant.search(f"{year}年昌平区行政复议").passages == []


def test_search_k_must_be_positive(assistant, built_settings):
    for k in (-1, 0, 10**9, True, 2.5):
        with pytest.raises(ConfigError, match="k"):
            assistant.search(CP_QUESTION, k)
    assert len(assistant.search(CP_QUESTION, 1).passages) == 1
    run = _rag(built_settings, "search", "-k", "-1", CP_QUESTION)
    assert run.returncode == 2 and not run.stdout and "正整数".encode() in run.stderr


@pytest.mark.parametrize("mode", ["bogus", "LLM", ""])
def test_unknown_mode_is_refused(assistant, mode):
    with pytest.raises(ConfigError, match="mode"):
        assistant.ask(CP_QUESTION, mode=mode)
    with pytest.raises(ConfigError, match="mode"):
        next(assistant.ask_stream(CP_QUESTION, mode=mode))
    assert assistant.ask(CP_QUESTION, mode="extractive").text.startswith("1723件")
