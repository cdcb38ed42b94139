"""Arithmetic over stated figures: ratios (倍), shares (占比), averages (平均每), a base from a rate (推算上年).

Every operand is a statement that measures the asked thing, cited; the computation is done here and shown
as a formula. When an operand is not stated, the answer says which and gives no figure.
"""
from __future__ import annotations

from ..question import ParsedQuestion
from ..statements.score import names_asked_thing
from ..text.quantity import units_compatible
from ..types import Answer
from . import extractive
from .across import measures_note, per_place
from .context import AnswerContext
from .rates import stated_rate
from .single import cite_all, refuse_metric, value_pick
from .wording import fmt_number, joined, say


def _round(x: float) -> str:
    return fmt_number(round(x, 1)) if abs(x) >= 1 else fmt_number(round(x, 3))


def _cannot(pq: ParsedQuestion, what: str, picks, passages) -> Answer:
    if not picks:
        return refuse_metric(pq, passages)
    citations, lines, values = cite_all(picks, pq.language)
    text = say("cannot", pq.language, what=what, found=_list(values, pq.language)) + "\n" + "\n".join(lines)
    return Answer(pq.text, text, False, citations, "extractive")


def _list(values: list[str], lang: str) -> str:
    return ("，" if lang != "en" else ", ").join(values)


def ratio_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    """「A是B的多少倍」: two places (one figure each) or two items of one report."""
    if len(pq.scope.mentions) >= 2:
        found, missing = per_place(pq, ctx)
        if missing or len(found) < 2:
            names = joined(missing, pq.language) or say("second_place", pq.language)
            text = say("no_ratio", pq.language, names=names)
            return Answer(pq.text, text, False, [f.citation for f in found], "extractive")
        a, b = found[0], found[1]
        labels = (a.place, b.place)
        values = (a.value, b.value)
        units = (a.unit, b.unit)
        from .across import _cite

        citations, lines, marked = _cite([a, b], pq.language)
    else:
        passages = ctx.search(pq, k=ctx.top_k + 3)
        picks, used = [], set()
        for part in pq.parts[:2]:
            pick = value_pick(pq, passages, ctx, part.metric, used)
            if pick is None:
                return _cannot(pq, say("figure_of", pq.language, label=part.label), [p for _, p in picks], passages)
            picks.append((part.label, pick))
            used.add(pick.quantity.start)
        if len(picks) < 2:
            return refuse_metric(pq, passages)
        labels = tuple(label for label, _ in picks)
        values = tuple(p.quantity.value for _, p in picks)
        units = tuple(p.quantity.unit for _, p in picks)
        citations, lines, marked = cite_all([p for _, p in picks], pq.language)
    if values[1] == 0:
        return Answer(pq.text, say("ratio_zero", pq.language, label=labels[1]) + "\n" + "\n".join(lines), False,
                      citations, "extractive")
    note = "" if units[0] == units[1] else say("units_differ", pq.language)
    if len(pq.scope.mentions) >= 2:
        note += measures_note([a, b], pq.language)
    r = values[0] / values[1]
    text = say("ratio", pq.language, r=_round(r), note=note, a=f"{labels[0]}{marked[0]}", b=f"{labels[1]}{marked[1]}",
               x=fmt_number(values[0]), y=fmt_number(values[1])) + "\n" + "\n".join(lines)
    return Answer(pq.text, text, True, citations, "extractive")


def share_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    """「已审结的占比是多少」: the part over its whole. A whole the question names is looked up; otherwise
    it is the total the part's sentence states (「办理案件103件，其中审结80件」)."""
    passages = ctx.search(pq, k=ctx.top_k + 3)
    parts = pq.parts or ()
    part_metric = parts[0].metric if parts else pq.metric
    part = value_pick(pq, passages, ctx, part_metric)
    if part is None:
        return refuse_metric(pq, passages)
    if part.statement.unit == "%" and part.statement.frame != "delta":
        # The report states the share itself (「占比92%」「…其中网上办理的占比为68.3%」): quote it.
        citations, lines, values = cite_all([part], pq.language)
        return Answer(pq.text, f"{values[0]}。\n" + "\n".join(lines), True, citations, "extractive")
    whole = None
    if len(parts) < 2 and _whole_of(part, passages, ctx) is None:
        # 「社保医保类事项占多大比例」: the best figure's sentence has no total (「…等28项高频事项」); a next
        # figure whose sentence states its total (「…7860件，其中社保、医保类4120件」) is the part asked for.
        tried = {part.quantity.start}
        for _ in range(2):
            other = value_pick(pq, passages, ctx, part_metric, tried)
            if other is None:
                break
            if _whole_of(other, passages, ctx) is not None and names_asked_thing(other.statement, part_metric):
                part = other
                break
            tried.add(other.quantity.start)
    if len(parts) >= 2:
        whole = value_pick(pq, passages, ctx, parts[1].metric, {part.quantity.start})
        if whole is None or not _can_hold(whole, part):
            # 「中心办理的事项中，社保医保类占多大比例」: a named whole that cannot hold the part (another unit,
            # a smaller figure) is not it; the total the part's own sentence states is.
            whole = _whole_of(part, passages, ctx) or whole
    else:
        whole = _whole_of(part, passages, ctx)
    if whole is None:
        return _cannot(pq, say("whole", pq.language), [part], passages)
    pv, wv = part.quantity.value, whole.quantity.value
    if not wv or part.statement.unit != whole.statement.unit or pv > wv:
        return _cannot(pq, say("same_whole", pq.language), [part, whole], passages)
    citations, lines, values = cite_all([part, whole], pq.language)
    share = pv / wv * 100
    label = parts[0].label if parts else ""
    text = say("share", pq.language, s=_round(share), label=label, part=values[0], whole=values[1], x=fmt_number(pv),
               y=fmt_number(wv)) + "\n" + "\n".join(lines)
    return Answer(pq.text, text, True, citations, "extractive")


def rate_from_counts(pq: ParsedQuestion, ctx: AnswerContext) -> Answer | None:
    """「人民调解的成功率是多少」 where the report states no rate but 「共调解纠纷267件，调解成功265件」: the rate
    computed from the count of the rate's own act (成功) over the total of its sentence, said to be computed.
    None when the question asks no 「…率」 (`pq.rate_counts`) or no such pair is stated."""
    if pq.rate_counts is None:
        return None
    stem = pq.rate_counts.label
    passages = ctx.search(pq, k=ctx.top_k + 3)
    tried: set[int] = set()
    for _ in range(3):
        part = value_pick(pq, passages, ctx, pq.rate_counts.metric, tried)
        if part is None:
            return None
        tried.add(part.quantity.start)
        whole = _whole_of(part, passages, ctx)
        if _counts_of_a_rate(stem, part, whole):
            citations, lines, values = cite_all([part, whole], pq.language)
            pv, wv = part.quantity.value, whole.quantity.value
            text = say("rate_from_counts", pq.language, s=_round(pv / wv * 100), rate=f"{stem}率", part=values[0],
                       whole=values[1], x=fmt_number(pv), y=fmt_number(wv)) + "\n" + "\n".join(lines)
            return Answer(pq.text, text, True, citations, "extractive")
    return None


def _counts_of_a_rate(stem: str, part, whole) -> bool:
    """A count of the rate's own act (调解成功265件) beside a whole that counts the same thing (调解纠纷267件):
    not 「依申请公开328件…纠错0件」, not a change (同比增长40件)."""
    return whole is not None and stem in (part.statement.lead or "")[-8:] and not part.quantity.is_percent \
        and part.statement.frame not in ("delta", "to", "from") and bool(whole.quantity.value) \
        and whole.quantity.start != part.quantity.start \
        and (whole.statement.frame == "total" or extractive.shares_a_pair(part.statement.measures,
                                                                          whole.statement.measures))


def _can_hold(whole, part) -> bool:
    return whole.statement.unit == part.statement.unit and (whole.quantity.value or 0) >= (part.quantity.value or 0)


def _whole_of(part, passages, ctx):
    """The total a part belongs to: the earlier figure of its sentence with the same unit (其中 / total
    frames), else the same sentence's largest figure of that unit."""
    st = part.statement
    same = [p for p in extractive.same_sentence(part, passages, ctx.idf)
            if p.statement.unit == st.unit and (p.quantity.value or 0) >= (part.quantity.value or 0)]
    if not same:
        return None
    earlier = [p for p in same if p.quantity.start < part.quantity.start]
    pool = [p for p in earlier if p.statement.frame == "total"] or earlier or same
    return min(pool, key=lambda p: abs(p.quantity.start - part.quantity.start))


def _any_metric():
    from ..question.metric import Intent

    return Intent((), ())


def average_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    """「平均每批次抽查了多少户」: the total over the count it is spread across, both stated."""
    passages = ctx.search(pq, k=ctx.top_k + 3)
    if len(pq.parts) < 2:
        return refuse_metric(pq, passages)
    total = value_pick(pq, passages, ctx, pq.parts[0].metric)
    if total is None:
        return refuse_metric(pq, passages)
    per = pq.parts[1].label
    divisor = _divisor(total, per, passages, ctx)
    if divisor is None:
        return _cannot(pq, say("count_of", pq.language, per=per), [total], passages)
    citations, lines, values = cite_all([total, divisor], pq.language)
    number, unit = _in_report_magnitude(total, divisor.quantity.value)
    avg = number / divisor.quantity.value
    text = say("average", pq.language, per=per, avg=_round(avg), unit=unit, a=values[0], b=values[1],
               x=fmt_number(number), y=fmt_number(divisor.quantity.value)) + "\n" + "\n".join(lines)
    return Answer(pq.text, text, True, citations, "extractive")


_MAGNITUDES = {1e4: "万", 1e8: "亿"}


def _in_report_magnitude(pick, divisor: float = 1.0) -> tuple[float, str]:
    """The figure in the report's own magnitude (1949.39万元, not 19493900元), so what is computed from it reads
    so too; base units when the result would fall below one of that magnitude (0.0175万件 → 175件)."""
    q = pick.quantity
    if q.number and q.value != q.number:
        word = _MAGNITUDES.get(round(q.value / q.number))
        if word and q.number / divisor >= 1:
            return q.number, word + pick.statement.unit
    return q.value, pick.statement.unit


def _divisor(total, per: str, passages, ctx):
    """The count the total is spread over: a figure in measure `per` (批次, 家, 名…), nearest the total."""
    per = per.strip()
    if not per:
        return None
    pool = [p for p in extractive.candidates(_any_metric(), passages, ctx.idf)
            if p.quantity.value and p.quantity.start != total.quantity.start
            and (p.statement.unit == per or p.statement.unit.endswith(per) or per.startswith(p.statement.unit or "\0")
                 or per in p.statement.measures)]
    if not pool:
        return None
    same = [p for p in pool if p.statement.doc_id == total.statement.doc_id and p.statement.start == total.statement.start]
    pool = same or [p for p in pool if p.statement.doc_id == total.statement.doc_id]
    return min(pool, key=lambda p: abs(p.quantity.start - total.quantity.start)) if pool else None


def base_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    """「推算上年大约接收了多少件」: the year before's figure when the report states it; else this year's figure
    and its stated rate of change, computed back (1723 ÷ 1.482)."""
    passages = ctx.search(pq, k=ctx.top_k + 3)
    before = value_pick(pq, passages, ctx)
    if before is not None and before.statement.period == "previous":
        citations, lines, values = cite_all([before], pq.language)
        return Answer(pq.text, say("base_stated", pq.language, value=values[0]) + "\n" + "\n".join(lines), True,
                      citations, "extractive")
    from dataclasses import replace as _replace

    current = value_pick(_replace(pq, period="current"), passages, ctx)
    if current is None:
        return refuse_metric(pq, passages)
    found = stated_rate(current, passages, ctx.idf)
    if found is None:
        return _cannot(pq, say("rate_or_before", pq.language), [current], passages)
    citations, lines, values = cite_all([current, found.rate], pq.language)
    sign = "-" if found.down else "+"
    number, unit = _in_report_magnitude(current)  # 11.2万户 ÷ 1.087 ≈ 10.3万户, not 103035.9户
    base = found.base * number / current.quantity.value if current.quantity.value else found.base
    text = say("base", pq.language, base=_round(base), unit=unit, a=values[0], sign=sign, b=values[1],
               x=fmt_number(number), y=fmt_number(found.factor),
               exact=fmt_number(round(base, 1))) + "\n" + "\n".join(lines)
    return Answer(pq.text, text, True, citations, "extractive")


def apply_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    """「按参与执法率算，实际参与执法的大概多少人」: the stated rate applied to the count it is a rate of (the
    count stated beside it: 「A类执法岗位870人，参与执法率96.14%」 → 870 × 96.14%), computed and cited."""
    passages = ctx.search(pq, k=ctx.top_k + 3)
    if len(pq.parts) < 2:
        return refuse_metric(pq, passages)
    rate = value_pick(pq, passages, ctx, pq.parts[0].metric)
    if rate is None or rate.statement.unit != "%":
        return refuse_metric(pq, passages)
    base = _count_beside(rate, passages, ctx, pq.parts[1].metric.units)
    if base is None:
        return _cannot(pq, say("count_for_rate", pq.language), [rate], passages)
    citations, lines, values = cite_all([base, rate], pq.language)
    number, unit = _in_report_magnitude(base)
    result = number * rate.quantity.value / 100
    text = say("applied", pq.language, r=_round(result), unit=unit, a=values[0], b=values[1], x=fmt_number(number),
               y=fmt_number(rate.quantity.value))
    return Answer(pq.text, text + "\n" + "\n".join(lines), True, citations, "extractive")


def _count_beside(rate, passages, ctx, units: tuple[str, ...] = ()):
    """The count a rate is of: the largest figure (not a rate) before it in its own sentence, in the measure word
    the question asks for when it names one (「办理41件,…纠错5件,纠错率17.8%」: 41, not the numerator 5;
    「多少人」 is not answered from 「两项」)."""
    same = [p for p in extractive.same_sentence(rate, passages, ctx.idf)
            if p.statement.unit != "%" and p.quantity.start < rate.quantity.start and p.quantity.value
            and (not units or any(units_compatible(p.statement.unit, u) for u in units))]
    return max(same, key=lambda p: p.quantity.value) if same else None
