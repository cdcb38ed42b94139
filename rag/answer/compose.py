"""A follow-up computed over earlier answers (「这两个加起来」「两者相差多少」「前者是后者的几倍」「哪个更多」):
each operand query is answered as it was asked, then the figures are added, subtracted, divided or compared
here, every operand cited. Figures of different measures or years are said to be so, not silently combined."""
from __future__ import annotations

from ..question import ParsedQuestion
from ..question.compose import label
from ..text.quantity import units_compatible
from ..types import Answer
from .across import figure_of, measures_note
from .context import AnswerContext
from .single import cite_all, value_pick
from .wording import fmt_number, say


def _figure(op: ParsedQuestion, ctx: AnswerContext):
    return value_pick(op, ctx.search(op), ctx)


def _caveats(operands, names, picks, lang: str) -> str:
    """What makes the two figures not like for like, said after the result: their measured things (the one
    rule of the cross-place answers) or their years."""
    note = measures_note([figure_of(n, None, p) for n, p in zip(names, picks)], lang)
    years = [op.scope.years[0] if op.scope.years else None for op in operands]
    if years[0] and years[1] and years[0] != years[1]:
        note += say("other_years", lang, a=years[0], b=years[1])
    return note


def composed_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    operands = pq.operands[:2]
    picks = [_figure(op, ctx) for op in operands]
    names = [label(op) for op in operands]
    missing = [n for n, p in zip(names, picks) if p is None]
    found = [p for p in picks if p is not None]
    lang = pq.language
    citations, lines, values = cite_all(found, lang)
    sep = "，" if lang != "en" else ", "
    if missing:
        have = say("found", lang, found=sep.join(values)) + "\n" + "\n".join(lines) if found else ""
        return Answer(pq.text, say("no_figures_for", lang, labels="」「".join(missing), have=have).strip(), False,
                      citations, "extractive")
    a, b = (p.quantity for p in picks)
    stated = [f"{n}{v}" for n, v in zip(names, values)]
    evidence = "\n".join(lines)
    if a.is_percent != b.is_percent or not (a.is_percent or units_compatible(a.unit, b.unit)):
        return Answer(pq.text, say("units_no_compute", lang, stated=sep.join(stated)) + f"\n{evidence}", True,
                      citations, "extractive")
    unit = "%" if a.is_percent else a.unit
    if pq.operation == "sum":
        lead = say("total_of", lang, total=f"{fmt_number(a.value + b.value)}{unit}", parts=f"{stated[0]} + {stated[1]}")
    elif pq.operation == "difference":
        gap_unit = say("points", lang) if a.is_percent else unit
        lead = say("gap_lead", lang, gap=f"{fmt_number(abs(a.value - b.value))}{gap_unit}", a=stated[0], b=stated[1])
    elif pq.operation == "ratio":
        if b.value == 0:
            return Answer(pq.text, say("ratio_zero", lang, label=names[1]) + f"\n{evidence}", False, citations,
                          "extractive")
        lead = say("ratio_short", lang, r=fmt_number(round(a.value / b.value, 1)), a=stated[0], b=stated[1])
    else:  # compare
        less = pq.asked_direction == "down"
        if a.value == b.value:
            lead = say("same", lang, stated=sep.join(stated))
        else:
            first = (a.value < b.value) if less else (a.value > b.value)
            winner = names[0] if first else names[1]
            lead = say("winner", lang, place=winner, word=say("fewer" if less else "more", lang), stated=sep.join(stated))
    stop = say("stop", lang)
    return Answer(pq.text, f"{lead}{_caveats(operands, names, picks, lang)}{stop}\n{evidence}", True, citations,
                  "extractive")
