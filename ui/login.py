"""The chat's login (RAG_AUTH) with a lockout, so passwords cannot be tried at machine speed.

Gradio calls an async `auth` callable inside its event loop: waits here use `asyncio.sleep`,
never `time.sleep`, so a locked-out attacker does not stall other users. After `max_failures`
wrong logins in a row, every attempt (right or wrong) is refused without being checked for
`lock_seconds`, and each refusal costs its caller `delay` seconds.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import time

log = logging.getLogger("ui.app")


class LoginGuard:
    def __init__(self, user: str, password: str, *, max_failures: int = 5, lock_seconds: float = 60.0,
                 delay: float = 1.0, clock=time.monotonic):
        self._user, self._password = user, password
        self.max_failures, self.lock_seconds, self.delay = max_failures, lock_seconds, delay
        self._clock = clock
        self.failures = 0
        self.locked_until = 0.0
        self.checked = 0  # attempts whose password was actually compared

    def check(self, user: str, password: str) -> bool:
        """The decision alone (no waiting): False while locked, else compare and count."""
        now = self._clock()
        if now < self.locked_until:
            return False
        self.checked += 1
        ok = hmac.compare_digest(str(user).encode(), self._user.encode()) & \
            hmac.compare_digest(str(password).encode(), self._password.encode())
        if ok:
            self.failures = 0
            return True
        self.failures += 1
        if self.failures >= self.max_failures:
            self.locked_until = now + self.lock_seconds
            self.failures = 0
            log.warning("登录连续失败 %d 次，%d 秒内拒绝所有登录。", self.max_failures, self.lock_seconds)
        return False

    async def __call__(self, user: str, password: str) -> bool:
        ok = self.check(user, password)
        if not ok and self.delay:
            await asyncio.sleep(self.delay)
        return ok

    def as_auth(self):
        """A coroutine function, as Gradio's `launch(auth=...)` needs to await it."""
        async def auth(user: str, password: str) -> bool:
            return await self(user, password)

        return auth
