"""The model boundary: the only module that talks to an LLM endpoint.

`LLM` is the whole interface the answerer needs (a model name, one blocking call,
one streaming call).  `OpenAICompatibleLLM` implements it with llama-index's
`OpenAILike` over the real `openai` client, so any OpenAI-compatible server works
(OPENAI_BASE_URL).  Every failure - connection refused, timeout, HTTP 4xx/5xx,
a body that is not the expected JSON, an empty reply - leaves this module as
`LLMError` with a short Chinese message that never contains the API key.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Iterator, Protocol, runtime_checkable

from .errors import ConfigError, LLMError

if TYPE_CHECKING:
    from .settings import Settings

__all__ = ["LLM", "OpenAICompatibleLLM", "DEFAULT_MODEL"]

DEFAULT_MODEL = "gpt-4o-mini"
log = logging.getLogger(__name__)


@runtime_checkable
class LLM(Protocol):
    """Text generation: `complete` returns the whole reply, `stream` yields pieces of it."""

    model: str

    def complete(self, system: str, prompt: str) -> str: ...

    def stream(self, system: str, prompt: str) -> Iterator[str]: ...


class OpenAICompatibleLLM:
    """`LLM` over an OpenAI-compatible chat-completions endpoint (llama-index OpenAILike)."""

    def __init__(self, settings: "Settings"):
        if not settings.openai_api_key:
            raise ConfigError("未设置 OPENAI_API_KEY，无法使用大模型回答。")
        self.model: str = settings.llm_model or DEFAULT_MODEL
        self._secret = settings.openai_api_key
        self._timeout = float(settings.llm_timeout)
        from llama_index.llms.openai_like import OpenAILike  # heavy import, only when used

        kwargs = dict(
            model=self.model,
            api_key=settings.openai_api_key,
            is_chat_model=True,
            is_function_calling_model=False,
            timeout=self._timeout,
            max_retries=max(0, int(settings.llm_retries)),
            context_window=128_000,
        )
        if settings.openai_base_url:
            kwargs["api_base"] = settings.openai_base_url
        try:
            self._llm = OpenAILike(**kwargs)
        except Exception as exc:  # e.g. a model name only the Responses API serves
            raise ConfigError(self._scrub(f"无法创建大模型客户端（模型 {self.model}）：{type(exc).__name__}")) from None

    def __repr__(self) -> str:  # never shows the key
        return f"OpenAICompatibleLLM(model={self.model!r})"

    # -- the interface ------------------------------------------------------

    def complete(self, system: str, prompt: str) -> str:
        try:
            response = self._llm.chat(self._messages(system, prompt))
            text = response.message.content
        except Exception as exc:
            raise self._error(exc) from None
        if not isinstance(text, str) or not text.strip():
            raise LLMError("返回内容为空")
        return text

    def stream(self, system: str, prompt: str) -> Iterator[str]:
        got_text = False
        try:
            for response in self._llm.stream_chat(self._messages(system, prompt)):
                delta = response.delta or ""
                if delta:
                    got_text = got_text or bool(delta.strip())
                    yield delta
        except Exception as exc:  # GeneratorExit is not an Exception: closing early is fine
            raise self._error(exc) from None
        if not got_text:
            raise LLMError("返回内容为空")

    # -- helpers --------------------------------------------------------------

    @staticmethod
    def _messages(system: str, prompt: str) -> list:
        from llama_index.core.llms import ChatMessage

        return [ChatMessage(role="system", content=system), ChatMessage(role="user", content=prompt)]

    def _scrub(self, message: str) -> str:
        if self._secret and self._secret in message:
            message = message.replace(self._secret, "***")
        return message

    def _error(self, exc: BaseException) -> LLMError:
        log.debug("LLM call failed: %s", type(exc).__name__)
        return LLMError(self._scrub(_describe(exc, self._timeout)))


def _describe(exc: BaseException, timeout: float) -> str:
    """A short Chinese reason for `exc`; built from types and status codes, never from server text."""
    import json

    import httpx
    import openai

    if isinstance(exc, LLMError):
        return str(exc)
    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException, TimeoutError)):
        return f"请求超时：{timeout:g} 秒内未收到回复"
    if isinstance(exc, openai.APIStatusError):
        code = exc.status_code
        known = {
            401: "API 密钥无效",
            403: "无权访问该模型",
            404: "模型或接口不存在，请检查 RAG_LLM_MODEL 和 OPENAI_BASE_URL",
            429: "请求过多或额度不足",
        }
        return f"HTTP {code}：{known.get(code, '服务出错' if code >= 500 else '请求被拒绝')}"
    if isinstance(exc, (openai.APIConnectionError, httpx.TransportError, ConnectionError, OSError)):
        cause: BaseException | None = exc
        for _ in range(10):  # walk the chain: openai -> httpx -> httpcore -> OSError
            if cause is None:
                break
            if isinstance(cause, ConnectionRefusedError) or "refused" in str(cause).lower():
                return "连接被拒绝，OPENAI_BASE_URL 上没有服务在监听"
            cause = cause.__cause__ or cause.__context__
        return "无法连接到大模型服务"
    if isinstance(exc, (openai.APIResponseValidationError, json.JSONDecodeError, ValueError,
                        TypeError, AttributeError, KeyError, IndexError)):
        return "返回内容无法解析"
    return f"调用失败：{type(exc).__name__}"
