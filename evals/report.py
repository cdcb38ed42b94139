"""Formatting for `rag eval`: Markdown tables, the failure list, the JSON report and the files on disk.

Nothing here computes a metric; it only renders what evals.runner measured.
Rows and aggregates are read by attribute (runner.Row / runner.Aggregate) or,
for retrieval configurations, evals.retrieval.RetrievalScore.
"""
from __future__ import annotations

import json
import math
import shutil
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any, Iterable

SUMMARY_HEAD = ("| category | n | strict | lenient | citation | refusal | hit@1 | hit@5 | MRR | p50 ms | p95 ms |\n"
                "|---|---|---|---|---|---|---|---|---|---|---|")
RETRIEVAL_HEAD = "| retriever | questions | hit@1 | hit@5 | MRR |\n|---|---|---|---|---|"
CATEGORY_RETRIEVAL_HEAD = "| category | questions | hit@1 | hit@5 | MRR |\n|---|---|---|---|---|"
MODES_HEAD = ("| mode | n | strict | lenient | citation | refusal | p50 ms | p95 ms |\n"
              "|---|---|---|---|---|---|---|---|")
NO_LLM = "未配置 LLM"


# --- cells ----------------------------------------------------------------------

def pct(x: float | None) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.1%}"


def num(x: float | None, fmt: str = ".0f") -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, fmt)


def gold_text(gold: dict) -> str:
    """The gold answer in a few characters: 1723件 / 12件、3件 / 昌平区（…） / 拒答."""
    if gold.get("refuse"):
        return "拒答"
    values = gold.get("values") or ([gold] if "value" in gold else [])
    stated = "、".join(f"{v.get('surface') or str(v.get('value')) + v.get('unit', '')}" for v in values)
    return f"{gold['entity']}（{stated}）" if gold.get("entity") else stated


def first_line(text: str, limit: int = 160) -> str:
    line = (text or "").strip().split("\n", 1)[0]
    return line if len(line) <= limit else line[:limit] + "…"


# --- tables ---------------------------------------------------------------------

def _agg_cells(a) -> list[str]:
    return [pct(a.strict), pct(a.lenient), pct(a.citation), pct(a.refusal)]


def summary_table(result) -> str:
    lines = [SUMMARY_HEAD]
    splits = [(f"overall ({s} half)", a) for s, a in getattr(result, "by_split", {}).items()]
    for name, a in [*result.by_category.items(), *splits, ("**overall**", result.overall)]:
        lines.append("| " + " | ".join([name, str(a.n), *_agg_cells(a), pct(a.hit1), pct(a.hit5),
                                         num(a.mrr, ".3f"), num(a.p50_ms), num(a.p95_ms)]) + " |")
    return "\n".join(lines)


def failures_section(result) -> str:
    failed = result.failures
    if not failed:
        return "没有失败的题目。"
    lines = [f"{len(failed)} 题未通过（strict、citation 或 refusal 有误）："]
    for r in failed:
        lines.append(f"- `{r.id}` [{r.category}] ✗{' ✗'.join(r.failed_checks)} — 问：{r.question}"
                     f" ｜ 标准：{gold_text(r.gold)} ｜ 答：{first_line(r.answer) or '（空）'}")
    return "\n".join(lines)


def retrieval_table(scores: Iterable) -> str:
    return "\n".join([RETRIEVAL_HEAD, *(s.row() for s in scores)])


def category_retrieval_table(result) -> str:
    lines = [CATEGORY_RETRIEVAL_HEAD]
    for name, a in [*result.by_category.items(), ("**overall**", result.overall)]:
        if a.answerable:
            lines.append(f"| {name} | {a.answerable} | {pct(a.hit1)} | {pct(a.hit5)} | {num(a.mrr, '.3f')} |")
    return "\n".join(lines)


def modes_table(modes: list[tuple[str, Any, str]]) -> str:
    """modes: (label, Aggregate or None, note); None rows print the note across the table."""
    lines = [MODES_HEAD]
    for label, a, note in modes:
        if a is None:
            lines.append(f"| {label} | {note} | — | — | — | — | — | — |")
        else:
            lines.append("| " + " | ".join([label, str(a.n), *_agg_cells(a), num(a.p50_ms), num(a.p95_ms)]) + " |")
    return "\n".join(lines)


def llm_section(breakdown: list[tuple[str, int, float | None, float | None]]) -> str:
    """Who wrote the LLM-mode answers: the model itself, or the extractive fallback and why."""
    total = sum(n for _, n, _, _ in breakdown) or 1
    lines = ["## 大模型回答与回退", "| 谁写的回答 | 题数 | 占比 | strict | lenient |", "|---|---|---|---|---|"]
    for group, n, strict, lenient in breakdown:
        lines.append(f"| {group} | {n} | {pct(n / total)} | {pct(strict)} | {pct(lenient)} |")
    return "\n".join(lines)


# --- whole documents ------------------------------------------------------------

def render_markdown(meta: dict, result=None, retrieval_scores=None, modes=None) -> str:
    """The report: summary by category, every failure, then the ablation tables (each part optional).

    A result without answers (--retrieval-only) renders as a retrieval-by-category table.
    """
    out = [f"# 评测报告 {meta['timestamp']}",
           f"mode `{meta['mode']}` · {meta['n_questions']} 题 · 题集 `{meta['questions']}` · "
           f"检索 {meta['search']}"]
    if result is not None and result.answers:
        out += ["## 按类别", summary_table(result),
                "strict / lenient / refusal 按全部题目计（拒答题拒答即为对）；citation、hit@k、MRR 只计可回答题。",
                "## 失败题目", failures_section(result)]
    elif result is not None:
        out += ["## 检索按类别（" + meta["search"] + "）", category_retrieval_table(result)]
    if retrieval_scores is not None:
        out += ["## 检索配置对比（可回答题，k=5）", retrieval_table(retrieval_scores)]
        fused = [s for s in retrieval_scores if s.label == "fused + filters"]
        if fused and fused[0].misses:
            out.append("fused + filters 未排第 1：" + ", ".join(fused[0].misses))
    if modes is not None:
        out += ["## 回答模式对比", modes_table(modes)]
    return "\n\n".join(out) + "\n"


def _plain(x: Any) -> Any:
    """Dataclasses to dicts, NaN to None: strict JSON."""
    if is_dataclass(x) and not isinstance(x, type):
        return _plain(asdict(x))
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, float) and math.isnan(x):
        return None
    return x


def to_json(meta: dict, result=None, retrieval_scores=None, modes=None) -> dict:
    data: dict[str, Any] = dict(meta)
    if result is not None:
        data["overall"] = _plain(result.overall)
        data["categories"] = _plain(result.by_category)
        data["splits"] = _plain(getattr(result, "by_split", {}))
        data["failures"] = [{"id": r.id, "failed": r.failed_checks} for r in result.failures]
        data["rows"] = _plain(result.rows)
    if retrieval_scores is not None:
        data["retrieval"] = _plain(retrieval_scores)
    if modes is not None:
        data["modes"] = [{"mode": label, "note": note, **({"scores": _plain(a)} if a is not None else {})}
                         for label, a, note in modes]
    return data


def write_reports(reports_dir: Path, stamp: str, markdown: str, data: dict) -> tuple[Path, Path]:
    """eval-<stamp>.md/.json plus latest.md/latest.json copies; returns the stamped paths."""
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    base, n = f"eval-{stamp}", 1
    while (reports_dir / f"{base}.md").exists() or (reports_dir / f"{base}.json").exists():
        base, n = f"eval-{stamp}-{n}", n + 1  # two runs in one second keep both reports
    md, js = reports_dir / f"{base}.md", reports_dir / f"{base}.json"
    md.write_text(markdown, encoding="utf-8")
    js.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    shutil.copyfile(md, reports_dir / "latest.md")
    shutil.copyfile(js, reports_dir / "latest.json")
    return md, js
