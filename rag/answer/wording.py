"""The few phrases answers are built from, in Chinese and English (an English question gets an English
lead with the reports' Chinese quotes)."""
from __future__ import annotations

_PHRASES = {
    "evidence": ("依据", "Evidence"),
    "yes": ("是", "Yes"),
    "no": ("否", "No"),
    "have": ("有", "Yes"),
    "have_not": ("没有", "No"),
    "not_found": ("报告中未找到", "The reports do not state"),
    "nearest": ("以下是最接近的段落，仅供参考（并非答案的依据）。", "The nearest passages follow, for reference only (not evidence)."),
    "related": ("报告中的相关内容：", "What the reports say:"),
    "most": ("最多", "the most"),
    "least": ("最少", "the fewest"),
    "highest": ("最高", "the highest"),
    "lowest": ("最低", "the lowest"),
    "ranking": ("排序", "Ranking"),
    "unstated": ("未写明此项的报告", "Reports that do not state it"),
    "total": ("合计", "Total"),
    "not_comparable": ("口径不同，未参与排序", "different measure, not ranked"),
}


def say(key: str, lang: str = "zh") -> str:
    zh, en = _PHRASES[key]
    return en if lang == "en" else zh


def evidence_line(i: int, quote: str, lang: str = "zh") -> str:
    return f"{say('evidence', lang)}[{i}]：「{quote}」" if lang != "en" else f"Evidence [{i}]: 「{quote}」"


def place_year(region: str, year: int | None, lang: str = "zh") -> str:
    if year is None:
        return region
    return f"{region}（{year}年）" if lang != "en" else f"{region} ({year})"


def fmt_number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")
