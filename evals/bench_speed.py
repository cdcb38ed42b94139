"""Speed benchmark: prints figures, never asserts on time.

    python -m evals.bench_speed [--skip-large] [--size 200] [--large-questions 50]

(a) index build of the five reports from scratch into a temp dir;
(b) warm `search` median / p95 over the gold questions;
(c) warm extractive `ask` median / p95;
(d) a fresh process with an existing index: import time, and time to the first answer;
(e) a synthetic corpus 40x larger by default (--size 500 for 100x: reports made from the five, with
    invented region names and every Arabic number altered): build time, chunks, search median / p95;
and the peak RSS of this process (and of the child processes).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rag.api import Assistant
from rag.settings import Settings

from .retrieval import answerable, load_questions
from .scorer import percentile

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# 500 reports (100x) take ~9 minutes to embed on 2 cores (35 ms per chunk, 14,900 chunks); the default
# stays well under 10 minutes for the whole benchmark. Ask for 100x with --size 500.
DEFAULT_SIZE = 200
FIRST_QUESTION = "昌平区2024年共接收行政复议申请多少件？"
# Invented place names: 25 x 20 = 500 two-character cores that are not real districts.
_FIRST = "岚璟瑶翠澄栖漪霁芷蘅濯汀棠楠枫桐榆槐蕙芸菁澜湄岫珂"
_SECOND = "川岭源泉洲坪峪湾屿冈垣陂埠渚麓溆汊塬墩岙"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"((?:19|20)\d{2})(\s*年)")


def _ms(values: list[float]) -> str:
    return f"median {percentile(values, 50):.1f} ms, p95 {percentile(values, 95):.1f} ms (n={len(values)})"


def _timed(fn, items) -> list[float]:
    out = []
    for x in items:
        t = time.perf_counter()
        fn(x)
        out.append((time.perf_counter() - t) * 1000)
    return out


def _peak_rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


# --- (e) the synthetic corpus -------------------------------------------------

def invented_name(i: int) -> str:
    """The i-th invented core name; past 500 a third character keeps them unique."""
    a, b = _FIRST[i % len(_FIRST)], _SECOND[(i // len(_FIRST)) % len(_SECOND)]
    extra = i // (len(_FIRST) * len(_SECOND))
    return a + b + (_FIRST[extra % len(_FIRST)] if extra else "")


def _alter_numbers(text: str, rng: random.Random, year_shift: int) -> str:
    """Every Arabic number changes: years move by year_shift, other numbers by a random amount."""
    def number(m: re.Match) -> str:
        whole, _, frac = m.group().partition(".")
        new = str(int(whole) + rng.randint(1, 9)).zfill(len(whole))
        return new + ("." + "".join(str(rng.randint(0, 9)) for _ in frac) if frac else "")

    def year(m: re.Match) -> str:
        return f"\x00{int(m.group(1)) + year_shift}\x00{m.group(2)}"

    marked = _YEAR.sub(year, text)  # protect the shifted years from the general rule
    parts = marked.split("\x00")
    return "".join(p if k % 2 else _NUMBER.sub(number, p) for k, p in enumerate(parts))


def make_synthetic_seeds(dst: Path, size: int, seeds: Path = SEEDS) -> list[dict]:
    """`size` reports cycling through the real five; returns the new catalogue entries."""
    base = json.loads((seeds / "catalog.json").read_text(encoding="utf-8"))["reports"]
    texts = {r["doc_id"]: (seeds / r["file"]).read_text(encoding="utf-8") for r in base}
    dst.mkdir(parents=True, exist_ok=True)
    entries = []
    for i in range(size):
        src = base[i % len(base)]
        rng = random.Random(i)
        core = invented_name(i)
        suffix = "镇" if src["level"] == "town" else "区"
        short, region = core + suffix, f"测试市{core}{suffix}"
        shift = rng.choice([-3, -2, -1, 1, 2, 3])
        text = _alter_numbers(texts[src["doc_id"]], rng, shift)
        for name in sorted({src["region"], *src["aliases"]}, key=len, reverse=True):
            text = text.replace(name, short if name.endswith(("区", "區", "镇", "鎮")) else core)
        doc_id = f"synth-{i:04d}"
        year = src["year"] + shift
        title = _YEAR.sub(lambda m: f"{int(m.group(1)) + shift}{m.group(2)}", src["title"])
        for name in sorted({src["region"], *src["aliases"]}, key=len, reverse=True):
            title = title.replace(name, region)
        (dst / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        entries.append({"doc_id": doc_id, "file": f"{doc_id}.txt", "title": title, "region": region,
                        "aliases": [short, core], "level": src["level"], "parent": "测试市", "year": year,
                        "published": None, "script": src["script"], "source": f"synthetic from {src['doc_id']}",
                        "note": "synthetic benchmark report", "_base": src["doc_id"],
                        "_names": sorted({src["region"], *src["aliases"]}, key=len, reverse=True),
                        "_shift": shift})
    catalog = {"reports": [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries]}
    (dst / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False, indent=2), encoding="utf-8")
    return entries


def synthetic_questions(entries: list[dict], questions: list[dict], n: int) -> list[tuple[str, str]]:
    """(question, target doc_id): gold questions of one report, renamed to one of its synthetic copies."""
    single = [q for q in answerable(questions) if "doc_id" in q]
    rng = random.Random(0)
    out = []
    for q in rng.sample(single, min(n, len(single))):
        copies = [e for e in entries if e["_base"] == q["doc_id"]]
        if not copies:
            continue
        e = rng.choice(copies)
        text = q["question"]
        for name in e["_names"]:
            text = text.replace(name, e["aliases"][0] if name.endswith(("区", "區", "镇", "鎮")) else e["aliases"][1])
        text = _YEAR.sub(lambda m: f"{int(m.group(1)) + e['_shift']}{m.group(2)}", text)
        out.append((text, e["doc_id"]))
    return out


# --- the benchmark ---------------------------------------------------------------

def fresh_process(settings: Settings) -> dict:
    code = (
        "import json, time; t = time.time()\n"
        "from rag import Assistant, Settings\n"
        "t_import = time.time() - t\n"
        f"a = Assistant(Settings(seeds_dir={str(settings.seeds_dir)!r}, data_dir={str(settings.data_dir)!r}))\n"
        "t1 = time.time(); a.index; t_open = time.time() - t1\n"
        f"t2 = time.time(); ans = a.ask({FIRST_QUESTION!r}); t_ask = time.time() - t2\n"
        "print(json.dumps({'import': t_import, 'open': t_open, 'ask': t_ask, 'first_answer': time.time() - t,"
        " 'answered': ans.answered, 'text': ans.text.split(chr(10))[0]}, ensure_ascii=False))\n"
    )
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - t
    if out.returncode != 0:
        raise RuntimeError(f"fresh process failed:\n{out.stderr[-2000:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    only = subprocess.run([sys.executable, "-c", "import time; t = time.time(); from rag import Assistant; "
                           "print(time.time() - t)"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    data["import_alone"] = float(only.stdout.strip().splitlines()[-1])
    data["wall"] = wall
    return data


def bench_small(tmp: Path) -> None:
    questions = load_questions()
    settings = Settings(seeds_dir=SEEDS, data_dir=tmp / "data")
    t = time.perf_counter()
    assistant = Assistant(settings)
    report = assistant.build_index()
    wall = time.perf_counter() - t
    print(f"(a) index build, 5 reports from scratch: {report.seconds:.2f} s "
          f"({report.chunks} chunks, {report.embedded} embedded; {wall:.2f} s with setup)")

    texts = [q["question"] for q in questions]
    assistant.search(texts[0])  # warm: models and index loaded
    print(f"(b) warm search (fused + filters, k=5) over {len(texts)} gold questions: "
          f"{_ms(_timed(lambda q: assistant.search(q, k=5), texts))}")
    assistant.ask(texts[0], mode="extractive")
    print(f"(c) warm extractive ask over {len(texts)} gold questions: "
          f"{_ms(_timed(lambda q: assistant.ask(q, mode='extractive'), texts))}")

    fresh = fresh_process(settings)
    print(f"(d) fresh process, existing index: `from rag import Assistant` {fresh['import_alone']:.2f} s alone; "
          f"first answer {fresh['first_answer']:.2f} s after the import began (import {fresh['import']:.2f} s, "
          f"opening the index {fresh['open']:.2f} s, first ask {fresh['ask']:.2f} s), "
          f"{fresh['wall']:.2f} s for the whole process; answer: {fresh['text']}")
    print(f"    peak RSS so far: {_peak_rss_mb():.0f} MB (this process), {_peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB"
          " (largest child)")


def bench_large(tmp: Path, size: int, n_questions: int) -> None:
    t = time.perf_counter()
    entries = make_synthetic_seeds(tmp / "synth-seeds", size)
    made = time.perf_counter() - t
    chars = sum(len((tmp / "synth-seeds" / e["file"]).read_text(encoding="utf-8")) for e in entries)
    assistant = Assistant(Settings(seeds_dir=tmp / "synth-seeds", data_dir=tmp / "synth-data"))
    report = assistant.build_index()
    print(f"(e) synthetic corpus: {size} reports, {chars / 1e6:.1f} M characters (generated in {made:.1f} s)")
    print(f"    build from scratch: {report.seconds:.1f} s, {report.chunks} chunks, {report.embedded} embedded"
          f" ({report.seconds / max(report.chunks, 1) * 1000:.1f} ms per chunk)")
    asked = synthetic_questions(entries, load_questions(), n_questions)
    assistant.search(asked[0][0])
    top1 = []

    def one(item):
        passages = assistant.search(item[0], k=5).passages
        top1.append(bool(passages) and passages[0].chunk.doc_id == item[1])

    times = _timed(one, asked)
    print(f"    warm search over {len(asked)} renamed gold questions: {_ms(times)}; "
          f"top passage from the named report in {sum(top1)}/{len(top1)}")
    print(f"    peak RSS: {_peak_rss_mb():.0f} MB")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--skip-large", action="store_true", help="skip (e), the synthetic corpus")
    ap.add_argument("--size", type=int, default=DEFAULT_SIZE,
                    help=f"reports in the synthetic corpus (default {DEFAULT_SIZE}; 500 = 100x the real five)")
    ap.add_argument("--large-questions", type=int, default=50)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
        bench_small(Path(tmp))
        if not args.skip_large:
            bench_large(Path(tmp), args.size, args.large_questions)
    print(f"total benchmark time: {time.perf_counter() - t:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
