"""Load benchmark: N concurrent users asking the running chat app over HTTP, on loopback only.

    python -m evals.bench_load [--users 20] [--questions 10] [--concurrency N] [--timeout 300] [--data-dir DIR]
    python -m evals.bench_load --reindex [--users 20]   # while `rag index` re-indexes twice: evals/bench_reindex.py

Builds an index of seeds/ into a temp data dir (or uses --data-dir), starts the Gradio app
(`ui.app.build_app(Assistant(settings))`) on 127.0.0.1 at a free port inside this process, and runs
`--users` threads, each a `gradio_client.Client` asking `--questions` questions of evals/questions.jsonl
through the app's `/chat` endpoint (one question at a time per user, all users at once).

Prints throughput (questions/s over the wall time of the load phase), p50/p95/max latency per question
(submit → answer, as the client sees it, queueing included), the number of errors (goal 0) and the peak
RSS of this process. The server runs in-process, so that figure is the server's peak plus the client
threads' (small) share. Everything is bounded: users × questions requests at most, and a global
--timeout after which unfinished questions count as timeouts and the benchmark stops by itself.

--concurrency sets `demo.queue(default_concurrency_limit=N)`; without it the app runs as `rag chat`
ships it (Gradio's default limit of 1 event at a time).
"""
from __future__ import annotations

import os

# Before gradio (and anything that imports it) is imported: no analytics, no telemetry, no downloads.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import argparse  # noqa: E402
import resource  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

from .retrieval import QUESTIONS, load_questions  # noqa: E402
from .scorer import percentile  # noqa: E402

HOST = "127.0.0.1"  # never anything else: this benchmark does not leave the machine


@dataclass
class UserResult:
    latencies: list[float] = field(default_factory=list)  # seconds, completed questions
    errors: list[str] = field(default_factory=list)
    timeouts: int = 0
    empty: int = 0
    answered: int = 0  # replies with a 来源 block (an answer, not a refusal)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def pick_questions(questions: list[dict], user: int, n: int) -> list[str]:
    """Each user gets n questions, users spread over the whole set (wrapping around)."""
    total = len(questions)
    start = (user * n) % total
    return [questions[(start + j) % total]["question"] for j in range(n)]


def run_user(url: str, questions: list[str], deadline: float, result: UserResult, ready: threading.Semaphore,
             start: threading.Event) -> None:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False, download_files=False)
    except Exception as exc:  # counts every question of this user as an error
        result.errors.extend([f"connect: {type(exc).__name__}: {str(exc)[:120]}"] * len(questions))
        return
    finally:
        ready.release()
    start.wait(max(0.0, deadline - time.monotonic()))
    for i, question in enumerate(questions):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            result.timeouts += len(questions) - i
            return
        t0 = time.perf_counter()
        job = client.submit(question, api_name="/chat")
        try:
            reply = job.result(timeout=remaining)
        except TimeoutError:
            job.cancel()
            result.timeouts += len(questions) - i
            return
        except Exception as exc:
            result.errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
            continue
        result.latencies.append(time.perf_counter() - t0)
        if not isinstance(reply, str) or not reply.strip():
            result.empty += 1
        elif "**来源**" in reply:
            result.answered += 1


def build_index(settings) -> float:
    from rag.api import Assistant

    t0 = time.perf_counter()
    report = Assistant(settings).build_index()
    if report.errors:
        raise SystemExit("index build failed: " + "; ".join(map(str, report.errors)))
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench_load", description=__doc__.split("\n")[0])
    p.add_argument("--users", type=int, default=20, help="concurrent users (threads), default 20")
    p.add_argument("--questions", type=int, default=10, help="questions per user, default 10")
    p.add_argument("--concurrency", type=int, default=None,
                   help="demo.queue(default_concurrency_limit=N); default: the app as shipped (Gradio's 1)")
    p.add_argument("--timeout", type=float, default=300.0, help="global limit in seconds for the load phase")
    p.add_argument("--data-dir", default=None, help="use this existing index instead of building one")
    p.add_argument("--questions-file", default=str(QUESTIONS))
    p.add_argument("--reindex", action="store_true",
                   help="instead: --users users while `rag index` re-indexes a changed report twice (evals.bench_reindex)")
    args = p.parse_args(argv)
    if args.reindex:
        from .bench_reindex import run as run_reindex

        return run_reindex(args.users, max(args.timeout, 600.0))
    if not (1 <= args.users <= 200 and 1 <= args.questions <= 200):
        p.error("--users and --questions must be between 1 and 200")

    from rag.api import Assistant
    from rag.settings import Settings
    from ui.app import build_app

    questions = load_questions(args.questions_file)
    tmp = None
    if args.data_dir:
        settings = Settings(data_dir=Path(args.data_dir))
        built = "existing index " + str(settings.data_dir)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="rag-bench-load-")
        settings = Settings(data_dir=Path(tmp.name))
        seconds = build_index(settings)
        built = f"index built in {seconds:.1f} s into a temp dir"
    # Settings() read no environment: no LLM key, so the app answers in offline extractive mode.
    assistant = Assistant(settings)
    assistant.ask(questions[0]["question"])  # warm: index open, models loaded, before the clock starts
    demo = build_app(assistant)
    if args.concurrency:
        demo.queue(default_concurrency_limit=args.concurrency)
    port = free_port()
    demo.launch(server_name=HOST, server_port=port, prevent_thread_lock=True, quiet=True, share=False,
                inbrowser=False)
    url = f"http://{HOST}:{port}/"
    n_total = args.users * args.questions
    limit = f"default_concurrency_limit={args.concurrency}" if args.concurrency else "the app's own (8 per answer event)"
    print(f"load benchmark: {args.users} users × {args.questions} questions = {n_total} questions "
          f"against {url} (/chat, extractive mode; {built}); queue {limit}; global timeout {args.timeout:g} s",
          flush=True)
    try:
        results = [UserResult() for _ in range(args.users)]
        go, ready = threading.Event(), threading.Semaphore(0)
        deadline = time.monotonic() + args.timeout
        threads = [threading.Thread(target=run_user, name=f"user-{u}", daemon=True,
                                    args=(url, pick_questions(questions, u, args.questions), deadline, results[u],
                                          ready, go))
                   for u in range(args.users)]
        t_connect = time.perf_counter()
        for t in threads:
            t.start()
        for _ in threads:  # every client has fetched the app's config before the clock starts
            if not ready.acquire(timeout=max(0.0, deadline - time.monotonic())):
                break
        connect_s = time.perf_counter() - t_connect
        t0 = time.perf_counter()
        go.set()
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()) + 5)
        wall = time.perf_counter() - t0
    finally:
        demo.close()
        if tmp is not None:
            tmp.cleanup()

    latencies = [x for r in results for x in r.latencies]
    errors = [e for r in results for e in r.errors]
    timeouts = sum(r.timeouts for r in results)
    empty = sum(r.empty for r in results)
    answered = sum(r.answered for r in results)
    stuck = sum(t.is_alive() for t in threads)
    done = len(latencies)
    ms = [x * 1000 for x in latencies]
    print(f"clients connected in {connect_s:.1f} s")
    print(f"completed {done}/{n_total} questions in {wall:.1f} s: throughput {done / wall if wall else 0:.2f} questions/s")
    if ms:
        print(f"latency per question (client side, queueing included): p50 {percentile(ms, 50):.0f} ms, "
              f"p95 {percentile(ms, 95):.0f} ms, max {max(ms):.0f} ms")
    print(f"errors {len(errors)}, timeouts {timeouts}, empty replies {empty}, still running at the end {stuck} "
          f"(goal: all 0); replies with a citation {answered}/{done}")
    for e in sorted(set(errors))[:5]:
        print(f"  error: {e}")
    print(f"server peak RSS {peak_rss_mb():.0f} MB (ru_maxrss of this process: the app runs in-process, "
          f"so this includes the {args.users} client threads)")
    return 0 if not errors and not timeouts and not empty and done == n_total else 1


if __name__ == "__main__":
    sys.exit(main())
