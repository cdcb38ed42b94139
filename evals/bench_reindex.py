"""Load while re-indexing: N chat users ask through the app while `rag index`, in another process,
re-indexes a changed report twice (embedded Chroma; issue 12, fault 1).

    python -m evals.bench_reindex [--users 20] [--timeout 600]
    python -m evals.bench_load --reindex [--users 20]        # the same, from the load benchmark

Copies seeds/ and builds an index into a temp dir, starts the Gradio app in this process on 127.0.0.1
and runs `--users` `gradio_client` users. Every other question a user asks is about the report that
changes (昌平区 行政复议 1723件 → 1999件 → 2999件); the rest come from evals/questions.jsonl. Meanwhile a
thread edits the report and runs `python -m rag.cli index` twice. Users stop a few questions after the
second run has finished.

Prints errors (goal 0), answers about the changed report by version, answers that mix versions (the
stated number is not the one cited, or two versions' numbers in one reply: goal 0), answers that went
back to an older version after a newer one was seen by the same user (goal 0), whether the last answers
come from the final version, the two `rag index` runs' times, throughput and latency.
"""
from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import argparse  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

from .local_server import HOST, free_port, peak_rss_mb  # noqa: E402
from .retrieval import QUESTIONS, load_questions  # noqa: E402
from .scorer import percentile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHANGED = "changping-2024.txt"
QUESTION = "昌平区2024年共接收行政复议申请多少件？"
VERSIONS = ("1723件", "1999件", "2999件")  # as shipped, after the first and after the second re-index
AFTER_INDEX = 3  # questions each user still asks once the second `rag index` has finished


@dataclass
class User:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seen: list[int] = field(default_factory=list)  # version index of each answer about the changed report
    mixed: list[str] = field(default_factory=list)
    went_back: int = 0


def version_of(reply: str) -> int | None:
    """Which version a reply states, or None when it mixes versions (or states none)."""
    found = [i for i, v in enumerate(VERSIONS) if v in reply]
    if len(found) != 1 or not reply.lstrip().startswith(VERSIONS[found[0]]):
        return None
    return found[0]


def run_user(url: str, others: list[str], user: User, finished: threading.Event, deadline: float) -> None:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False, download_files=False)
    except Exception as exc:
        user.errors.append(f"connect: {type(exc).__name__}: {str(exc)[:120]}")
        return
    after, i = 0, 0
    while after < AFTER_INDEX and time.monotonic() < deadline:
        if finished.is_set():
            after += 1
        about_changed = i % 2 == 0
        question = QUESTION if about_changed else others[(i // 2) % len(others)]
        i += 1
        t0 = time.perf_counter()
        try:
            reply = client.predict(question, api_name="/chat")
        except Exception as exc:
            user.errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
            continue
        user.latencies.append(time.perf_counter() - t0)
        if not about_changed:
            continue
        v = version_of(reply)
        if v is None:
            user.mixed.append(reply[:160])
            continue
        if user.seen and v < max(user.seen):
            user.went_back += 1
        user.seen.append(v)


def reindex_twice(seeds: Path, data: Path, log: list[str], finished: threading.Event) -> None:
    """Edit the report and run `rag index` in another process, twice."""
    report = seeds / CHANGED
    report.chmod(0o644)
    env = {**os.environ, "RAG_SEEDS_DIR": str(seeds), "RAG_DATA_DIR": str(data)}
    try:
        for old, new in zip(VERSIONS, VERSIONS[1:]):
            time.sleep(2.0)  # let answers from the current version accumulate first
            report.write_text(report.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
            t0 = time.perf_counter()
            run = subprocess.run([sys.executable, "-m", "rag.cli", "index"], cwd=ROOT, env=env,
                                 capture_output=True, text=True, timeout=300)
            log.append(f"{old} → {new}: `rag index` exit {run.returncode} in {time.perf_counter() - t0:.1f} s: "
                       f"{(run.stdout or run.stderr).strip().splitlines()[-1] if (run.stdout or run.stderr) else ''}")
    finally:
        finished.set()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench_reindex", description=__doc__.split("\n")[0])
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--timeout", type=float, default=600.0, help="global limit in seconds")
    args = p.parse_args(argv)
    return run(args.users, args.timeout)


def run(users: int, timeout: float) -> int:
    from rag.api import Assistant
    from rag.settings import Settings
    from ui.app import build_app

    others = [q["question"] for q in load_questions(str(QUESTIONS)) if "昌平" not in q["question"]]
    with tempfile.TemporaryDirectory(prefix="rag-bench-reindex-") as tmp:
        seeds, data = Path(tmp) / "seeds", Path(tmp) / "data"
        shutil.copytree(ROOT / "seeds", seeds)
        settings = Settings(seeds_dir=seeds, data_dir=data)
        t0 = time.perf_counter()
        Assistant(settings).build_index()
        built = time.perf_counter() - t0
        assistant = Assistant(settings)
        assistant.ask(QUESTION)  # warm, before the clock starts
        demo = build_app(assistant)
        port = free_port()
        demo.launch(server_name=HOST, server_port=port, prevent_thread_lock=True, quiet=True, share=False,
                    inbrowser=False)
        url = f"http://{HOST}:{port}/"
        print(f"reindex load benchmark: {users} users against {url} (/chat, extractive) while `rag index` "
              f"re-indexes {CHANGED} twice ({' → '.join(VERSIONS)}); index built in {built:.1f} s", flush=True)
        results = [User() for _ in range(users)]
        finished, index_log = threading.Event(), []
        deadline = time.monotonic() + timeout
        try:
            threads = [threading.Thread(target=run_user, args=(url, others[u::users] or others, results[u],
                                                               finished, deadline), daemon=True)
                       for u in range(users)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            indexer = threading.Thread(target=reindex_twice, args=(seeds, data, index_log, finished), daemon=True)
            indexer.start()
            indexer.join(max(0.0, deadline - time.monotonic()))
            for t in threads:
                t.join(max(0.0, deadline - time.monotonic()) + 5)
            wall = time.perf_counter() - t0
        finally:
            demo.close()

    errors = [e for r in results for e in r.errors]
    mixed = [m for r in results for m in r.mixed]
    seen = [v for r in results for v in r.seen]
    went_back = sum(r.went_back for r in results)
    last_ok = sum(bool(r.seen) and r.seen[-1] == len(VERSIONS) - 1 for r in results)
    ms = [x * 1000 for r in results for x in r.latencies]
    for line in index_log:
        print(line)
    print(f"completed {len(ms)} questions in {wall:.1f} s: {len(ms) / wall if wall else 0:.2f} questions/s; "
          + (f"p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, max {max(ms):.0f} ms" if ms else ""))
    print(f"answers about the changed report: {len(seen) + len(mixed)} — "
          + ", ".join(f"{v}: {seen.count(i)}" for i, v in enumerate(VERSIONS)))
    print(f"errors {len(errors)}, answers mixing versions {len(mixed)}, answers older than one the same user "
          f"had already seen {went_back} (goal: all 0); users whose last answer is the final version "
          f"{last_ok}/{users}")
    for e in sorted(set(errors))[:5]:
        print(f"  error: {e}")
    for m in mixed[:3]:
        print(f"  mixed: {m!r}")
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    ok = not errors and not mixed and not went_back and last_ok == users and len(index_log) == 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
