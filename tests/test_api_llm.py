"""LLM mode end to end through the Assistant: real openai client, scripted server on 127.0.0.1."""
from __future__ import annotations

from dataclasses import replace

from rag.api import Assistant

from .fake_openai import FakeOpenAI, Fault, refused_url


def _assistant(built_settings, embedder, base_url):
    settings = replace(built_settings, openai_api_key="sk-secret-test", openai_base_url=base_url,
                       llm_model="qwen-test", llm_timeout=1.0, llm_retries=0)
    return Assistant(settings, embedder=embedder)


def test_llm_mode_answers_with_grounded_numbers(built_settings, embedder):
    with FakeOpenAI() as server:
        server.script("2024年昌平区共接收行政复议申请1723件[1]。")
        ans = _assistant(built_settings, embedder, server.base_url).ask("昌平区2024年共接收行政复议申请多少件？")
        assert ans.mode == "llm" and ans.model == "qwen-test" and ans.notice is None
        assert "1723件" in ans.text and ans.citations[0].doc_id == "changping-2024"
        assert "1723件" in server.requests[0].prompt  # the numbered passages went to the model


def test_llm_number_not_in_its_passages_falls_back_with_notice(built_settings, embedder):
    with FakeOpenAI() as server:
        server.script("共接收行政复议申请9999件[1]。", "共接收行政复议申请8888件[1]。")
        ans = _assistant(built_settings, embedder, server.base_url).ask("昌平区2024年共接收行政复议申请多少件？")
        assert ans.mode == "extractive" and ans.text.startswith("1723件")
        assert "无法在引文中核实" in ans.notice


def test_endpoint_down_or_failing_falls_back(built_settings, embedder):
    ans = _assistant(built_settings, embedder, refused_url()).ask("西城区2023年主动公开信息多少条？")
    assert ans.mode == "extractive" and ans.text.startswith("22432条") and "不可用" in ans.notice
    assert "sk-secret-test" not in ans.notice
    with FakeOpenAI() as server:
        server.script(Fault.http(500), Fault.http(500))
        ans = _assistant(built_settings, embedder, server.base_url).ask("西城区2023年主动公开信息多少条？")
        assert ans.mode == "extractive" and "不可用" in ans.notice


def test_explicit_extractive_mode_skips_the_llm(built_settings, embedder):
    with FakeOpenAI() as server:
        ans = _assistant(built_settings, embedder, server.base_url).ask("西城区2023年主动公开信息多少条？",
                                                                      mode="extractive")
        assert ans.mode == "extractive" and server.requests == []
