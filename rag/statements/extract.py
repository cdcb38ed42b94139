"""Report → Statements: every figure a sentence states and every act it says was done, explored, prepared,
planned or never happened — with what it measures, its frame, status, polarity, scope and period.

One extractor for index time (the statements store) and answer time (a retrieved passage's statements), so
a figure is bound to its words by one rule everywhere. The quantity grammar is `rag.text.quantity`; the words a
number owns are `words.number_words`; what they mean is `describe`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..text.instructions import is_instruction
from ..text.quantity import RANK_UNIT
from ..text.script import to_simplified
from ..text.sentences import sentence_spans
from ..types import Chunk, Report, Statement
from . import acts, describe, phrases, rules
from .frames import frame_of
from .status import figure_status, stage_of
from .words import number_words

_PREVIOUS = re.compile(f"({'|'.join(rules.PREVIOUS_WORDS)})(同期)?")
_CHANGE = re.compile("|".join(rules.CHANGE_VERBS))
_FULL_STOPS = ("。", "！", "？", "!", "?")
_ALL_RANKED = re.compile(r"^[，,；;、\s]*(?:均|都|全部|皆)")
_LEADING_YEAR = re.compile(r"^(?:截至)?(?:19|20)\d{2}年(?:度|底|末|全年)?")
_CLOSERS = ")）”」』’"
_TRIM = " \t\r\n\u3000，,、；;：:。"


def extract_statements(report: Report, chunks: list[Chunk]) -> list[Statement]:
    entry = report.entry
    out: list[Statement] = []
    for chunk in chunks:
        out += chunk_statements(chunk, entry.doc_id, entry.short_region, entry.year, entry.title)
    return out


def chunk_statements(chunk: Chunk, doc_id: str, region: str, year: int, title: str, *,
                     measures: tuple[str, ...] = (), skip: tuple[float, ...] = (),
                     names: bool = False) -> tuple[Statement, ...]:
    """The statements of one chunk (cached: answers read the statements of the passages they retrieve).

    `measures`: numerals used as names that count for a 「几大…」 question; `skip`: numbers the question
    itself states, never a figure of the answer; `names`: keep numbers written as names (区级“12条”措施),
    which a question may ask to count but a table of figures leaves out."""
    return _chunk_statements(chunk.text, chunk.kind, chunk.section_path, chunk.start, doc_id, region, year, title,
                             measures, skip, names)


@lru_cache(maxsize=8192)
def _chunk_statements(text: str, kind: str, section: str, offset: int, doc_id: str, region: str, year: int,
                      title: str, measures: tuple[str, ...] = (), skip: tuple[float, ...] = (),
                      names: bool = False) -> tuple[Statement, ...]:
    simple = to_simplified(text)
    heading = to_simplified(section)
    out: list[Statement] = []
    run: list[Statement] = []  # the figures since the last full stop
    for a, b in sentence_spans(simple, 0, len(simple)):
        sentence = simple[a:b]
        if is_instruction(sentence):
            continue  # text addressed to a model is data, never a statement of fact
        original = text[a:b]
        lstrip = len(original) - len(original.lstrip(_TRIM))
        rstrip = len(original) - len(original.rstrip(_TRIM.replace("。", "")))
        common = dict(doc_id=doc_id, region=region, kind=kind, text=original[lstrip:len(original) - rstrip],
                      start=offset + a + lstrip, end=offset + b - rstrip, section=section, title=title,
                      context=sentence + heading)
        figures = _figures(sentence, original, kind, year, offset + a, common, measures, skip, names, run)
        run = run + figures if not sentence.rstrip().endswith(_FULL_STOPS) else []
        out += figures
        out += _acts(sentence, original, kind, year, offset + a, common, figures)
    return tuple(out)


def _figures(sentence: str, original: str, kind: str, year: int, base: int, common: dict,
             measures: tuple[str, ...] = (), skip: tuple[float, ...] = (), names: bool = False,
             before: list[Statement] | None = None) -> list[Statement]:
    """The figures of one sentence; `before`: those of the sentences before it since the last full stop
    (a clause after ；, 「均在全市排名第3」, may speak of them)."""
    words = number_words(sentence, measures, set(skip))
    out: list[Statement] = []
    previous_thing = ""
    thing_in: dict[str, str] = {}  # unit → the last thing counted in it (「13个问题…已整改完成12个」)
    items = [k for k, nw in enumerate(words) if nw.respective]
    for k, nw in enumerate(words):
        q = nw.quantity
        if not names and _is_name(sentence, q) and not (measures and q.text.rstrip().endswith(measures)):
            continue  # 12345热线, “12条”措施, 五项制度: a name, not a figure (unless a 「几项」 question counts it)
        tail_len = len(nw.own) - len(nw.lead) - len(q.text) if not nw.respective else 0
        lead_start = q.start - len(nw.lead)
        if nw.respective:
            metric = nw.own.replace(q.text, "")
        else:
            metric = original[lead_start:q.start] + original[q.end:q.end + max(tail_len, 0)]
        metric = _LEADING_YEAR.sub("", metric.strip(_TRIM)).strip(_TRIM).lstrip(_CLOSERS)
        if k and len(rules.BARE.sub("", metric)) < 3:
            # 「…申请1723件,同比增长48.2%」: a bare rate or change word names the previous figure's thing.
            prev = _LEADING_YEAR.sub("", words[k - 1].lead.strip(_TRIM)).strip(_TRIM)
            metric = prev + metric
        frame = frame_of(sentence, words, k)
        counts = bool(q.unit) and not q.is_percent and frame not in ("delta", "to", "from")  # a plain count
        base_of = out[-1] if frame == "to" and out and out[-1].frame == "from" else None
        # 「由上年的537项压减至498项」: the year before is the base's; what it came to is this year's (a date
        # earlier in the clause, 「明年将…由20天压缩至10天」, is both's)
        period, for_year = _period(_PREVIOUS.sub("", nw.clause) if base_of else nw.clause, kind, year,
                                   sentence[:q.start])
        if period == "previous" and not _PREVIOUS.search(metric):
            metric = "上年" + metric
        shares = k and not nw.respective and words[k - 1].quantity.end <= q.start and \
            phrases.only_links(sentence[words[k - 1].quantity.end:q.start]) and q.unit not in rules.ADMIN_UNITS \
            and not phrases.noun_after(sentence, q.end, words[k + 1].quantity.start if k + 1 < len(words) else None)
        # (「4县及6个省直单位」: a figure with a noun of its own after it counts that, not its neighbour's thing)
        thing, act = (previous_thing, "") if shares and previous_thing else \
            describe.measured_thing(sentence, nw, previous_thing,
                                    words[k + 1].quantity.start if k + 1 < len(words) else None,
                                    same_unit=thing_in.get(q.unit, "") if counts else "")
        thing = _LEADING_YEAR.sub("", thing)
        if base_of is not None and base_of.measures:
            thing = base_of.measures  # what moved from the base to this figure is one thing
        own = nw.own
        ranked = (before or []) + out
        if q.unit == RANK_UNIT and not thing and ranked and _ALL_RANKED.match(nw.lead):
            # 「…检查量37.45万件；处罚案件总量2.73万件；均在全市排名第3」: the place is each figure's before it
            thing = "、".join(dict.fromkeys(s.measures for s in ranked if s.measures))
            own = "，".join(s.own for s in ranked) + "，" + own
        if frame in ("to", "delta") and len(rules.BARE.sub("", thing)) < 2 and previous_thing:
            # 「…申请1723件,同比增长48.2%」: a bare change is the previous figure's thing's, and owns its words.
            thing = previous_thing
            own = own if previous_thing in own else previous_thing + own
        previous_thing = thing or previous_thing
        if thing and counts:
            thing_in[q.unit] = thing
        status, word = figure_status(sentence, q.start, kind, q.end)
        if period == "target" and status == "planned" and rules.TARGET_YEAR.search(sentence[:q.start]):
            status = "target"  # 「到2025年…保持在100%」: a figure for a target year is a target
        if q.unit == RANK_UNIT and status in ("preparing", "exploring", "ongoing"):
            status = "done"  # 「…示范创建中获评数量排全国第二位」: a place ranked is a place reached, whatever the work was
        polarity = "zero" if q.value == 0 else "positive"
        out.append(Statement(
            **common, year=for_year, metric=metric, metric_simplified=to_simplified(metric), value=q.value,
            unit=q.unit, as_written=original[q.start:q.end], approx=q.approx, period=period,
            value_start=base + q.start, value_end=base + q.end, own=own, wide=nw.wide, lead=nw.lead,
            measures=thing, act=act, frame=frame, item=items.index(k) if k in items else -1, status=status,
            polarity=polarity, scope=describe.scope_of(sentence[:q.start]), status_word=word,
            stage=stage_of(sentence, act, q.start, q.end), each=describe.each_of(thing, nw.lead)))
    return out


def _acts(sentence: str, original: str, kind: str, year: int, base: int, common: dict,
          figures: list[Statement]) -> list[Statement]:
    """Acts with no figure of their own: explored, prepared, planned, done, or stated as none."""
    out = []
    for start, end, thing, act, status, polarity in acts.acts(sentence, kind, tuple(f.value_start - base for f in figures)):
        period, for_year = _period(sentence[start:end], kind, year, sentence[:start])
        out.append(Statement(
            **common, year=for_year, metric=thing, metric_simplified=thing,
            value=0.0 if polarity == "zero" else None, unit="", as_written="", approx=False, period=period,
            value_start=base + start, value_end=base + end, own=sentence[start:end], wide=sentence[start:end],
            lead=sentence[:start], measures=thing, act=act, frame="plain", item=-1, status=status,
            polarity=polarity, scope=describe.scope_of(sentence[:start]), status_word=act,
            stage=stage_of(sentence, act, start, end),
            each=describe.each_of(thing, sentence[:start],
                                  each=act.startswith(("均", "都", "各", "皆")))))  # 「…均为零」: the act says each
    return out


def _is_name(sentence: str, q) -> bool:
    """A number that names something: a bare number run into words (12345热线), or one inside a short quoted
    or titled name (“12条”措施, 《…十个问题》), or a 「N项制度」 title."""
    from ..text.quantity import _in_short_name

    after = sentence[q.end:q.end + 1]
    if not q.unit and not q.is_percent and re.match(r"[\u4e00-\u9fffA-Za-z]", after):
        return True
    if _in_short_name(sentence, q.start, q.end):
        return True
    return bool(re.match(r"(制度|机制|工程|行动|体系)", sentence[q.end:q.end + 2]))


def is_previous_year(lead: str) -> bool:
    """「去年15件」「上年同期为…」: the figure is the year before's, not a change since then."""
    m = None
    for m in _PREVIOUS.finditer(lead):
        pass
    return bool(m) and not _CHANGE.search(lead, m.end())


def _period(lead: str, kind: str, year: int, before: str = "") -> tuple[str, int]:
    """去年/上年 figures are the year before; a plan's figures are targets for the year planned; 「到2025年…」
    figures are targets for that year."""
    if is_previous_year(lead):
        return "previous", year - 1
    target = None
    for target in rules.TARGET_YEAR.finditer(before):
        pass
    if target and year and int(target.group(1)) > year:
        return "target", int(target.group(1))
    if kind == "下一年安排" or any(w in lead for w in rules.NEXT_YEAR):
        return "target", year + 1  # a plan's, or a clause dated next year (「预计明年投入使用」)
    return "current", year
