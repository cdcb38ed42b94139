"""Statements benchmark: prints figures, never asserts on time.

    python -m evals.bench_statements [--size 500] [--large 1000,5000] [--questions 30] [--store-only]

(a) the five reports: statements per report and extraction time per report;
(b) the index build of the five reports (a fresh data dir, embedded Chroma): wall time;
(c) a synthetic library of --size reports (made from the five, invented names, numbers altered; 500 = ×100)
    extracted for real: statements and time; 5000 (×1000) is measured by --size 5000 when time allows;
(d) libraries of --large reports held in memory (`StatementTable`, what the product uses up to
    IN_MEMORY_LIMIT statements) and (e) the same inserted directly into a real SQLite store and a real embedded
    Chroma collection: the five reports' real statements copied under new doc_ids with their values altered,
    and as vectors the real measured-thing vectors plus a little noise (stand-ins: no embedding is run for the
    copies). Then one measured thing is ranked across every report, (d) in memory and (e) through the store's
    queries (`StoreTable`: FTS candidates scored inside SQLite + nearest vectors scored in Python, nothing loaded
    whole; each report's best statement read when first used), in a warm process, the words weighed by the
    product's idf (the five reports' chunks): median / p95 over --questions metrics, and the process's peak memory.
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from rag.chunking import chunk_report
from rag.corpus import load_corpus
from rag.embeddings import USEEmbedder
from rag.question.metric import analyse
from rag.statements import StatementStore, StatementTable, StoreTable, extract_statements
from rag.statements.match import IN_MEMORY_LIMIT

from .bench_speed import SEEDS, _ms, _peak_rss_mb, make_synthetic_seeds

METRICS = ["行政复议案件", "主动公开政府信息", "法律援助案件", "行政诉讼案件", "政策解读", "执法检查", "信访事项",
           "人大代表建议", "政协提案", "合法性审查", "行政执法案卷", "普法宣讲", "惠企政策资金", "矛盾纠纷",
           "公职律师", "政务服务事项", "12345热线诉求", "败诉率", "纠错率", "会前学法"]


def extract_all(seeds: Path):
    corpus = load_corpus(seeds)
    out, times = {}, []
    for r in corpus.reports:
        t = time.perf_counter()
        out[r.doc_id] = extract_statements(r, chunk_report(r))
        times.append(time.perf_counter() - t)
    return out, times


def build_five(tmp: Path) -> float:
    from rag.api import Assistant
    from rag.settings import Settings

    assistant = Assistant(Settings(data_dir=tmp / "data"))
    t = time.perf_counter()
    assistant.build_index()
    return time.perf_counter() - t


def synthetic_copies(base: dict, real: dict, i: int, rng: random.Random):
    """Report `i` of a synthetic library: one of the five reports' statements under a new doc id, values
    altered, with its real measured-thing vectors plus a little noise as stand-ins (no embedding is run)."""
    sources = list(base.items())
    src, sts = sources[i % len(sources)]
    doc = f"synthetic-{i:05d}"
    copies = [replace(s, doc_id=doc, region=f"样本{i}区",
                      value=None if s.value is None else round(s.value * rng.uniform(0.5, 1.5), 2))
              for s in sts]
    vectors = real[src] + np.random.default_rng(i).normal(0, 0.01, real[src].shape).astype(np.float32)
    return doc, copies, vectors


def measured_vectors(base: dict, embedder) -> dict:
    return {d: embedder.embed([s.measures or s.metric_simplified or s.own for s in sts]) for d, sts in base.items()}


def large_library(tmp: Path, base: dict, embedder, n_reports: int) -> tuple[StatementStore, list[str], float]:
    """`n_reports` synthetic reports' statements inserted into a real SQLite store and a real Chroma collection."""
    import chromadb

    client = chromadb.PersistentClient(path=str(tmp / f"chroma-{n_reports}"))
    collection = client.get_or_create_collection(f"statements-{n_reports}", metadata={"hnsw:space": "cosine"})
    store = StatementStore(tmp / f"statements-{n_reports}.sqlite3", None, embedder)
    real = measured_vectors(base, embedder)
    rng = random.Random(7)
    versions = []
    t = time.perf_counter()
    for i in range(n_reports):
        doc, copies, vectors = synthetic_copies(base, real, i, rng)
        version = f"{doc}@v"
        store.add(version, copies)
        for j in range(0, len(copies), 2000):
            part = copies[j:j + 2000]
            collection.add(ids=[f"{version}#{s.value_start}-{s.value_end}" for s in part],
                           embeddings=[v.tolist() for v in vectors[j:j + 2000]],
                           metadatas=[{"doc_version": version} for _ in part])
        versions.append(version)
    store.collection = collection
    return store, versions, time.perf_counter() - t


def memory_library(base: dict, embedder, n_reports: int) -> tuple[StatementTable, list[str], float]:
    """The same synthetic library held in memory, as the product holds one of up to IN_MEMORY_LIMIT statements."""
    real = measured_vectors(base, embedder)
    rng = random.Random(7)
    statements, vectors, docs = [], [], []
    t = time.perf_counter()
    for i in range(n_reports):
        doc, copies, vecs = synthetic_copies(base, real, i, rng)
        keep = [k for k, s in enumerate(copies) if s.as_written]  # the table holds figures only
        statements += [copies[k] for k in keep]
        vectors.append(vecs[keep])
        docs.append(doc)
    table = StatementTable(statements, np.vstack(vectors), embedder, seed_idf())
    return table, docs, time.perf_counter() - t


def seed_idf():
    """The product's word weights (the chunks' BM25 idf) over the five reports: the synthetic libraries are
    copies of them, so their words weigh the same."""
    from rag.bm25 import BM25Index

    corpus = load_corpus(SEEDS)
    return BM25Index.build([c.text for r in corpus.reports for c in chunk_report(r)]).idf


def rank_times(table, docs: list[str], questions: int) -> tuple[list[float], list[int]]:
    asked = [(m, analyse(m + "多少")) for m in (METRICS * 5)[:questions]]
    table.best_per_report(asked[0][1], docs, metric_text=asked[0][0])  # warm
    times, stated = [], []
    for words, intent in asked:
        t = time.perf_counter()
        matches = table.best_per_report(intent, docs, metric_text=words)
        times.append((time.perf_counter() - t) * 1000)
        stated.append(sum(m.found for m in matches))  # a store's match reads its statement when first used
    return times, stated


def store_ranking(tmp: Path, base: dict, embedder, size: int, questions: int) -> None:
    store, versions, seconds = large_library(tmp, base, embedder, size)
    docs = [v.split("@")[0] for v in versions]
    table = StoreTable(store, versions, embedder, seed_idf())
    times, stated = rank_times(table, docs, questions)
    print(f"(e) {size} reports in the store, {store.count(versions)} statements inserted in {seconds:.0f} s: "
          f"rank one measured thing across all: {_ms(times)}; reports stating it: median "
          f"{sorted(stated)[len(stated) // 2]}; peak RSS so far {_peak_rss_mb():.0f} MB")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=500, help="reports extracted for real (500 = ×100)")
    ap.add_argument("--large", default="1000,5000", help="library sizes for the ranking benchmark")
    ap.add_argument("--questions", type=int, default=30)
    ap.add_argument("--store-only", action="store_true",
                    help="skip (d): rank through the store in a process that holds no in-memory table (as the product's)")
    args = ap.parse_args(argv)
    base, times = extract_all(SEEDS)
    counts = ", ".join(f"{d} {len(s)}" for d, s in base.items())
    print(f"(a) five reports: {sum(map(len, base.values()))} statements ({counts}); extraction per report "
          f"{_ms([t * 1000 for t in times])} (the first pays jieba's start)")
    with tempfile.TemporaryDirectory(prefix="rag-bench-statements-") as tmp:
        tmp = Path(tmp)
        print(f"(b) index build of the five reports (fresh data dir, embedded Chroma): {build_five(tmp):.1f} s")
        make_synthetic_seeds(tmp / "seeds", args.size)
        synthetic, times = extract_all(tmp / "seeds")
        n = sum(map(len, synthetic.values()))
        print(f"(c) synthetic library of {args.size} reports: {n} statements; extraction {sum(times):.1f} s "
              f"({sum(times) / args.size * 1000:.0f} ms per report)")
        embedder = USEEmbedder()
        for size in [int(x) for x in args.large.split(",") if x.strip()]:
            if args.store_only:
                store_ranking(tmp, base, embedder, size, args.questions)
                continue
            table, docs, seconds = memory_library(base, embedder, size)
            n = len(table.statements)
            path = "the product's path" if n <= IN_MEMORY_LIMIT else f"above {IN_MEMORY_LIMIT}: the product uses the store"
            times, stated = rank_times(table, docs, args.questions)
            print(f"(d) {size} reports in memory ({n} figures, built in {seconds:.0f} s; {path}): rank one measured "
                  f"thing across all: {_ms(times)}; reports stating it: median {sorted(stated)[len(stated) // 2]}; "
                  f"peak RSS so far {_peak_rss_mb():.0f} MB")
            del table
            store_ranking(tmp, base, embedder, size, args.questions)
        print(f"    peak RSS: {_peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
