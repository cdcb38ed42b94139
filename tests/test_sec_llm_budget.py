"""Issue 20, finding 9: the LLM time budget holds against a server that trickles bytes (a read never
times out): the repair call and model discovery stop at the budget, and discovery does not hold the
assistant's lock (other users' questions go on meanwhile)."""
from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from rag.api import Assistant
from rag.llm import DEFAULT_MODEL, DISCOVERY_SECONDS, LLMTimeout, OpenAICompatibleLLM
from rag.settings import Settings

from .fake_openai import FakeOpenAI, Fault
from .sec_helpers import XIHU, library_with

QUESTION = "西湖区2023年办理法律援助案件多少件？"
WRONG = "西湖区2023年办理法律援助案件9999件[1]。"  # fails grounding: a repair call follows
SLACK = 1.5  # seconds past the budget allowed for the extractive fallback and thread switches


@pytest.fixture
def xihu(tmp_path, embedder):
    assistant, results = library_with(tmp_path, embedder, {"西湖区2023年法治政府建设年度报告.txt": XIHU.format(planted="")})
    assert [r.status for r in results] == ["added"]
    assistant.retriever  # index opened before the clock starts
    return assistant


@pytest.mark.parametrize("streaming", [False, True])
def test_repair_call_against_a_trickling_server_stops_at_the_budget(xihu, embedder, streaming):
    budget = 3.0
    with FakeOpenAI() as server:
        server.script(WRONG, Fault.trickle(0.1))  # ~400 bytes at 10 per second: 40 s if waited for
        settings = replace(xihu.settings, openai_api_key="sk-test", openai_base_url=server.base_url,
                           llm_model="fake-model", llm_timeout=budget, llm_retries=0)
        a = Assistant(settings, embedder=embedder)
        assert a.ask(QUESTION, mode="extractive").text.startswith("88件")  # warm: index, parser, embedder
        a.llm  # and the openai client (its import is a one-off second, outside any answer's budget)
        started = time.monotonic()
        answer = list(a.ask_stream(QUESTION, mode="llm"))[-1] if streaming else a.ask(QUESTION, mode="llm")
        elapsed = time.monotonic() - started
        assert len(server.requests) == 2  # the first reply, then the repair call that trickled
        assert server._state.trickled == 0  # the client gave up before the body was complete
    assert elapsed < budget + SLACK, elapsed
    assert answer.mode == "extractive" and answer.text.startswith("88件")
    assert "时限" in answer.notice


def test_first_call_trickling_also_stops_at_the_budget(xihu, embedder):
    budget = 2.0
    with FakeOpenAI() as server:
        server.script(Fault.trickle(0.1))
        settings = replace(xihu.settings, openai_api_key="sk-test", openai_base_url=server.base_url,
                           llm_model="fake-model", llm_timeout=budget, llm_retries=0)
        a = Assistant(settings, embedder=embedder)
        a.ask(QUESTION, mode="extractive")  # warm
        a.llm
        started = time.monotonic()
        answer = a.ask(QUESTION, mode="llm")
        elapsed = time.monotonic() - started
    assert elapsed < budget + SLACK, elapsed
    assert answer.mode == "extractive" and "时限" in answer.notice


def test_complete_raises_timeout_at_the_deadline():
    with FakeOpenAI() as server:
        server.script(Fault.trickle(0.1))
        llm = OpenAICompatibleLLM(Settings(openai_api_key="sk-test", openai_base_url=server.base_url,
                                           llm_model="m", llm_timeout=1.0, llm_retries=0))
        started = time.monotonic()
        with pytest.raises(LLMTimeout):
            llm.complete("系统", "问题", deadline=time.monotonic() + 1.0)
        assert time.monotonic() - started < 1.5


def test_trickling_model_discovery_is_bounded_and_holds_nobody_else(xihu, embedder):
    """RAG_LLM_MODEL unset: /v1/models trickles. The asker waits at most the discovery cap, and four
    other users asking meanwhile (extractive) are answered at their usual speed."""
    with FakeOpenAI() as server:
        server.models_fault = Fault.trickle(0.2)  # ~80 bytes: 16 s if waited for
        server.script("西湖区2023年办理法律援助案件88件[1]。")
        settings = replace(xihu.settings, openai_api_key="sk-test", openai_base_url=server.base_url,
                           llm_model=None, llm_timeout=3.0, llm_retries=0)
        a = Assistant(settings, embedder=embedder)
        a.ask(QUESTION, mode="extractive")  # warm: index, parser
        result: dict = {}

        def asker():
            t = time.monotonic()
            result["answer"] = a.ask(QUESTION, mode="llm")
            result["seconds"] = time.monotonic() - t

        thread = threading.Thread(target=asker)
        thread.start()
        time.sleep(0.5)  # discovery is under way
        others = []
        for _ in range(4):
            t = time.monotonic()
            ans = a.ask(QUESTION, mode="extractive")
            others.append(time.monotonic() - t)
            assert ans.text.startswith("88件")
        discovering = thread.is_alive()
        thread.join(30)
    assert discovering  # the others were answered while discovery was still trickling
    assert max(others) < 1.0, others
    cap = min(DISCOVERY_SECONDS, 3.0)
    assert result["seconds"] < cap + 3.0 + SLACK, result  # discovery cap, then the answer's own budget
    answer = result["answer"]  # discovery gave up at its cap: the default model name was used
    assert answer.mode == "llm" and "88件" in answer.text and answer.model == DEFAULT_MODEL
