"""Find and normalise quantities in Chinese report text.

Used by the answerer, the LLM grounding check and the eval scorer, so the
rules are deliberately conservative:

* Arabic numbers always count (unit may be ""), except citation markers
  ([1] 【2】), list markers at line start (1. / 1、 / （1）) and codes
  (1+2+N, 2-1-1-5-2, 10:09), which are names, not amounts.
* A Chinese numeral counts only with a measure word after it (五批次, 七期,
  两期) or after 百分之.  A lone 一/零 (一件事, 一次不用跑, 零件), an ordinal
  (第一, 第三批) and a numeral inside a short quoted or titled name
  (“两个确立”, “通八条”, 《…十个问题》) do not count.
* Durations count as ordinary quantities with unit 年/天/个月/小时
  (三年, 3年, 12小时), except Chinese 「N年行动」 plan titles (三年行动计划).
* Years (2024年, 2023年度, 2021-2025年, (2015-2020)), dates (2024-03-28,
  3月28日) are returned with is_year=True, never dropped.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

__all__ = ["Quantity", "find_quantities", "parse_quantity", "same_value", "find_counted",
           "cn_to_number", "units_compatible"]


@dataclass(frozen=True)
class Quantity:
    text: str  # surface form exactly as in the input
    start: int
    end: int
    number: float  # as written (1949.39 for 1949.39万元)
    value: float  # after the multiplier (19493900.0)
    unit: str  # base unit, Simplified; "" when none
    approx: bool
    is_year: bool
    is_percent: bool


# --- vocabulary -----------------------------------------------------------

# Traditional -> Simplified for the few characters units and markers use;
# a small map keeps the hot path free of OpenCC.
_TRAD, _SIMP = ("個條場項戶時點餘萬億兩臺輛張處類間週號約為達過將數幾組級屆塊則",
                "个条场项户时点余万亿两台辆张处类间周号约为达过将数几组级届块则")
_T2S = str.maketrans(_TRAD, _SIMP)
_S2T = dict(zip(_SIMP, _TRAD))

# Measure words, Simplified.  月/日/号 mark calendar dates, not amounts.
_UNITS = """个百分点 百分点 个工作日 工作日 个月 小时 分钟 微克/立方米 毫克/立方米 立方米 平方公里 平方米 公里 公顷 公斤 千克 年度
件次 人次 家次 户次 场次 批次 项次 次 件 项 名 家 人 个 份 条 场 期 批 篇 本 卷 座
户 天 元 倍 年 位 所 处 类 部 套 台 辆 起 宗 支 张 亩 吨 米 周 月 日 号 市 县 分""".split()
_DATE_UNITS = {"月", "日", "号"}
_UNIT_NORM = {"百分点": "个百分点", "年度": "年"}


def _variants(u: str) -> set[str]:
    return {u, "".join(_S2T.get(c, c) for c in u)}


_ALL_UNITS = sorted({v for u in _UNITS for v in _variants(u)}, key=len, reverse=True)

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_MULT = {"千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8,
         "百万": 1e6, "百萬": 1e6, "千万": 1e7, "千萬": 1e7, "万亿": 1e12, "萬億": 1e12}
_FW = str.maketrans("０１２３４５６７８９．，", "0123456789.,")

# --- the one master regex -------------------------------------------------

_D = r"[0-9０-９]"
_ANUM = rf"{_D}+(?:[,，]{_D}{{3}}(?!{_D}))*(?:[.．]{_D}+)?"
_CN_CHARS = "零〇一二三四五六七八九十百千万萬亿億两兩"
_CNUM = rf"[{_CN_CHARS}]+(?:[点點][零〇一二三四五六七八九]+)?"
_PRE = r"(?:约为|約為|大约|大約|约|約|将近|將近|近|超过|超過|逾)"
_MULT_RE = r"(?:万亿|萬億|百万|百萬|千万|千萬|[万萬亿億千])"
_MID = r"[余餘多]"
_POST = r"(?:以上|左右)"
_UNIT_RE = "(?:" + "|".join(map(re.escape, _ALL_UNITS)) + ")"
_CI = r"[(（]次[)）]"  # 2000余件(次)
_YEAR = r"(?:19\d\d|20\d\d|2100)"
_MON = r"(?:1[0-2]|0?[1-9])"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"

_MASTER = re.compile(rf"""
  (?P<cite>[\[【［]\s*{_D}+(?:\s*[,，、\-–]\s*{_D}+)*\s*[\]】］])
| (?P<list>^[ \t\u3000]*{_D}{{1,2}}[.．、](?!{_D})|[(（]{_D}{{1,2}}[)）])
| (?P<date>(?<!{_D}){_YEAR}(?:[-/.]{_MON}[-/.]{_DAY}(?!{_D})|年{_MON}月{_DAY}[日号])
           (?:[ \t]*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?)
| (?P<code>(?<![0-9A-Za-z.])[0-9A-Za-z]+(?:[ \t]*\+[ \t]*[0-9A-Za-z]+)+
          |(?<!{_D}){_D}+(?:-{_D}+){{2,}}|(?<!{_D})\d{{1,2}}:\d{{2}}(?::\d{{2}})?)
| (?P<yrange>[(（]?(?<!{_D}){_YEAR}[ \t]*[-–—~～至到][ \t]*{_YEAR}(?!{_D})(?:年度|年)?[)）]?)
| (?P<pre1>{_PRE})?(?P<pct>百分之)(?P<pnum>{_ANUM}|{_CNUM})(?P<post1>{_POST})?
| (?P<pre4>{_PRE})?(?<![{_CN_CHARS}])(?P<tenths>[一二三四五六七八九两兩]|十)成(?![立功为為效果员員本都绩績就熟长長交型分份品不])(?P<post4>{_POST})?
| (?P<pre2>{_PRE})?(?<![0-9A-Za-z.．０-９])(?P<num>{_ANUM})(?![0-9A-Za-z])
    (?P<m1>{_MULT_RE})?(?P<a1>{_MID})?(?P<m2>{_MULT_RE})?[ ]?
    (?P<unit>{_UNIT_RE}|[%％])?(?P<ci1>{_CI})?(?P<post2>{_POST})?
| (?P<pre3>{_PRE})?(?P<cn>{_CNUM})(?P<a2>{_MID})?(?P<cm>[万萬亿億])?(?P<cunit>{_UNIT_RE})(?P<ci2>{_CI})?(?P<post3>{_POST})?
""", re.VERBOSE | re.MULTILINE)

_YEAR_IN_RANGE = re.compile(_YEAR)
_RANGE_GAP = re.compile(r"\s*[-–—~～至到]\s*")
_OPENERS = {"“": "”", "「": "」", "『": "』", "《": "》", "‘": "’"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}


# --- number parsing -------------------------------------------------------

def _arabic(s: str) -> float:
    return float(s.translate(_FW).replace(",", ""))


def cn_to_number(s: str) -> float | None:
    """Chinese numeral to number; None for word-like runs such as 十三五, 八五, 一一."""
    s = s.translate(_T2S)
    frac = ""
    if "点" in s:
        s, frac = s.split("点", 1)
        if not all(c in _CN_DIGIT for c in frac):
            return None
    total, section, digit, last_small = 0, 0, None, 10**5
    seen_digit = False
    for ch in s:
        if ch in _CN_DIGIT:
            if digit is not None:  # two digits in a row: 八五, 十三五
                return None
            digit = _CN_DIGIT[ch] or None  # 零 only separates: 一百零五
            seen_digit = True
        elif ch in _CN_SMALL:
            mult = _CN_SMALL[ch]
            if mult >= last_small:
                return None
            if digit is None:
                if ch != "十":
                    return None  # 百姓, 千家
                digit = 1
            section += digit * mult
            digit, last_small, seen_digit = None, mult, True
        else:  # 万 / 亿
            section += digit or 0
            if section == 0 and total == 0:
                return None
            if _CN_BIG[ch] == 10**8:
                total = (total + section) * 10**8
            else:
                total += section * 10**4
            section, digit, last_small = 0, None, 10**5
    if not seen_digit:
        return None
    number = total + section + (digit or 0)
    if frac:
        number += float("0." + "".join(str(_CN_DIGIT[c]) for c in frac))
    return float(number)


def _split_cn_mult(cn: str) -> tuple[float | None, float]:
    """三十万 -> (30, 1e4): keep 'number as written' apart from the multiplier, as for 30万."""
    if len(cn) > 1 and cn[-1] in _CN_BIG and cn[-2] not in _CN_BIG:
        head = cn_to_number(cn[:-1])
        if head is not None:
            return head, float(_CN_BIG[cn[-1]])
    return cn_to_number(cn), 1.0


def _norm_unit(u: str) -> str:
    u = u.translate(_T2S)
    return _UNIT_NORM.get(u, u)


def _in_short_name(text: str, start: int, end: int, window: int = 20) -> bool:
    """True when [start, end) sits inside “…” / 《…》 etc. closing within `window` chars."""
    for i in range(start - 1, max(-1, start - window - 1), -1):
        ch = text[i]
        if ch in _CLOSERS or ch in "\n。":
            return False
        if ch in _OPENERS:
            close = _OPENERS[ch]
            j = text.find(close, end, end + window)
            return j != -1 and ch not in text[end:j]
    return False


# --- scanning --------------------------------------------------------------

def _scan(text: str, loose: bool) -> list[Quantity]:
    out: list[Quantity] = []
    for m in _MASTER.finditer(text):
        kind = m.lastgroup if m.lastgroup in ("cite", "list", "code", "date", "yrange") else None
        if kind in ("cite", "list", "code"):
            continue
        s, e = m.span()
        if kind == "date":
            y = float(m.group()[:4].translate(_FW))
            out.append(Quantity(m.group(), s, e, y, y, "", False, True, False))
            continue
        if kind == "yrange":
            for ym in _YEAR_IN_RANGE.finditer(m.group()):
                y = float(ym.group())
                out.append(Quantity(ym.group(), s + ym.start(), s + ym.end(), y, y, "年", False, True, False))
            continue
        q = _build(m, text, loose)
        if q is not None:
            out.append(q)
    return _share_range_units(text, out)


def _build(m: re.Match, text: str, loose: bool) -> Quantity | None:
    g = m.group
    s, e = m.span()
    if g("tenths"):
        n = cn_to_number(g("tenths")) * 10
        return Quantity(m.group(), s, e, n, n, "%", bool(g("pre4") or g("post4")), False, True)
    if g("pct"):
        raw = g("pnum")
        n = _arabic(raw) if raw[0].isdigit() else (100.0 if raw == "百" else cn_to_number(raw))
        if n is None:
            return None
        return Quantity(m.group(), s, e, n, n, "%", bool(g("pre1") or g("post1")), False, True)

    if g("num"):
        n = _arabic(g("num"))
        mult = _MULT.get(g("m1") or "", 1.0) * _MULT.get(g("m2") or "", 1.0)
        unit_raw = g("unit") or ""
        approx = bool(g("pre2") or g("a1") or g("post2"))
        ci = g("ci1")
    else:
        cn, unit_raw = g("cn"), g("cunit")
        approx = bool(g("pre3") or g("a2") or g("post3"))
        ci = g("ci2")
        num_start = m.start("cn")
        if not loose:
            if cn in "一壹零〇" or (num_start > 0 and text[num_start - 1] in "第初"):
                return None  # 一件事 / 第三批: words and ordinals, not counts
            if _in_short_name(text, num_start, m.end("cunit")):
                return None  # “两个确立” “通八条” 《十个问题》
            if unit_raw in ("年", "年度") and text.startswith("行动", e):
                return None  # 三年行动计划 is a plan title
        if unit_raw.translate(_T2S) in _DATE_UNITS:
            return None
        n, mult = _split_cn_mult(cn)
        if n is None:
            return None
        mult *= _MULT.get(g("cm") or "", 1.0)  # 二十多万元
        if num_start > 0 and text[num_start - 1] in "数數几幾":
            approx = True  # 数十家

    unit = "%" if unit_raw in ("%", "％") else _norm_unit(unit_raw)
    if ci:
        unit += "次"
    is_year = False
    if unit in _DATE_UNITS:
        is_year = True  # 3月 / 28日: calendar, not an amount
    elif unit == "年" and g("num") and n.is_integer() and 1900 <= n <= 2100 and mult == 1 and not approx:
        is_year = True
    # Trailing spaces (before a missing unit) are not part of the surface form.
    while e > s and text[e - 1] in " \t":
        e -= 1
    return Quantity(text[s:e], s, e, n, n * mult, unit, approx, is_year, unit == "%")


def _share_range_units(text: str, qs: list[Quantity]) -> list[Quantity]:
    """15-20人 / 3至5万元: the first end of a range borrows the second's unit and multiplier."""
    for i in range(len(qs) - 1):
        a, b = qs[i], qs[i + 1]
        if a.unit or a.is_year or b.is_year or not b.unit:
            continue
        if not _RANGE_GAP.fullmatch(text, a.end, b.start):
            continue
        factor = b.value / b.number if b.number else 1.0
        qs[i] = replace(a, value=a.number * factor, unit=b.unit, is_percent=b.is_percent)
    return qs


# --- public API -------------------------------------------------------------

def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order; years and dates flagged (is_year), not dropped."""
    if not text:
        return []
    return _scan(text, loose=False)


def parse_quantity(text: str) -> Quantity | None:
    """One expression such as "1.2万", "3.2萬餘人", "百分之六十", "１７２３件", "一件", "六十".

    Looser than find_quantities: a lone 一, an ordinal or a quoted numeral is read,
    and a bare Chinese numeral without a unit is accepted.
    """
    if not text or not text.strip():
        return None
    found = _scan(text, loose=True)
    if found:
        return found[0]
    # A Chinese numeral before a word that is no measure word: 六十, 六大提升, 第六届.
    stripped = text.strip()
    m = re.match(rf"({_PRE})?第?({_CNUM})({_MID})?({_UNIT_RE})?", stripped)
    if m:
        n, mult = _split_cn_mult(m.group(2))
        if n is not None:
            s = text.index(stripped)
            return Quantity(stripped, s, s + len(stripped), n, n * mult,
                            _norm_unit(m.group(4) or ""), bool(m.group(1) or m.group(3)), False, False)
    return None


@lru_cache(maxsize=256)
def _counted_re(first: str) -> re.Pattern:
    chars = {first, first.translate(_T2S), _S2T.get(first, first)}
    return re.compile(
        rf"第?(?:(?<![0-9０-９.．])(?P<num>{_ANUM})(?P<m>{_MULT_RE})?"
        rf"|(?<![{_CN_CHARS}])(?P<cn>{_CNUM}))(?P<a>{_MID})?[{''.join(sorted(chars))}]")


def find_counted(text: str, measure: str) -> list[Quantity]:
    """Numerals directly before `measure`, read in any context (names, ordinals, a lone 一).

    find_quantities refuses 六大提升, 一办五组, 第三批, “通八条”; a scorer that knows
    the gold fact is written that way asks for exactly that measure word here.
    """
    measure = measure.lstrip("余餘多万萬亿億千")
    if not text or not measure:
        return []
    unit = _norm_unit(measure) if measure in _ALL_UNITS else ""
    out = []
    for m in _counted_re(measure[0]).finditer(text):
        if m.group("num"):
            n = _arabic(m.group("num"))
            mult = _MULT.get(m.group("m") or "", 1.0)
        else:
            n, mult = _split_cn_mult(m.group("cn"))
            if n is None:
                continue
        out.append(Quantity(m.group(), m.start(), m.end(), n, n * mult, unit,
                            bool(m.group("a")), False, unit == "%"))
    return out


# A rank: 「排名第一」「居全省第二」「位列全市第3位」「得分居首位」「荣获全省第一名」. The ordinal after a ranking
# verb (a scope may stand between), or one followed by 名; never an ordinal naming a batch or a session
# (「列入第二批」「第六届」), which a measure word follows.
RANK_VERB_PATTERN = r"(?:排名|排在|(?<![安编])排|位列|名列|并列|位居|位于|居于|(?<![民邻])居(?![民住家委室所中]))"
ORDINAL_NUMERAL = rf"(?:{_D}+|[一二三四五六七八九十两]+)"
NOT_A_PLACE_AFTER = "批届次轮期季个条项类阶部章款节年号家"  # 第二批, 第六届, 第三次: an ordinal naming, not a place
_RANK = re.compile(
    rf"{RANK_VERB_PATTERN}[^，,。；;：:、\s第]{{0,12}}?(?P<o>第(?P<n>{ORDINAL_NUMERAL})(?P<w>[名位])?|首位|榜首)"
    rf"|(?P<o2>第(?P<n2>{ORDINAL_NUMERAL})名)")
_NOT_AFTER_RANK = re.compile(f"[{NOT_A_PLACE_AFTER}]")
_MORE_RANKS = re.compile(rf"\s*[、和及与]\s*(?P<o>第(?P<n>{ORDINAL_NUMERAL})[名位]?)(?![{NOT_A_PLACE_AFTER}])")
RANK_UNIT = "排名"  # a unit no count uses: a rank never answers 「多少名」
RANK_VERB = re.compile(RANK_VERB_PATTERN)


def ordinal_value(numeral: str) -> float | None:
    """The number of an ordinal's numeral: 3 / ３ / 三 / 十二 → 3.0 / 3.0 / 3.0 / 12.0."""
    if numeral[0].isdigit() or numeral[0] in "０１２３４５６７８９":
        return _arabic(numeral)
    value, _ = _split_cn_mult(numeral)
    return value


def find_ranks(text: str) -> list[Quantity]:
    """Ranks in a text, each the ordinal as written (第二, 首位, 第一名) with its place as the value."""
    out = []
    for m in _RANK.finditer(text):
        group = "o" if m.group("o") else "o2"
        start, end = m.start(group), m.end(group)
        if out and start < out[-1].end:
            continue  # 「分别位列第3名和第5名」: 第5名 was read already as a place listed after the first
        if not m.group("w") and group == "o" and _NOT_AFTER_RANK.match(text, end):
            continue  # 「列入第二批」: a batch, not a place
        n = m.group("n") or m.group("n2")
        value = 1.0 if n is None else ordinal_value(n)  # 首位 / 榜首 are first
        if value is None:
            continue
        out.append(Quantity(text[start:end], start, end, value, value, RANK_UNIT, False, False, False))
        while (more := _MORE_RANKS.match(text, end)) is not None:
            # 「分别位列全国第1位、第8位」: the places listed after the first are ranks too
            start, end = more.start("o"), more.end("o")
            value = ordinal_value(more.group("n"))
            if value is not None:
                out.append(Quantity(text[start:end], start, end, value, value, RANK_UNIT, False, False, False))
    return out


# What each measure word counts: a count in a measure word of another family counts another kind of thing
# (「多少名法律顾问」 is not answered by 「42件次」, 「多少支执法队」 not by 「431项」). 个 counts anything, and a
# measure word in no family is unknown: both fit every question.
UNIT_FAMILIES = {
    "people": frozenset("名 人 位 人次".split()),
    "matters": frozenset("件 件次 宗 起 份 项 项次 条 篇 本 卷 部 类".split()),
    "occasions": frozenset("次 场 场次 期 批 批次 轮 件次 项次 家次 户次".split()),
    "bodies": frozenset("家 家次 户 户次 所 处 支 座".split()),
    "objects": frozenset("台 辆 套 张 座 本".split()),
    "money": frozenset("元 万元 亿元".split()),
    "time": frozenset("天 日 个工作日 工作日 小时 分钟 个月 月".split()),
}


def _families(unit: str) -> set[str]:
    return {name for name, units in UNIT_FAMILIES.items() if unit in units}


def counts_other_than(asked: str, unit: str) -> bool:
    """Whether a figure in `unit` counts another kind of thing than a question asking `asked` does."""
    a, b = _families(asked), _families(unit)
    return bool(a) and bool(b) and not a & b


def units_compatible(a: str, b: str) -> bool:
    """"" matches anything; 件 matches 件次 (reports write 件(次) loosely)."""
    if not a or not b or a == b:
        return True
    return a + "次" == b or b + "次" == a


def same_value(a: Quantity, b: Quantity, rel_tol: float = 1e-6) -> bool:
    """Equal after normalisation; percent only equals percent; a missing unit is compatible."""
    if a.is_percent != b.is_percent:
        return False
    if not units_compatible(a.unit, b.unit):
        return False
    return math.isclose(a.value, b.value, rel_tol=rel_tol, abs_tol=1e-9)
