"""Checks the gold evaluation set (evals/questions.jsonl) against the report texts.

Value questions (the first ten categories): every gold number must be provably in its report: the
evidence quote is copied character for character from the original file (Traditional for tongzhou-2020),
the surface form sits inside the quote, and the surface spells the gold value followed by the gold unit.
The other shapes (yes/no, rankings, totals, English, …): every evidence quote is in its report, the gold
fields have the right form, and every question sits in the dev or the test half.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "evals" / "questions.jsonl"
SEEDS = ROOT / "seeds"

SHAPES = {"yes_no", "ranking", "aggregate", "english", "pinyin", "typo_spoken", "about", "false_premise",
          "followup", "list"}
MIN_PER_SHAPE = 15
CATEGORIES = SHAPES | {
    "direct",
    "paraphrase",
    "distractor",
    "traditional",
    "money",
    "chinese_numeral",
    "approximate",
    "comparison",
    "multi_value",
    "unanswerable",
}
MIN_QUESTIONS = 110
MIN_PER_CATEGORY = 10
MIN_PER_REPORT = 15
MIN_LINES_PER_REPORT = 5  # answers must come from many sections, not only the first

GOLD_FIELDS = ("value", "unit", "surface", "evidence")
MONEY_UNITS = ("万元", "亿元", "萬元", "億元")
APPROX_MARKS = ("余", "多", "餘")

CN_DIGITS = {"一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_CHARS = set(CN_DIGITS) | {"十"}
ARABIC = re.compile(r"\d+(?:\.\d+)?")


def cn_to_int(s: str) -> int:
    """一..九十九 in the plain forms used in the reports (五, 十, 十二, 二十, 三十五)."""
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = CN_DIGITS[tens] if tens else 1
        o = CN_DIGITS[ones] if ones else 0
        return t * 10 + o
    assert len(s) == 1, s
    return CN_DIGITS[s]


# ------------------------------------------------------------------ fixtures


def _load_catalog() -> dict[str, dict]:
    data = json.loads((SEEDS / "catalog.json").read_text(encoding="utf-8"))
    return {r["doc_id"]: r for r in data["reports"]}


CATALOG = _load_catalog()
TEXTS = {doc_id: (SEEDS / r["file"]).read_text(encoding="utf-8") for doc_id, r in CATALOG.items()}


def _load_gold() -> list[dict]:
    items = []
    for n, line in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"blank line {n} in {GOLD.name}"
        items.append(json.loads(line))
    return items


ALL_ITEMS = _load_gold()
# The value questions keep the strict number-format checks below; the other shapes are checked at the end.
ITEMS = [it for it in ALL_ITEMS if it["category"] not in SHAPES and not it["id"].startswith("unanswerable-")]
SHAPE_ITEMS = [it for it in ALL_ITEMS if it not in ITEMS]
BY_ID = {it["id"]: it for it in ITEMS}
ANSWERABLE = [it for it in ITEMS if not it.get("refuse")]
REFUSE = [it for it in ITEMS if it.get("refuse")]


def entries(item: dict) -> list[dict]:
    """The gold quantities of an answerable item: itself, or each of its `values`."""
    if "values" in item:
        return item["values"]
    return [item]


def entries_with_ids(items=None):
    for it in items if items is not None else ANSWERABLE:
        for k, e in enumerate(entries(it)):
            yield pytest.param(it, e, id=f"{it['id']}[{k}]" if "values" in it else it["id"])


def region_names(doc_id: str) -> list[str]:
    r = CATALOG[doc_id]
    return [r["region"], *r["aliases"]]


# ------------------------------------------------------------------ the file as a whole


def test_file_parses_and_has_enough_questions():
    assert GOLD.exists()
    assert len(ITEMS) >= MIN_QUESTIONS
    for it in ITEMS:
        assert isinstance(it, dict)
        for key in ("id", "question", "category"):
            assert isinstance(it.get(key), str) and it[key].strip(), (it.get("id"), key)


def test_ids_unique():
    dup = [k for k, n in Counter(it["id"] for it in ALL_ITEMS).items() if n > 1]
    assert not dup, f"duplicate ids: {dup}"


def test_questions_unique():
    dup = [k for k, n in Counter((tuple(it.get("history", ())), it["question"]) for it in ALL_ITEMS).items() if n > 1]
    assert not dup, f"duplicate questions: {dup}"


def test_categories_known_and_each_has_enough():
    counts = Counter(it["category"] for it in ALL_ITEMS)
    unknown = set(counts) - CATEGORIES
    assert not unknown, f"unknown categories: {unknown}"
    thin = {c: counts.get(c, 0) for c in CATEGORIES
            if counts.get(c, 0) < (MIN_PER_SHAPE if c in SHAPES else MIN_PER_CATEGORY)}
    assert not thin, f"categories below {MIN_PER_CATEGORY}: {thin}"


def test_every_report_is_covered_broadly():
    per_doc: Counter[str] = Counter()
    lines: dict[str, set[int]] = {d: set() for d in CATALOG}
    for it in ANSWERABLE:
        docs = {e["doc_id"] for e in entries(it)}
        per_doc.update(docs)
        for e in entries(it):
            text = TEXTS[e["doc_id"]]
            pos = text.find(e["evidence"])
            if pos >= 0:
                lines[e["doc_id"]].add(text.count("\n", 0, pos))
    thin = {d: per_doc[d] for d in CATALOG if per_doc[d] < MIN_PER_REPORT}
    assert not thin, f"reports with fewer than {MIN_PER_REPORT} questions: {thin}"
    narrow = {d: len(v) for d, v in lines.items() if len(v) < MIN_LINES_PER_REPORT}
    assert not narrow, f"reports whose evidence sits in too few paragraphs: {narrow}"


# ------------------------------------------------------------------ questions


@pytest.mark.parametrize("item", ITEMS, ids=lambda it: it["id"])
def test_question_is_simplified_chinese(item):
    q = item["question"]
    assert re.search(r"[\u4e00-\u9fff]", q), q
    opencc = pytest.importorskip("opencc")
    assert opencc.OpenCC("t2s").convert(q) == q, f"question not in Simplified script: {q}"


@pytest.mark.parametrize("item", ANSWERABLE, ids=lambda it: it["id"])
def test_question_names_region_and_year(item):
    q = item["question"]
    for doc_id in {e["doc_id"] for e in entries(item)}:
        assert any(name in q for name in region_names(doc_id)), (doc_id, q)
        assert str(CATALOG[doc_id]["year"]) in q, (doc_id, q)


# ------------------------------------------------------------------ answerable items


@pytest.mark.parametrize("item", ANSWERABLE, ids=lambda it: it["id"])
def test_answerable_item_shape(item):
    assert "refuse" not in item or item["refuse"] is False
    if "values" in item:
        assert isinstance(item["values"], list) and len(item["values"]) >= 2, item["id"]
        for f in GOLD_FIELDS:
            assert f not in item, (item["id"], f"top-level {f} next to values")
        docs = {e["doc_id"] for e in item["values"]}
        if "doc_id" in item:
            assert docs == {item["doc_id"]}, (item["id"], "doc_id differs from values")
        else:
            assert len(docs) >= 2, (item["id"], "single-report values need doc_id")
    else:
        assert item.get("doc_id") in CATALOG, item["id"]
    assert item["category"] != "unanswerable"


@pytest.mark.parametrize(("item", "e"), list(entries_with_ids()))
def test_evidence_is_in_report_once(item, e):
    assert e.get("doc_id") in CATALOG, f"unknown doc_id {e.get('doc_id')!r}"
    for f in GOLD_FIELDS:
        assert f in e, f"missing {f}"
    ev = e["evidence"]
    assert isinstance(ev, str) and 6 <= len(ev) <= 80, f"evidence length {len(ev)}: {ev!r}"
    assert "\n" not in ev
    n = TEXTS[e["doc_id"]].count(ev)
    assert n >= 1, f"evidence not found in {e['doc_id']}: {ev!r}"
    assert n == 1, f"evidence occurs {n} times in {e['doc_id']}: {ev!r}"


@pytest.mark.parametrize(("item", "e"), list(entries_with_ids()))
def test_surface_in_evidence_at_a_number_boundary(item, e):
    surface, ev = e["surface"], e["evidence"]
    assert surface and surface in ev, f"surface {surface!r} not in evidence {ev!r}"
    # The surface must be a whole number there, not the tail of a longer one
    # ("42件" inside "142件" or "2.42件").
    ok = [
        m.start() for m in re.finditer(re.escape(surface), ev)
        if m.start() == 0 or not re.match(r"[\d.]", ev[m.start() - 1])
    ]
    assert ok, f"surface {surface!r} only occurs as part of a longer number in {ev!r}"


@pytest.mark.parametrize(("item", "e"), list(entries_with_ids()))
def test_surface_spells_value_and_unit(item, e):
    surface, value, unit = e["surface"], e["value"], e["unit"]
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    assert isinstance(unit, str) and unit, "unit must be the characters after the number"
    m = ARABIC.match(surface)
    if m:
        assert Decimal(m.group()) == Decimal(str(value)), f"{surface!r} vs value {value}"
        assert surface[m.end():] == unit, f"unit {unit!r} is not what follows the number in {surface!r}"
    else:
        k = 0
        while k < len(surface) and surface[k] in CN_CHARS:
            k += 1
        assert k > 0, f"surface {surface!r} starts with neither digits nor a Chinese numeral"
        assert cn_to_int(surface[:k]) == value, f"{surface!r} vs value {value}"
        assert surface[k:] == unit, f"unit {unit!r} is not what follows the numeral in {surface!r}"


# ------------------------------------------------------------------ per category


def _items(cat):
    return [it for it in ITEMS if it["category"] == cat]


@pytest.mark.parametrize("item", _items("traditional"), ids=lambda it: it["id"])
def test_traditional_items_ask_tongzhou(item):
    assert {e["doc_id"] for e in entries(item)} == {"tongzhou-2020"}
    assert CATALOG["tongzhou-2020"]["script"] == "traditional"


@pytest.mark.parametrize("item", _items("money"), ids=lambda it: it["id"])
def test_money_items_have_currency_units(item):
    for e in entries(item):
        assert e["unit"].endswith(MONEY_UNITS), (item["id"], e["unit"])


@pytest.mark.parametrize("item", _items("approximate"), ids=lambda it: it["id"])
def test_approximate_items_carry_the_mark(item):
    for e in entries(item):
        assert any(mark in e["unit"] for mark in APPROX_MARKS), (item["id"], e["unit"])


@pytest.mark.parametrize("item", _items("chinese_numeral"), ids=lambda it: it["id"])
def test_chinese_numeral_items_are_written_in_chinese(item):
    for e in entries(item):
        assert e["surface"][0] in CN_CHARS, (item["id"], e["surface"])


@pytest.mark.parametrize("item", _items("multi_value"), ids=lambda it: it["id"])
def test_multi_value_items_have_several_values(item):
    assert len(item.get("values", [])) >= 2


@pytest.mark.parametrize("item", _items("comparison"), ids=lambda it: it["id"])
def test_comparison_winner_consistent(item):
    values = item.get("values", [])
    docs = [e["doc_id"] for e in values]
    assert len(values) >= 2 and len(set(docs)) == len(docs) >= 2, "compare two different reports"
    entity = item.get("entity")
    winners = [d for d in docs if entity in region_names(d)]
    assert len(winners) == 1, f"entity {entity!r} is not one of the compared regions {docs}"
    smaller = any(w in item["question"] for w in ("更少", "较少", "最少"))
    nums = {e["doc_id"]: Decimal(str(e["value"])) for e in values}
    best = min(nums.values()) if smaller else max(nums.values())
    assert nums[winners[0]] == best, f"{entity} does not win: {nums}"
    assert list(nums.values()).count(best) == 1, f"tie: {nums}"


# ------------------------------------------------------------------ unanswerable


@pytest.mark.parametrize("item", REFUSE, ids=lambda it: it["id"])
def test_refuse_items_carry_no_answer(item):
    assert item["refuse"] is True
    assert item["category"] == "unanswerable"
    for f in ("doc_id", "entity", "values", *GOLD_FIELDS):
        assert f not in item, (item["id"], f)


def test_unanswerable_category_is_refuse():
    for it in _items("unanswerable"):
        assert it.get("refuse") is True, it["id"]


# ------------------------------------------------------------------ the other shapes


def _shape_evidence():
    for it in SHAPE_ITEMS:
        pairs = [(e.get("doc_id", it.get("doc_id")), e.get("evidence")) for e in it.get("values", [])]
        if it.get("evidence"):
            pairs.append((it.get("doc_id"), it["evidence"]))
        for k, (doc_id, ev) in enumerate(pairs):
            if ev:
                yield pytest.param(it, doc_id, ev, id=f"{it['id']}[{k}]")


@pytest.mark.parametrize(("item", "doc_id", "evidence"), list(_shape_evidence()))
def test_shape_evidence_is_in_its_report(item, doc_id, evidence):
    assert doc_id in CATALOG, (item["id"], doc_id)
    assert evidence in TEXTS[doc_id], f"evidence not found in {doc_id}: {evidence!r}"


@pytest.mark.parametrize("item", SHAPE_ITEMS, ids=lambda it: it["id"])
def test_shape_gold_fields(item):
    assert item.get("split") in ("dev", "test"), item["id"]
    if item.get("refuse"):
        assert item["category"] == "unanswerable" and not {"value", "values", "contains", "place"} & set(item)
        return
    assert {"value", "values", "yesno", "contains", "place", "entity"} & set(item), "no gold to score against"
    if "yesno" in item:
        assert item["yesno"] in ("yes", "no")
    if "place" in item:
        assert any(item["place"] in region_names(d) for d in CATALOG), item["place"]
        assert len(item.get("values", [])) >= 2, "a ranking lists every report that states the metric"
    if "history" in item:
        assert item["history"] and all(isinstance(h, str) and h.strip() for h in item["history"])
    for phrase in item.get("contains", []):
        assert isinstance(phrase, str) and phrase.strip()
    if "value" in item:
        assert isinstance(item["value"], (int, float)) and not isinstance(item["value"], bool)


def test_every_question_is_in_a_half_and_both_halves_cover_every_category():
    halves = {}
    for it in ALL_ITEMS:
        assert it.get("split") in ("dev", "test"), it["id"]
        halves.setdefault(it["category"], set()).add(it["split"])
    assert all(v == {"dev", "test"} for v in halves.values()), halves
