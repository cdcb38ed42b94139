"""A scripted OpenAI-compatible server on 127.0.0.1, for driving the real `openai` client in tests.

    with FakeOpenAI() as server:
        server.script("共受理1723件[1]。", Fault.http(500), Fault.sleep(3, then="迟到的回答"))
        settings = Settings(openai_api_key="sk-test", openai_base_url=server.base_url, llm_timeout=1)
        ...
        server.requests[-1].system      # the system prompt the client sent
        server.requests[-1].prompt      # the user message

POST /v1/chat/completions takes the next scripted item, in order:

* a str or Reply: a chat.completion JSON body, or - when the request has
  "stream": true - SSE `data: {chat.completion.chunk}` events ending in
  `data: [DONE]` (the text split into Reply.chunks or pieces of `chunk_chars`;
  Reply.break_after=k sends a malformed event after k pieces instead);
* Fault.http(status): an OpenAI-style JSON error with that status;
* Fault.sleep(seconds, then=...): wait before answering (past a client timeout);
* Fault.malformed(): HTTP 200 whose body is not JSON (in a stream: a bad `data:` event);
* Fault.empty(): a well-formed completion whose content is "".
* Fault.trickle(interval, then=...): HTTP 200 and headers at once, then the body (JSON, or SSE
  when streaming) one byte every `interval` seconds: no read ever times out.

`server.models_fault = Fault.trickle(0.2)` makes GET /v1/models trickle its list the same way.

`FakeOpenAI(context_tokens=N)` behaves like a server with an N-token context: a request
whose messages (estimated as rag.llm.estimate_tokens does) plus its max_tokens exceed N
gets HTTP 400 `context_length_exceeded` and takes nothing from the script.

With nothing scripted it answers HTTP 500 and counts `unscripted`, so a test that
makes more calls than it planned fails loudly.  `refused_url()` is a base URL with
nothing listening (connection refused).
"""
from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["FakeOpenAI", "Reply", "Fault", "Request", "refused_url"]


@dataclass(frozen=True)
class Reply:
    text: str
    chunks: tuple[str, ...] | None = None  # how to split it when streaming
    chunk_chars: int = 4
    chunk_delay: float = 0.0  # seconds between SSE events
    break_after: int | None = None  # streaming: after this many pieces send a malformed event, no [DONE]

    def pieces(self) -> list[str]:
        if self.chunks is not None:
            return list(self.chunks)
        n = max(1, self.chunk_chars)
        return [self.text[i:i + n] for i in range(0, len(self.text), n)] or [""]


@dataclass(frozen=True)
class Fault:
    kind: str  # http | sleep | malformed | empty | trickle
    status: int = 500
    seconds: float = 0.0
    then: Reply | None = None
    retry_after_ms: int | None = None

    @classmethod
    def http(cls, status: int = 500, retry_after_ms: int | None = None) -> "Fault":
        return cls("http", status=status, retry_after_ms=retry_after_ms)

    @classmethod
    def sleep(cls, seconds: float, then: str | Reply | None = "（迟到的回答）") -> "Fault":
        return cls("sleep", seconds=seconds, then=Reply(then) if isinstance(then, str) else then)

    @classmethod
    def trickle(cls, interval: float = 0.2, then: str | Reply = "西湖区2023年办理法律援助案件88件[1]。") -> "Fault":
        return cls("trickle", seconds=interval, then=Reply(then) if isinstance(then, str) else then)

    @classmethod
    def malformed(cls) -> "Fault":
        return cls("malformed")

    @classmethod
    def empty(cls) -> "Fault":
        return cls("empty")


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON, or the raw text when it is not JSON

    @property
    def messages(self) -> list[dict]:
        return self.body.get("messages", []) if isinstance(self.body, dict) else []

    def _role(self, role: str) -> str:
        return "\n".join(str(m.get("content", "")) for m in self.messages if m.get("role") == role)

    @property
    def system(self) -> str:
        return self._role("system")

    @property
    def prompt(self) -> str:
        return self._role("user")

    @property
    def stream(self) -> bool:
        return isinstance(self.body, dict) and bool(self.body.get("stream"))


@dataclass
class _State:
    script: deque = field(default_factory=deque)
    requests: list[Request] = field(default_factory=list)
    unscripted: int = 0
    context_tokens: int | None = None
    oversized: int = 0  # requests refused for exceeding context_tokens
    trickled: int = 0  # trickled bodies sent to the end (a client that gave up never gets there)
    models_fault: Any = None  # a Fault for GET /v1/models
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeOpenAI/1.0"
    protocol_version = "HTTP/1.0"  # one request per connection; a stream ends when the socket closes

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    @property
    def state(self) -> _State:
        return self.server.state  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            payload = {"object": "list", "data": [{"id": "fake-model", "object": "model"}]}
            fault = self.state.models_fault
            if fault is not None and fault.kind == "trickle":
                try:
                    self._trickle(json.dumps(payload).encode("utf-8"), "application/json", fault.seconds)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return
            self._json(200, payload)
        else:
            self._error(404, "not found")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", errors="replace")
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = raw
        request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        if self.state.context_tokens is not None and self._tokens(request) > self.state.context_tokens:
            with self.state.lock:
                self.state.requests.append(request)
                self.state.oversized += 1
            self._json(400, {"error": {"message": "prompt too long", "type": "invalid_request_error",
                                       "code": "context_length_exceeded"}})
            return
        with self.state.lock:
            self.state.requests.append(request)
            item = self.state.script.popleft() if self.state.script else None
            if item is None:
                self.state.unscripted += 1
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._error(404, f"unknown path {self.path}")
            return
        try:
            self._serve(item, request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): nothing left to say

    @staticmethod
    def _tokens(request: Request) -> int:
        from rag.llm import estimate_tokens

        text = "".join(str(m.get("content", "")) for m in request.messages)
        max_tokens = request.body.get("max_tokens") or 0 if isinstance(request.body, dict) else 0
        return estimate_tokens(text) + int(max_tokens)

    # -- replies ------------------------------------------------------------------

    def _serve(self, item: Reply | Fault | None, request: Request) -> None:
        model = request.body.get("model", "fake-model") if isinstance(request.body, dict) else "fake-model"
        if item is None:
            self._error(500, "fake server: no scripted reply left")
        elif isinstance(item, Reply):
            self._reply(item, model, request.stream)
        elif item.kind == "http":
            headers = {"retry-after-ms": str(item.retry_after_ms)} if item.retry_after_ms is not None else {}
            self._error(item.status, f"scripted HTTP {item.status}", headers)
        elif item.kind == "sleep":
            if self.state.stopping.wait(item.seconds):
                return
            if item.then is not None:
                self._reply(item.then, model, request.stream)
        elif item.kind == "malformed":
            if request.stream:
                self._sse_start()
                self._sse_write("data: {\"id\": \"chatcmpl-fake\", \"choices\": [{\"delta\": \n\n")
                self._sse_write("data: [DONE]\n\n")
            else:
                self._send(200, b"{\"id\": \"chatcmpl-fake\", \"choices\": [{\"message\": ", "application/json")
        elif item.kind == "empty":
            self._reply(Reply(""), model, request.stream)
        elif item.kind == "trickle":
            text = (item.then or Reply("")).text
            if request.stream:
                body = "".join(f"data: {json.dumps(self._chunk(model, {'content': text[i:i + 2]}, None), ensure_ascii=False)}\n\n"
                               for i in range(0, len(text), 2)) + "data: [DONE]\n\n"
                self._trickle(body.encode("utf-8"), "text/event-stream", item.seconds, length=False)
            else:
                body = json.dumps({"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                                   "model": model, "choices": [{"index": 0, "message": {"role": "assistant",
                                   "content": text}, "finish_reason": "stop", "logprobs": None}]}, ensure_ascii=False)
                self._trickle(body.encode("utf-8"), "application/json", item.seconds)
        else:  # pragma: no cover - a typo in a test
            self._error(500, f"unknown fault {item.kind}")

    def _reply(self, reply: Reply, model: str, stream: bool) -> None:
        if not stream:
            self._json(200, {
                "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.text},
                             "finish_reason": "stop", "logprobs": None}],
                "usage": {"prompt_tokens": 10, "completion_tokens": len(reply.text), "total_tokens": 10 + len(reply.text)},
            })
            return
        self._sse_start()
        pieces = reply.pieces()
        for i, piece in enumerate(pieces):
            if reply.break_after is not None and i >= reply.break_after:
                self._sse_write("data: {\"choices\": [{\"delta\": \n\n")
                return
            delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
            self._sse_event(self._chunk(model, delta, None))
            if reply.chunk_delay and self.state.stopping.wait(reply.chunk_delay):
                return
        self._sse_event(self._chunk(model, {}, "stop"))
        self._sse_write("data: [DONE]\n\n")

    def _trickle(self, body: bytes, content_type: str, interval: float, length: bool = True) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        for i in range(len(body)):
            if self.state.stopping.wait(interval):
                return
            self.wfile.write(body[i:i + 1])
            self.wfile.flush()
        with self.state.lock:
            self.state.trickled += 1

    @staticmethod
    def _chunk(model: str, delta: dict, finish: str | None) -> dict:
        return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]}

    def _sse_start(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()

    def _sse_event(self, payload: dict) -> None:
        self._sse_write(f"data: {json.dumps(payload, ensure_ascii=False)}\n\n")

    def _sse_write(self, text: str) -> None:
        self.wfile.write(text.encode("utf-8"))
        self.wfile.flush()

    def _json(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json", headers)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._json(status, {"error": {"message": message, "type": "fake_error", "code": status}}, headers)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True


class FakeOpenAI:
    """The scripted server; use as a context manager (or start()/stop())."""

    def __init__(self, context_tokens: int | None = None) -> None:
        self._state = _State(context_tokens=context_tokens)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "FakeOpenAI":
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = self._state  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._state.stopping.set()  # wakes handlers sleeping in Fault.sleep
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "FakeOpenAI":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "FakeOpenAI is not running"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *items: str | Reply | Fault) -> "FakeOpenAI":
        """Queue replies/faults; each request to /v1/chat/completions takes the next one."""
        with self._state.lock:
            self._state.script.extend(Reply(i) if isinstance(i, str) else i for i in items)
        return self

    @property
    def requests(self) -> list[Request]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def pending(self) -> int:
        """Scripted items not yet served."""
        with self._state.lock:
            return len(self._state.script)

    @property
    def oversized(self) -> int:
        """Requests refused because prompt + max_tokens exceeded `context_tokens`."""
        return self._state.oversized

    @property
    def models_fault(self) -> "Fault | None":
        return self._state.models_fault

    @models_fault.setter
    def models_fault(self, fault: "Fault | None") -> None:
        self._state.models_fault = fault

    @property
    def unscripted(self) -> int:
        return self._state.unscripted


def refused_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
