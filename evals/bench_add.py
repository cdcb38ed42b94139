"""`rag add` speed: a ten-page PDF report added to an existing index, then answered. Prints figures.

    python -m evals.bench_add

The index of the five seed reports is built first (a user who already has one); then, in a fresh
process as a user runs it, `rag add report.pdf`; then `rag ask` a question only that report answers.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from rag.api import Assistant
from rag.settings import Settings
from tests.report_files import make_pdf

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "安德街道2021年排查各类矛盾纠纷多少件？"


def _run(args: list[str], env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "rag.cli", *args], env=env, capture_output=True, text=True,
                         check=True).stdout
    return time.perf_counter() - t0, out


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pdf = make_pdf(tmp / "安德街道2021年度法治政府建设情况报告.pdf", pages_of_body=21)
        pages = len(PdfReader(str(pdf)).pages)
        settings = Settings(seeds_dir=ROOT / "seeds", data_dir=tmp / "data")
        Assistant(settings).build_index()
        env = {**os.environ, "RAG_DATA_DIR": str(settings.data_dir), "RAG_SEEDS_DIR": str(settings.seeds_dir)}
        add_s, out = _run(["add", str(pdf), "--json"], env)
        result = json.loads(out)
        ask_s, out = _run(["ask", QUESTION, "--json"], env)
        answer = json.loads(out)
        print(f"report: {pages} pages, {result['index']['chunks']} chunks in the index, "
              f"{result['index']['embedded']} embedded for it")
        print(f"rag add (fresh process, incl. start-up and model load): {add_s:.1f} s "
              f"(index update inside it: {result['index']['seconds']:.1f} s)")
        print(f"rag ask (fresh process): {ask_s:.1f} s → answered={answer['answered']}: {answer['answer'][:40]}")
        print(f"added and answerable, two fresh processes: {add_s + ask_s:.1f} s")

        # A running chat (model loaded, index open) adding the same report through the API, as the UI does.
        running = Assistant(Settings(seeds_dir=settings.seeds_dir, data_dir=tmp / "data2"))
        running.build_index()
        running.ask("昌平区2024年共接收行政复议申请多少件？")
        t0 = time.perf_counter()
        results, build = running.add_reports([pdf])
        t1 = time.perf_counter()
        answer = running.ask(QUESTION)
        t2 = time.perf_counter()
        print(f"running chat: add {t1 - t0:.1f} s ({build.embedded} chunks embedded), first answer {t2 - t1:.2f} s "
              f"→ answered={answer.answered}; added and answerable: {t2 - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
