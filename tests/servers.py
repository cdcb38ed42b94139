"""Real local servers for tests: a free port, and `chroma run` started and stopped."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMA = Path(sys.executable).parent / "chroma"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_chroma(path: Path, port: int) -> subprocess.Popen:
    """A `chroma run` on 127.0.0.1:`port` over `path`, once it answers its heartbeat (the test fails if not)."""
    if not CHROMA.exists():
        pytest.fail("the chroma CLI (shipped with chromadb) is missing from the environment")
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                            env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"})
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            return proc
        except OSError:
            if proc.poll() is not None:
                pytest.fail("chroma run exited at start")
            time.sleep(0.3)
    proc.kill()
    pytest.fail("chroma run did not answer within 60 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=20)


@contextmanager
def chroma_run(path: Path, port: int):
    """A real `chroma run` on 127.0.0.1:port; stopped (and waited for) on exit."""
    proc = start_chroma(path, port)
    try:
        yield proc
    finally:
        stop(proc)
