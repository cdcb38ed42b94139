"""The model boundary: the only module that talks to an LLM endpoint.

`LLM` is the whole interface the answerer needs: a model name, its token limits, one
blocking call and one streaming call, both bounded by a wall-clock `deadline`
(`time.monotonic()` seconds).  `OpenAICompatibleLLM` implements it with the `openai`
client directly (not llama-index) because only the client exposes what a bounded
call needs: a per-request timeout, `max_tokens` and the stream's `finish_reason`.

Every failure - connection refused, deadline passed, HTTP 4xx/5xx, a body that is
not the expected JSON, an empty reply - leaves this module as `LLMError` (or its
subclass `LLMTimeout`) with a short Chinese message that never contains the API key.

The deadline is hard: the client's timeout bounds each read, but a server that trickles
a byte at a time never lets a read time out, so every request (chat calls, the repair
call, model discovery) runs on its own HTTP connection in a worker thread, and the caller
stops waiting at the deadline and closes that connection (`_bounded`). Streams are cut
at the deadline by a watchdog that closes them.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Iterator, Protocol, runtime_checkable

from .errors import ConfigError, LLMError

if TYPE_CHECKING:
    from .settings import Settings

__all__ = ["LLM", "OpenAICompatibleLLM", "LLMTimeout", "DEFAULT_MODEL", "NO_KEY", "estimate_tokens",
           "DISCOVERY_SECONDS"]

DEFAULT_MODEL = "gpt-4o-mini"
DISCOVERY_SECONDS = 5.0  # model discovery (/v1/models) waits at most this long (and never past RAG_LLM_TIMEOUT)
NO_KEY = "not-needed"  # local servers (llama.cpp, Ollama, vLLM) take any key; the client insists on one
log = logging.getLogger(__name__)


class LLMTimeout(LLMError):
    """The answer's wall-clock budget ran out (a slow server, or a model that would not stop)."""


@runtime_checkable
class LLM(Protocol):
    """Text generation bounded by `max_tokens` per call and a wall-clock `deadline`."""

    model: str
    max_tokens: int  # the reply's token limit, sent with every call
    context_tokens: int  # the model's context window: prompt + reply must fit

    def complete(self, system: str, prompt: str, *, deadline: float | None = None) -> str: ...

    def stream(self, system: str, prompt: str, *, deadline: float | None = None) -> Iterator[str]: ...


def estimate_tokens(text: str) -> int:
    """A deliberately high token estimate without the model's tokenizer (none ships offline).

    One token per Han character or full-width sign, one per three other characters: BPE
    vocabularies (cl100k, Gemma, Qwen) spend at most about that on Chinese report text.
    """
    wide = sum(1 for ch in text if ord(ch) > 0x2E80)
    return wide + (len(text) - wide + 2) // 3


class OpenAICompatibleLLM:
    """`LLM` over an OpenAI-compatible chat-completions endpoint (the `openai` client)."""

    def __init__(self, settings: "Settings"):
        if not settings.llm_configured:
            raise ConfigError("未设置 OPENAI_API_KEY 或 OPENAI_BASE_URL，无法使用大模型回答。")
        import openai  # heavy import, only when used

        self._secret = settings.openai_api_key
        self._timeout = float(settings.llm_timeout)
        self.timeout = self._timeout  # the whole answer's wall-clock budget (RAG_LLM_TIMEOUT)
        self._retries = max(0, int(settings.llm_retries))
        self.max_tokens = int(settings.llm_max_tokens)
        self.context_tokens = int(settings.llm_context)
        try:
            # Retries are ours (inside the answer's budget), never the client's.
            self._client = openai.OpenAI(api_key=settings.openai_api_key or NO_KEY,
                                         base_url=settings.openai_base_url or None,
                                         timeout=self._timeout, max_retries=0)
        except Exception as exc:
            raise ConfigError(self._scrub(f"无法创建大模型客户端：{type(exc).__name__}")) from None
        self.model: str = settings.llm_model or self._discover_model(settings) or DEFAULT_MODEL
        # Load the client's lazily imported request/response types now, not inside the first answer's budget.
        import openai.types.chat  # noqa: F401
        _ = self._client.chat.completions

    def __repr__(self) -> str:  # never shows the key
        return f"OpenAICompatibleLLM(model={self.model!r})"

    def _discover_model(self, settings: "Settings") -> str | None:
        """With RAG_LLM_MODEL unset and a local server, the first model `/v1/models` lists (within a
        hard DISCOVERY_SECONDS: a server that trickles its list does not hold the asker)."""
        if not settings.openai_base_url:
            return None  # api.openai.com lists dozens; the default is the sensible pick there
        deadline = time.monotonic() + min(DISCOVERY_SECONDS, self._timeout)
        try:
            models = self._bounded(lambda client: [m.id for m in client.models.list()], deadline)
        except Exception as exc:
            log.info("model discovery failed (%s); using %s", type(exc).__name__, DEFAULT_MODEL)
            return None
        return models[0] if models else None

    def _bounded(self, request, deadline: float, *, keep_open: bool = False):
        """`request(client)` on its own HTTP connection, given up (LLMTimeout) at `deadline`.

        The per-request httpx client is closed at the deadline (which ends a trickling read) or when
        the call is over; with `keep_open` (a stream) the caller gets `(result, close)` and closes it.
        """
        import httpx

        remaining = deadline - time.monotonic()
        if remaining <= 0.05:
            raise LLMTimeout(f"回答超时：{self._timeout:g} 秒内未写完")
        answered = threading.Event()  # the server's response headers arrived

        def on_response(response) -> None:
            answered.set()

        http = httpx.Client(timeout=min(self._timeout, remaining), follow_redirects=True,
                            event_hooks={"response": [on_response]})
        client = self._client.with_options(http_client=http, timeout=min(self._timeout, remaining))
        done = threading.Event()
        box: dict = {}

        def work() -> None:
            try:
                box["value"] = request(client)
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=work, name="llm-request", daemon=True).start()
        if not done.wait(max(0.0, deadline - time.monotonic())):
            http.close()  # the worker's blocked read ends (at the latest at its next byte)
            if answered.is_set():  # a reply that trickled
                raise LLMTimeout(f"回答超时：{self._timeout:g} 秒内未写完")
            raise LLMTimeout(f"请求超时：{self._timeout:g} 秒内未收到回复")
        if "error" in box or not keep_open:
            http.close()
        if "error" in box:
            raise box["error"]
        return (box["value"], http.close) if keep_open else box["value"]

    # -- the interface ------------------------------------------------------

    def complete(self, system: str, prompt: str, *, deadline: float | None = None) -> str:
        response = self._call(system, prompt, deadline, stream=False)
        try:
            text = response.choices[0].message.content
        except Exception as exc:
            raise self._error(exc) from None
        if not isinstance(text, str) or not text.strip():
            raise LLMError("返回内容为空")
        return text

    def stream(self, system: str, prompt: str, *, deadline: float | None = None) -> Iterator[str]:
        """Pieces of the reply; cut with LLMTimeout when `deadline` passes mid-stream."""
        response, close_http = self._call(system, prompt, deadline, stream=True)
        # A server that stalls mid-stream sends no chunk to check the clock on: a watchdog
        # closes the connection at the deadline, which ends the blocked read.

        def cut() -> None:
            response.close()
            close_http()

        watchdog = None
        if deadline is not None:
            watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), cut)
            watchdog.daemon = True
            watchdog.start()
        got_text = False
        try:
            for chunk in response:
                if deadline is not None and time.monotonic() > deadline:
                    raise LLMTimeout(f"回答超时：{self._timeout:g} 秒内未写完")
                delta = chunk.choices[0].delta.content if chunk.choices else None
                if delta:
                    got_text = got_text or bool(delta.strip())
                    yield delta
        except LLMError:
            raise
        except Exception as exc:  # GeneratorExit is not an Exception: closing early is fine
            if deadline is not None and time.monotonic() >= deadline - 0.01:
                raise LLMTimeout(f"回答超时：{self._timeout:g} 秒内未写完") from None
            raise self._error(exc) from None
        finally:
            if watchdog is not None:
                watchdog.cancel()
            response.close()  # stop the server generating for a reader that left
            close_http()
        if deadline is not None and time.monotonic() > deadline:
            raise LLMTimeout(f"回答超时：{self._timeout:g} 秒内未写完")
        if not got_text:
            raise LLMError("返回内容为空")

    # -- helpers --------------------------------------------------------------

    def _call(self, system: str, prompt: str, deadline: float | None, *, stream: bool):
        import openai

        attempt = 0
        if deadline is None:
            deadline = time.monotonic() + self._timeout
        while True:
            try:
                return self._bounded(lambda client: client.chat.completions.create(
                    model=self.model, messages=self._messages(system, prompt),
                    max_tokens=self.max_tokens, stream=stream), deadline, keep_open=stream)
            except LLMError:
                raise
            except (openai.APITimeoutError, openai.APIConnectionError, openai.InternalServerError,
                    openai.RateLimitError) as exc:
                if attempt >= self._retries or isinstance(exc, openai.APITimeoutError):
                    raise self._error(exc) from None
                attempt += 1
                log.info("LLM call failed (%s); retry %d", type(exc).__name__, attempt)
            except Exception as exc:
                raise self._error(exc) from None

    @staticmethod
    def _messages(system: str, prompt: str) -> list[dict]:
        return [{"role": "system", "content": system}, {"role": "user", "content": prompt}]

    def _scrub(self, message: str) -> str:
        if self._secret and self._secret in message:
            message = message.replace(self._secret, "***")
        return message

    def _error(self, exc: BaseException) -> LLMError:
        log.debug("LLM call failed: %s", type(exc).__name__)
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return LLMTimeout(f"请求超时：{self._timeout:g} 秒内未收到回复")
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
