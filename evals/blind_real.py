"""The blind set over reports the product never shipped: add them to a fresh library, then evaluate.

    python -m evals.blind_real [--mode extractive|llm] [--keep DIR] [--reports DIR --questions FILE]

The same run serves the development set over real-style reports (evals/devreal/: rules may be shaped on its
odd ids only): `--reports evals/devreal/reports --questions evals/devreal/questions.jsonl`.

evals/blind/reports/ holds reports written (in their own words) from the openings of real reports of ten
provinces, with the place and year each is of (catalog_hint.json); evals/blind/questions_real.jsonl holds
questions written over them by someone who never saw the code. The reports are added through the public
API exactly as `rag add` does, into a temporary data dir beside the shipped seeds; each gold's doc_id (the
file name) is mapped to the id the library gave its report. Never tune on this set.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

BLIND = Path(__file__).resolve().parent / "blind"


def remap(questions: list[dict], ids: dict[str, str]) -> list[dict]:
    """Gold doc_ids (file stems) → the library's doc_ids, in the gold and in each of its values."""
    out = []
    for q in questions:
        q = dict(q)
        if q.get("doc_id") in ids:
            q["doc_id"] = ids[q["doc_id"]]
        if "values" in q:
            q["values"] = [{**v, "doc_id": ids.get(v.get("doc_id"), v.get("doc_id"))} for v in q["values"]]
        out.append(q)
    return out


def load_library(assistant, reports: Path = BLIND / "reports") -> dict[str, str]:
    """Add every report with the place and year of its catalogue hint; returns file stem → doc_id."""
    hints = json.loads((reports / "catalog_hint.json").read_text(encoding="utf-8"))
    ids: dict[str, str] = {}
    for h in hints:
        results, _ = assistant.add_reports([reports / h["file"]],
                                           overrides={"region": h["region"], "year": int(h["year"])})
        for r in results:
            if r.doc_id:
                ids[Path(h["file"]).stem] = r.doc_id
            else:
                print(f"未能加入 {h['file']}：{r.error}", file=sys.stderr)
    return ids


def main(argv: list[str] | None = None) -> int:
    from rag.api import Assistant
    from rag.settings import Settings

    from . import report
    from .retrieval import load_questions
    from .runner import run_eval

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", default="extractive", choices=["extractive", "llm"])
    ap.add_argument("--keep", help="build the library in this data dir (kept) instead of a temporary one")
    ap.add_argument("--reports", default=str(BLIND / "reports"), help="the reports and their catalog_hint.json")
    ap.add_argument("--questions", default=str(BLIND / "questions_real.jsonl"))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rag-blind-real-") as tmp:
        data_dir = Path(args.keep) if args.keep else Path(tmp)
        assistant = Assistant(Settings.from_env(data_dir=data_dir))
        ids = load_library(assistant, Path(args.reports))
        questions = remap(load_questions(Path(args.questions)), ids)
        result = run_eval(assistant, questions, args.mode)
        meta = {"timestamp": "", "mode": args.mode, "questions": args.questions,
                "n_questions": len(questions), "search": "fused + filters, k=5",
                "embedding": assistant.settings.embedding, "llm_configured": assistant.settings.llm_configured}
        print(report.render_markdown(meta, result, None, None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
