"""Facts benchmark: prints figures, never asserts on time.

    python -m evals.bench_facts [--size 500] [--questions 30]

(a) the five reports: facts per report and extraction time;
(b) a synthetic corpus of --size reports (made from the five, invented names, numbers altered; 500 = 100x):
    extraction time, metric embedding time, storing into and loading from a real embedded Chroma, and
    the median / p95 time to rank one metric across every report (each report's best fact, as the
    ranking answers do).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from rag.chunking import chunk_report
from rag.corpus import load_corpus
from rag.embeddings import USEEmbedder
from rag.facts.extract import extract_facts
from rag.facts.match import FactTable
from rag.facts.store import FactStore
from rag.question.metric import analyse

from .bench_speed import SEEDS, _ms, _peak_rss_mb, make_synthetic_seeds

METRICS = ["行政复议案件", "主动公开政府信息", "法律援助案件", "行政诉讼案件", "政策解读", "执法检查", "信访事项",
           "人大代表建议", "政协提案", "合法性审查", "行政执法案卷", "普法宣讲", "惠企政策资金", "矛盾纠纷",
           "公职律师", "政务服务事项", "12345热线诉求", "败诉率", "纠错率", "会前学法"]


def extract_all(seeds: Path):
    corpus = load_corpus(seeds)
    t = time.perf_counter()
    per_report = {r.doc_id: extract_facts(r, chunk_report(r)) for r in corpus.reports}
    return per_report, time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=500)
    ap.add_argument("--questions", type=int, default=30)
    args = ap.parse_args(argv)
    per_report, seconds = extract_all(SEEDS)
    counts = ", ".join(f"{d} {len(fs)}" for d, fs in per_report.items())
    print(f"(a) five reports: {sum(map(len, per_report.values()))} facts ({counts}); "
          f"extraction {seconds * 1000:.0f} ms with chunking")
    with tempfile.TemporaryDirectory(prefix="rag-bench-facts-") as tmp:
        make_synthetic_seeds(Path(tmp) / "seeds", args.size)
        per_report, seconds = extract_all(Path(tmp) / "seeds")
        facts = [f for fs in per_report.values() for f in fs]
        print(f"(b) synthetic corpus: {args.size} reports, {len(facts)} facts; extraction {seconds:.1f} s "
              f"({seconds / args.size * 1000:.0f} ms per report)")
        import chromadb

        embedder = USEEmbedder()
        client = chromadb.PersistentClient(path=str(Path(tmp) / "chroma"))
        store = FactStore(client.get_or_create_collection("facts", metadata={"hnsw:space": "cosine"}), embedder)
        t = time.perf_counter()
        for doc_id, fs in per_report.items():
            store.add(f"{doc_id}@v", fs)
        print(f"    embedding metric words and storing in Chroma: {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        loaded, vectors = store.load([f"{d}@v" for d in per_report])
        table = FactTable(loaded, vectors, embedder)
        print(f"    loading the table from Chroma (once per index generation): {time.perf_counter() - t:.1f} s")
        docs = list(per_report)
        asked = [(m, analyse(m + "多少")) for m in (METRICS * 3)[:args.questions]]
        table.best_per_report(asked[0][1], docs, metric_text=asked[0][0])  # warm
        stated = []

        def rank(item):
            matches = table.best_per_report(item[1], docs, metric_text=item[0])
            stated.append(sum(m.fact is not None for m in matches))

        times = []
        for item in asked:
            t = time.perf_counter()
            rank(item)
            times.append((time.perf_counter() - t) * 1000)
        print(f"    rank one metric across all {len(docs)} reports: {_ms(times)}; "
              f"reports stating it: median {sorted(stated)[len(stated) // 2]}")
        print(f"    peak RSS: {_peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
