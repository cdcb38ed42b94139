"""Retrieval benchmark: dense vs BM25 vs fused, with and without filters, plus a fusion-weight sweep.

    python -m evals.bench_retrieval [--questions FILE] [--sweep]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from rag.api import Assistant
from rag.settings import Settings

from .retrieval import QUESTIONS, TABLE_HEAD, load_questions, retrieval_table, score_retrieval


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", default=str(QUESTIONS))
    ap.add_argument("--sweep", action="store_true", help="also sweep the BM25 weight of the fusion")
    args = ap.parse_args(argv)
    questions = load_questions(args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(Settings.from_env(data_dir=Path(tmp)))
        assistant.build_index()
        print(f"Retrieval on {args.questions} (answerable questions only; hit = gold evidence inside the passage)")
        print(TABLE_HEAD)
        for s in retrieval_table(assistant, questions):
            print(s.row())
        fused = score_retrieval(assistant, questions, "fused", True, "fused + filters")
        if fused.misses:
            print("\nfused + filters, not at rank 1:", ", ".join(fused.misses))
        if args.sweep:
            print("\nBM25 weight sweep (fused + filters):")
            print(TABLE_HEAD)
            retriever = assistant.retriever
            for w in (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
                retriever.bm25_weight = w
                print(score_retrieval(assistant, questions, "fused", True, f"w_bm25={w}").row())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
