"""`rag eval`: answer every gold question, score it, print the tables and every failure, write reports.

    rag eval [--mode extractive|llm] [--questions FILE] [--retrieval-only] [--no-ablation]

Metrics (evals.scorer decides each one; this module only counts):
* strict / lenient: over all questions (a refuse gold is correct when refused);
* citation: over answerable questions only;
* refusal: over all questions (refuse golds must be refused, all others answered);
* hit@1 / hit@5 / MRR: answerable questions, the default search (fused + filters, k=5);
* latency p50 / p95: wall-clock milliseconds of `Assistant.ask`, warm (index and models loaded first).
Reports go to evals/reports/ (or RAG_EVAL_REPORTS_DIR, or main's reports_dir) as
eval-<UTC stamp>.md/.json plus latest.md/latest.json.
"""
from __future__ import annotations

import json
import math
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, TextIO

from rag import Conversation
from rag.errors import ConfigError, RagError

from . import report
from .retrieval import QUESTIONS, load_questions, retrieval_table
from .scorer import (citation_correct, hit_at, lenient_correct, mrr, percentile, refusal_correct, retrieval_ranks,
                     strict_correct)

REPORTS_DIR = Path(__file__).resolve().parent / "reports"
REPORTS_ENV = "RAG_EVAL_REPORTS_DIR"
SEARCH_K = 5
SEARCH_LABEL = "fused + filters, k=5"


@dataclass
class Row:
    """One gold question and how the assistant did on it (None: not measured in this run)."""

    id: str
    category: str
    question: str
    gold: dict
    answer: str = ""
    answered: bool | None = None
    strict: bool | None = None
    lenient: bool | None = None
    citation: bool | None = None  # None for refuse golds: nothing to cite
    refusal: bool | None = None
    rank: int | None = None  # 1-based rank of the first passage holding gold evidence
    latency_ms: float | None = None
    refuse: bool = False
    split: str = "dev"  # "dev": rules are shaped on it; "test": held out, only reported
    mode: str | None = None  # who wrote the answer: "llm", or "extractive" (also an LLM fallback)
    notice: str | None = None

    @property
    def failed_checks(self) -> list[str]:
        checks = (("strict", self.strict), ("citation", self.citation), ("refusal", self.refusal))
        return [name for name, ok in checks if ok is False]


def _frac(values) -> float | None:
    xs = [bool(v) for v in values if v is not None]
    return sum(xs) / len(xs) if xs else None


def _num(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 1)


@dataclass
class Aggregate:
    n: int
    answerable: int
    strict: float | None
    lenient: float | None
    citation: float | None
    refusal: float | None
    hit1: float | None
    hit5: float | None
    mrr: float | None
    p50_ms: float | None
    p95_ms: float | None

    @classmethod
    def of(cls, rows: list[Row], retrieval: bool = True) -> "Aggregate":
        ans = [r for r in rows if not r.refuse]
        ranks = [r.rank for r in ans]
        latencies = [r.latency_ms for r in rows if r.latency_ms is not None]
        return cls(
            n=len(rows), answerable=len(ans),
            strict=_frac(r.strict for r in rows), lenient=_frac(r.lenient for r in rows),
            citation=_frac(r.citation for r in ans), refusal=_frac(r.refusal for r in rows),
            hit1=_frac(hit_at(k, 1) for k in ranks) if retrieval else None,
            hit5=_frac(hit_at(k, SEARCH_K) for k in ranks) if retrieval else None,
            mrr=mrr(ranks) if retrieval and ranks else None,
            p50_ms=_num(percentile(latencies, 50)), p95_ms=_num(percentile(latencies, 95)),
        )


@dataclass
class EvalResult:
    mode: str
    rows: list[Row]
    overall: Aggregate
    by_category: dict[str, Aggregate] = field(default_factory=dict)
    answers: bool = True  # False: retrieval only
    by_split: dict[str, Aggregate] = field(default_factory=dict)

    @property
    def failures(self) -> list[Row]:
        return [r for r in self.rows if r.failed_checks]

    def failing_ids(self, check: str) -> list[str]:
        return [r.id for r in self.rows if check in r.failed_checks]


def _ask(assistant, question: str, mode: str, history: list[str] | None = None) -> dict:
    """The question asked as a user asks it in the chat: each earlier question first, in one conversation
    that keeps every answer (what it understood and what it quoted), then this one. In LLM mode each earlier
    question is a model call too: a follow-up of n turns costs n calls."""
    try:
        conversation = Conversation()
        for earlier in history or []:
            try:
                before = assistant.ask(earlier, history=conversation, mode=mode)
                conversation = conversation.then(earlier, before.query, before.text, before.citations)
            except RagError:
                conversation = conversation.then(earlier, None, "")
        return assistant.ask(question, history=conversation, mode=mode).as_dict()
    except RagError as exc:  # e.g. QuestionError: scored as an unanswered question
        return {"answer": f"错误：{exc}", "answered": False, "citations": []}


def _rank(assistant, gold: dict) -> int | None:
    try:
        passages = assistant.search(gold["question"], k=SEARCH_K).passages  # fused + filters
    except RagError:
        return None
    return retrieval_ranks(gold, passages)


def run_eval(assistant, questions: list[dict], mode: str = "extractive", *, answers: bool = True,
             retrieval: bool = True, progress: Callable[[int, int], None] | None = None) -> EvalResult:
    """Ask (and/or search) every question and score it; aggregates by category (first-seen order) and overall."""
    rows: list[Row] = []
    if questions:  # open the index and load the models first: latencies are of warm questions
        _rank(assistant, questions[0])
        if answers and mode == "extractive":  # (an LLM call is not repeated just to warm up)
            _ask(assistant, questions[0]["question"], mode)
    for i, q in enumerate(questions):
        row = Row(q["id"], q.get("category", "?"), q["question"], {k: v for k, v in q.items() if k != "question"},
                  refuse=bool(q.get("refuse")), split=q.get("split", "dev"))
        if answers:
            t0 = time.perf_counter()
            ans = _ask(assistant, q["question"], mode, q.get("history"))
            row.latency_ms = round((time.perf_counter() - t0) * 1000, 1)
            row.answer, row.answered = ans.get("answer") or "", bool(ans.get("answered"))
            row.mode, row.notice = ans.get("mode"), ans.get("notice")
            row.strict, row.lenient = strict_correct(q, ans), lenient_correct(q, ans)
            row.citation = None if row.refuse else citation_correct(q, ans)
            row.refusal = refusal_correct(q, ans)
        if retrieval and not row.refuse:
            row.rank = _rank(assistant, q)
        rows.append(row)
        if progress:
            progress(i + 1, len(questions))
    groups: dict[str, list[Row]] = {}
    splits: dict[str, list[Row]] = {}
    for r in rows:
        groups.setdefault(r.category, []).append(r)
        splits.setdefault(r.split, []).append(r)
    return EvalResult(mode, rows, Aggregate.of(rows, retrieval),
                      {c: Aggregate.of(rs, retrieval) for c, rs in groups.items()}, answers,
                      {s: Aggregate.of(splits[s], retrieval) for s in ("dev", "test") if s in splits})


FALLBACK_TAIL = "，已改用摘录式回答"


def llm_breakdown(rows: list[Row]) -> list[tuple[str, int, float | None, float | None]]:
    """LLM-mode answers grouped by who wrote them: (group, n, strict, lenient).

    "大模型写出" are the LLM's own answers (grounded answers, or its refusals); each fallback reason (the notice up to
    「，已改用摘录式回答」) is its own group, so a run that passes only by falling back shows it.
    """
    groups: dict[str, list[Row]] = {}
    for r in rows:
        if r.mode == "llm":
            key = "大模型写出：有引文的回答" if r.answered else "大模型写出：拒答"
        else:
            reason = next((part for part in (r.notice or "").split("；") if FALLBACK_TAIL in part), "")
            # No fallback notice: the question never reached the model (e.g. a place the reports lack).
            key = "回退：" + reason.split(FALLBACK_TAIL)[0] if reason else "摘录式（未调用大模型）"
        groups.setdefault(key, []).append(r)
    order = sorted(groups, key=lambda k: (not k.startswith("大模型写出"), -len(groups[k])))
    return [(k, len(groups[k]), _frac(r.strict for r in groups[k]), _frac(r.lenient for r in groups[k]))
            for k in order]


def mode_ablation(assistant, questions: list[dict], done: EvalResult | None) -> list[tuple]:
    """(label, Aggregate | None, note) for extractive and llm; reuses the main run's numbers."""
    rows = []
    for mode in ("extractive", "llm"):
        if mode == "llm" and not assistant.settings.llm_configured:
            rows.append((mode, None, report.NO_LLM))
            continue
        res = done if done is not None and done.mode == mode else run_eval(assistant, questions, mode,
                                                                            retrieval=False)
        rows.append((mode, res.overall, ""))
    return rows


def reports_dir_for(reports_dir: Path | str | None = None) -> Path:
    return Path(reports_dir or os.environ.get(REPORTS_ENV) or REPORTS_DIR)


def _load(path: Path) -> list[dict]:
    try:
        questions = load_questions(path)
    except FileNotFoundError:
        raise ConfigError(f"找不到题集文件 {path}。") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"题集文件 {path} 无法解析：{exc}") from None
    bad = [i for i, q in enumerate(questions, 1)
           if not isinstance(q, dict) or not q.get("id") or not q.get("question")]
    if bad:
        raise ConfigError(f"题集文件 {path} 第 {bad[0]} 条缺少 id 或 question。")
    if not questions:
        raise ConfigError(f"题集文件 {path} 是空的。")
    return questions


def _stderr_progress(label: str) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{label} {done}/{total}" + ("\n" if done == total else ""))
            sys.stderr.flush()
    return show


def main(args, *, reports_dir: Path | str | None = None, assistant=None, out: TextIO | None = None) -> int:
    """`rag eval`. Returns 0; errors (bad question file, llm mode without an LLM) raise RagError."""
    from rag.api import Assistant
    from rag.settings import Settings

    out = out or sys.stdout
    mode = getattr(args, "mode", None) or "extractive"
    if assistant is None:
        data_dir = getattr(args, "data_dir", None)
        assistant = Assistant(Settings.from_env(data_dir=Path(data_dir) if data_dir else None))
    if mode == "llm" and not assistant.settings.llm_configured:
        raise ConfigError("未配置 LLM（OPENAI_API_KEY 或 OPENAI_BASE_URL），无法以 llm 模式评测；请使用 --mode extractive。")
    path = Path(getattr(args, "questions", None) or QUESTIONS)
    questions = _load(path)
    retrieval_only = bool(getattr(args, "retrieval_only", False))
    ablation = not (retrieval_only or getattr(args, "no_ablation", False))

    now = datetime.now(timezone.utc)
    meta = {"timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "mode": "retrieval" if retrieval_only else mode,
            "questions": str(path), "n_questions": len(questions), "search": SEARCH_LABEL,
            "embedding": assistant.settings.embedding, "llm_configured": assistant.settings.llm_configured}
    result = run_eval(assistant, questions, mode, answers=not retrieval_only,
                      progress=_stderr_progress("评测" if not retrieval_only else "检索"))
    scores = retrieval_table(assistant, questions) if (retrieval_only or ablation) else None
    modes = mode_ablation(assistant, questions, result) if ablation else None

    markdown = report.render_markdown(meta, result, scores, modes)
    data = report.to_json(meta, result, scores, modes)
    if mode == "llm" and not retrieval_only:
        breakdown = llm_breakdown(result.rows)
        markdown += "\n" + report.llm_section(breakdown) + "\n"
        data["llm_breakdown"] = [{"group": g, "n": n, "strict": st, "lenient": le} for g, n, st, le in breakdown]
    md, js = report.write_reports(reports_dir_for(reports_dir), now.strftime("%Y%m%dT%H%M%SZ"), markdown, data)
    print(markdown, file=out)
    print(f"报告：{md}\n      {js}\n      （副本 {md.parent / 'latest.md'}、{md.parent / 'latest.json'}）", file=out)
    return 0

