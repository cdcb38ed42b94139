"""Who, where and when a report is, read from its title, file name and opening lines.

Rules studied on real report pages (titles such as 「XX区人民政府关于2022年度法治政府建设情况的报告」,
「XX街道2024年度法治政府建设情况报告」, 「XX市市场监管局2022年法治政府建设年度报告」, two-line titles
「XX县人民政府 / 2022年度…报告」, pages whose body only says 我区/我局):
- the region comes from the title, else the file name, else the opening of the body; division names
  are looked up in the gazetteer (rag.ingest.gazetteer) and an ambiguous name (鼓楼区 ×4) is settled
  by a parent named beside it or in the body;
- towns (镇/乡/街道) and departments (…局/…委员会/…办公室) are read after the division name;
- the year covered is the year the title names (关于2022年度… covers 2022 even when published in 2023);
  the publication date is `published`, never the year.
Each field that could not be read is listed in `undetermined`, so the user is told and can correct it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..text.script import to_simplified
from .extract import Extracted
from .gazetteer import Division, gazetteer, strip_division_suffix

_REPORTISH = re.compile(r"报告|法治政府|依法行政")
_RANGE = re.compile(r"(20\d\d)\s*[-—–~～至到]\s*(20\d\d)")
_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年")
_CN_YEAR = re.compile(r"二[〇零○O0][一二三四五六七八九〇零○]{2}(?=年)")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "O": "0", "0": "0"}
_SIGNED = re.compile(r"^\s*(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_TOWN = re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:街道|镇|乡))(?=人民政府|办事处|政府|党委|党工委|工作委员会|工委|关于|\d|年|法治|[（(]|$)")
_DEPT = re.compile(r"^([\u4e00-\u9fff]{2,14}?(?:局|委员会|厅|办公室|管理处|中心|部))"
                   r"(?=关于|\d|年度|法治|[（(]|党组|$)")
_BODY_SUBJECT = re.compile(
    r"(?:^|[，,。；;\n])\s*(?:现将)?((?![全各本我该乡镇街])[\u4e00-\u9fff]{2,6}?(?:街道|镇|乡))(?:办事处|人民政府|党委|党工委)?"
    r"(?=在|坚持|深入|积极|始终|紧紧|全面|严格|以|认真|按照|围绕|聚焦|高度|不断|持续|扎实|依法|\d)")
_SELF_DEPT = re.compile(r"我局|本局")
_NOT_DEPT = re.compile(r"^(人民政府|政府)")
# 「青山县人民政府关于…」 of a place the gazetteer does not know: the place is still named by its government.
_UNKNOWN_GOV = re.compile(r"^([\u4e00-\u9fff]{1,8}?(自治县|县|区|市|旗))(?=人民政府|政府)")
_LEVEL_OF_SUFFIX = {"自治县": "county", "县": "county", "旗": "county", "区": "district", "市": "city"}
# 「现将有关情况报告如下：」 is a sentence; 「XX县人民政府 > 政务公开 > 法治政府建设」 is a page's
# breadcrumb or its date line; 「一、2024年法治政府建设主要举措」 is a heading
_NOT_TITLE = re.compile(r"现将|如下|特此报告|[：:。，,；;]\s*$|[>›»＞]|发布机构|发布日期|索引号|来源[：:]"
                        r"|^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|第[一二三四五六七八九十]+)")
_TITLE_TAIL = re.compile(r"\s*[_|｜\-—]\s*[^_|｜]*$")
LEVELS = ("province", "city", "district", "county", "town", "department")


@dataclass
class Detected:
    title: str = ""
    issuer: str = ""
    region: str = ""
    parent: str = ""
    level: str = ""
    aliases: list[str] = field(default_factory=list)
    year: int = 0
    published: str | None = None
    script: str = "simplified"
    undetermined: list[str] = field(default_factory=list)  # field names to ask the user about
    notes: list[str] = field(default_factory=list)  # how each field was found, for the user


def detect(extracted: Extracted, filename: str) -> Detected:
    stem = Path(filename).stem
    text = extracted.text
    out = Detected(published=extracted.published or _signed_date(text), script=script_of(text))
    out.title = _title(extracted, stem)
    if not _REPORTISH.search(out.title):
        out.undetermined.append("title")
    title_s = to_simplified(out.title)
    stem_s = to_simplified(stem)
    body_s = to_simplified(text[:4000])

    _year(out, title_s, stem_s, body_s)

    # Region, town and department: title first, then the file name, then the body.
    subject = _BODY_SUBJECT.search(body_s[:400])  # 「2025年，XX街道办事处深入…」: a page without its title
    sources = ((title_s, "标题"), (stem_s, "文件名"), (subject.group(1) if subject else "", "正文开头的主语"),
               (body_s[:300], "正文开头"), (body_s, "正文"))
    for source, where in sources:
        if source and _place(out, source, body_s, counted=(where == "正文")):
            out.notes.append(f"地区取自{where}")
            break
    else:
        out.undetermined += ["region", "level"]
    if out.level not in ("town", "department") and _SELF_DEPT.search(body_s[:600]) and "region" not in out.undetermined:
        # The body speaks as 我局 but no title named the department: its government's region is known only.
        out.level = "department"
        out.undetermined.append("region")
        out.notes.append("正文自称「我局」，但未写明部门名称：请补充 region（如 …市生态环境局）")
    if not out.parent and out.region and out.level != "province":
        out.undetermined.append("parent")
    out.issuer = _issuer(out.title, title_s) or out.region
    return out


def region_fields(region: str) -> dict:
    """What a corrected region name implies for the fields derived from it (aliases, parent, level), read
    the way detection reads a title; only aliases when the gazetteer does not know the name."""
    out = Detected()
    if _place(out, to_simplified(region), "", counted=False) and out.aliases:
        return {"aliases": out.aliases, "parent": out.parent, "level": out.level}
    return {"aliases": _aliases([region, strip_division_suffix(region)])}


def _year(out: Detected, title_s: str, stem_s: str, body_s: str) -> None:
    """The year covered: the title's, else the file name's, else the body's, each cross-checked against the
    body and the publication date; a conflict is noted, and flagged when nothing settles it.

    The body is read as a vote (the year it names most, beside the date it was published), not as its first
    year: a 2019 report opens by citing its 2018 ranking (「在2018年度全市考核中排名第二」)."""
    published = int(out.published[:4]) if out.published else 0
    votes = _body_years(body_s)
    for source, where in ((title_s, "标题"), (stem_s, "文件名")):
        if year := year_in(source):
            out.year = year
            out.notes.append(f"年份取自{where}")
            cited = votes.most_common(1)[0][0] if votes else 0
            if cited and cited != year and votes[cited] > votes.get(year, 0):
                out.notes.append(f"正文提到最多的是{cited}年，以{where}（{year}年）为准")
            if published and not year <= published <= year + 1:
                out.undetermined.append("year")
                out.notes.append(f"{where}写的是{year}年，发布日期却是{out.published}：请核对年份")
            return
    if published:
        near = {y: n for y, n in votes.items() if y in (published - 1, published)}
        if near:  # the year the body names most among the two a report published then can cover
            out.year = max(near, key=lambda y: (near[y], -y))
            out.notes.append(f"年份取自正文（与发布日期 {out.published} 相符）")
            return
        out.year = published - 1  # reports cover the year before they appear
        out.undetermined.append("year")
        if votes:
            out.notes.append(f"正文提到的年份（{'、'.join(str(y) for y in sorted(votes))}年）与发布日期 "
                             f"{out.published} 不符：按发布日期推前一年，请核对")
        else:
            out.notes.append("年份未写明，按发布日期推前一年")
        return
    if votes:
        out.year = max(votes, key=lambda y: (votes[y], y))
        out.notes.append("年份取自正文（提到最多的年份）")
        if len(votes) > 1:
            out.notes.append("正文提到了几个年份，且没有标题或发布日期可以核对：请确认年份")
        return
    out.undetermined.append("year")


def _body_years(body_s: str) -> Counter:
    """Years the body names (plan periods 2021—2025 and the signature date left out), counted."""
    lines = body_s.strip().splitlines()
    tail = [ln for ln in lines[-6:] if _SIGNED.match(ln)]
    text = "\n".join(ln for ln in lines if ln not in tail)
    text = _RANGE.sub("", text)
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT.get(c, c) for c in m.group()), text)
    return Counter(int(m.group(1)) for m in _YEAR.finditer(text))


def year_in(text: str) -> int:
    text = _RANGE.sub("", text)
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT.get(c, c) for c in m.group()), text)
    m = _YEAR.search(text)
    return int(m.group(1)) if m else 0


def script_of(text: str) -> str:
    sample = text[:5000]
    cjk = [c for c in sample if "\u4e00" <= c <= "\u9fff"]
    changed = sum(a != b for a, b in zip(sample, to_simplified(sample)) if "\u4e00" <= a <= "\u9fff")
    return "traditional" if cjk and changed / len(cjk) > 0.03 else "simplified"


def _signed_date(text: str) -> str | None:
    for line in reversed(text.strip().splitlines()[-6:]):
        if m := _SIGNED.match(line):
            return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return None


def _title_like(line: str) -> bool:
    """A report's title line, not a sentence of its opening that happens to say 报告."""
    return bool(_REPORTISH.search(line)) and len(line) <= 80 and not _NOT_TITLE.search(to_simplified(line))


def _title(extracted: Extracted, stem: str) -> str:
    for t in extracted.titles:
        t = _TITLE_TAIL.sub("", t).strip() if "_" in t or "|" in t else t.strip()
        if _title_like(t):
            return t
    lines = [ln.strip() for ln in extracted.text.splitlines() if ln.strip()][:8]  # past a page's residue lines
    for i, line in enumerate(lines):
        if not _title_like(line):
            continue
        # A title set on two lines: 「XX县人民政府」 then 「2022年度法治政府建设情况报告」.
        above = lines[i - 1] if i else ""
        joined = above and len(above) <= 30 and not _NOT_TITLE.search(to_simplified(above)) and \
            re.search(r"(人民政府|政府|办事处|局|委员会|办公室)$", to_simplified(above))
        return above + line if joined else line
    return stem


def _issuer(title: str, title_s: str) -> str:
    m = re.search(r"关于|(?:二[〇零○]|20)\d{2}\s*年|法治政府", title_s)
    head = title[: m.start()] if m else ""
    return head.strip(" 《》") if len(head) >= 2 else ""


def _place(out: Detected, source: str, body: str, *, counted: bool) -> bool:
    g = gazetteer()
    source = re.sub(r"^中共", "", source)
    matches = g.find(source)
    if counted:  # the body: only the name it uses most, and only a county or deeper
        names = Counter(source[a:b] for a, b, c in matches if any(d.tier == 2 for d in c))
        if not names:
            return False
        best = names.most_common(1)[0][0]
        matches = [m for m in matches if source[m[0]:m[1]] == best][:1]
    division, end, rivals = _deepest(matches, body)
    # 「重庆市江北区」 where the gazetteer has only 宁波市江北区: the parent the text names wins.
    outside = _named_parent_outside(matches, division, end) if division else None
    rest = source[end:] if division else source
    # 「鲤城区人民政府金龙街道办事处」「…区政府教育局」: the district's government is only the town's or office's parent
    rest = re.sub(r"^(人民政府|政府)(?=[\u4e00-\u9fff]{2,}(局|委员会|办公室|街道|镇|乡))", "", rest)
    town = _TOWN.match(rest)
    dept = None if town else _DEPT.match(rest)
    if dept and (_NOT_DEPT.match(dept.group(1)) or re.search(r"[区县市省州]委$|党委$|工委$", dept.group(1))):
        dept = None
    if not division and not town and not (dept and end == 0 and not counted):
        gov = None if counted else _UNKNOWN_GOV.match(source)
        if not gov:
            return False
        out.region, out.level, out.parent = gov.group(1), _LEVEL_OF_SUFFIX[gov.group(2)], ""
        out.aliases = _aliases([gov.group(1), strip_division_suffix(gov.group(1))])
        out.undetermined.append("region")
        out.notes.append(f"行政区划数据中没有{gov.group(1)}：已按标题中的政府名称记为{gov.group(1)}，上级未知，请核对")
        return True
    base = g.full_name(division) if division else ""
    if outside:
        base = g.full_name(outside) + division.name
    if town:
        name = town.group(1)
        out.region, out.parent, out.level = base + name, base, "town"
        local = (division.name + name) if division else ""
        out.aliases = _aliases([name, local, strip_division_suffix(name)])
    elif dept:
        name = dept.group(1)
        out.region, out.parent, out.level = base + name, base, "department"
        local = (division.name + name) if division else name
        short = (strip_division_suffix(division.name) + name) if division else ""
        # 「城东区市场监管局…」「连云港…」: asked by its short name or by its place alone, it is still this report
        abbreviated = [n.replace(full, abbr) for n in (local, short) for full, abbr in _DEPT_SHORT if full in n]
        places = [division.name, strip_division_suffix(division.name)] if division else []
        out.aliases = _aliases([local, short, *abbreviated, *places])
    elif outside:
        out.region, out.level, out.parent = base, division.level, g.full_name(outside)
        local = (outside.name + division.name) if outside.tier > 0 else ""
        out.aliases = _aliases([division.name, local, strip_division_suffix(division.name)])
    else:
        chain = g.chain(division)
        out.region, out.level = base, division.level
        out.parent = "".join(d.name for d in chain[:-1])
        local = (chain[-2].name + division.name) if len(chain) > 1 and chain[-2].tier > 0 else ""
        extra = sorted(g.names_of(division) - {division.name}, key=len, reverse=True) if division.tier < 2 else []
        out.aliases = _aliases([division.name, local, strip_division_suffix(division.name), *extra])
    if outside:
        out.undetermined.append("region")
        out.notes.append(f"行政区划数据中没有{g.full_name(outside)}下的{division.name}（只有{g.full_name(division)}）："
                         f"已按文中写明的上级记为{base}，请核对")
    if division is None and not counted:
        _parent_from_body(out, body)
    if rivals:  # 西湖区 alone: Hangzhou's or Nanchang's? Say so rather than guess silently.
        out.undetermined.append("region")
        out.notes.append(f"{division.name} 有多处同名：" + "、".join(g.full_name(d) for d in [division, *rivals])
                         + "；已取第一处，请核对")
    return True


def _named_parent_outside(matches: list[tuple[int, int, list[Division]]], division: Division, end: int
                          ) -> Division | None:
    """A higher division named right before the chosen one (「重庆市」 in 「重庆市江北区」) that does not contain
    it: the gazetteer lacks the text's place and knows only a namesake elsewhere."""
    start = next((a for a, b, cands in matches if b == end and division in cands), None)
    for a, b, cands in matches:
        if b != start:
            continue
        ups = [d for d in cands if d.tier < division.tier]
        if ups and not any(d.contains(division) for d in ups):
            return max(ups, key=lambda d: d.tier)
    return None


def _parent_from_body(out: Detected, body: str) -> None:
    """A town or department whose title names no county: the divisions its opening names (杭州市西湖区)."""
    g = gazetteer()
    matches = [m for m in g.find(body[:600]) if any(d.tier >= 1 for d in m[2])]
    division, _, rivals = _deepest(matches, body)
    if division is None:
        return
    if rivals:  # a namesake the opening cannot settle: keep only what is certain, one tier up
        chain = g.chain(division)
        if len(chain) < 2 or any(g.chain(r)[-2:-1] != chain[-2:-1] for r in rivals):
            return
        division = chain[-2]
    base = g.full_name(division)
    out.parent = base
    out.region = base + out.region
    out.notes.append(f"上级地区取自正文（{division.name}）")


def _deepest(matches: list[tuple[int, int, list[Division]]], body: str
             ) -> tuple[Division | None, int, list[Division]]:
    """The most specific division named, settling ambiguous names by the others named with it
    (and by the body); the namesakes it could not rule out come back as rivals."""
    if not matches:
        return None, 0, []
    named = [d for _, _, cands in matches for d in cands]
    best: tuple[tuple, Division, int] | None = None
    g = gazetteer()
    for _, end, cands in matches:
        for d in cands:
            support = sum(1 for o in named if o.contains(d))
            in_body = sum(body.count(a.name) for a in g.chain(d)[:-1]) if len(cands) > 1 else 0
            key = (d.tier, support, in_body, -len(cands))
            if best is None or key > best[0]:
                best = (key, d, end)
    assert best is not None
    key, d, end = best
    rivals = [o for _, _, cands in matches if d in cands for o in cands
              if o is not d and (o.tier, sum(1 for x in named if x.contains(o)),
                                 sum(body.count(a.name) for a in g.chain(o)[:-1])) == key[:3]]
    return d, end, rivals


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


# How people shorten department names (市场监管局 for 市场监督管理局).
_DEPT_SHORT = (("市场监督管理局", "市场监管局"), ("人力资源和社会保障局", "人社局"), ("住房和城乡建设局", "住建局"),
               ("自然资源和规划局", "自然资源局"), ("卫生健康委员会", "卫健委"), ("发展和改革委员会", "发改委"),
               ("交通运输局", "交通局"), ("生态环境局", "环保局"), ("综合行政执法局", "综合执法局"),
               ("行政审批服务局", "行政审批局"), ("城市管理局", "城管局"))


def _aliases(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n and len(n) >= 2 and n not in out:
            out.append(n)
    for n in list(out):
        t = _s2t().convert(n)
        if t not in out:
            out.append(t)
    return out
