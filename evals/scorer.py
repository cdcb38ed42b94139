"""Score answers against gold facts.

A gold line is one of:
  single      {"value": 1723, "unit": "件", "evidence": "...", "doc_id": "..."}
  multi       {"values": [{"value", "unit", "evidence", "doc_id"}, ...]}
  comparison  {"entity": "昌平区", "values": [...]}
  refusal     {"refuse": true}
`unit` is what follows the number in the report, so parse_quantity(f"{value}{unit}")
is the gold quantity.  An answer is the project's JSON dict
({"answer", "answered", "citations": [{"doc_id", "text", ...}], ...}).

Decisions:
* strict (single): the first number stated, after dropping years, numbers repeated
  from the question and citation markers, equals the gold value.
* strict (multi): the first number stated equals the first gold value and the gold
  values appear among the stated numbers in gold order (extra numbers may sit in
  between: a multi-part answer naturally adds context numbers).
* strict (comparison): the entity is named in the answer's first sentence, before
  any other region of the compared reports (from the values' doc_ids and the
  question, via seeds/catalog.json aliases).  Lenient: strict, or the entity named
  anywhere together with every gold value stated anywhere.
* numerals the report wrote as names (六大提升, 第三批, “通八條”) are read in the
  answer only for golds whose evidence needs it (gold_measures), so 一件事 never
  shadows the real number of an ordinary gold.
* refusal golds: strict and lenient are both "did not answer"; citation_correct is
  True (nothing to cite), so callers may average over all golds or filter.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from rag.answer.grounding import MARKER_RE
from rag.text.script import to_simplified
from rag.text.quantity import Quantity, find_counted, find_quantities, parse_quantity, same_value
from rag.resources import shipped

_CATALOG = shipped("seeds") / "catalog.json"
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_WS = re.compile(r"\s+")


# --- normalisation ----------------------------------------------------------

@lru_cache(maxsize=4096)
def normalize_text(s: str) -> str:
    """For containment checks: NFKC (full-width -> ASCII), Traditional -> Simplified, no whitespace."""
    s = unicodedata.normalize("NFKC", s or "")
    return _WS.sub("", to_simplified(s))


# --- gold helpers -----------------------------------------------------------

def _fmt(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:.10f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def gold_quantity(value: Any, unit: str = "") -> Quantity:
    """The gold number as a Quantity: parse_quantity(f"{value}{unit}")."""
    q = parse_quantity(f"{_fmt(value)}{unit or ''}")
    if q is None:  # unit we do not know: keep the bare number, unit-free
        v = float(value)
        q = Quantity(str(value), 0, 0, v, v, "", False, False, False)
    return q


def gold_values(gold: dict) -> list[Quantity]:
    """The answer's number(s): a gold's own `value` (a total, a ranking's winner) over its parts' `values`."""
    if "value" in gold:
        return [gold_quantity(gold["value"], gold.get("unit", ""))]
    if "values" in gold:
        return [gold_quantity(v["value"], v.get("unit", "")) for v in gold["values"]]
    return []


def gold_evidence(gold: dict) -> list[tuple[str, str]]:
    """(doc_id, evidence) pairs; per-value doc_id falls back to the gold's."""
    if "values" in gold:
        pairs = [(v.get("doc_id", gold.get("doc_id", "")), v.get("evidence", "")) for v in gold["values"]]
    else:
        pairs = [(gold.get("doc_id", ""), gold.get("evidence", ""))]
    return [(d, e) for d, e in pairs if e]


def _answer_text(answer: dict) -> str:
    return answer.get("answer") or ""


# --- numbers in an answer ---------------------------------------------------

def answer_quantities(answer_text: str, question: str | dict, measures: Sequence[str] = ()) -> list[Quantity]:
    """Numbers stated in the answer, minus years, citation markers and numbers the question already has.

    `measures` (gold units such as 大提升, 组, 批) also read numerals that
    find_quantities refuses as names (六大提升, 一办五组, 第三批); see gold_measures.
    """
    if isinstance(question, dict):
        question = question.get("question", "")
    in_question = find_quantities(question or "")
    text = MARKER_RE.sub(lambda m: " " * len(m.group()), answer_text or "")
    found = [q for q in find_quantities(text) if not q.is_year]
    for measure in measures:
        for q in find_counted(text, measure):
            if not any(q.start < f.end and f.start < q.end for f in found):
                found.append(q)
    found.sort(key=lambda q: q.start)
    return [q for q in found if not any(q.number == p.number or q.value == p.value for p in in_question)]


def gold_measures(gold: dict) -> list[str]:
    """Units of gold facts the report wrote in a form find_quantities does not read (六大提升, “通八條”)."""
    out = []
    for v in gold.get("values") or ([gold] if "value" in gold else []):
        want = gold_quantity(v["value"], v.get("unit", ""))
        evidence = v.get("evidence", "")
        if evidence and not any(same_value(q, want) for q in find_quantities(evidence)):
            out.append(v.get("unit", ""))
    return [m for m in out if m]


def _in_order(gold: Sequence[Quantity], stated: Sequence[Quantity]) -> bool:
    i = 0
    for q in stated:
        if i < len(gold) and same_value(q, gold[i]):
            i += 1
    return i == len(gold)


def _all_anywhere(gold: Sequence[Quantity], stated: Sequence[Quantity]) -> bool:
    return all(any(same_value(q, g) for q in stated) for g in gold)


# --- comparisons -------------------------------------------------------------

@lru_cache(maxsize=1)
def _catalog() -> dict[str, list[str]]:
    try:
        data = json.loads(_CATALOG.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {r["doc_id"]: [r["region"], *r.get("aliases", [])] for r in data.get("reports", [])}


def _names_for(entity: str) -> list[str]:
    """The entity plus the aliases of the report whose region it names."""
    names = {entity}
    for aliases in _catalog().values():
        if entity in aliases:
            names.update(aliases)
    return list(dict.fromkeys(normalize_text(n) for n in names if n))


def _other_names(gold: dict, own: list[str]) -> list[str]:
    """Regions of the other compared reports: from the values' doc_ids and the question."""
    question = normalize_text(gold.get("question", ""))
    doc_ids = {v.get("doc_id", "") for v in gold.get("values", [])}
    names = set()
    for doc_id, aliases in _catalog().items():
        normed = [normalize_text(a) for a in aliases]
        if doc_id in doc_ids or any(a and a in question for a in normed):
            names.update(n for n in normed if n and not any(n in o or o in n for o in own))
    return sorted(names)


def _first_pos(text: str, names: Iterable[str]) -> int:
    hits = [text.find(n) for n in names if n and n in text]
    return min(hits) if hits else -1


def _comparison_strict(gold: dict, text: str) -> bool:
    own = _names_for(gold["entity"])
    first = _SENTENCE_END.split(normalize_text(text), maxsplit=1)[0]
    pos = _first_pos(first, own)
    if pos < 0:
        return False
    other = _first_pos(first, _other_names(gold, own))
    return other < 0 or pos < other


# --- the metrics --------------------------------------------------------------

def refusal_correct(gold: dict, answer: dict) -> bool:
    """Refuse golds must not be answered; all others must be."""
    answered = bool(answer.get("answered"))
    return not answered if gold.get("refuse") else answered


_YES = re.compile(r"^(是|有|对|yes\b|会|超过了|达到了)", re.I)
_NO = re.compile(r"^(否|没有|不是|不|未|no\b|没)", re.I)


def yes_no_of(text: str) -> str | None:
    """「是。…」「没有。…」「Yes. …」: the polarity an answer leads with."""
    lead = normalize_text(text).lstrip("「【[（(")
    if _NO.match(lead):
        return "no"
    if _YES.match(lead):
        return "yes"
    return None


def contains_all(gold: dict, text: str) -> bool:
    """Every `contains` item (alternatives split by |) appears in the answer (Simplified, no spaces)."""
    t = normalize_text(text)
    return all(any(normalize_text(alt) in t for alt in item.split("|")) for item in gold.get("contains", []))


def _states(text: str, want: Quantity) -> bool:
    return any(same_value(q, want) for q in find_quantities(MARKER_RE.sub(" ", text)) if not q.is_year)


def _ranking_strict(gold: dict, text: str) -> bool:
    """The winner is the first place the answer's first line names, with its value."""
    first = normalize_text(text.split("\n", 1)[0])
    own = _names_for(gold["place"])
    others = sorted({normalize_text(a) for aliases in _catalog().values() for a in aliases if a}
                    - set(own), key=len, reverse=True)
    pos = _first_pos(first, own)
    other = _first_pos(first, [o for o in others if not any(o in n for n in own)])
    if pos < 0 or (0 <= other < pos):
        return False
    want = gold_values(gold)
    return not want or _states(first, want[0])


def strict_correct(gold: dict, answer: dict) -> bool:
    if gold.get("refuse"):
        return refusal_correct(gold, answer)
    if not answer.get("answered"):
        return False
    text = _answer_text(answer)
    if "entity" in gold:
        return _comparison_strict(gold, text)
    if "place" in gold:
        return _ranking_strict(gold, text)
    if "yesno" in gold:
        want = [gold_quantity(gold["value"], gold.get("unit", ""))] if "value" in gold else []
        return yes_no_of(text) == gold["yesno"] and all(_states(text, w) for w in want) and contains_all(gold, text)
    if "contains" in gold:
        want = gold_values(gold) if "value" in gold else []
        return contains_all(gold, text) and all(_states(text, w) for w in want)
    want = gold_values(gold)
    stated = answer_quantities(text, gold.get("question", ""), gold_measures(gold))
    if not want or not stated or not same_value(stated[0], want[0]):
        return False
    return _in_order(want, stated)


def lenient_correct(gold: dict, answer: dict) -> bool:
    if gold.get("refuse"):
        return refusal_correct(gold, answer)
    if not answer.get("answered"):
        return False
    text = _answer_text(answer)
    if "place" in gold or "yesno" in gold or "contains" in gold:
        # Lenient: the right facts are in the answer, whatever it leads with.
        want = gold_values(gold)
        return contains_all(gold, text) and all(_states(text, w) for w in want) and \
            ("place" not in gold or _first_pos(normalize_text(text), _names_for(gold["place"])) >= 0)
    stated = answer_quantities(text, gold.get("question", ""), gold_measures(gold))
    want = gold_values(gold)
    if "entity" in gold:
        if _comparison_strict(gold, text):
            return True
        if _first_pos(normalize_text(text), _names_for(gold["entity"])) < 0:
            return False
    return bool(want) and _all_anywhere(want, stated)


def citation_correct(gold: dict, answer: dict) -> bool:
    """Every gold evidence string lies inside a cited passage of the right doc_id."""
    cited = [(c.get("doc_id", ""), normalize_text(c.get("text", ""))) for c in answer.get("citations") or []]
    for doc_id, evidence in gold_evidence(gold):
        ev = normalize_text(evidence)
        if not any(d == doc_id and ev in t for d, t in cited):
            return False
    return True


def _passage_fields(p: Any) -> tuple[str, str]:
    if isinstance(p, dict):
        return p.get("doc_id", ""), p.get("text", "")
    chunk = getattr(p, "chunk", p)  # rag.types.Passage or Chunk
    return getattr(chunk, "doc_id", ""), getattr(chunk, "text", "")


def retrieval_ranks(gold: dict, passages: Sequence[Any]) -> int | None:
    """1-based rank of the first passage holding any gold evidence in the right doc, else None."""
    wanted = [(d, normalize_text(e)) for d, e in gold_evidence(gold)]
    if not wanted:
        return None
    for rank, p in enumerate(passages, 1):
        doc_id, text = _passage_fields(p)
        norm = normalize_text(text)
        if any(doc_id == d and e in norm for d, e in wanted):
            return rank
    return None


def hit_at(rank: int | None, k: int) -> bool:
    return rank is not None and rank <= k


def mrr(ranks: Iterable[int | None]) -> float:
    ranks = list(ranks)
    return sum(1.0 / r for r in ranks if r) / len(ranks) if ranks else 0.0


def percentile(values: Iterable[float], p: float) -> float:
    """Linear-interpolation percentile (numpy's default), p in 0..100; NaN for no values."""
    xs = sorted(values)
    if not xs:
        return math.nan
    pos = (len(xs) - 1) * min(max(p, 0.0), 100.0) / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
