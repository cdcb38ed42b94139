"""Retrieval metrics over the gold set: hit@1, hit@5 and MRR per retrieval configuration."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .scorer import hit_at, mrr, retrieval_ranks

QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"
# (label, method, use_filters)
CONFIGS = (
    ("dense", "dense", False),
    ("bm25", "bm25", False),
    ("fused", "fused", False),
    ("dense + filters", "dense", True),
    ("bm25 + filters", "bm25", True),
    ("fused + filters", "fused", True),
)


def load_questions(path: Path | str = QUESTIONS) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def answerable(questions: list[dict]) -> list[dict]:
    return [q for q in questions if not q.get("refuse")]


@dataclass
class RetrievalScore:
    label: str
    n: int
    hit1: float
    hit5: float
    mrr: float
    misses: list[str]

    def row(self) -> str:
        return f"| {self.label} | {self.n} | {self.hit1:.1%} | {self.hit5:.1%} | {self.mrr:.3f} |"


def score_retrieval(assistant, questions: list[dict], method: str, use_filters: bool, label: str,
                    k: int = 5) -> RetrievalScore:
    ranks, misses = [], []
    for q in answerable(questions):
        passages = assistant.search(q["question"], k=k, method=method, use_filters=use_filters).passages
        rank = retrieval_ranks(q, passages)
        ranks.append(rank)
        if not hit_at(rank, 1):
            misses.append(f"{q['id']} (rank {rank})")
    n = len(ranks)
    return RetrievalScore(label, n, sum(hit_at(r, 1) for r in ranks) / n, sum(hit_at(r, 5) for r in ranks) / n,
                          mrr(ranks), misses)


TABLE_HEAD = "| retriever | questions | hit@1 | hit@5 | MRR |\n|---|---|---|---|---|"


def retrieval_table(assistant, questions: list[dict], configs=CONFIGS) -> list[RetrievalScore]:
    return [score_retrieval(assistant, questions, m, f, label) for label, m, f in configs]
