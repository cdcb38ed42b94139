"""Questions about the reports themselves, answered from the catalogue (and the title line when the
report has one, as the citation)."""
from __future__ import annotations

from ..corpus import issuer_of, province_of
from ..question import ParsedQuestion
from ..types import Answer, CatalogEntry, Citation
from .context import AnswerContext

_LEVELS = {"province": "省级", "city": "市级", "district": "区级", "county": "县级", "town": "乡镇（街道）级",
           "department": "部门"}


def _title_citation(ctx: AnswerContext, entry: CatalogEntry, text: str | None) -> list[Citation]:
    if not text:
        return []
    at = text.find(entry.title[:12])
    if at < 0:
        return []
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    return [Citation(entry.doc_id, entry.title, "", text[at:end], at, end)]


def about_answer(pq: ParsedQuestion, ctx: AnswerContext, texts=None) -> Answer:
    """`texts`: doc_id → report text, for citing a title line (optional)."""
    texts = texts or {}
    docs = [d for _, ds in pq.scope.mentions for d in ds] or list(pq.scope.doc_ids or ())
    entries = [e for e in ctx.catalog if e.doc_id in docs] if docs else list(ctx.catalog)
    field = pq.about
    if field == "count":
        n = len(ctx.catalog)
        places = "、".join(f"{e.short_region}（{e.year}年）" for e in ctx.catalog)
        text = f"本库共收录{n}份报告：{places}。" if pq.language != "en" else f"The library holds {n} reports: {places}."
        return Answer(pq.text, text, True, [], "extractive")
    if field == "levels":
        return _levels_answer(pq, ctx)
    if field == "coverage":
        lines = [f"{i}. {e.title}（{province_of(e)}{e.region}，{_LEVELS.get(e.level, e.level)}，{e.year}年"
                 f"{'，繁体' if e.script == 'traditional' else ''}）" for i, e in enumerate(ctx.catalog, 1)]
        years = [e.year for e in ctx.catalog]
        head = (f"本库收录{len(lines)}份报告，覆盖{min(years)}—{max(years)}年：" if lines else "本库尚未收录报告。")
        return Answer(pq.text, head + "\n" + "\n".join(lines), bool(lines), [], "extractive")
    out, cites = [], []
    for e in entries:
        if field == "parent":
            out.append(f"{e.short_region}隶属{e.parent}（全称：{e.region}）" if e.parent else f"{e.region}：目录中没有上级行政区的记录")
        elif field == "published":
            out.append(f"《{e.title}》的发布日期是{e.published}" if e.published
                       else f"《{e.title}》：目录中没有记录发布日期（报告所述年度为{e.year}年）")
        elif field == "issuer":
            out.append(f"《{e.title}》由{issuer_of(e)}发布")
        elif field == "title":
            out.append(f"{e.short_region}的报告标题是《{e.title}》")
        elif field == "year":
            out.append(f"《{e.title}》是{e.region}{e.year}年度的报告")
        elif field == "level":
            out.append(f"{e.region}是{_LEVELS.get(e.level, e.level)}行政区，上级为{e.parent or '（未记录）'}")
        cites += _title_citation(ctx, e, texts.get(e.doc_id))
    answered = not (field == "published" and all(not e.published for e in entries))
    return Answer(pq.text, "；".join(out) + "。", answered, cites, "extractive")


def _levels_answer(pq: ParsedQuestion, ctx: AnswerContext) -> Answer:
    """「库里有没有镇一级的报告？是哪个？」: the library's reports of the asked level, from the catalogue."""
    level = pq.asked_level
    held = [e for e in ctx.catalog if e.level == level]
    name = _LEVELS.get(level, level or "")
    if held:
        listed = "、".join(f"{e.short_region}（{e.year}年）" for e in held)
        text = f"有：本库中{name}的报告是{listed}。" if pq.language != "en" else f"Yes: {listed}."
        return Answer(pq.text, text, True, [], "extractive")
    others = "、".join(f"{e.short_region}（{_LEVELS.get(e.level, e.level)}）" for e in ctx.catalog)
    text = f"没有：本库没有{name}的报告。本库收录的是{others}。" if pq.language != "en" else \
        f"No: the library holds no report of that level. It holds: {others}."
    return Answer(pq.text, text, True, [], "extractive")  # a definite no, from the catalogue
