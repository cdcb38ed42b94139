"""Users behind a slow LLM: does one user's wait hold the others?

    python -m evals.bench_slow_llm [--seconds 10] [--users 3] [--concurrency N]

Builds an index of seeds/ into a temp dir, puts the app (`ui.app.build_app`) in LLM mode behind the
scripted OpenAI-compatible server (tests/fake_openai.py, on 127.0.0.1) that answers each request after
--seconds, and has --users `gradio_client` users ask one question each through `/chat`, 0.5 s apart.
Prints when each finished. With the LLM waits overlapping each takes about --seconds; run one event at
a time (--concurrency 1, how the app shipped before) they finish at 1×, 2×, 3× --seconds.
"""
from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from .bench_load import build_index  # noqa: E402
from .local_server import HOST, free_port  # noqa: E402


def slow_llm(settings, users: int, seconds: float, concurrency: int | None) -> int:
    from dataclasses import replace

    from gradio_client import Client

    from rag.api import Assistant
    from tests.fake_openai import Fault, FakeOpenAI
    from ui.app import build_app

    question = "昌平区2024年共接收行政复议申请多少件？"
    with FakeOpenAI() as llm:
        llm.script(*[Fault.sleep(seconds, then="2024年共接收行政复议申请1723件[1]。") for _ in range(users)])
        settings = replace(settings, openai_api_key="sk-bench", openai_base_url=llm.base_url,
                           llm_model="slow-model", llm_timeout=seconds * 3, llm_retries=0)
        assistant = Assistant(settings)
        assistant.search(question)  # warm: index open, models loaded
        demo = build_app(assistant) if concurrency is None else build_app(assistant, concurrency=concurrency)
        port = free_port()
        demo.launch(server_name=HOST, server_port=port, prevent_thread_lock=True, quiet=True)
        url = f"http://{HOST}:{port}/"
        print(f"slow LLM: {users} users, one question each, 0.5 s apart; the scripted LLM answers after "
              f"{seconds:g} s; app at {url}", flush=True)
        try:
            clients = [Client(url, verbose=False, download_files=False) for _ in range(users)]
            t0 = time.perf_counter()
            jobs = []
            for u, c in enumerate(clients):
                jobs.append((time.perf_counter(), c.submit(question, api_name="/chat")))
                if u < users - 1:
                    time.sleep(0.5)
            errors = 0
            for u, (asked, job) in enumerate(jobs):
                try:
                    reply = job.result(timeout=seconds * users * 3 + 30)
                    mode = "大模型" if "slow-model" in reply else "离线摘录 (fallback)"
                except Exception as exc:
                    errors += 1
                    reply, mode = f"{type(exc).__name__}: {exc}", "error"
                done = time.perf_counter()
                print(f"  user {u + 1}: asked at {asked - t0:4.1f} s, answered at {done - t0:5.1f} s "
                      f"(took {done - asked:5.1f} s; {mode})", flush=True)
            print(f"errors {errors}; LLM requests served {len(llm.requests)}")
        finally:
            demo.close()
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench_slow_llm", description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=10.0, help="the scripted LLM's delay per request")
    p.add_argument("--users", type=int, default=3)
    p.add_argument("--concurrency", type=int, default=None,
                   help="build_app(concurrency=N); default: as `rag chat` ships it")
    args = p.parse_args(argv)
    if not (1 <= args.users <= 20 and 0 < args.seconds <= 120):
        p.error("--users 1..20, --seconds 0..120")
    from rag.settings import Settings

    with tempfile.TemporaryDirectory(prefix="rag-bench-slow-llm-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        build_index(settings)
        return slow_llm(settings, args.users, args.seconds, args.concurrency)


if __name__ == "__main__":
    sys.exit(main())
