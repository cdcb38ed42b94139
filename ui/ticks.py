"""Iterate a blocking generator while reporting how long the caller has waited.

An LLM can take many seconds before its first token; the chat must say so (and the time
waited) instead of freezing on 「正在检索报告…」. The generator runs in a worker thread;
the caller gets its items, plus a `Tick(seconds)` whenever nothing arrived for `every` seconds.
Closing the iterator (the user pressed 停止, or the page went away) stops the worker at
its next item; a call already blocked inside the generator finishes on its own.
"""
from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from typing import Iterable, Iterator


@dataclass(frozen=True)
class Tick:
    seconds: float


_DONE = object()


def with_ticks(items: Iterable, every: float = 1.0) -> Iterator:
    out: queue.Queue = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            for item in items:
                out.put(("item", item))
                if stop.is_set():
                    break
        except BaseException as exc:  # re-raised in the caller's thread
            out.put(("error", exc))
        finally:
            close = getattr(items, "close", None)
            if stop.is_set() and close is not None:
                try:
                    close()
                except Exception:
                    pass
            out.put(("done", _DONE))

    started = time.monotonic()
    threading.Thread(target=work, name="answer-worker", daemon=True).start()
    try:
        while True:
            try:
                kind, value = out.get(timeout=every)
            except queue.Empty:
                yield Tick(time.monotonic() - started)
                continue
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
