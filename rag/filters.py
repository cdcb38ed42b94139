"""Which reports a question is about: regions and years it names, from the catalogue.

A question naming a place or year the corpus does not hold must get nothing,
never a silent fallback to all reports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text.script import to_simplified
from .types import CatalogEntry

_ADMIN_SUFFIX = ("省", "市", "区", "县", "镇", "乡", "街道", "旗", "州", "盟")
# Place-like words that are not a named region.
_GENERIC = {
    "全区", "我区", "本区", "各区", "全市", "本市", "我市", "各市", "全县", "本县", "全镇", "我镇", "本镇",
    "各镇", "社区", "园区", "辖区", "城区", "市区", "郊区", "新区", "示范区", "街区", "片区", "景区", "校区",
    "地区", "山区", "农村", "县区", "区县", "市县", "乡镇", "街乡", "城市", "省市", "区级", "市级", "镇级",
    "全省", "各省", "自贸区", "开发区", "保税区", "功能区", "集聚区", "试验区", "该区", "此区", "哪个区",
    "哪个市", "哪个镇", "哪区", "两区", "三区", "各街道", "各乡镇", "街道", "中国", "全国", "城市", "镇街",
    "北京城", "首都", "国家", "中央", "全省", "延时", "上门",
}
_PLACE_CONTEXT = re.compile(r"\s*(?:(?:19|20)\d{2}年|[二〇零一三四五六七八九]{4}年|和|与|及|、|，|,|的)")
_PLACE_JOINERS = {"和", "与", "及", "、", "，", ","}
# Any 4+ digit number before 年 is a year the question names, even an absurd one (3024年,
# 99999999999999999999年): the corpus has no report for it, and the answer must say so, not ignore it.
_YEAR = re.compile(r"(?<![\d.])(\d{4,})\s*年")
_CN_YEAR = re.compile(r"([二〇零一三四五六七八九]{4})\s*年")
_CN_DIGIT = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
             "七": "7", "八": "8", "九": "9"}


@dataclass(frozen=True)
class QueryScope:
    """What a question restricts itself to."""

    doc_ids: tuple[str, ...] | None  # None: the whole corpus; () : nothing matches
    regions: tuple[str, ...] = ()  # catalogue regions named (short form)
    years: tuple[int, ...] = ()
    unknown_regions: tuple[str, ...] = ()  # places named that the corpus does not hold
    missing_years: tuple[int, ...] = ()  # years named that no matching report covers
    content: str = ""  # the question without the places and years: what to rank passages by
    mentions: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (place as written, its docs) in question order

    @property
    def empty(self) -> bool:
        return self.doc_ids == ()

    def restrict(self, allowed: list[str] | tuple[str, ...] | None) -> "QueryScope":
        """Intersect with an explicit choice of reports (e.g. from the UI)."""
        if allowed is None:
            return self
        base = self.doc_ids if self.doc_ids is not None else tuple(allowed)
        return QueryScope(tuple(d for d in base if d in allowed), self.regions, self.years,
                          self.unknown_regions, self.missing_years, self.content,
                          tuple((n, tuple(d for d in docs if d in allowed)) for n, docs in self.mentions))


class ScopeDetector:
    def __init__(self, catalog: list[CatalogEntry]):
        self.catalog = catalog
        # name (Simplified) → docs it names itself, and docs it contains as a parent region
        self._names: dict[str, tuple[set[str], set[str]]] = {}
        for e in catalog:
            parts = _admin_parts(e.region)
            for n in {e.region, *e.aliases, *parts[-1:]}:
                if n and n.strip():  # an empty name would match every question
                    self._entry(to_simplified(n))[0].add(e.doc_id)
            for part in parts[:-1] + _admin_parts(e.parent):
                self._entry(part)[1].add(e.doc_id)
                short = _strip_suffix(part)
                if len(short) >= 2:
                    self._entry(short)[1].add(e.doc_id)
        # A department's report answers to its place's name (城东区 for 城东区市场监管局) only when the place has no
        # report of its own: the district's figures are the district's, not its bureau's.
        departments = {e.doc_id for e in catalog if e.level == "department"}
        for own, _ in self._names.values():
            if own & departments and own - departments:
                own -= departments
        # One pattern, longest names first: at each position the longest name wins (北京市昌平区 over 北京市).
        order = sorted(self._names, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, order))) if order else None
        self._known = set(self._names)
        self._short_names = {e.doc_id: e.short_region for e in catalog}

    def _entry(self, name: str) -> tuple[set[str], set[str]]:
        return self._names.setdefault(name, (set(), set()))

    def detect(self, question: str) -> QueryScope:
        q = to_simplified(question)
        taken = [False] * len(q)
        found: list[tuple[int, int, str, set[str]]] = []  # start, end, name, docs it names
        parent_docs: set[str] = set()
        for m in (self._pattern.finditer(q) if self._pattern else ()):
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            if m.group()[-1] in "区县市镇" and q[m.end():m.end() + 1] in ("委", "政") and len(m.group()) > 2:
                taken[m.end() - 1] = False  # 「恩阳区委常委会」「昌平区政府常务会」: 区委 / 区政府 stay what is asked about
            own, contained = self._names[m.group()]
            if own:
                found.append((m.start(), m.end(), m.group(), own))
            parent_docs |= contained
        unknown = tuple(u for u in _places(q) if u not in self._known and not _inside_known(u, q, self._known))
        year_hits = _year_hits(q)
        years = tuple(dict.fromkeys(y for _, y in year_hits))
        content = "".join(ch for ch, t in zip(q, taken) if not t)
        content = _CN_YEAR.sub("", _YEAR.sub("", content)).strip() or q
        plans = any(w in q for w in _plan_words())

        def covering(docs, ys) -> set[str]:
            if not ys:
                return set(docs)
            return {e.doc_id for e in self.catalog if e.doc_id in docs
                    and any(e.year == y or (plans and e.year == y - 1) for y in ys)}

        missing: list[int] = []
        if not found:
            if parent_docs and not unknown:
                # Only a parent region (大兴区, 北京市): its own report is not in the corpus.
                named = [n for n in self._known if n in q and self._names[n][1] and not self._names[n][0]]
                unknown = (min(named, key=lambda n: len(self._names[n][1])),)  # the most specific one
            regions = tuple(sorted({self._short(d) for d in parent_docs}))
            if unknown:
                return QueryScope((), regions, years, unknown, (), content)
            docs = covering([e.doc_id for e in self.catalog], years)
            if years and not docs:
                missing = list(years)
            ordered = None if not years else tuple(e.doc_id for e in self.catalog if e.doc_id in docs)
            return QueryScope(ordered, (), years, (), tuple(missing), content)

        # A year written against a place (西城区2023年, 2020年的通州区) is that place's; years written
        # elsewhere (2024年，昌平区和恩阳区…) apply to every place that has none of its own.
        own_years: list[list[int]] = [[] for _ in found]
        shared: list[int] = []
        for pos, y in year_hits:
            end = pos + len(str(y)) + 1
            after = [i for i, f in enumerate(found) if f[1] <= pos and _only_glue(q[f[1]:pos])]
            before = [i for i, f in enumerate(found) if f[0] >= end and _only_glue(q[end:f[0]])]
            owner = after[-1:] or before[:1]
            (own_years[owner[0]] if owner else shared).append(y)
        mentions: list[tuple[str, tuple[str, ...]]] = []
        seen: set[tuple[str, ...]] = set()
        all_docs: set[str] = set()
        for (_, _, name, own), ys in zip(found, own_years):
            ys = ys or shared
            docs = tuple(sorted(covering(own, ys)))
            if not docs:
                missing.extend(y for y in ys if y not in missing)
                continue
            all_docs.update(docs)
            if docs not in seen:
                seen.add(docs)
                mentions.append((name, docs))
        regions = tuple(sorted({self._short(d) for _, _, _, own in found for d in own}))
        ordered = tuple(e.doc_id for e in self.catalog if e.doc_id in all_docs)
        return QueryScope(ordered, regions, years, unknown, tuple(missing), content, tuple(mentions))

    def _short(self, doc_id: str) -> str:
        return self._short_names[doc_id]


# Plan wording: a year named with these is the year planned, covered by the previous year's report.
PLAN_WORDS = ("安排", "计划", "打算", "工作重点", "下一步", "明年", "将要", "部署", "思路", "下一年")


def _plan_words() -> tuple[str, ...]:
    return PLAN_WORDS


def _admin_parts(region: str) -> list[str]:
    """北京市大兴区长子营镇 → [北京市, 大兴区, 长子营镇]."""
    parts = re.findall(r".+?(?:省|自治区|市|区|县|镇|乡|街道)", to_simplified(region or ""))
    return [p for p in parts if len(p) >= 2]


def _strip_suffix(name: str) -> str:
    for suf in _ADMIN_SUFFIX:
        if name.endswith(suf):
            return name[: -len(suf)]
    return name


def _inside_known(place: str, q: str, known: set[str]) -> bool:
    """A place word that is only part of a known name (e.g. 营镇 inside 长子营镇)."""
    return any(place in k and k in q for k in known)


def _only_glue(between: str) -> bool:
    """Nothing but 的 or spaces between a place and a year: they belong together."""
    return len(between) <= 2 and all(ch in "的 \u3000" for ch in between)


def _year_hits(q: str) -> list[tuple[int, int]]:
    """(position, year) for every year the question writes, 2024年 or 二〇二四年."""
    hits = [(m.start(), int(m.group(1))) for m in _YEAR.finditer(q)]
    hits += [(m.start(), int("".join(_CN_DIGIT[c] for c in m.group(1)))) for m in _CN_YEAR.finditer(q)]
    return sorted(hits)


# A word that looks like a place name where a place stands in a question (at its start, or beside 和/与/、/比),
# whether or not any gazetteer knows it (青石县, 城关街道): a place the library does not hold is refused.
_PLACE_LIKE = re.compile(r"(?:^|(?<=[，,、和与及跟比同在]))(?:请问|那么|那|在)?"
                         r"([\u4e00-\u9fff]{2,8}?(?:自治县|自治州|自治旗|新区|街道办事处|街道|县|区|市|镇|乡|旗|盟))"
                         r"(?=(?:19|20)\d{2}|[二〇零一]{1}[〇零一二三四五六七八九]{3}|的|和|与|、|，|,|在|有|共|全年|一共|去年|今年|上一年|是|呢|吗|\s|$)")
_NOT_A_PLACE = re.compile(r"^(全|本|我|该|各|这|那|哪|某|其他|其|此|两|三|几|多|城|市|县|区|镇|乡|社|园|辖|功能|开发|示范|试验|保税|自贸)"
                          r"|行政|执法|法治|政府|人民|工作|服务|办事|管理|机关|部门|单位|年|的|了|[0-9]")


def _places(q: str) -> list[str]:
    """Place names jieba tags as ns: with an administrative suffix (海淀区), or bare (深圳, 朝阳) where
    a place stands in a question: at its start, before a year, or beside 和/与/、; and words that look
    like a place name where a place stands (青石县), known to a gazetteer or not."""
    import jieba.posseg

    from .text.tokens import jieba_module

    jieba_module()  # initialised and quiet
    out = []
    pos = 0
    for word, flag in jieba.posseg.cut(q):
        start, pos = pos, pos + len(word)
        if flag != "ns" or len(word) < 2 or word in _GENERIC:
            continue
        if word.endswith(_ADMIN_SUFFIX) and len(word) >= 3:
            out.append(word)
        elif start == 0 or _PLACE_CONTEXT.match(q, pos) or q[max(0, start - 1):start] in _PLACE_JOINERS:
            out.append(word)
    for m in _PLACE_LIKE.finditer(q):
        name = m.group(1)
        if name not in out and name not in _GENERIC and not _NOT_A_PLACE.search(name) \
                and not any(name in o or o in name for o in out):
            out.append(name)
    return out
