"""Security: catalogue paths cannot leave seeds/, the web UI binds loopback unless told otherwise (and
then wants RAG_AUTH), the API key is never shown or logged, and bad CLI paths fail cleanly."""
from __future__ import annotations

import inspect
import json
import logging
import os
import shutil
import subprocess
import sys
import traceback
from dataclasses import replace
from pathlib import Path

import pytest

from rag.api import Assistant
from rag.corpus import load_corpus, report_path
from rag.errors import CorpusError, RagError
from rag.index import ChunkIndex
from rag.settings import Settings
from rag.types import CatalogEntry

from .conftest import ROOT
from .fake_openai import FakeOpenAI, Fault, refused_url
from .servers import free_port

KEY = "sk-SECRET-do-not-leak-7f3a9c"
CP_QUESTION = "昌平区2024年共接收行政复议申请多少件？"


# ---- catalogue paths ---------------------------------------------------------------------
def _entry(doc_id: str, file: str) -> dict:
    return {"doc_id": doc_id, "file": file, "title": f"恶意条目 {doc_id}", "region": "某区", "year": 2024}


def test_catalogue_file_outside_seeds_is_refused_by_name(built_settings, seeds_copy, tmp_path, embedder, monkeypatch,
                                                       capsys):
    (seeds_copy / "evil-link.txt").symlink_to("/etc/passwd")
    catalog = json.loads((seeds_copy / "catalog.json").read_text(encoding="utf-8"))
    good = [e["doc_id"] for e in catalog["reports"]]
    catalog["reports"] += [_entry("evil-rel", "../../etc/passwd"), _entry("evil-abs", "/etc/passwd"),
                           _entry("evil-link", "evil-link.txt")]
    (seeds_copy / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")

    corpus = load_corpus(seeds_copy)
    assert sorted(r.doc_id for r in corpus.reports) == sorted(good)
    named = {e.path: str(e) for e in corpus.errors}
    assert set(named) == {"../../etc/passwd", "/etc/passwd", "evil-link.txt"}
    for path, message in named.items():
        assert path in message and "seeds 目录之外" in message
    assert all("root:" not in r.text for r in corpus.reports)
    with pytest.raises(CorpusError, match=r"\.\./\.\./etc/passwd"):
        report_path(seeds_copy, CatalogEntry("x", "../../etc/passwd", "t", "r", (), "", "", 2024, None, "simplified"))

    # `rag index` over it (a copy of the built index): the three are named, exit 1, the rest stays live.
    data = tmp_path / "data"
    shutil.copytree(built_settings.data_dir, data, ignore=shutil.ignore_patterns("index.lock"))
    monkeypatch.setenv("RAG_SEEDS_DIR", str(seeds_copy))
    from rag import cli

    code = cli.main(["--data-dir", str(data), "index"])
    err = capsys.readouterr()
    assert code == 1
    for path in named:
        assert repr(path) in err.err
    assert "未变 5" in err.out
    index = ChunkIndex(Settings(seeds_dir=seeds_copy, data_dir=data), embedder).load()
    assert sorted(index.manifest.docs) == sorted(good)


# ---- where the web UI listens --------------------------------------------------------------------
def test_chat_listens_on_loopback_by_default(monkeypatch):
    from rag.cli import build_parser
    from ui.app import launch

    from rag.settings import Settings

    monkeypatch.delenv("RAG_HOST", raising=False)
    assert build_parser().parse_args(["chat"]).host is None  # → Settings.chat_host
    assert Settings.from_env().chat_host == "127.0.0.1"
    assert inspect.signature(launch).parameters["host"].default == "127.0.0.1"


class _NoIndex:
    """Stands in for the Assistant: launch() stops right after its host/auth decision, binding nothing."""

    def __init__(self, *args, **kwargs):
        pass

    @property
    def retriever(self):
        raise RagError("stop before serving")


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_public_host_without_rag_auth_warns(host, monkeypatch, caplog, capsys):
    import rag.api
    from ui import app

    monkeypatch.setattr(rag.api, "Assistant", _NoIndex)
    caplog.set_level(logging.WARNING, logger="ui.app")
    assert app.launch(Settings(), host=host, port=free_port()) == 1  # stopped by the stand-in
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and r.name == "ui.app"]
    assert len(warnings) == 1 and host in warnings[0] and "RAG_AUTH" in warnings[0]


def test_loopback_host_does_not_warn(monkeypatch, caplog, capsys):
    import rag.api
    from ui import app

    monkeypatch.setattr(rag.api, "Assistant", _NoIndex)
    caplog.set_level(logging.WARNING, logger="ui.app")
    app.launch(Settings(), host="127.0.0.1", port=free_port())
    assert not [r for r in caplog.records if "RAG_AUTH" in r.getMessage()]


def test_malformed_rag_auth_refuses_to_start(monkeypatch, capsys):
    import rag.api
    from ui import app

    monkeypatch.setattr(rag.api, "Assistant", _NoIndex)
    monkeypatch.setenv("RAG_AUTH", "no-password")
    assert app.launch(Settings(), host="0.0.0.0", port=free_port()) == 2
    assert "RAG_AUTH" in capsys.readouterr().err


def test_rag_auth_makes_the_app_require_login(built_settings, embedder, monkeypatch, capsys):
    """launch() on a public host with RAG_AUTH. The host decision is forced (the server itself binds 127.0.0.1)."""
    import gradio as gr
    import httpx
    from gradio_client import Client

    import rag.api
    from ui import app

    real = rag.api.Assistant
    monkeypatch.setattr(rag.api, "Assistant", lambda settings, **kw: real(settings, embedder=embedder))
    demos = []
    monkeypatch.setattr(app, "build_app", lambda a, _build=app.build_app: demos.append(_build(a)) or demos[-1])
    monkeypatch.setattr(app, "_is_loopback", lambda host: False)  # take the public-host path
    monkeypatch.setattr(gr.Blocks, "block_thread", lambda self: None)
    monkeypatch.setenv("RAG_AUTH", "user:pw")
    port = free_port()
    try:
        assert app.launch(built_settings, host="127.0.0.1", port=port) == 0
        url = f"http://127.0.0.1:{port}/"
        assert httpx.get(url + "config", timeout=10).status_code == 401
        assert httpx.get(url + "gradio_api/info", timeout=10).status_code == 401
        with pytest.raises(Exception, match="credentials|login|Login"):
            Client(url, verbose=False)
        with pytest.raises(Exception, match="login|Login"):
            Client(url, auth=("user", "wrong"), verbose=False)
        client = Client(url, auth=("user", "pw"), verbose=False, download_files=False)
        assert client.predict(CP_QUESTION, api_name="/chat").startswith("1723件")
    finally:
        for demo in demos:
            demo.close()


# ---- the API key is never shown ----------------------------------------------------------------
def _leaks(text: str) -> bool:
    return KEY in text or KEY[3:] in text


def test_api_key_not_in_settings_or_llm_repr():
    from rag.llm import OpenAICompatibleLLM

    settings = Settings(openai_api_key=KEY, openai_base_url=refused_url(), llm_model="qwen-test")
    assert not _leaks(repr(settings)) and not _leaks(str(settings))
    assert not _leaks(repr(OpenAICompatibleLLM(settings)))


def test_api_key_not_in_the_chat_ui_config(built_settings, embedder):
    from ui.app import build_app

    settings = replace(built_settings, openai_api_key=KEY, openai_base_url=refused_url(), llm_model="qwen-test")
    demo = build_app(Assistant(settings, embedder=embedder))
    config = json.dumps(demo.config, ensure_ascii=False, default=str)
    assert "qwen-test" in config  # the config does describe the LLM mode ...
    assert not _leaks(config)  # ... without the key


def test_api_key_not_in_logs_or_notices_when_the_endpoint_fails(built_settings, embedder, caplog):
    caplog.set_level(logging.DEBUG)
    notices = []
    with FakeOpenAI() as server:
        server.script(Fault.http(401), Fault.malformed())
        for url in (refused_url(), server.base_url, server.base_url):
            settings = replace(built_settings, openai_api_key=KEY, openai_base_url=url, llm_model="qwen-test",
                               llm_timeout=1.0, llm_retries=0)
            ans = Assistant(settings, embedder=embedder).ask(CP_QUESTION)
            assert ans.mode == "extractive" and ans.notice
            notices.append(json.dumps(ans.as_dict(), ensure_ascii=False))
        assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"  # it was really sent
    assert "API 密钥无效" in notices[1]
    assert not any(_leaks(n) for n in notices)
    assert any(r.name.startswith(("openai", "httpx", "httpcore")) for r in caplog.records)  # DEBUG was on
    for record in caplog.records:
        text = record.getMessage()
        if record.exc_info:
            text += "".join(traceback.format_exception(*record.exc_info))
        assert not _leaks(text), f"{record.name}: {text[:200]}"


# ---- CLI paths that do not exist ----------------------------------------------------------------
def _run(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "RAG_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("args", [
    ("eval", "--questions"),
    ("search", "--json", "--batch"),
    ("ask", "--json", "--batch"),
], ids=["eval", "search-batch", "ask-batch"])
def test_missing_input_file_is_a_clean_error(args, tmp_path):
    missing = tmp_path / "no-such-questions.jsonl"
    out = _run(*args, str(missing), data=tmp_path / "data")
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert str(missing) in out.stderr and "错误" in out.stderr
