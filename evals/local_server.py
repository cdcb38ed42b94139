"""What the serving benchmarks share: the one host they use and a free port on it, and the peak memory."""
from __future__ import annotations

import resource
import socket

HOST = "127.0.0.1"  # never anything else: these benchmarks do not leave the machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
