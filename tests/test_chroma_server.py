"""Server mode: a real `chroma run` on 127.0.0.1, indexed and answered through HttpClient."""
from __future__ import annotations

import shutil

import pytest

from rag.api import Assistant
from rag.errors import IndexError_
from rag.settings import Settings

from .conftest import SEEDS
from .servers import free_port, start_chroma

@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    port = free_port()
    proc = start_chroma(tmp_path_factory.mktemp("chroma-server"), port)
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def test_index_and_answer_against_a_chroma_server(chroma_server, tmp_path, embedder):
    settings = Settings(seeds_dir=SEEDS, data_dir=tmp_path / "data", chroma_host="127.0.0.1",
                        chroma_port=chroma_server)
    report = Assistant(settings, embedder=embedder).build_index()
    assert report.embedded == report.chunks > 100
    # A fresh process-like Assistant opens the server-side index and answers from it.
    fresh = Assistant(settings, embedder=embedder)
    ans = fresh.ask("昌平区2024年共接收行政复议申请多少件？")
    assert ans.text.startswith("1723件")
    assert fresh.index.vectors.collection.count() == len(fresh.index.chunks)
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded locally

    # Someone resets the server: the assistant says so, and `rag index` heals it.
    fresh.index.vectors.reset()
    with pytest.raises(IndexError_, match="rag index"):
        Assistant(settings, embedder=embedder).index
    healed = Assistant(settings, embedder=embedder).build_index()
    assert healed.embedded == healed.chunks and not healed.changed
    assert Assistant(settings, embedder=embedder).ask("西城区2023年主动公开信息多少条？").text.startswith("22432条")

    # A rebuild in server mode starts the collection over.
    rebuilt = Assistant(settings, embedder=embedder).build_index(rebuild=True)
    assert rebuilt.embedded == rebuilt.chunks
    assert Assistant(settings, embedder=embedder).index.vectors.collection.count() == rebuilt.chunks


def test_server_down_gives_a_clear_error(tmp_path, embedder):
    settings = Settings(seeds_dir=SEEDS, data_dir=tmp_path / "data", chroma_host="127.0.0.1",
                        chroma_port=free_port())
    with pytest.raises(IndexError_, match="chroma run"):
        Assistant(settings, embedder=embedder).build_index()


def test_corrupt_chroma_directory_names_the_rebuild_command(built_settings, tmp_path, embedder):
    data = tmp_path / "copy"
    shutil.copytree(built_settings.data_dir, data)
    sqlite = data / "chroma" / "chroma.sqlite3"
    sqlite.write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexError_, match="rag index --rebuild"):
        Assistant(Settings(seeds_dir=SEEDS, data_dir=data), embedder=embedder).search("昌平区行政复议")
