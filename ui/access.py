"""Who may do what in the web app, decided in one place.

* **Changing the library** (add, correct, remove) is decided by authentication: with `RAG_AUTH` set,
  only a logged-in user may; without it, only a *direct* connection from this machine: the TCP peer is
  a loopback address, the request names the server by a loopback name (`Host: 127.0.0.1:7860`,
  `localhost`, `[::1]`), and it carries no proxy header (Forwarded, X-Forwarded-*, X-Real-IP, Via…).
  Headers never grant anything: a request relayed by a proxy on this host (which is how a remote user
  looks when nginx runs beside the app) is not "this machine", and neither is a page on another site
  that rebinds its DNS name to 127.0.0.1 (its Host header is its own name). Behind a proxy, set RAG_AUTH.
* **Host header** (DNS rebinding): every request must name one of the served names: the loopback names,
  the address the app is bound to, and `RAG_ALLOWED_HOSTS` (comma-separated; needed when bound to
  0.0.0.0 to restrict the names, else any name is served read-only: the library still needs a login
  or a direct local connection). Others get HTTP 421.
* **Client identity** for rate limits and login lockouts: the TCP peer as the server sees it (uvicorn
  takes it from X-Forwarded-For only when the peer is a loopback proxy, its FORWARDED_ALLOW_IPS default).
* **Rate limit**: each client may start at most `RAG_RATE_LIMIT` events (questions, queries; default 60)
  per minute; direct local connections are not limited. Over it: HTTP 429 with Retry-After.

`AccessGuard` is a plain ASGI middleware (no gradio import), so it is tested with real HTTP requests.
"""
from __future__ import annotations

import contextvars
import ipaddress
import json
import logging
import os
import threading
import time
from collections import OrderedDict, deque
from types import SimpleNamespace

log = logging.getLogger("ui.app")

__all__ = ["AccessGuard", "RateLimiter", "allowed_hosts", "auth_required", "client_of", "current_client",
           "host_name", "is_direct_local", "may_change", "PROXY_HEADERS", "LOOPBACK_NAMES"]

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "127.0.0.1", "::1"})
PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
                 "x-forwarded-server", "x-real-ip", "x-client-ip", "true-client-ip", "cf-connecting-ip",
                 "x-cluster-client-ip", "fastly-client-ip", "via")
WILDCARD = frozenset({"0.0.0.0", "::", ""})
DEFAULT_RATE = 60  # events per client per minute
# The POSTs that start work: a queued event (every question), a direct call, the REST-style /call/.
LIMITED_PATHS = ("/gradio_api/queue/join", "/gradio_api/run/", "/gradio_api/call/", "/gradio_api/api/")

_client: contextvars.ContextVar[str | None] = contextvars.ContextVar("rag_client", default=None)


def current_client() -> str | None:
    """The client of the HTTP request being handled (set by AccessGuard), for the login lockout."""
    return _client.get()


def auth_required(env=None) -> bool:
    return bool((os.environ if env is None else env).get("RAG_AUTH", "").strip())


def _is_loopback_ip(host: str | None) -> bool:
    try:
        return ipaddress.ip_address((host or "").strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(value: str | None) -> str:
    """The name in a Host header, without port or brackets, lower-case ('[::1]:7860' → '::1')."""
    value = (value or "").strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value[1:]
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def _headers(request) -> dict[str, str]:
    raw = getattr(request, "headers", None) or {}
    try:
        items = raw.items()
    except AttributeError:
        return {}
    return {str(k).lower(): str(v) for k, v in items}


def client_of(request) -> str:
    return str(getattr(getattr(request, "client", None), "host", None) or "")


def is_direct_local(request) -> bool:
    """A connection from this machine to a loopback name with no proxy in between (see the module doc)."""
    headers = _headers(request)
    if any(h in headers for h in PROXY_HEADERS):
        return False
    return _is_loopback_ip(client_of(request)) and host_name(headers.get("host")) in LOOPBACK_NAMES


def may_change(request) -> bool:
    """Library changes: a logged-in user when RAG_AUTH is set, else a direct local connection only."""
    if auth_required():
        return bool(getattr(request, "username", None))
    return is_direct_local(request)


def allowed_hosts(bound: str, env=None) -> frozenset[str] | None:
    """The Host names served: None means any (bound to a wildcard address with no RAG_ALLOWED_HOSTS)."""
    env = os.environ if env is None else env
    extra = {host_name(h) for h in env.get("RAG_ALLOWED_HOSTS", "").split(",") if h.strip()}
    bound = (bound or "").strip().strip("[]").lower()
    if bound in WILDCARD or _is_wildcard(bound):
        return None if not extra else frozenset(set(LOOPBACK_NAMES) | extra)
    return frozenset(set(LOOPBACK_NAMES) | extra | {bound})


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


class RateLimiter:
    """At most `limit` events per `window` seconds per client (a sliding window), for many clients."""

    def __init__(self, limit: int = DEFAULT_RATE, window: float = 60.0, *, max_clients: int = 10_000,
                 clock=time.monotonic):
        self.limit, self.window, self.max_clients, self._clock = limit, window, max_clients, clock
        self._seen: OrderedDict[str, deque] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, client: str) -> float:
        """0 when allowed (and counted), else the seconds until the client may try again."""
        now = self._clock()
        with self._lock:
            times = self._seen.pop(client, None) or deque()
            while times and times[0] <= now - self.window:
                times.popleft()
            self._seen[client] = times  # most recently seen last
            while len(self._seen) > self.max_clients:
                self._seen.popitem(last=False)
            if len(times) >= self.limit:
                return max(0.1, times[0] + self.window - now)
            times.append(now)
            return 0.0


def rate_from_env(env=None) -> int:
    value = (os.environ if env is None else env).get("RAG_RATE_LIMIT", "").strip()
    if not value:
        return DEFAULT_RATE
    try:
        rate = int(value)
    except ValueError:
        raise ValueError(f"RAG_RATE_LIMIT 应为正整数（每个客户端每分钟的请求数），而不是 {value!r}。") from None
    if rate < 1:
        raise ValueError(f"RAG_RATE_LIMIT 应为正整数（每个客户端每分钟的请求数），而不是 {value!r}。")
    return rate


class _Scope:
    """What is_direct_local needs, read from an ASGI scope."""

    def __init__(self, scope):
        self.headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or ()}
        client = scope.get("client") or ("", 0)
        self.client = SimpleNamespace(host=client[0])


class AccessGuard:
    """ASGI middleware: Host check, the client for the login lockout, the per-client rate limit."""

    def __init__(self, app, *, hosts: frozenset[str] | None, limiter: RateLimiter | None = None,
                 exempt_local: bool = True):
        self.app, self.hosts, self.limiter, self.exempt_local = app, hosts, limiter, exempt_local

    async def __call__(self, scope, receive, send):
        if scope.get("type") not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        view = _Scope(scope)
        if self.hosts is not None and host_name(view.headers.get("host")) not in self.hosts:
            log.warning("refused a request for host %r (not a served name)", view.headers.get("host", "")[:80])
            return await _reply(scope, send, 421, "此地址（Host）不是本服务的地址，请求已拒绝（防止 DNS 重绑定）。"
                                "如需用其他域名访问，请设置 RAG_ALLOWED_HOSTS。")
        client = view.client.host or "?"
        if (self.limiter is not None and scope.get("type") == "http" and scope.get("method") == "POST"
                and any(scope.get("path", "").startswith(p) for p in LIMITED_PATHS)
                and not (self.exempt_local and is_direct_local(view))):
            wait = self.limiter.hit(client)
            if wait:
                return await _reply(scope, send, 429, f"请求过于频繁：每个客户端每分钟最多 {self.limiter.limit} 次，"
                                    f"请 {wait:.0f} 秒后再试。", {"retry-after": str(int(wait + 0.999))})
        token = _client.set(client)
        try:
            return await self.app(scope, receive, send)
        finally:
            _client.reset(token)


async def _reply(scope, send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    if scope.get("type") == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = json.dumps({"detail": message, "error": message}, ensure_ascii=False).encode("utf-8")
    raw = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
