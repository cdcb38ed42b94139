"""Issue 12, server mode: two data dirs sharing one `chroma run` (fault 2), and the server going down
and coming back while an assistant answers (fault 7)."""
from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

from rag import vectors
from rag.api import Assistant
from rag.errors import IndexError_
from rag.settings import Settings

from .conftest import SEEDS
from .servers import chroma_run, free_port
from .test_faults import CP_QUESTION, XC_QUESTION, writable


def _server_settings(port: int, data: Path, seeds: Path = SEEDS, **kw) -> Settings:
    return Settings(seeds_dir=seeds, data_dir=data, chroma_host="127.0.0.1", chroma_port=port, **kw)


def test_two_data_dirs_on_one_server_keep_their_own_vectors(tmp_path, seeds_copy, embedder):
    port = free_port()
    with chroma_run(tmp_path / "server", port):
        first = _server_settings(port, tmp_path / "one")
        second = _server_settings(port, tmp_path / "two", seeds=seeds_copy)  # its xicheng report differs
        xicheng = writable(seeds_copy / "xicheng-2023.txt")
        xicheng.write_text(xicheng.read_text(encoding="utf-8").replace("575件", "999件"), encoding="utf-8")
        one = Assistant(first, embedder=embedder).build_index()
        two = Assistant(second, embedder=embedder).build_index()
        assert one.embedded == one.chunks and two.embedded == two.chunks  # nothing shared, nothing lost
        again = Assistant(first, embedder=embedder).build_index()  # the first re-indexes: no-op
        assert again.embedded == 0 and not again.changed

        a, b = Assistant(first, embedder=embedder), Assistant(second, embedder=embedder)
        assert a.index.collection != b.index.collection
        assert a.ask(XC_QUESTION).text.startswith("575件")  # both start: each finds all its vectors
        assert b.ask(XC_QUESTION).text.startswith("999件")
        assert a.index.vectors.collection.count() == len(a.index.chunks)
        assert b.index.vectors.collection.count() == len(b.index.chunks)


def test_a_second_data_dir_with_the_same_index_name_fails_before_deleting(tmp_path, embedder):
    port = free_port()
    with chroma_run(tmp_path / "server", port):
        owner = _server_settings(port, tmp_path / "one", index_name="prod")
        built = Assistant(owner, embedder=embedder).build_index()
        intruder = _server_settings(port, tmp_path / "two", index_name="prod")
        for attempt in (lambda: Assistant(intruder, embedder=embedder).build_index(),
                        lambda: Assistant(intruder, embedder=embedder).build_index(rebuild=True)):
            with pytest.raises(IndexError_, match="RAG_INDEX_NAME"):
                attempt()
        fresh = Assistant(owner, embedder=embedder)
        assert fresh.index.vectors.collection.count() == built.chunks  # nothing of the owner's was touched
        assert fresh.ask(CP_QUESTION).text.startswith("1723件")
        # The same data dir from another process (same index-id) is the owner, not an intruder.
        assert json.loads((tmp_path / "one" / "state-127.0.0.1-{}".format(port) / "manifest.json")
                          .read_text(encoding="utf-8"))["collection"].endswith("-prod")


def test_bad_index_name_is_a_config_error():
    from rag.errors import ConfigError

    with pytest.raises(ConfigError, match="RAG_INDEX_NAME"):
        Settings.from_env({"RAG_INDEX_NAME": "../x"})


def test_server_down_answers_from_bm25_with_a_notice_and_logs_each_change_once(tmp_path, embedder, caplog,
                                                                            monkeypatch):
    monkeypatch.setattr(vectors, "RETRY_SECONDS", 0.5)
    port, path = free_port(), tmp_path / "server"
    settings = _server_settings(port, tmp_path / "data")
    with chroma_run(path, port):
        assistant = Assistant(settings, embedder=embedder)
        assistant.build_index()
        up = assistant.ask(CP_QUESTION)
        assert up.text.startswith("1723件") and not up.notice

    caplog.set_level(logging.INFO)
    caplog.clear()
    for _ in range(3):  # the server is gone: each answer comes from BM25, and says so
        down = assistant.ask(CP_QUESTION)
        assert down.text.startswith("1723件") and down.answered
        assert "向量库" in down.notice and "BM25" in down.notice
        assert assistant.search(XC_QUESTION).passages
    # A fresh process starting while the server is down answers too.
    cold = Assistant(settings, embedder=embedder).ask(XC_QUESTION)
    assert cold.text.startswith("575件") and "向量库" in cold.notice
    down_lines = [r for r in caplog.records if "无法连接" in r.getMessage()]
    assert len(down_lines) == 2  # one per assistant (process) going down, not one per question
    assert all(r.exc_info is None for r in caplog.records)  # no tracebacks

    with chroma_run(path, port):
        time.sleep(0.6)  # past the retry interval
        back = assistant.ask(CP_QUESTION)
        assert back.text.startswith("1723件") and not back.notice
        assert assistant.index.vectors.query(embedder.embed([CP_QUESTION])[0], 3, None)
    assert len([r for r in caplog.records if "已恢复" in r.getMessage()]) == 1
    assert len([r for r in caplog.records if "无法连接" in r.getMessage()]) == 2
