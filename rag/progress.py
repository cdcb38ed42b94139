"""A one-line progress display on stderr, for the CLI and the chat's first index build."""
from __future__ import annotations

import sys
import time


def console_progress():
    """A one-line progress display on stderr for long work."""
    last = {"t": 0.0}

    def show(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done not in (0, total) and now - last["t"] < 0.2:
            return
        last["t"] = now
        label = {"embed": "计算向量", "bm25": "建立关键词索引"}.get(stage, stage)
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show
