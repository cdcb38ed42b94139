"""Load benchmark: N concurrent users asking the running chat app over HTTP, on loopback only.

    python -m evals.bench_load [--users 20] [--questions 10] [--concurrency N] [--timeout 300] [--data-dir DIR]
                               [--no-changes] [--change-items 300]
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

Changes during the load (issue 20, finding 5; off with --no-changes): once the users start, the library is
changed the way the 报告 tab changes it (ui.library_tab.add_files / edit_field / remove, in this process):
a large report is added (--change-items numbered items: ~65 chunks and ~1,200 facts at 300), its region
corrected, then removed. Users keep asking (their questions again, in turn) until the three changes are
done. Each question's wait is its latency minus its own time (the same question asked alone through the
app before the load); the longest wait of any question is printed, over the whole load and over the
questions that overlapped a change (target: ≤ 2 s).
"""
from __future__ import annotations

import os

# Before gradio (and anything that imports it) is imported: no analytics, no telemetry, no downloads.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

from .local_server import HOST, free_port, peak_rss_mb  # noqa: E402
from .retrieval import QUESTIONS, load_questions  # noqa: E402
from .scorer import percentile  # noqa: E402



@dataclass
class UserResult:
    latencies: list[float] = field(default_factory=list)  # seconds, completed questions
    asked: list[tuple[str, float, float]] = field(default_factory=list)  # (question, start, end), monotonic
    errors: list[str] = field(default_factory=list)
    timeouts: int = 0
    empty: int = 0
    answered: int = 0  # replies with a 来源 block (an answer, not a refusal)


def pick_questions(questions: list[dict], user: int, n: int) -> list[str]:
    """Each user gets n questions, users spread over the whole set (wrapping around)."""
    total = len(questions)
    start = (user * n) % total
    return [questions[(start + j) % total]["question"] for j in range(n)]


def run_user(url: str, questions: list[str], deadline: float, result: UserResult, ready: threading.Semaphore,
             start: threading.Event, more: threading.Event | None = None) -> None:
    """Ask `questions` in turn; while `more` is set (changes still running), ask them again."""
    from gradio_client import Client

    try:
        client = Client(url, verbose=False, download_files=False)
    except Exception as exc:  # counts every question of this user as an error
        result.errors.extend([f"connect: {type(exc).__name__}: {str(exc)[:120]}"] * len(questions))
        return
    finally:
        ready.release()
    start.wait(max(0.0, deadline - time.monotonic()))
    i = 0
    while i < len(questions) or (more is not None and more.is_set()):
        question = questions[i % len(questions)]
        i += 1
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            result.timeouts += max(0, len(questions) - i + 1)
            return
        t0 = time.perf_counter()
        m0 = time.monotonic()
        job = client.submit(question, api_name="/chat")
        try:
            reply = job.result(timeout=remaining)
        except TimeoutError:
            job.cancel()
            result.timeouts += max(1, len(questions) - i + 1)
            return
        except Exception as exc:
            result.errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
            continue
        result.latencies.append(time.perf_counter() - t0)
        result.asked.append((question, m0, time.monotonic()))
        if not isinstance(reply, str) or not reply.strip():
            result.empty += 1
        elif "**来源**" in reply:
            result.answered += 1


def change_report(path: Path, items: int) -> Path:
    """A large report (numbered items, several figures each) for the changes made during the load."""
    lines = ["北京市海淀区人民政府关于2023年度法治政府建设情况的报告", "一、主要举措和成效",
             "全年共受理行政复议申请4321件，依法办结率100%。"]
    for i in range(1, items + 1):
        lines.append(f"（{i}）第{i}项工作。全年开展第{i}项专项执法检查{100 + i}次，办理第{i}类行政复议案件{10 + i}件，"
                     f"培训执法人员{300 + i}人次，推动第{i}批政务服务事项网上可办率达到{50 + i % 50}%。")
    lines += ["二、存在的不足", "基层法治力量仍需加强。", "三、2024年工作安排", "继续推进依法行政。"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class Changes:
    windows: list[tuple[str, float, float]] = field(default_factory=list)  # (what, start, end), monotonic
    errors: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)


def run_changes(assistant, folder: Path, items: int, start: threading.Event, running: threading.Event,
                changes: Changes) -> None:
    """Add a large report, correct its region, remove it: as the 报告 tab does, one after the other."""
    from ui.library_tab import add_files, edit_field, remove

    try:
        start.wait()
        time.sleep(1.0)  # the users are asking by now
        src = change_report(folder / "haidian-2023.txt", items)
        before = {e["doc_id"] for e in assistant.library_reports()}

        def timed(what, fn):
            t0 = time.monotonic()
            changes.outputs.append(fn())
            changes.windows.append((what, t0, time.monotonic()))

        timed("add", lambda: add_files(assistant, [str(src)]))
        (doc_id,) = {e["doc_id"] for e in assistant.library_reports()} - before
        timed("edit", lambda: edit_field(assistant, doc_id, "region", "北京市朝阳区"))
        timed("remove", lambda: remove(assistant, doc_id))
    except Exception as exc:
        changes.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
    finally:
        running.clear()


def solo_times(url: str, questions: list[str]) -> dict[str, float]:
    """Each question's own time: asked alone, through the app, before the load."""
    from gradio_client import Client

    client = Client(url, verbose=False, download_files=False)
    out: dict[str, float] = {}
    for q in dict.fromkeys(questions):
        t0 = time.perf_counter()
        client.predict(q, api_name="/chat")
        out[q] = time.perf_counter() - t0
    return out


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
    p.add_argument("--no-changes", action="store_true",
                   help="only the questions: no add, edit and removal in the library during the load")
    p.add_argument("--change-items", type=int, default=300,
                   help="size of the report added during the load (numbered items), default 300")
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
    per_user = [pick_questions(questions, u, args.questions) for u in range(args.users)]
    with_changes = not args.no_changes
    limit = f"default_concurrency_limit={args.concurrency}" if args.concurrency else "the app's own (8 per answer event)"
    print(f"load benchmark: {args.users} users × {args.questions} questions = {n_total} questions "
          f"against {url} (/chat, extractive mode; {built}); queue {limit}; global timeout {args.timeout:g} s",
          flush=True)
    changes, change_dir = Changes(), tempfile.TemporaryDirectory(prefix="rag-bench-load-changes-")
    try:
        solo = solo_times(url, [q for qs in per_user for q in qs])
        print(f"own time of each question (asked alone first): median {percentile(sorted(solo.values()), 50) * 1000:.0f} ms, "
              f"max {max(solo.values()) * 1000:.0f} ms", flush=True)
        results = [UserResult() for _ in range(args.users)]
        go, ready = threading.Event(), threading.Semaphore(0)
        running = threading.Event()
        if with_changes:
            running.set()
        deadline = time.monotonic() + args.timeout
        threads = [threading.Thread(target=run_user, name=f"user-{u}", daemon=True,
                                    args=(url, per_user[u], deadline, results[u], ready, go,
                                          running if with_changes else None))
                   for u in range(args.users)]
        changer = threading.Thread(target=run_changes, name="changes", daemon=True,
                                   args=(assistant, Path(change_dir.name), args.change_items, go, running, changes))
        if with_changes:
            changer.start()
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
        if with_changes:
            changer.join(max(0.0, deadline - time.monotonic()) + 5)
        wall = time.perf_counter() - t0
    finally:
        demo.close()
        change_dir.cleanup()
        if tmp is not None:
            tmp.cleanup()

    latencies = [x for r in results for x in r.latencies]
    errors = [e for r in results for e in r.errors]
    timeouts = sum(r.timeouts for r in results)
    empty = sum(r.empty for r in results)
    answered = sum(r.answered for r in results)
    stuck = sum(t.is_alive() for t in threads)
    done = len(latencies)
    n_total = max(n_total, done)
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
    waits = [(end - start - solo[q], q, start, end) for r in results for q, start, end in r.asked]
    if waits:
        longest = max(waits)
        print(f"wait per question (latency minus its own time): p50 {percentile(sorted(w for w, *_ in waits), 50) * 1000:.0f} ms, "
              f"p95 {percentile(sorted(w for w, *_ in waits), 95) * 1000:.0f} ms; longest wait of any question "
              f"{longest[0]:.2f} s ({longest[1]}) (target ≤ 2 s)")
    if with_changes:
        for what, a, b in changes.windows:
            during = [w for w, _, start, end in waits if start < b and end > a]
            print(f"change {what}: {b - a:.1f} s; {len(during)} questions overlapped it, longest wait "
                  f"{max(during) if during else 0:.2f} s")
        for e in changes.errors:
            print(f"  change error: {e}")
        errors += changes.errors
        if len(changes.windows) != 3:
            errors.append("the changes did not all run")
    print(f"server peak RSS {peak_rss_mb():.0f} MB (ru_maxrss of this process: the app runs in-process, "
          f"so this includes the {args.users} client threads)")
    return 0 if not errors and not timeouts and not empty and done == n_total else 1


if __name__ == "__main__":
    sys.exit(main())
