"""Shared fixtures: every test runs against its own data dir, and nothing leaves the machine."""
from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ["ANONYMIZED_TELEMETRY"] = "False"

_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    """Fail any connection that would leave the machine."""
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1")) \
            and self.family in (socket.AF_INET, socket.AF_INET6):
        raise ConnectionRefusedError(f"test tried to reach {host}: network is blocked in tests")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "RAG_LLM_MODEL", "RAG_EMBEDDING", "CHROMA_HOST",
                 "CHROMA_PORT", "RAG_SEEDS_DIR", "RAG_AUTH", "RAG_LLM_TIMEOUT", "RAG_HOST", "RAG_PORT",
                 "RAG_EVAL_REPORTS_DIR", "RAG_LLM_MAX_TOKENS", "RAG_LLM_CONTEXT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(scope="session")
def embedder():
    """One USE model per test session (loading it costs about a second)."""
    from rag.embeddings import USEEmbedder

    return USEEmbedder()


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory, embedder):
    """Settings pointing at an index of the real seeds, built once per session."""
    from rag.index import ChunkIndex
    from rag.settings import Settings

    data = tmp_path_factory.mktemp("shared-index")
    settings = Settings(seeds_dir=SEEDS, data_dir=data)
    ChunkIndex(settings, embedder).build()
    return settings


@pytest.fixture(scope="session")
def assistant(built_settings, embedder):
    from rag.api import Assistant

    return Assistant(built_settings, embedder=embedder)


@pytest.fixture
def seeds_copy(tmp_path):
    """A private copy of the seeds a test may change."""
    dst = tmp_path / "seeds"
    shutil.copytree(SEEDS, dst)
    return dst
