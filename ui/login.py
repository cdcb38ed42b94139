"""The chat's login (RAG_AUTH) with a per-client lockout, so passwords cannot be tried at machine speed
and one client's wrong passwords never lock anybody else out.

Gradio calls an async `auth(user, password)` inside its event loop, without the request: the client is
read from `ui.access.current_client()`, which the app's AccessGuard middleware sets for each request
(the TCP peer as the server sees it). Waits use `asyncio.sleep`, never `time.sleep`, so a locked-out
client does not stall other users.

Per client: after `max_failures` wrong logins in a row, its attempts (right or wrong) are refused
without being checked for `lock_seconds`; each further lockout of the same client doubles that, up to
`max_lock_seconds` (5 s, 10 s, 20 s … 120 s by default); a successful login clears its record. Each
refusal costs its caller `delay` seconds. Other clients are unaffected.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from .access import current_client

log = logging.getLogger("ui.app")


@dataclass
class _Record:
    failures: int = 0
    locked_until: float = 0.0
    lockouts: int = 0
    last: float = 0.0


class LoginGuard:
    def __init__(self, user: str, password: str, *, max_failures: int = 5, lock_seconds: float = 5.0,
                 max_lock_seconds: float = 120.0, delay: float = 1.0, clock=time.monotonic,
                 max_clients: int = 10_000):
        self._user, self._password = user, password
        self.max_failures, self.lock_seconds, self.delay = max_failures, lock_seconds, delay
        self.max_lock_seconds = max(max_lock_seconds, lock_seconds)
        self.max_clients = max_clients
        self._clock = clock
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._lock = threading.Lock()
        self.checked = 0  # attempts whose password was actually compared

    def locked_until(self, client: str | None = None) -> float:
        record = self._records.get(client or "?")
        return record.locked_until if record else 0.0

    def check(self, user: str, password: str, client: str | None = None) -> bool:
        """The decision alone (no waiting): False while this client is locked, else compare and count."""
        key = client or "?"
        now = self._clock()
        with self._lock:
            record = self._records.pop(key, None) or _Record()
            self._records[key] = record  # most recent last; the oldest go first when there are too many
            while len(self._records) > self.max_clients:
                self._records.popitem(last=False)
            if record.lockouts and now - record.last > 2 * self.max_lock_seconds:
                record.lockouts = 0  # a client quiet for long starts again at the short lock
            record.last = now
            if now < record.locked_until:
                return False
            self.checked += 1
        ok = hmac.compare_digest(str(user).encode(), self._user.encode()) & \
            hmac.compare_digest(str(password).encode(), self._password.encode())
        with self._lock:
            if ok:
                self._records.pop(key, None)
                return True
            record.failures += 1
            if record.failures >= self.max_failures:
                seconds = min(self.max_lock_seconds, self.lock_seconds * 2 ** record.lockouts)
                record.locked_until, record.failures = now + seconds, 0
                record.lockouts += 1
                log.warning("客户端 %s 登录连续失败 %d 次，%g 秒内拒绝其登录。", key, self.max_failures, seconds)
        return False

    async def __call__(self, user: str, password: str) -> bool:
        ok = self.check(user, password, current_client())
        if not ok and self.delay:
            await asyncio.sleep(self.delay)
        return ok

    def as_auth(self):
        """A coroutine function, as Gradio's `launch(auth=...)` needs to await it."""
        async def auth(user: str, password: str) -> bool:
            return await self(user, password)

        return auth
