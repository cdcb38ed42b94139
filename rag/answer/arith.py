"""Arithmetic over stated figures: ratios (倍), shares (占比), averages (平均每), a base from a rate (推算上年).

Every operand is a statement that measures the asked thing, cited; the computation is done here and shown
as a formula. When an operand is not stated, the answer says which and gives no figure.
"""
from __future__ import annotations

from ..question import ParsedQuestion
from ..types import Answer
from . import extractive
from .across import measures_note, per_place
from .context import AnswerContext
from .rates import stated_rate
from .single import cite_all, refuse_metric, value_pick
from .wording import fmt_number


def _round(x: float) -> str:
    return fmt_number(round(x, 1)) if abs(x) >= 1 else fmt_number(round(x, 3))


def _cannot(pq: ParsedQuestion, what: str, picks, passages) -> Answer:
    if not picks:
        return refuse_metric(pq, passages)
    citations, lines, values = cite_all(picks, pq.language)
    text = f"无法计算：报告中未找到{what}。已找到：{'，'.join(values)}。\n" + "\n".join(lines)
    return Answer(pq.text, text, False, citations, "extractive")


def ratio_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    """「A是B的多少倍」: two places (one figure each) or two items of one report."""
    if len(pq.scope.mentions) >= 2:
        found, missing = per_place(pq, ctx)
        if missing or len(found) < 2:
            names = "、".join(missing) or "第二个地方"
            text = f"无法计算倍数：报告中未找到{names}与此对应的数字。"
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
                return _cannot(pq, f"「{part.label}」的数字", [p for _, p in picks], passages)
            picks.append((part.label, pick))
            used.add(pick.quantity.start)
        if len(picks) < 2:
            return refuse_metric(pq, passages)
        labels = tuple(label for label, _ in picks)
        values = tuple(p.quantity.value for _, p in picks)
        units = tuple(p.quantity.unit for _, p in picks)
        citations, lines, marked = cite_all([p for _, p in picks], pq.language)
    if values[1] == 0:
        return Answer(pq.text, f"无法计算倍数：{labels[1]}为0。\n" + "\n".join(lines), False, citations, "extractive")
    note = "" if units[0] == units[1] else "（两者计量单位不同，倍数仅供参考）"
    if len(pq.scope.mentions) >= 2:
        note += measures_note([a, b])
    r = values[0] / values[1]
    text = (f"约{_round(r)}倍{note}：{labels[0]}{marked[0]} ÷ {labels[1]}{marked[1]} = "
            f"{fmt_number(values[0])} ÷ {fmt_number(values[1])} ≈ {_round(r)}。\n" + "\n".join(lines))
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
    if part.statement.unit == "%" and len(parts) < 2:
        # The report states the share itself (「占比92%」): quote it.
        citations, lines, values = cite_all([part], pq.language)
        return Answer(pq.text, f"{values[0]}。\n" + "\n".join(lines), True, citations, "extractive")
    whole = None
    if len(parts) >= 2:
        whole = value_pick(pq, passages, ctx, parts[1].metric, {part.quantity.start})
    else:
        whole = _whole_of(part, passages, ctx)
    if whole is None:
        return _cannot(pq, "可作分母的总数", [part], passages)
    pv, wv = part.quantity.value, whole.quantity.value
    if not wv or part.statement.unit != whole.statement.unit or pv > wv:
        return _cannot(pq, "与之同口径的总数", [part, whole], passages)
    citations, lines, values = cite_all([part, whole], pq.language)
    share = pv / wv * 100
    label = parts[0].label if parts else ""
    text = (f"约{_round(share)}%：{label}{values[0]} ÷ 总数{values[1]} = {fmt_number(pv)} ÷ {fmt_number(wv)} "
            f"≈ {_round(share)}%。\n" + "\n".join(lines))
    return Answer(pq.text, text, True, citations, "extractive")


def _whole_of(part, passages, ctx):
    """The total a part belongs to: the earlier figure of its sentence with the same unit (其中 / total
    frames), else the same sentence's largest figure of that unit."""
    st = part.statement
    same = [p for p in extractive.candidates(_any_metric(), passages, ctx.idf)
            if p.statement.start == st.start and p.statement.doc_id == st.doc_id
            and p.statement.unit == st.unit and p.quantity.start != part.quantity.start
            and (p.quantity.value or 0) >= (part.quantity.value or 0)]
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
        return _cannot(pq, f"「{per}」的数目", [total], passages)
    citations, lines, values = cite_all([total, divisor], pq.language)
    avg = total.quantity.value / divisor.quantity.value
    unit = total.statement.unit
    text = (f"平均每{per}约{_round(avg)}{unit}：{values[0]} ÷ {values[1]} = {fmt_number(total.quantity.value)} ÷ "
            f"{fmt_number(divisor.quantity.value)} ≈ {_round(avg)}。\n" + "\n".join(lines))
    return Answer(pq.text, text, True, citations, "extractive")


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
        return Answer(pq.text, f"{values[0]}（报告写明的上年数字）。\n" + "\n".join(lines), True, citations, "extractive")
    from dataclasses import replace as _replace

    current = value_pick(_replace(pq, period="current"), passages, ctx)
    if current is None:
        return refuse_metric(pq, passages)
    found = stated_rate(current, passages, ctx.idf)
    if found is None:
        return _cannot(pq, "上年数字或同比变化率", [current], passages)
    citations, lines, values = cite_all([current, found.rate], pq.language)
    sign = "-" if found.down else "+"
    unit = current.statement.unit
    text = (f"约{fmt_number(round(found.base))}{unit}（推算值，报告未直接写明）：{values[0]} ÷ (1 {sign} {values[1]}) = "
            f"{fmt_number(current.quantity.value)} ÷ {fmt_number(found.factor)} ≈ {fmt_number(round(found.base, 1))}。\n"
            + "\n".join(lines))
    return Answer(pq.text, text, True, citations, "extractive")
