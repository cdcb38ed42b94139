"""LLM mode end to end through the Assistant: real openai client, scripted server on 127.0.0.1."""
from __future__ import annotations

from dataclasses import replace

from rag.api import Assistant

from .fake_openai import FakeOpenAI, Fault, refused_url


def _assistant(built_settings, embedder, base_url):
    settings = replace(built_settings, openai_api_key="sk-secret-test", openai_base_url=base_url,
                       llm_model="qwen-test", llm_timeout=3.0, llm_retries=0)
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


# --- issue 13: what a real, weak model does, through the Assistant ------------------------------

def test_stream_never_shows_an_echoed_prompt(built_settings, embedder):
    from rag.answer.llm_answer import build_prompt

    from .parsed import parsed
    from rag.prompts import render

    from .fake_openai import Reply

    echo = render("system") + "\n" + build_prompt(parsed("昌平区2024年共接收行政复议申请多少件？"), [], []) + "\n"
    with FakeOpenAI() as server:
        server.script(Reply(echo + "2024年昌平区共接收行政复议申请1723件[1]。", chunk_chars=5))
        answers = list(_assistant(built_settings, embedder, server.base_url)
                       .ask_stream("昌平区2024年共接收行政复议申请多少件？", mode="llm"))
    rules = [line.strip() for line in render("system").splitlines() if len(line.strip()) >= 12]
    for a in answers:
        assert not any(line[:12] in a.text for line in rules), a.text
    assert answers[-1].mode == "llm" and answers[-1].text.startswith("2024年昌平区共接收行政复议申请1723件[1]")


def test_latency_ms_is_wall_time_in_llm_mode(built_settings, embedder):
    import time

    from .fake_openai import Reply

    assistant = _assistant(built_settings, embedder, "http://unused")
    assistant.ask("西城区2023年主动公开信息多少条？", mode="extractive")  # warm: index and models loaded
    with FakeOpenAI() as server:
        server.script(Reply("2024年昌平区共接收行政复议申请1723件[1]。", chunk_chars=3, chunk_delay=0.03),
                      Reply("共接收行政复议申请9999件[1]。", chunk_chars=3, chunk_delay=0.03), "仍是9999件[1]。")
        assistant = _assistant(built_settings, embedder, server.base_url)
        for _ in range(2):  # a grounded answer, then a fallback (whose retrieval runs after the LLM)
            t0 = time.perf_counter()
            final = list(assistant.ask_stream("昌平区2024年共接收行政复议申请多少件？", mode="llm"))[-1]
            wall = (time.perf_counter() - t0) * 1000
            latency = final.as_dict()["latency_ms"]
            assert abs(latency - wall) <= 0.1 * wall + 20, (latency, wall, final.timings)


def test_batch_json_and_eval_rows_carry_mode_and_notice(built_settings, embedder, tmp_path, monkeypatch):
    import io
    import json
    from argparse import Namespace

    from evals import runner

    from .test_cli import run_rag

    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": 1, "question": "西城区2023年主动公开信息多少条？"}\n', encoding="utf-8")
    monkeypatch.setenv("OPENAI_BASE_URL", refused_url())  # a local server's address alone enables LLM mode
    out = run_rag("ask", "--batch", str(batch), "--json", "--mode", "llm", data_dir=built_settings.data_dir)
    monkeypatch.delenv("OPENAI_BASE_URL")
    assert out.returncode == 0, out.stderr
    row = json.loads(out.stdout.splitlines()[0])
    assert row["mode"] == "extractive" and "大模型服务不可用" in row["notice"]

    questions = tmp_path / "gold.jsonl"
    questions.write_text(json.dumps({"id": "x1", "category": "direct", "question": "西城区2023年主动公开信息多少条？",
                                     "values": [{"value": 22432, "unit": "条"}]}, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    printed = io.StringIO()
    args = Namespace(mode="llm", questions=str(questions), retrieval_only=False, no_ablation=True, data_dir=None)
    runner.main(args, reports_dir=tmp_path / "reports", out=printed,
                assistant=_assistant(built_settings, embedder, refused_url()))
    data = json.loads((tmp_path / "reports" / "latest.json").read_text(encoding="utf-8"))
    assert data["rows"][0]["mode"] == "extractive" and "不可用" in data["rows"][0]["notice"]
    (group,) = data["llm_breakdown"]
    assert group["group"].startswith("回退：大模型服务不可用") and group["n"] == 1
    assert "## 大模型回答与回退" in printed.getvalue()
