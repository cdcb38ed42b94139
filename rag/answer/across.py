"""Answers across reports: comparisons of named places, rankings over every report in scope, totals.

Every value keeps its own citation; reports that do not state the metric are named as such; only values
of one kind (counts with counts, rates with rates) are ranked or added, computed here, never guessed.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..text.quantity import units_compatible
from ..question import ParsedQuestion
from ..types import Answer, Citation
from . import extractive
from .context import AnswerContext
from .single import value_pick
from .wording import evidence_line, fmt_number, joined, place_year, say


@dataclass(frozen=True)
class Figure:
    """One place's value for the asked metric, and the sentence that states it."""

    place: str
    year: int | None
    value: float
    unit: str
    is_percent: bool
    as_written: str
    citation: Citation
    measures: str = ""  # what the figure counts, as its statement reads it

    def chart_row(self) -> dict:
        return {"place": self.place, "year": self.year, "value": self.value, "unit": self.unit,
                "as_written": self.as_written, "doc_id": self.citation.doc_id}


def figure_of(place: str, year: int | None, pick) -> Figure:
    q = pick.quantity
    return Figure(place, year, q.value, q.unit, q.is_percent, extractive.state_value(pick), pick.citation(),
                  pick.statement.measures)


def measures_note(figures: list[Figure], lang: str = "zh") -> str:
    """「（注意：所计的对象不同：昌平区为行政复议申请，恩阳区为行政复议案件）」 when the places' figures count
    different things (接收申请 beside 办理案件): said, never silently combined. "" when alike or unknown."""
    things = [(f.place, f.measures) for f in figures if f.measures]
    if len(things) < 2 or all(a in b or b in a for (_, a) in things for (_, b) in things):
        return ""
    sep = "，" if lang != "en" else "; "
    return say("other_things", lang, things=sep.join(say("thing_is", lang, place=p, thing=m) for p, m in things))


def _stop(lang: str) -> str:
    return say("stop", lang)


def _comparable(a: Figure, b: Figure) -> bool:
    return a.is_percent == b.is_percent and units_compatible(a.unit, b.unit)


def per_place(pq: ParsedQuestion, ctx: AnswerContext) -> tuple[list[Figure], list[str]]:
    """Each named place's figure (one search per place), and the places whose reports lack it. When the
    question names one thing per place (as many parts as places), each place is asked for its own."""
    own = len(pq.parts) == len(pq.scope.mentions) >= 2
    found, missing = [], []
    for i, (name, docs) in enumerate(pq.scope.mentions):
        part = pq.parts[i] if own else (pq.parts[0] if pq.parts else None)
        metric = part.metric if part else pq.metric
        passages = ctx.search_docs(replace(pq, resolved=part.text) if own else pq, docs)
        pick = value_pick(pq, passages, ctx, metric)
        if pick is None:
            missing.append(name)
        else:
            e = ctx.entry(pick.passage.chunk.doc_id)
            found.append(figure_of(name, e.year if e else None, pick))
    return found, missing + list(pq.scope.unknown_regions)


def _cite(figures: list[Figure], lang: str) -> tuple[list[Citation], list[str], list[str]]:
    citations: list[Citation] = []
    lines, marked = [], []
    for f in figures:
        idx = next((i for i, c in enumerate(citations) if (c.doc_id, c.start) == (f.citation.doc_id, f.citation.start)), None)
        if idx is None:
            citations.append(f.citation)
            idx = len(citations) - 1
            lines.append(evidence_line(idx + 1, f.citation.text, lang))
        marked.append(f"{f.as_written}[{idx + 1}]")
    return citations, lines, marked


def _word(pq: ParsedQuestion, less: bool) -> str:
    return say(("lowest" if less else "highest") if pq.asks_rate else ("least" if less else "most"), pq.language)


def _none_found(pq: ParsedQuestion, missing: list[str]) -> Answer:
    return Answer(pq.text, say("no_figure_for", pq.language, places=joined(missing, pq.language)), False, [],
                  "extractive")


def compare_answer(pq: ParsedQuestion, ctx: AnswerContext, figures=None) -> Answer:
    """`figures`: (found, missing) when the caller has already looked each place up."""
    found, missing = figures or per_place(pq, ctx)
    if not found:
        return _none_found(pq, missing)
    citations, lines, marked = _cite(found, pq.language)
    stated = ("，" if pq.language != "en" else ", ").join(f"{f.place}{m}" for f, m in zip(found, marked))
    lead, answered = stated, True
    if pq.metric.compare and missing:
        lead, answered = say("no_compare", pq.language, places=joined(missing, pq.language), found=stated), False
    elif pq.metric.compare and len(found) >= 2:
        lead = comparison_lead(pq, found, stated)
    text = lead + measures_note(found, pq.language) + _stop(pq.language) + "\n" + "\n".join(lines)
    if missing and not pq.metric.compare:
        text += "\n" + say("no_figure_also", pq.language, places=joined(missing, pq.language))
    return Answer(pq.text, text, answered, citations, "extractive", chart=tuple(f.chart_row() for f in found))


def comparison_lead(pq: ParsedQuestion, found: list[Figure], stated: str) -> str:
    """The comparison, computed here; numbers of different kinds (a % and a count) are not ranked."""
    lang = pq.language
    if len({f.is_percent for f in found}) > 1:
        return say("kinds_differ", lang, stated=stated)
    ordered = sorted(found, key=lambda f: f.value, reverse=not pq.metric.prefer_less)
    a, b = ordered[0], ordered[1]
    if a.value == b.value:
        return say("same", lang, stated=stated)
    less = pq.metric.prefer_less
    word = say(("lower" if less else "higher") if pq.asks_rate else ("fewer" if less else "more"), lang)
    lead = say("winner", lang, place=a.place, word=word, stated=stated)
    if pq.metric.difference and a.unit == b.unit:
        unit = say("points", lang) if a.is_percent else a.unit
        lead += say("gap", lang, gap=f"{fmt_number(abs(a.value - b.value))}{unit}")
    if a.unit != b.unit:
        lead += say("measure_differs", lang)
    return lead


def sum_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    found, missing = per_place(pq, ctx)
    if not found:
        return _none_found(pq, missing)
    citations, lines, marked = _cite(found, pq.language)
    parts = " + ".join(f"{f.place}{m}" for f, m in zip(found, marked))
    chart = tuple(f.chart_row() for f in found)
    if missing:
        text = say("no_sum", pq.language, places=joined(missing, pq.language), found=parts) + "\n" + "\n".join(lines)
        return Answer(pq.text, text, False, citations, "extractive", chart=chart)
    if not all(_comparable(found[0], f) for f in found[1:]) or found[0].is_percent:
        text = say("no_add", pq.language, parts=parts) + "\n" + "\n".join(lines)
        return Answer(pq.text, text, True, citations, "extractive", chart=chart)
    total = sum(f.value for f in found)
    unit = found[0].unit if found[0].unit != "元" else "元"
    lead = say("total_of", pq.language, total=f"{fmt_number(total)}{unit}", parts=parts)
    if any(f.as_written.endswith(("余件", "多件")) or "余" in f.as_written for f in found):
        lead += say("approx_total", pq.language)
    lead += measures_note(found, pq.language)
    return Answer(pq.text, lead + _stop(pq.language) + "\n" + "\n".join(lines), True, citations, "extractive",
                  chart=chart)


RANK_LISTED = 20  # a ranking of more reports than this lists its first RANK_SHOWN and counts the rest
RANK_SHOWN = 10


def _kind(m) -> tuple[bool, bool]:
    """Rankable together: rates with rates, money with money, counts with counts (件 / 件次 / 份 alike)."""
    return m.unit == "%", m.unit == "元"


def rank_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    """「哪个地方…最多」: each report's best fact for the metric (the facts table), ranked in code. Across many
    reports the first RANK_SHOWN are listed and quoted, the rest counted: only the listed statements are read."""
    docs = list(pq.scope.doc_ids) if pq.scope.doc_ids is not None else [e.doc_id for e in ctx.catalog]
    metric = pq.parts[0].metric if pq.parts else pq.metric
    matches = ctx.statements().best_per_report(metric, docs, metric_text=pq.asked_thing)
    entries = {e.doc_id: e for e in ctx.catalog}
    # each report's best figure of the asked kind (`score.asked_kind`: 「出庭应诉次数」 is never 「应诉案件103件」)
    found = [m for m in matches if m.found]
    kept = {id(m) for m in found}
    unstated = [place_year(entries[m.doc_id].short_region, entries[m.doc_id].year, pq.language)
                for m in matches if id(m) not in kept and m.doc_id in entries]
    if not found:
        text = say("no_rank", pq.language, thing=pq.asked_thing, n=len(docs))
        return Answer(pq.text, text, False, [], "extractive")
    ref = _kind(max(found, key=lambda m: m.score))
    ranked = sorted((m for m in found if _kind(m) == ref), key=lambda m: m.value, reverse=pq.descending)
    apart = [m for m in found if _kind(m) != ref]
    listed = ranked if len(ranked) <= RANK_LISTED else ranked[:RANK_SHOWN]
    listed_apart = apart if len(apart) <= RANK_LISTED else apart[:RANK_SHOWN]

    def figure(m) -> Figure | None:
        f = m.statement  # read here, for the listed ones only
        if f is None:
            return None  # removed since it was ranked
        return Figure(entries[f.doc_id].short_region if f.doc_id in entries else f.region, f.year, f.value, f.unit,
                      f.unit == "%", f.as_written, f.citation)

    same = [f for f in map(figure, listed) if f]
    other = [f for f in map(figure, listed_apart) if f]
    if not same:
        text = say("no_rank", pq.language, thing=pq.asked_thing, n=len(docs))
        return Answer(pq.text, text, False, [], "extractive")
    citations, lines, marked = _cite(same + other, pq.language)
    top = same[0]
    order = say("semicolon", pq.language).join(f"{i}. {place_year(f.place, f.year, pq.language)}{m}"
                                                 for i, (f, m) in enumerate(zip(same, marked), 1))
    if len(same) == 1:
        lead = say("only_one", pq.language, place=top.place, value=marked[0])
    else:
        lead = say("top", pq.language, place=top.place, word=_word(pq, not pq.descending), value=marked[0])
        lead += f"\n{say('ranking', pq.language)}{say('colon', pq.language)}{order}"
    units = sorted({f.unit for f in same})
    if len(units) > 1:
        lead += "\n" + say("units_rank", pq.language,
                            units=joined((u or say("no_unit", pq.language) for u in units), pq.language))
    if other:
        lead += "\n" + say("semicolon", pq.language).join(
            f"{place_year(f.place, f.year, pq.language)}{m}（{say('not_comparable', pq.language)}）"
                                for f, m in zip(other, marked[len(same):]))
    if len(listed) < len(ranked) or len(listed_apart) < len(apart):
        lead += "\n" + say("ranked_more", pq.language, n=len(ranked) + len(apart), shown=len(same) + len(other))
    if unstated:
        places = joined(unstated, pq.language) if len(unstated) <= RANK_LISTED else \
            say("reports_n", pq.language, n=len(unstated))
        lead += f"\n{say('unstated', pq.language)}{say('colon', pq.language)}{places}"
    text = lead + "\n" + "\n".join(lines)
    return Answer(pq.text, text, True, citations, "extractive", chart=tuple(f.chart_row() for f in same))
