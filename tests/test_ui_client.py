"""The Gradio app without a browser: its handlers, and the `/chat` endpoint through gradio_client."""
from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager

import pytest

from rag.corpus import load_corpus
from rag.errors import IndexError_
from rag.question import Conversation
from rag.settings import Settings
from rag.types import Answer, Citation

from ui.format import user_message_html

from .conftest import SEEDS
from .servers import free_port

GOLD_QUESTION = "昌平区2024年共接收行政复议申请多少件？"


@contextmanager
def running(demo):
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


def client(url):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False)


# ---- a scripted assistant: the app must only call and format ----------------------
QUOTE = "2024年共接收行政复议申请1723件,同比增长48.2%。"


class FakeAssistant:
    def __init__(self, settings: Settings, fail: Exception | None = None):
        self.settings = settings
        self.corpus = load_corpus(SEEDS)
        self.catalog = self.corpus.catalog
        self.fail = fail
        self.calls: list[tuple] = []

    def reports(self):
        return self.corpus.by_id()

    def measures(self):
        return [("行政复议申请", 1)]

    def report(self, doc_id):
        return self.reports().get(doc_id)

    def ask_stream(self, question, history=None, *, doc_ids=None, mode=None):
        self.calls.append((question, history, doc_ids, mode))
        if self.fail is not None:
            err, self.fail = self.fail, None  # fail once, then recover
            raise err
        cite = Citation("changping-2024", "北京市昌平区2024年法治政府建设年度情况报告", "一、举措", QUOTE,
                        1408, 1408 + len(QUOTE), 1.0, "前文。" + QUOTE)
        yield Answer(question, "1723件。", True, [], "extractive")
        yield Answer(question, "1723件。\n依据[1]：「…」", True, [cite], "extractive", query=("parsed", question))

    def ask(self, question, history=None, *, doc_ids=None, mode=None):
        final = None
        for final in self.ask_stream(question, history, doc_ids=doc_ids, mode=mode):
            pass
        return final


@pytest.fixture
def offline_settings(tmp_path):
    return Settings(seeds_dir=SEEDS, data_dir=tmp_path / "data")


@pytest.fixture
def llm_settings(tmp_path):
    return Settings(seeds_dir=SEEDS, data_dir=tmp_path / "data", openai_api_key="sk-test", llm_model="qwen-test")


def handler(demo, name):
    return next(f.fn for f in demo.fns.values() if f.name == name)


def component(demo, elem_id):
    return next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == elem_id)


def last_reply(history) -> str:
    assert history[-1]["role"] == "assistant"
    return history[-1]["content"]


# ---- handlers -----------------------------------------------------------------------
def test_empty_input_does_nothing(offline_settings):
    import gradio as gr

    from ui.app import build_app

    fake = FakeAssistant(offline_settings)
    submit = handler(build_app(fake), "submit")
    for blank in ("", "   ", "\u200b\n"):
        assert list(submit(blank, [], Conversation(), [], "llm")) == [(gr.skip(),) * 5]
    assert fake.calls == []


def test_answer_streams_then_shows_source_cards(offline_settings):
    import gradio as gr

    from ui.app import build_app

    fake = FakeAssistant(offline_settings)
    steps = list(handler(build_app(fake), "submit")(GOLD_QUESTION, [], Conversation(), ["changping-2024"], "llm"))
    assert all(step[0] == "" for step in steps)  # the input box is cleared
    first, final = steps[0][1], steps[-1][1]
    # the stop button is live while answering, and not after; the browser keeps the finished conversation
    assert all(step[2]["interactive"] is True for step in steps[:-1]) and steps[-1][2]["interactive"] is False
    assert all(step[3] == gr.skip() for step in steps[:-1]) and steps[-1][3] == final
    assert first[0] == {"role": "user", "content": user_message_html(GOLD_QUESTION)}
    assert "正在检索" in last_reply(first)
    assert "rag-streaming" in last_reply(steps[-2][1]) and "rag-streaming" not in last_reply(final)
    assert "<mark>" in last_reply(final) and "rag-card" in last_reply(final) and "离线摘录" in last_reply(final)
    # no LLM configured: the mode control is ignored; the scope goes through as doc ids
    assert fake.calls == [(GOLD_QUESTION, Conversation(), ["changping-2024"], None)]


def test_follow_up_passes_the_conversation_with_the_parsed_question(offline_settings):
    from ui.app import build_app

    fake = FakeAssistant(offline_settings)
    submit = handler(build_app(fake), "submit")
    final = list(submit(GOLD_QUESTION, [], Conversation(), [], None))[-1]
    history, conversation = final[1], final[4]
    list(submit("那恩阳区呢？", history, conversation, [], None))
    question, passed, doc_ids, _ = fake.calls[-1]
    assert question == "那恩阳区呢？"
    assert passed.turns[0].query == ("parsed", GOLD_QUESTION)  # the earlier query itself, not re-read HTML
    assert passed.messages() == [{"role": "user", "content": GOLD_QUESTION},
                                 {"role": "assistant", "content": "1723件。\n依据[1]：「…」"}]
    assert doc_ids is None


def test_a_page_restored_from_the_browser_reads_its_turns_from_the_chat(offline_settings):
    from ui.app import build_app

    fake = FakeAssistant(offline_settings)
    submit = handler(build_app(fake), "submit")
    history = list(submit(GOLD_QUESTION, [], Conversation(), [], None))[-1][1]
    list(submit("那恩阳区呢？", history, Conversation(), [], None))  # a new session: its state is empty
    passed = fake.calls[-1][1]
    assert passed.user_turns == (GOLD_QUESTION,) and passed.turns[0].query is None


def test_long_input_is_cut_with_a_notice(offline_settings):
    from ui.app import build_app

    fake = FakeAssistant(offline_settings)
    final = list(handler(build_app(fake), "submit")("问" * 600, [], Conversation(), [], None))[-1][1]
    assert final[0]["content"] == user_message_html("问" * 500)
    assert fake.calls[0][0] == "问" * 500
    assert "问题过长，已截取前 500 个字符。" in last_reply(final)


def test_user_text_is_escaped_in_the_chat(offline_settings):
    from ui.app import build_app

    final = list(handler(build_app(FakeAssistant(offline_settings)), "submit")("<img src=x>昌平区？", [], Conversation(), [], None))
    assert final[-1][1][0]["content"] == '<div class="rag-question">&lt;img src=x&gt;昌平区？</div>'


def test_internal_error_is_friendly_logged_and_the_app_keeps_serving(offline_settings, caplog):
    from ui.app import FRIENDLY_ERROR, build_app

    fake = FakeAssistant(offline_settings, fail=RuntimeError("boom"))
    submit = handler(build_app(fake), "submit")
    with caplog.at_level(logging.ERROR, logger="ui.app"):
        step = list(submit(GOLD_QUESTION, [], Conversation(), [], None))[-1]
    failed = step[1]
    assert FRIENDLY_ERROR in last_reply(failed) and "boom" not in last_reply(failed)
    assert any("internal error" in r.getMessage() and r.exc_info for r in caplog.records)
    again = list(submit(GOLD_QUESTION, failed, step[4], [], None))[-1][1]
    assert "1723件" in last_reply(again)
    # the failed turn is not fed back to the assistant as an answer
    assert fake.calls[-1][1].messages() == [{"role": "user", "content": GOLD_QUESTION}]


def test_rag_errors_show_their_own_message(offline_settings):
    from ui.app import build_app

    fake = FakeAssistant(offline_settings, fail=IndexError_("索引已损坏，请运行 rag index --rebuild。"))
    final = list(handler(build_app(fake), "submit")(GOLD_QUESTION, [], Conversation(), [], None))[-1][1]
    assert "索引已损坏" in last_reply(final) and "rag-error" in last_reply(final)


def test_retry_and_undo(offline_settings):
    from ui.app import build_app

    fake = FakeAssistant(offline_settings)
    demo = build_app(fake)
    step = list(handler(demo, "submit")(GOLD_QUESTION, [], Conversation(), [], None))[-1]
    retried_step = list(handler(demo, "retry")(step[1], step[4], [], None))[-1]
    retried = retried_step[0]
    assert len(retried) == 2 and "1723件" in last_reply(retried)
    assert [c[0] for c in fake.calls] == [GOLD_QUESTION, GOLD_QUESTION]
    assert fake.calls[-1][1] == Conversation()  # asked again without its own earlier answer
    assert len(retried_step[3].turns) == 1
    assert handler(demo, "undo")(retried, retried_step[3]) == ([], GOLD_QUESTION, [], Conversation())


def test_mode_choice_only_when_an_llm_is_configured(offline_settings, llm_settings):
    from ui.app import build_app

    assert component(build_app(FakeAssistant(offline_settings)), "rag-mode").visible is False
    fake = FakeAssistant(llm_settings)
    demo = build_app(fake)
    radio = component(demo, "rag-mode")
    assert radio.visible is True and "qwen-test" in str(radio.choices)
    list(handler(demo, "submit")(GOLD_QUESTION, [], Conversation(), [], "extractive"))
    assert fake.calls[-1][3] == "extractive"


def test_scope_choices_cover_the_catalogue(offline_settings):
    from ui.app import build_app

    scope = component(build_app(FakeAssistant(offline_settings)), "rag-scope")
    assert sorted(v for _, v in scope.choices) == sorted(e.doc_id for e in load_corpus(SEEDS).catalog)


def test_loopback_and_auth_helpers():
    from ui.app import _auth_from_env, _is_loopback

    assert _is_loopback("127.0.0.1") and _is_loopback("localhost") and _is_loopback("::1")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.168.1.5") and not _is_loopback("example.org")
    assert _auth_from_env({}) is None
    assert _auth_from_env({"RAG_AUTH": "admin:s3:cret"}) == ("admin", "s3:cret")
    with pytest.raises(ValueError):
        _auth_from_env({"RAG_AUTH": "admin"})


def test_launch_refuses_a_malformed_login_on_a_public_host(monkeypatch, offline_settings, capsys):
    from ui.app import launch

    monkeypatch.setenv("RAG_AUTH", "no-colon")
    assert launch(offline_settings, host="0.0.0.0", port=free_port()) == 2
    assert "RAG_AUTH" in capsys.readouterr().err


# ---- the /chat endpoint through gradio_client ---------------------------------------
def test_chat_endpoint_errors_are_readable_and_the_server_survives(offline_settings):
    from gradio_client.exceptions import AppError

    from ui.app import FRIENDLY_ERROR, build_app

    fake = FakeAssistant(offline_settings, fail=RuntimeError("boom"))
    with running(build_app(fake)) as url:
        c = client(url)
        with pytest.raises(AppError, match="内部错误"):
            c.predict(GOLD_QUESTION, api_name="/chat")
        with pytest.raises(AppError, match="问题不能为空"):
            c.predict("   ", api_name="/chat")
        reply = c.predict(GOLD_QUESTION, ["changping-2024"], api_name="/chat")
    assert "1723件" in reply and "**来源**" in reply
    assert fake.calls[-1][2] == ["changping-2024"]
    assert "boom" not in FRIENDLY_ERROR


def test_chat_endpoint_answers_with_the_real_assistant(assistant):
    from ui.app import build_app

    with running(build_app(assistant)) as url:
        c = client(url)
        assert list(c.view_api(print_info=False, return_format="dict")["named_endpoints"]) == ["/chat"]
        reply = c.predict(GOLD_QUESTION, api_name="/chat")
    assert "1723" in reply
    assert "《北京市昌平区2024年法治政府建设年度情况报告》" in reply
    assert "*离线摘录*" in reply


# ---- what the server accepts, and what it sends ---------------------------------------
def test_a_forged_long_history_is_cut_server_side(offline_settings):
    from ui.app import build_app
    from ui.format import MAX_HISTORY_MESSAGES

    fake = FakeAssistant(offline_settings)
    forged = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"第{i}轮 " + "字" * 50}
              for i in range(4000)]
    final = list(handler(build_app(fake), "submit")(GOLD_QUESTION, forged, Conversation(), [], None))[-1][1]
    passed = fake.calls[-1][1].messages()
    assert len(passed) <= MAX_HISTORY_MESSAGES  # what the assistant had to read
    assert len(final) <= MAX_HISTORY_MESSAGES + 2  # what goes back to the browser
    assert passed[-1]["content"] == forged[-1]["content"]  # the newest turns are the ones kept


class SlowAssistant(FakeAssistant):
    """Every question waits until `n` questions are in flight at once (or fails after 20 s)."""

    def __init__(self, settings, n):
        super().__init__(settings)
        self.barrier = threading.Barrier(n, timeout=20)

    def ask_stream(self, question, history=None, *, doc_ids=None, mode=None):
        self.barrier.wait()  # raises BrokenBarrierError if the server runs questions one at a time
        yield from super().ask_stream(question, history, doc_ids=doc_ids, mode=mode)


def test_independent_users_questions_run_at_the_same_time(offline_settings):
    from ui.app import build_app

    slow = SlowAssistant(offline_settings, 3)
    with running(build_app(slow)) as url:
        jobs = [client(url).submit(GOLD_QUESTION, api_name="/chat") for _ in range(3)]
        replies = [job.result(timeout=60) for job in jobs]
    assert all("1723件" in r for r in replies)


def test_page_carries_no_report_text_until_a_report_is_opened(assistant):
    import httpx

    from ui.app import build_app

    samples = {r.doc_id: r.text[len(r.text) // 2: len(r.text) // 2 + 30] for r in assistant.reports().values()}
    with running(build_app(assistant)) as url:
        for path in ("", "config"):
            body = httpx.get(url + path, timeout=30).text
            assert not [d for d, s in samples.items() if s in body], path
            assert len(body.encode()) < 400_000, (path, len(body.encode()))


def test_report_tab_shows_the_text_of_the_current_index(seeds_copy, tmp_path, embedder):
    """A `rag index` in another process changes a report: the open chat's 报告 tab follows it."""
    from rag.api import Assistant
    from ui.app import build_app

    settings = Settings(seeds_dir=seeds_copy, data_dir=tmp_path / "data")
    Assistant(settings, embedder=embedder).build_index()
    chat = Assistant(settings, embedder=embedder)
    chat.retriever  # as `rag chat` does before serving
    demo = build_app(chat)
    def open_picked(doc_id):
        page, shown = handler(demo, "from_picker")(doc_id)
        assert shown == doc_id  # the panel remembers which report it shows
        return page

    assert "申请1723件" in open_picked("changping-2024")
    path = seeds_copy / "changping-2024.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("申请1723件", "申请1999件"), encoding="utf-8")
    Assistant(settings, embedder=embedder).build_index()  # the other process
    page = open_picked("changping-2024")
    assert "申请1999件" in page and "申请1723件" not in page
    answer = chat.ask(GOLD_QUESTION)
    assert "1999" in answer.text  # the answer and the tab tell the same version


def test_login_lockout_stops_fast_password_guessing():
    import asyncio

    from ui.login import LoginGuard

    now = [100.0]
    guard = LoginGuard("admin", "right", max_failures=5, lock_seconds=60, delay=0.01, clock=lambda: now[0])

    async def storm():
        return await asyncio.gather(*(guard("admin", f"guess{i}") for i in range(30)))

    assert not any(asyncio.run(storm()))
    assert guard.checked == 5  # the other 25 were refused unchecked
    assert guard.check("admin", "right") is False  # locked: even the right password waits
    now[0] += 61
    assert guard.check("admin", "right") is True


def test_login_lockout_through_the_real_login_route(offline_settings, monkeypatch):
    """30 wrong logins in a burst against the running app: only the first few are checked."""
    import asyncio

    import httpx

    from ui import app
    from ui.login import LoginGuard

    guard = LoginGuard("user", "pw", delay=0.0)
    demo = app.build_app(FakeAssistant(offline_settings))
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                auth=guard.as_auth())
    try:
        async def burst():
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
                return await asyncio.gather(*(c.post("/login", data={"username": "user", "password": f"x{i}"})
                                              for i in range(30)))

        codes = [r.status_code for r in asyncio.run(burst())]
        assert all(code >= 400 for code in codes)
        assert guard.checked == guard.max_failures
        ok = httpx.post(f"http://127.0.0.1:{port}/login", data={"username": "user", "password": "pw"}, timeout=30)
        assert ok.status_code >= 400  # still locked out
    finally:
        demo.close()


def test_busy_port_names_the_ways_to_pick_another(offline_settings, capsys):
    import socket as sk

    from ui.app import launch

    with sk.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert launch(offline_settings, host="127.0.0.1", port=port) == 1
    err = capsys.readouterr().err
    assert f"端口 {port}" in err and "--port" in err and "RAG_PORT" in err and "make chat PORT=" in err
    assert "GRADIO_SERVER_PORT" not in err


class WaitingAssistant(FakeAssistant):
    """Takes `delay` seconds before the first partial answer, as a slow LLM does."""

    delay = 2.4

    def ask_stream(self, question, history=None, *, doc_ids=None, mode=None):
        time.sleep(self.delay)
        yield from super().ask_stream(question, history, doc_ids=doc_ids, mode=mode)


def test_a_slow_llm_shows_what_is_awaited_and_for_how_long(llm_settings):
    from ui.app import build_app

    steps = [last_reply(step[1]) for step in handler(build_app(WaitingAssistant(llm_settings)), "submit")(
        GOLD_QUESTION, [], Conversation(), [], "llm")]
    assert "正在检索报告…" in steps[0]
    assert any("正在等待大模型…（已等待 2 秒）" in s for s in steps), steps
    assert "1723件" in steps[-1]
    offline = [last_reply(step[1]) for step in handler(build_app(WaitingAssistant(llm_settings)), "submit")(
        GOLD_QUESTION, [], Conversation(), [], "extractive")]
    assert not any("大模型" in s and "正在等待" in s for s in offline)  # the user chose the offline answer


def test_ticks_pass_items_through_and_stop_the_worker_when_closed():
    from ui.ticks import Tick, with_ticks

    assert list(with_ticks(iter([1, 2, 3]), every=0.05)) == [1, 2, 3]
    produced = []

    def slow():
        for i in range(100):
            produced.append(i)
            yield i
            time.sleep(0.05)

    it = with_ticks(slow(), every=0.01)
    seen = [x for x, _ in zip(it, range(12))]
    assert any(isinstance(x, Tick) for x in seen)  # 10 ms ticks between 50 ms items
    it.close()
    time.sleep(0.3)
    count = len(produced)
    time.sleep(0.3)
    assert len(produced) == count < 100  # the worker stopped

    def boom():
        yield 1
        raise ValueError("inner")

    with pytest.raises(ValueError, match="inner"):
        list(with_ticks(boom(), every=0.05))


def test_stop_button_cancels_the_answer_events(offline_settings):
    from ui.app import build_app

    demo = build_app(FakeAssistant(offline_settings))
    stop_id = component(demo, "rag-stop")._id
    stops = [d for d in demo.config["dependencies"] if any(t[0] == stop_id for t in d["targets"])]
    assert any(len(d.get("cancels") or []) == 4 for d in stops), stops  # send, Enter, 重新回答, the chatbot retry


# ---- issue 20 finding 3: unchecked LLM text is never on screen ------------------------------
class UncheckedLLMAssistant(FakeAssistant):
    """Streams an LLM draft with an invented figure and a citation to no passage, then the checked answer."""

    def ask_stream(self, question, history=None, *, doc_ids=None, mode=None):
        self.calls.append((question, history, doc_ids, mode))
        yield Answer(question, "昌平区共9999件[9", True, [], "llm", "qwen-test")
        yield Answer(question, "昌平区共9999件[9]。", True, [], "llm", "qwen-test")
        cite = Citation("changping-2024", "北京市昌平区2024年法治政府建设年度情况报告", "一、举措", QUOTE,
                        1408, 1408 + len(QUOTE), 1.0, QUOTE)
        yield Answer(question, "1723件[1]。", True, [cite], "llm", "qwen-test")


def test_llm_text_shows_only_once_checked_and_a_stop_says_it_was_not(llm_settings):
    from ui.app import build_app
    from ui.format import STOPPED_UNCHECKED

    demo = build_app(UncheckedLLMAssistant(llm_settings))
    steps = [step[1] for step in handler(demo, "submit")(GOLD_QUESTION, [], Conversation(), [], "llm")]
    shown = [last_reply(h) for h in steps]
    assert all("9999" not in s for s in shown), shown  # the draft never reaches the browser
    assert any("正在核对" in s for s in shown[:-1])
    assert "1723件" in shown[-1] and "rag-streaming" not in shown[-1]

    # 「停止回答」 while the draft is being checked: it says so, and still shows nothing of the draft
    checking = steps[-2]
    stopped, stop_button, saved = handler(demo, "stopped")(checking)
    assert STOPPED_UNCHECKED in last_reply(stopped) and "9999" not in last_reply(stopped)
    assert "rag-streaming" not in last_reply(stopped)
    assert stop_button["interactive"] is False and saved == stopped
