"""The shipped reports' statements as a table for a hand check, and the change since the last one.

    python -m evals.handcheck_dump --out statements.tsv [--against evals/handcheck] [--todo todo.tsv]
                                   [--judged review_new.tsv --review review.tsv]

Writes one row per statement of the five shipped reports (the columns of evals/handcheck/statements.tsv).
With --against, each row is matched to the earlier check's row (same report, sentence and figure, in order):
an earlier judgement carries over only for a field whose value is unchanged; rows that are new, or whose
judged fields changed, go to --todo for a reviewer. Prints how many carry over and how many are to review.
With --judged (the reviewer's verdicts on the --todo rows), writes the whole check to --review (carried over and
new verdicts; rows with neither a figure nor a status word skipped) and prints per-field accuracy.
"""
from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

from rag.chunking import chunk_report
from rag.corpus import load_corpus
from rag.statements import extract_statements

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
COLUMNS = ("n", "doc_id", "section_kind", "sentence", "figure", "measures", "act", "frame", "item", "status",
           "polarity", "scope", "period")
# a review column and the statement columns it judges
JUDGED = {"figure_ok": ("figure",), "measures_ok": ("measures",), "act_ok": ("act",), "frame_ok": ("frame", "item"),
          "status_ok": ("status",), "polarity_ok": ("polarity",), "scope_ok": ("scope",), "period_ok": ("period",)}


def rows_now(seeds: Path = SEEDS) -> list[dict]:
    rows = []
    for report in load_corpus(seeds).reports:
        for st in extract_statements(report, chunk_report(report)):
            rows.append({"n": str(len(rows) + 1), "doc_id": st.doc_id, "section_kind": st.kind, "sentence": st.text,
                         "figure": st.as_written, "measures": st.measures, "act": st.act, "frame": st.frame,
                         "item": "" if st.item < 0 else str(st.item), "status": st.status,
                         "polarity": st.polarity, "scope": st.scope, "period": st.period})
    return rows


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def carry_over(now: list[dict], before: list[dict], review: list[dict]) -> tuple[list[dict], list[dict]]:
    """(judged rows carried over, rows to review). A row's key is its report, sentence and figure; repeated keys
    pair in order."""
    judged = {r["n"]: r for r in review}
    earlier = defaultdict(list)
    for r in before:
        earlier[(r["doc_id"], r["sentence"], r["figure"])].append(r)
    kept, todo = [], []
    for row in now:
        queue = earlier.get((row["doc_id"], row["sentence"], row["figure"]))
        old = queue.pop(0) if queue else None
        verdict = judged.get(old["n"]) if old else None
        if verdict is None or verdict["checked"] != "yes":
            if old is None or verdict is None or _worth_checking(row):
                todo.append(row)
            continue
        fields = {k: v for k, v in verdict.items() if k in JUDGED and v != ""}
        if all(all(row[c] == old[c] for c in JUDGED[k]) for k in fields):
            kept.append({**verdict, "n": row["n"]})
        else:
            todo.append(row)
    return kept, todo


def lost_figures(now: list[dict], before: list[dict]) -> list[dict]:
    """Earlier rows with a figure that no row of now has (same report, sentence, figure)."""
    have = defaultdict(int)
    for r in now:
        have[(r["doc_id"], r["sentence"], r["figure"])] += 1
    lost = []
    for r in before:
        key = (r["doc_id"], r["sentence"], r["figure"])
        if have[key]:
            have[key] -= 1
        elif r["figure"]:
            lost.append(r)
    return lost


def _worth_checking(row: dict) -> bool:
    """A row the earlier check skipped (no figure, no status word) needs a look only if it now says more."""
    return bool(row["figure"]) or row["status"] != "done" or row["polarity"] != "positive"


REVIEW_COLUMNS = ("n", "checked", *JUDGED, "note")


def merged(now: list[dict], kept: list[dict], judged: list[dict]) -> list[dict]:
    """One verdict row per statement of `now`: the reviewer's, else the one carried over, else skipped."""
    by_n = {r["n"]: r for r in kept}
    by_n.update({r["n"]: r for r in judged})
    return [by_n.get(row["n"], {"n": row["n"], "checked": "skip"}) for row in now]


def accuracy(now: list[dict], review: list[dict]) -> dict[str, dict[str, tuple[int, int]]]:
    """field → {"figure": (right, judged), "act": (right, judged)} over the checked rows."""
    out: dict[str, dict[str, tuple[int, int]]] = {f: {"figure": (0, 0), "act": (0, 0)} for f in JUDGED}
    for row, verdict in zip(now, review):
        if verdict.get("checked") != "yes":
            continue
        kind = "figure" if row["figure"] else "act"
        for f in JUDGED:
            if verdict.get(f, "") in ("0", "1"):
                right, n = out[f][kind]
                out[f][kind] = (right + int(verdict[f]), n + 1)
    return out


def _write(path: Path, rows: list[dict], columns) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(columns), delimiter="\t", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--against", type=Path, help="an earlier check: its statements.tsv and review.tsv")
    ap.add_argument("--todo", type=Path, help="where to write the rows a reviewer must judge")
    ap.add_argument("--judged", type=Path, help="the reviewer's verdicts on the --todo rows")
    ap.add_argument("--review", type=Path, help="where to write the whole check (with --judged)")
    args = ap.parse_args(argv)
    now = rows_now()
    _write(args.out, now, COLUMNS)
    print(f"{len(now)} statements → {args.out}")
    if args.against:
        before = _read(args.against / "statements.tsv")
        kept, todo = carry_over(now, before, _read(args.against / "review.tsv"))
        lost = lost_figures(now, before)
        print(f"judgements carried over (fields unchanged): {len(kept)}; rows to review: {len(todo)}; "
              f"earlier figures no row has now: {len(lost)}")
        for r in lost:
            print(f"  lost {r['doc_id']} #{r['n']}: {r['figure']} in {r['sentence'][:60]}")
        if args.todo:
            _write(args.todo, todo, COLUMNS)
        if args.judged and args.review:
            review = merged(now, kept, _read(args.judged))
            _write(args.review, review, REVIEW_COLUMNS)
            table = accuracy(now, review)
            print("field | rows with a figure | act rows")
            for f, kinds in table.items():
                cells = [f"{r / n:.1%} ({r}/{n})" if n else "—" for r, n in (kinds["figure"], kinds["act"])]
                print(f"{f} | {cells[0]} | {cells[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
