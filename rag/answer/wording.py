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
    # Computed answers: {names} are filled in by the answerer (the values and quotes stay as the reports
    # write them).
    "cannot": ("无法计算：报告中未找到{what}。已找到：{found}。", "Cannot compute: the reports do not state {what}. Found: {found}."),
    "cannot_none": ("无法计算：报告中未找到{what}。", "Cannot compute: the reports do not state {what}."),
    "figure_of": ("「{label}」的数字", "a figure for 「{label}」"),
    "figures_of": ("「{labels}」的数字", "figures for 「{labels}」"),
    "whole": ("可作分母的总数", "a total to divide by"),
    "same_whole": ("与之同口径的总数", "a total of the same measure"),
    "count_of": ("「{per}」的数目", "the number of 「{per}」"),
    "rate_or_before": ("上年数字或同比变化率", "the year before's figure or a rate of change"),
    "no_ratio": ("无法计算倍数：报告中未找到{names}与此对应的数字。", "Cannot compute the ratio: the reports do not state the figure for {names}."),
    "second_place": ("第二个地方", "the second place"),
    "ratio_zero": ("无法计算倍数：{label}为0。", "Cannot compute the ratio: {label} is 0."),
    "units_differ": ("（两者计量单位不同，倍数仅供参考）", " (counted in different units: the ratio is indicative only)"),
    "ratio": ("约{r}倍{note}：{a} ÷ {b} = {x} ÷ {y} ≈ {r}。", "About {r} times{note}: {a} ÷ {b} = {x} ÷ {y} ≈ {r}."),
    "ratio_short": ("约{r}倍：{a} ÷ {b}", "About {r} times: {a} ÷ {b}"),
    "rate_from_counts": ("约{s}%（推算值，报告未直接写明{rate}）：{part} ÷ {whole} = {x} ÷ {y} ≈ {s}%。",
                         "About {s}% (computed; the report states no {rate}): {part} ÷ {whole} = {x} ÷ {y} ≈ {s}%."),
    "share": ("约{s}%：{label}{part} ÷ 总数{whole} = {x} ÷ {y} ≈ {s}%。", "About {s}%: {label}{part} ÷ the total {whole} = {x} ÷ {y} ≈ {s}%."),
    "average": ("平均每{per}约{avg}{unit}：{a} ÷ {b} = {x} ÷ {y} ≈ {avg}。", "About {avg}{unit} per {per}: {a} ÷ {b} = {x} ÷ {y} ≈ {avg}."),
    "other_stage": ("报告未写明「{asked}」的数字；它写明的是{value}（另一环节的数字，不是所问的）。",
                    "The report states no figure for 「{asked}」; it states {value}, which is another stage, not the one asked."),
    "done_not_plan": ("报告未写明计划的数字；它写明的是已完成的{value}。", "The report states no planned figure; it states {value} done."),
    "level_only": ("报告只写明{value}，未写明较上年的变化或上年数字，无法回答变化了多少。",
                   "The report states only {value}, neither the change from the year before nor that year's figure: "
                   "the change cannot be given."),
    "change_only": ("报告只写明{phrase}，没有给出上一年的具体数字，无法算出差值。",
                    "The report states only {phrase}, not the year before's figure: the difference cannot be computed."),
    "change_between": ("{word}{gap}{unit}（本年{a}，上年{b}）。", "{word} {gap}{unit} (this year {a}, the year before {b})."),
    "went_up": ("增加", "Up"),
    "went_down": ("减少", "Down"),
    "base_stated": ("{value}（报告写明的上年数字）。", "{value} (the year before's figure, as the report states it)."),
    "base": ("约{base}{unit}（推算值，报告未直接写明）：{a} ÷ (1 {sign} {b}) = {x} ÷ {y} ≈ {exact}。",
             "About {base}{unit} (computed: the report does not state it): {a} ÷ (1 {sign} {b}) = {x} ÷ {y} ≈ {exact}."),
    "other_things": ("（注意：所计的对象不同：{things}）", " (note: they count different things: {things})"),
    "thing_is": ("{place}为{thing}", "{place}: {thing}"),
    "other_years": ("（注意：年份不同，一为{a}年，一为{b}年）", " (note: different years, {a} and {b})"),
    "no_figure_for": ("报告中未找到{places}与此问题对应的数字。", "The reports do not state this figure for {places}."),
    "no_compare": ("无法比较：报告中未找到{places}的对应数字。已找到：{found}", "Cannot compare: the reports do not state the figure for {places}. Found: {found}"),
    "no_figure_also": ("报告中未找到{places}的对应数字。", "Not stated for {places}."),
    "kinds_differ": ("两者口径不同（比例与数量），无法直接比较：{stated}", "Not comparable (a rate beside a count): {stated}"),
    "same": ("两者相同：{stated}", "The same: {stated}"),
    "more": ("更多", "more"),
    "fewer": ("更少", "fewer"),
    "higher": ("更高", "higher"),
    "lower": ("更低", "lower"),
    "winner": ("{place}{word}：{stated}", "{place} has {word}: {stated}"),
    "gap": ("，相差{gap}", ", a difference of {gap}"),
    "gap_lead": ("相差{gap}：{a}，{b}", "A difference of {gap}: {a}, {b}"),
    "measure_differs": ("（两份报告的统计口径或单位不同，比较仅供参考）", " (the reports count or measure it differently: indicative only)"),
    "no_sum": ("无法合计：报告中未找到{places}的对应数字。已找到：{found}。", "Cannot add up: the reports do not state the figure for {places}. Found: {found}."),
    "no_add": ("各报告的数字口径不同（或为比例），不能直接相加：{parts}。", "The reports' figures are of different measures (or rates) and cannot be added: {parts}."),
    "approx_total": ("（含约数，合计为约数）", " (some figures are approximate, so is the total)"),
    "units_no_compute": ("两个数字的单位不同，不能直接计算：{stated}。", "The two figures are in different units and cannot be combined: {stated}."),
    "no_figures_for": ("无法计算：报告中未找到「{labels}」的数字。{have}", "Cannot compute: the reports do not state a figure for 「{labels}」. {have}"),
    "found": ("已找到：{found}。", "Found: {found}."),
    "no_rank": ("报告中未找到「{thing}」的相关数字（查找了{n}份报告）。", "The reports do not state a figure for 「{thing}」 ({n} reports searched)."),
    "only_one": ("只有{place}的报告写明此项：{value}", "Only {place} states it: {value}"),
    "ranked_more": ("（共{n}份报告写明此项，以上列出排在前面的{shown}份）", "({n} reports state it; the first {shown} are listed)"),
    "reports_n": ("{n}份", "{n} reports"),
    "top": ("{place}{word}：{value}", "{place} has {word}: {value}"),
    "units_rank": ("（各报告的计数单位不同：{units}，排序仅供参考）", "(the reports count it in different units: {units}; the ranking is indicative only)"),
    "no_unit": ("无", "none"),
    "change_up": ("约增加{gap}{unit}（推算值，报告未直接写明）：{a} − {a} ÷ (1 + {b}) = {x} − {x} ÷ {y} ≈ {exact}。",
                  "About {gap}{unit} more (computed: the report does not state it): {a} − {a} ÷ (1 + {b}) = "
                  "{x} − {x} ÷ {y} ≈ {exact}."),
    "change_down": ("约减少{gap}{unit}（推算值，报告未直接写明）：{a} ÷ (1 − {b}) − {a} = {x} ÷ {y} − {x} ≈ {exact}。",
                    "About {gap}{unit} fewer (computed: the report does not state it): {a} ÷ (1 − {b}) − {a} = "
                    "{x} ÷ {y} − {x} ≈ {exact}."),
    "stop": ("。", "."),
    "semicolon": ("；", "; "),
    "total_of": ("合计{total}：{parts}", "Total {total}: {parts}"),
    "colon": ("：", ": "),
    "points": ("个百分点", " percentage points"),
    "parts_of": ("共{n}个{noun}", "{n} {noun}"),
    "place_parts": ("{place}{n}个{noun}", "{place}: {n}"),
    "applied": ("约{r}{unit}（推算值，报告未直接写明）：{a} × {b} = {x} × {y}% ≈ {r}。",
                "About {r}{unit} (computed: the report does not state it): {a} × {b} = {x} × {y}% ≈ {r}."),
    "count_for_rate": ("与此比率对应的基数", "the count this rate is of"),
}


def say(key: str, lang: str = "zh", **fill) -> str:
    """The phrase in the question's language, its {names} filled in."""
    zh, en = _PHRASES[key]
    text = en if lang == "en" else zh
    return text.format(**fill) if fill else text


def joined(items, lang: str = "zh") -> str:
    """A list as the language writes one: 「昌平区、恩阳区」 / "Changping, Enyang"."""
    return ("、" if lang != "en" else ", ").join(items)


def evidence_line(i: int, quote: str, lang: str = "zh") -> str:
    return f"{say('evidence', lang)}[{i}]：「{quote}」" if lang != "en" else f"Evidence [{i}]: 「{quote}」"


def place_year(region: str, year: int | None, lang: str = "zh") -> str:
    if year is None:
        return region
    return f"{region}（{year}年）" if lang != "en" else f"{region} ({year})"


def fmt_number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")
