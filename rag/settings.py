"""One settings object, built in one place: defaults, then environment, then CLI flags."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .resources import default_data_dir, shipped

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    seeds_dir: Path = shipped("seeds")  # the repository's seeds/, or the installed package's copy
    data_dir: Path = field(default_factory=default_data_dir)
    embedding: str = "use"  # "use" | "openai:<model>"
    chroma_host: str | None = None
    chroma_port: int = 8000
    index_name: str | None = None  # RAG_INDEX_NAME: this index's collection on a shared Chroma server
    llm_model: str | None = None
    openai_api_key: str | None = field(default=None, repr=False)  # never printed
    openai_base_url: str | None = None
    llm_timeout: float = 30.0
    llm_retries: int = 1
    llm_max_tokens: int = 512  # reply limit sent with every LLM call
    llm_context: int = 8192  # the model's context window in tokens: prompt + reply must fit
    chat_host: str = "127.0.0.1"  # loopback unless told otherwise
    chat_port: int = 7860
    chunk_tokens: int = 400  # section budget before splitting at sentence boundaries
    top_k: int = 5

    @property
    def llm_configured(self) -> bool:
        # A local server (llama.cpp, Ollama) needs no key: its address alone enables LLM mode.
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def server_mode(self) -> bool:
        return bool(self.chroma_host)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> "Settings":
        env = dict(os.environ if env is None else env)
        values: dict = {}
        if env.get("RAG_SEEDS_DIR"):
            values["seeds_dir"] = Path(env["RAG_SEEDS_DIR"])
        if env.get("RAG_DATA_DIR"):
            values["data_dir"] = Path(env["RAG_DATA_DIR"])
        if env.get("RAG_EMBEDDING"):
            values["embedding"] = env["RAG_EMBEDDING"].strip()
        if env.get("CHROMA_HOST"):
            values["chroma_host"] = env["CHROMA_HOST"].strip()
        if env.get("CHROMA_PORT"):
            values["chroma_port"] = _int(env, "CHROMA_PORT")
        if env.get("RAG_INDEX_NAME"):
            values["index_name"] = env["RAG_INDEX_NAME"].strip()
        if env.get("OPENAI_API_KEY"):
            values["openai_api_key"] = env["OPENAI_API_KEY"].strip()
        if env.get("OPENAI_BASE_URL"):
            values["openai_base_url"] = env["OPENAI_BASE_URL"].strip()
        if env.get("RAG_LLM_MODEL"):
            values["llm_model"] = env["RAG_LLM_MODEL"].strip()
        if env.get("RAG_HOST"):
            values["chat_host"] = env["RAG_HOST"].strip()
        if env.get("RAG_PORT"):
            values["chat_port"] = _int(env, "RAG_PORT")
        if env.get("RAG_LLM_TIMEOUT"):
            values["llm_timeout"] = _float(env, "RAG_LLM_TIMEOUT")
        if env.get("RAG_LLM_MAX_TOKENS"):
            values["llm_max_tokens"] = _int(env, "RAG_LLM_MAX_TOKENS")
        if env.get("RAG_LLM_CONTEXT"):
            values["llm_context"] = _int(env, "RAG_LLM_CONTEXT")
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.embedding != "use" and not self.embedding.startswith("openai:"):
            raise ConfigError(
                f"RAG_EMBEDDING={self.embedding!r} 无效：可选 'use'（离线）或 'openai:<模型名>'。"
            )
        if self.embedding.startswith("openai:") and not self.openai_api_key:
            raise ConfigError("RAG_EMBEDDING 选择了 OpenAI 嵌入，但未设置 OPENAI_API_KEY。")
        if self.index_name is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}", self.index_name):
            raise ConfigError(f"RAG_INDEX_NAME={self.index_name!r} 无效：1–32 个字母、数字、- 或 _，以字母或数字开头。")
        if self.llm_timeout <= 0 or self.llm_max_tokens < 16 or self.llm_context < 2 * self.llm_max_tokens:
            raise ConfigError("RAG_LLM_TIMEOUT 须大于 0，RAG_LLM_MAX_TOKENS 至少 16，"
                              "RAG_LLM_CONTEXT 至少是 RAG_LLM_MAX_TOKENS 的两倍。")
        if self.chunk_tokens < 64:
            raise ConfigError("chunk_tokens 至少为 64。")


def _int(env: dict[str, str], name: str) -> int:
    try:
        return int(env[name])
    except ValueError:
        raise ConfigError(f"{name}={env[name]!r} 不是整数。") from None


def _float(env: dict[str, str], name: str) -> float:
    try:
        return float(env[name])
    except ValueError:
        raise ConfigError(f"{name}={env[name]!r} 不是数字。") from None
