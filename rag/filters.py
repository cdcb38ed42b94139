"""Which reports a question is about: regions and years it names, from the catalogue.

A question naming a place or year the corpus does not hold must get nothing,
never a silent fallback to all reports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .corpus import to_simplified
from .types import CatalogEntry

_ADMIN_SUFFIX = ("省", "市", "区", "县", "镇", "乡", "街道", "旗", "州", "盟")
# Place-like words that are not a named region.
_GENERIC = {
    "全区", "我区", "本区", "各区", "全市", "本市", "我市", "各市", "全县", "本县", "全镇", "我镇", "本镇",
    "各镇", "社区", "园区", "辖区", "城区", "市区", "郊区", "新区", "示范区", "街区", "片区", "景区", "校区",
    "地区", "山区", "农村", "县区", "区县", "市县", "乡镇", "街乡", "城市", "省市", "区级", "市级", "镇级",
    "全省", "各省", "自贸区", "开发区", "保税区", "功能区", "集聚区", "试验区", "该区", "此区", "哪个区",
    "哪个市", "哪个镇", "哪区", "两区", "三区", "各街道", "各乡镇", "街道", "中国", "全国",
}
_PLAN_WORDS = ("安排", "计划", "打算", "工作重点", "下一步", "明年", "将要", "部署", "思路")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
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
                self._entry(to_simplified(n))[0].add(e.doc_id)
            for part in parts[:-1] + _admin_parts(e.parent):
                self._entry(part)[1].add(e.doc_id)
                short = _strip_suffix(part)
                if len(short) >= 2:
                    self._entry(short)[1].add(e.doc_id)
        # One pattern, longest names first: at each position the longest name wins (北京市昌平区 over 北京市).
        order = sorted(self._names, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, order))) if order else None
        self._known = set(self._names)
        self._short_names = {e.doc_id: e.short_region for e in catalog}

    def _entry(self, name: str) -> tuple[set[str], set[str]]:
        return self._names.setdefault(name, (set(), set()))

    def detect(self, question: str) -> QueryScope:
        q = to_simplified(question)
        self_hits: dict[str, set[str]] = {}
        parent_docs: set[str] = set()
        taken = [False] * len(q)
        found: list[tuple[int, str, set[str]]] = []
        for m in (self._pattern.finditer(q) if self._pattern else ()):
            name = m.group()
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            own, contained = self._names[name]
            if own:
                self_hits.setdefault(name, set()).update(own)
                found.append((m.start(), name, own))
            parent_docs |= contained
        unknown = tuple(u for u in _places(q) if u not in self._known and not _inside_known(u, q, self._known))
        region_docs: set[str] | None = None
        if self_hits:
            region_docs = set().union(*self_hits.values())
        elif parent_docs:
            region_docs = parent_docs
        regions = tuple(sorted({self._short(d) for d in (region_docs or ())}))

        years = _years(q)
        content = "".join(ch for ch, t in zip(q, taken) if not t)
        content = _CN_YEAR.sub("", _YEAR.sub("", content)).strip() or q
        year_docs: set[str] | None = None
        missing: list[int] = []
        if years:
            plans = any(w in q for w in _PLAN_WORDS)
            year_docs = set()
            pool = [e for e in self.catalog if region_docs is None or e.doc_id in region_docs]
            for y in years:
                hit = {e.doc_id for e in pool if e.year == y or (plans and e.year == y - 1)}
                if not hit:
                    missing.append(y)
                year_docs |= hit

        mentions = _ordered_mentions(found, year_docs)
        if not self_hits and parent_docs and not unknown:
            # Only a parent region (大兴区, 北京市): its own report is not in the corpus.
            named = [n for n in self._known if n in q and self._names[n][1] and not self._names[n][0]]
            unknown = (min(named, key=lambda n: len(self._names[n][1])),)  # the most specific one
        if unknown and not self_hits:
            return QueryScope((), regions, years, unknown, tuple(missing), content)
        docs: set[str] | None = None
        for s in (region_docs, year_docs):
            if s is not None:
                docs = s if docs is None else docs & s
        if missing and region_docs is not None and len(self_hits) <= 1:
            docs = set()  # e.g. 昌平区2019年: the one report named does not cover it
        ordered = None if docs is None else tuple(e.doc_id for e in self.catalog if e.doc_id in docs)
        return QueryScope(ordered, regions, years, unknown, tuple(missing), content, mentions)

    def _short(self, doc_id: str) -> str:
        return self._short_names[doc_id]


def _ordered_mentions(found, year_docs) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """One entry per distinct report named, in the order the question names them."""
    out, seen = [], set()
    for _, name, docs in sorted(found, key=lambda x: x[0]):
        keep = tuple(sorted(d for d in docs if year_docs is None or d in year_docs))
        if keep and keep not in seen:
            seen.add(keep)
            out.append((name, keep))
    return tuple(out)


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


def _years(q: str) -> tuple[int, ...]:
    found = [int(m.group(1)) for m in _YEAR.finditer(q)]
    for m in _CN_YEAR.finditer(q):
        found.append(int("".join(_CN_DIGIT[c] for c in m.group(1))))
    return tuple(dict.fromkeys(found))


def _places(q: str) -> list[str]:
    """Place names jieba tags as ns that carry an administrative suffix."""
    import jieba.posseg

    from .bm25 import jieba_module

    jieba_module()  # initialised and quiet
    out = []
    for word, flag in jieba.posseg.cut(q):
        if flag == "ns" and word.endswith(_ADMIN_SUFFIX) and len(word) >= 3 and word not in _GENERIC:
            out.append(word)
    return out
