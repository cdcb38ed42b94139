"""The scoring rule (`score.score_statement`) rendered as one SQLite query over the columns
`score.stored_texts` fills, so a ranking across thousands of reports scores its candidates inside SQLite and
reads back each report's best only. The arithmetic runs in the rule's own order, term by term, so both
renderings give the same doubles (`tests/test_sql_score.py` checks every seed statement against a set of questions).
"""
from __future__ import annotations

from .score import EXTRA_SEP, ScoreSpec


def _flags(column: str, prefix: str, terms: list[str], args: list) -> list[str]:
    """One 0/1 column per asked term: whether the term stands in `column` (read once, weighed twice)."""
    out = []
    for i, t in enumerate(terms):
        out.append(f"(instr({column}, ?) > 0) AS {prefix}{i}")
        args.append(t)
    return out


def _coverage(prefix: str, weights: tuple[tuple[str, float], ...], flag: dict[str, int], args: list) -> str:
    """`score._coverage` from the flags: the asked words' weight found over their whole weight, summed term by
    term as the Python loop sums (flag × weight is the weight or 0.0, and adding 0.0 changes no double)."""
    total = 0.0
    for _, w in weights:
        total += w
    if not total:
        return "0.0"
    hit = "0.0"
    for t, w in weights:
        hit = f"({hit} + {prefix}{flag[t]} * ?)"
        args.append(w)  # bound, not written out: the very double, whatever SQLite's parsing of literals
    args.append(total)
    return f"({hit} / ?)"


def _thing_coverage(spec: ScoreSpec, args: list) -> str:
    """`score._coverage` of the measured thing by the words beside 多少/几 (a short column, read once)."""
    total = 0.0
    for _, w in spec.near:
        total += w
    if not total:
        return "0.0"
    hit = "0.0"
    for t, w in spec.near:
        hit = f"({hit} + CASE WHEN instr(thing_lc, ?) > 0 THEN ? ELSE 0.0 END)"
        args += [t, w]
    args.append(total)
    return f"({hit} / ?)"


def _extra(spec: ScoreSpec, args: list) -> str:
    """`score._extra_of`: the share of the lead's words the question does not ask, counted from the wrapped
    words column (each asked term's occurrences: the column's length lost when they are cut out)."""
    asked = "0"
    for t, _ in spec.weights:
        wrapped = f"{EXTRA_SEP}{t}{EXTRA_SEP}"
        asked = f"({asked} + (length(extra_words) - length(replace(extra_words, ?, ''))) / {len(wrapped)})"
        args.append(wrapped)
    return f"(CASE WHEN extra_n > 0 THEN (extra_n - {asked}) * 1.0 / extra_n ELSE 0.0 END)"


def _contains(column: str, word: str, args: list) -> str:
    if not word:
        return "0.0"
    args.append(word)
    return f"(CASE WHEN instr({column}, ?) > 0 THEN 1.0 ELSE 0.0 END)"


def scored_query(spec: ScoreSpec, units: list[str], where: str, where_args: list) -> tuple[str, list]:
    """(SQL, its arguments) selecting `id, sid, doc, value, unit, score, support` of the `statements` rows
    (alias `s`) that `where` keeps. `units`: every unit the rows hold (each one's fit is
    computed by the rule and looked up by the query). Each piece of the rule is a column of a materialised
    step, then summed in the rule's order outside it."""
    args: list = []
    cols = ["s.rowid AS id", "s.sid AS sid", "s.doc_id AS doc", "s.value AS value", "s.unit AS unit"]
    terms = list(dict.fromkeys([t for t, _ in spec.plain] + [t for t, _ in spec.weights]))
    flag = {t: i for i, t in enumerate(terms)}
    cols += _flags("own_lc", "o", terms, args) + _flags("wide_lc", "w", terms, args)
    cols += _flags("sentence_lc", "t", terms, args)
    fits = [(u, spec.unit_fit(u)) for u in units]
    cols.append("(CASE unit " + "WHEN ? THEN ? " * len(fits) + "ELSE 0.0 END) AS unit_fit")
    args += [x for fit in fits for x in fit]
    cols.append(f"{_extra(spec, args)} AS extra")
    cols.append(f"({_contains('own_raw', spec.predicate, args)} + {_contains('own_raw', spec.counted, args)}) AS slots")
    thing = f"(CASE WHEN thing_lc != '' THEN 1.4 * {_thing_coverage(spec, args)} ELSE 0.0 END)" if spec.near else "0.0"
    cols.append(f"{thing} AS thing")
    counted = "0.0"
    if spec.counted:
        counted = "(CASE WHEN thing_lc != '' AND instr(thing_lc, ?) > 0 THEN 0.6 ELSE 0.0 END)"
        args.append(spec.counted)
    cols.append(f"{counted} AS counted")
    act = "0.0"
    if spec.predicate:
        act = "(CASE WHEN act = ? THEN 0.6 ELSE 0.0 END)"
        args.append(spec.predicate)
    cols.append(f"{act} AS act_fit")
    frame = "0.0"
    if spec.frame_fit:
        frame = "(CASE frame " + "WHEN ? THEN ? " * len(spec.frame_fit) + "ELSE 0.0 END)"
        args += [x for fit in spec.frame_fit for x in fit]
    cols.append(f"{frame} AS frame_fit")
    args += where_args
    def cov(prefix: str, weights) -> str:
        return _coverage(prefix, weights, flag, args)

    # score_statement's sums, in its order (+ 0.6 * retrieval - 0.08 * rank: none for a store's candidates)
    score = (f"2.5 * max({cov('o', spec.weights)}, 0.75 * {cov('w', spec.weights)}) + 1.2 * {cov('t', spec.weights)}"
             f" + 1.0 * unit_fit - 0.6 * extra + 0.8 * slots + 0.0 - 0.0")
    if spec.near:
        score += " + thing"
    if spec.counted:
        score += " + counted"
    if spec.predicate:
        score += " + act_fit"
    if spec.frame_fit:
        score += " + frame_fit"
    support = f"0.65 * max({cov('o', spec.plain)}, 0.75 * {cov('w', spec.plain)}) + 0.35 * {cov('t', spec.plain)}"
    sql = (f"WITH parts AS MATERIALIZED (SELECT {', '.join(cols)} FROM statements s WHERE {where}) "
           f"SELECT id, sid, doc, value, unit, {score} AS score, {support} AS support FROM parts")
    return sql, args
