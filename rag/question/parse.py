"""One parsed question per turn: built once here, read by retrieval and every answerer.

text → clean → language → (English glossary | pinyin places | homophone typos | spoken fillers)
     → follow-up resolution over the normalised conversation → scope (places, years, reports)
     → metric (what is counted, its unit) → shape (value, yes/no, rank, …).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..errors import QuestionError
from ..text.script import to_simplified
from ..filters import QueryScope, ScopeDetector
from ..text.quantity import (NOT_A_PLACE_AFTER, ORDINAL_NUMERAL, RANK_UNIT, RANK_VERB_PATTERN, find_quantities,
                             ordinal_value)
from . import vocab
from .clean import clean_question_with_notice
from .compose import compose
from .followup import Conversation, resolve
from .metric import Intent, analyse, asks_several, expected_units, metric_terms, per_part_question, split_parts
from .normalise import (PlaceNames, Vocabulary, drop_fillers, glossary_terms, language_of, translate_english,
                        unknown_pinyin_places)

SHAPES = ("value", "multi", "yesno", "compare", "rank", "aggregate", "list", "about", "refuse")
# What the answer computes: each operation has one answerer in rag.answer.registry.
OPERATIONS = ("value", "multi", "exists", "compare", "rank", "sum", "difference", "change", "ratio", "share", "base",
              "average", "apply", "count", "mentions", "catalogue", "list", "refuse")


@dataclass(frozen=True)
class Threshold:
    """「有没有超过40件」 → (">", 40, "件")."""

    op: str  # > >= < <= =
    value: float
    unit: str
    text: str
    ordinal: bool = False  # 「是第六届吗」: the number names the 届, read as written in any context

    def holds(self, value: float) -> bool:
        return {">": value > self.value, ">=": value >= self.value, "<": value < self.value,
                "<=": value <= self.value, "=": abs(value - self.value) < 1e-9}[self.op]


@dataclass(frozen=True)
class Part:
    """One number a several-part question asks for: its label, its own question text and metric."""

    label: str
    text: str
    metric: Intent


@dataclass(frozen=True)
class ParsedQuestion:
    text: str  # as the user wrote it (cleaned)
    language: str  # "zh" | "en"
    normalised: str  # Simplified, English terms and pinyin places in Chinese, typos and fillers mended
    resolved: str  # self-contained: what a follow-up omitted is filled in from the conversation
    scope: QueryScope
    metric: Intent
    shape: str  # one of SHAPES
    wants_number: bool
    kind: str | None = None  # the report part asked about (下一年安排 / 不足 / 第一责任人)
    threshold: Threshold | None = None  # yes/no against a figure
    premise: str | None = None  # "up" | "down": a direction the question takes for granted
    aggregate: str | None = None  # "sum" | "difference" | "change"
    descending: bool = True  # rankings: most first
    about: str | None = None  # the catalogue field asked about (parent, published, coverage, …)
    period: str = "current"  # "previous": the figure is the year before the report's year (上年)
    parts: tuple[Part, ...] = ()  # the operands: several numbers asked (分别 / two 多少), one per place (compare),
    # the items of a total, difference or ratio (A, B), a share's part and whole, an average's total and divisor
    operation: str = "value"  # one of OPERATIONS
    yes_no: tuple[str, str] = ("是", "否")  # how a yes/no question is answered: 有/没有 for 「有没有…」
    asks_done: bool = False  # yes/no about completion (建成/获评/已…): 「探索建设」 or 「推进」 is no
    asks_all: bool = False  # yes/no about everywhere (全区/各个/都): a statement limited to one field is no
    asks_plan: bool = False  # 「计划培训多少人」「目标是多少」: only then does a planned or target figure answer
    rate_counts: Part | None = None  # 「调解成功率是多少」: the rate's own act as a count (label 成功), for a
    # report that states the counts (调解267件，成功265件) and not the rate
    mention: str = ""  # the thing a mentions question looks for
    threshold_of_change: bool = False  # 「是不是下降了六成以上」: the threshold holds a change, not a level
    versus_previous: bool = False  # 「比上年多吗」: a yes/no about the change from the year before
    against_before: bool = False  # 「比上年多了多少件」「同比」: any comparison with the year before (the year's own
    # figure answers none)
    plan_only: bool = False  # 「2025年计划办理多少件」: a plan word governs the asking (a done figure answers none)
    asked_direction: str | None = None  # "up" | "down": the way a comparison asks (多/高/增 vs 少/低/减)
    asks_rate: bool = False  # a level or rate (率/比例/高/低): worded highest/lowest, not most/least
    asked_thing: str = ""  # the asked thing as the user named it, without the asking words (for 未找到「…」)
    units: tuple[str, ...] = ()  # the measure words the whole question asks for, frame words included
    # (「同比增长了多少」 → %), where metric.units are the measured thing's own
    operands: tuple["ParsedQuestion", ...] = ()  # a follow-up over earlier answers (「这两个加起来」): the
    # earlier queries it computes over, each answered as it was asked
    carried: tuple[str, ...] = ()  # what came from earlier turns: place, year, metric
    within: str = ""  # 「…案件里，拆迁拆违领域有几件」: the words that tell the part asked for from its whole (拆迁拆违)
    asked_level: str = ""  # 「有没有镇一级的报告」: the catalogue level asked for (town, county, district…)
    count_noun: str = ""  # 「分了几个部分」: what a count of a report's parts is counted in (方面, 部分…)
    near: tuple[tuple[str, int, int], ...] = ()  # (doc_id, start, end) the last answer quoted: a follow-up
    # that keeps its place and asks a new thing (「涉及几个执法单位？」) is most likely about those sentences
    rewrites: tuple[tuple[str, str], ...] = ()  # (as written, read as): pinyin, typos
    notices: tuple[str, ...] = field(default=())

    @property
    def content(self) -> str:
        """What passages are ranked by: the resolved question without places and years."""
        return self.scope.content or self.resolved


class QuestionParser:
    """Holds what parsing needs from the corpus: the catalogue's scope detector, place names, vocabulary."""

    def __init__(self, detector: ScopeDetector, vocabulary: Vocabulary | None = None):
        self.detector = detector
        self.places = PlaceNames.from_catalog(detector.catalog)
        self.vocabulary = vocabulary

    def normalise(self, text: str) -> tuple[str, str, list[tuple[str, str]]]:
        """(language, normalised text, rewrites) for one turn."""
        lang = language_of(text)
        rewrites: list[tuple[str, str]] = []
        text, found = self.places.rewrite(text)
        rewrites += found
        # Latin place names no catalogue entry spells (Haidian District) are places we do not hold.
        rewrites += [(name, name) for name in unknown_pinyin_places(text)]
        if lang == "en":
            text = translate_english(text)
        text = drop_fillers(to_simplified(text))
        if self.vocabulary is not None:
            text, fixes = self.vocabulary.correct(text)
            rewrites += fixes
        return lang, text, rewrites

    def parse(self, question: str, history=None, doc_ids: list[str] | None = None) -> ParsedQuestion:
        """`history`: a Conversation (its turns' queries are used as they are) or chat messages."""
        earlier: list[ParsedQuestion] = []
        turns = Conversation.from_history(history).turns
        for turn in turns:
            query = turn.query if isinstance(turn.query, ParsedQuestion) else None
            try:
                earlier.append(query or self._parse_turn(turn.question, earlier, doc_ids))
            except QuestionError:
                continue  # an earlier turn with nothing to ask (「？？」) carries nothing
        pq = self._parse_turn(question, earlier, doc_ids)
        if turns and turns[-1].cited and "place" in pq.carried and "metric" not in pq.carried:
            pq = replace(pq, near=turns[-1].cited)
        return pq

    def _parse_turn(self, question: str, earlier: list[ParsedQuestion], doc_ids) -> ParsedQuestion:
        text, notice = clean_question_with_notice(question)
        lang, normalised, rewrites = self.normalise(text)
        own = self.detector.detect(normalised)
        # 「这两个加起来」 computes over earlier answers; a question naming its own places asks about those.
        composed = compose(normalised, earlier) if not (own.mentions or own.unknown_regions) else None
        if composed is not None:
            return replace(composed, text=text, language=lang, normalised=normalised,
                           notices=tuple(n for n in (notice, f"理解为：{composed.resolved}") if n))
        resolved, carried = resolve(normalised, [q.resolved for q in earlier], self.detector)
        resolved = _drop_relative_year(resolved, carried)
        scope = self.detector.detect(resolved).restrict(doc_ids)
        period = "previous" if _asks_previous(resolved) else "current"
        if scope.missing_years and not scope.unknown_regions:
            scope, period = self._previous_year_scope(resolved, scope, doc_ids)
        unknown = [n for n, m in rewrites if n == m]  # Latin place names no catalogue entry spells
        if unknown:
            scope = replace(scope, doc_ids=(), unknown_regions=tuple(dict.fromkeys(scope.unknown_regions + tuple(unknown))))
        notices = [n for n in (notice, _scope_notice(scope)) if n]
        if resolved != normalised or rewrites:
            notices.append(f"理解为：{resolved}")
        return _shape(ParsedQuestion(
            text=text, language=lang, normalised=normalised, resolved=resolved, scope=scope,
            metric=analyse(scope.content or resolved), shape="value", wants_number=True, period=period,
            asks_plan=bool(vocab.PLAN_ASK.search(resolved)), carried=carried, rewrites=tuple((a, b) for a, b in rewrites if a != b), notices=tuple(notices)))

    def _previous_year_scope(self, text: str, scope: QueryScope, doc_ids) -> tuple[QueryScope, str]:
        """「昌平区2023年…」 when only the 2024 report exists: its 上年 figures answer, if it states them."""
        if len(scope.missing_years) != 1:
            return scope, "current"
        y = scope.missing_years[0]
        alt = self.detector.detect(text.replace(f"{y}年", f"{y + 1}年")).restrict(doc_ids)
        if alt.empty or alt.missing_years:
            return scope, "current"
        return replace(alt, years=(y,)), "previous"


def _shape(pq: ParsedQuestion) -> ParsedQuestion:
    q = to_simplified(pq.resolved)
    content = pq.content
    # 「哪几个年份」「这几份报告」 ask which, not how many.
    wants_number = bool(vocab.NUMERIC_ASK.search(re.sub(r"[哪这那]几", "", q))) and not vocab.LIST_OVER_COUNT.search(q)
    kind = next((k for k, words in vocab.KIND_HINTS if any(w in q for w in words)), None)
    fields: dict = {"wants_number": wants_number, "kind": kind}
    places = len(pq.scope.mentions)
    premise = _premise(q)
    about = next((name for name, pat in vocab.ABOUT if pat.search(q)), None)
    if about == "levels" and (places or wants_number):
        about = None  # 「昌平区镇级报告…」 names a place: not a question about the library's levels
    if about in ("count", "levels"):
        fields.update(shape="about", about=about)  # about the library as a whole
        if about == "levels":
            fields["asked_level"] = _asked_level(q)
    elif about == "coverage" and not wants_number:
        fields.update(shape="about", about=about)  # about the whole library, whatever places it names
    elif pq.scope.empty:
        fields["shape"] = "refuse"
    elif about and not wants_number and not (kind and about in ("year",)):
        fields.update(shape="about", about=about)
    elif premise:
        fields.update(shape="value", premise=premise)
    elif (vocab.MENTIONS.search(q if pq.language != "en" else pq.text.lower()) and not wants_number
          and (vocab.MENTIONS_WHICH.search(q) or vocab.YES_NO.search(q) or pq.language == "en")) \
            or (vocab.MENTIONS_HOLDS.search(q) and not wants_number):
        fields.update(shape="yesno" if vocab.YES_NO.search(q) else "list", operation="mentions",
                      mention=_mentioned(pq.text if pq.language == "en" else q))
    elif wants_number and "倍" in q and vocab.RATIO.search(q) and (places >= 2 or len(_items(content, "ratio")) == 2):
        single = per_part_question(_unframed(content))
        own = _items(content, "ratio")
        # 「昌平的复议申请是恩阳复议案件的多少倍」: each place its own thing; 「…是恩阳的多少倍」: one for both.
        fields.update(shape="aggregate", aggregate="ratio",
                      parts=(own if len(own) == 2 and own[0].label != own[1].label else
                             (Part("", single, analyse(single)),)) if places >= 2 else own)
    elif wants_number and places <= 1 and vocab.SHARE.search(q) and not vocab.CHANGE.search(q) \
            and pq.metric.frame is None:  # 「分值占比提高到了多少」 asks a stated share after its change: a value
        fields.update(shape="aggregate", aggregate="share", parts=_share_parts(content))
    elif wants_number and places <= 1 and (applied := vocab.APPLY_RATE.search(content)):
        rate = applied.group(1).strip(" 的")
        rest = (content[:applied.start()] + content[applied.end():]).strip("，, ")
        fields.update(shape="aggregate", aggregate="apply",
                      parts=(Part(rate, rate + "是多少", analyse(rate + "是多少")), Part(rest, rest, analyse(rest))))
    elif wants_number and places <= 1 and vocab.AVERAGE.search(q):
        fields.update(shape="aggregate", aggregate="average", parts=_average_parts(content))
    elif wants_number and places <= 1 and vocab.BASE_FROM_RATE.search(q) and (pq.period == "previous" or _asks_prior(q)):
        fields.update(shape="aggregate", aggregate="base", period="previous")
    elif kind in ("不足", "下一年安排") and vocab.COUNT_ITEMS.search(q):
        fields.update(shape="list", operation="count")
    elif not kind and (parts_asked := vocab.COUNT_PARTS.search(q)):
        # counted by the sub-headings of the achievements part, in the question's own word (方面 / 部分)
        fields.update(shape="list", operation="count", kind="成效", count_noun=parts_asked.group(4))
    elif vocab.YES_NO.search(q):
        fields.update(shape="yesno", threshold=_threshold(q))
        if fields["threshold"] is not None:
            at = q.find(fields["threshold"].text)
            fields["threshold_of_change"] = bool(re.search(f"({'|'.join(vocab.CHANGE_VERBS)})了?$", q[:max(at, 0)])
                                                 or vocab.CHANGE_NOUN.search(q[:max(at, 0)]))
        fields["aggregate"] = "change" if vocab.CHANGE.search(q) else None
    elif places >= 2 and vocab.SUM.search(q) and wants_number:
        fields.update(shape="aggregate", aggregate="sum")
    elif not places and vocab.RANK.search(q) and wants_number:
        fields.update(shape="rank", descending=not vocab.RANK_ASC.search(q))
    elif places <= 1 and wants_number and vocab.SUM.search(q) and len(items := _items(content, "sum")) >= 2:
        fields.update(shape="aggregate", aggregate="sum", parts=items)
    elif places <= 1 and wants_number and re.search(r"(?<![占对同环])比(?![例重较]).{1,20}(多|少)", content) \
            and not vocab.CHANGE.search(q) \
            and len(items := _items(content, "difference")) == 2:
        fields.update(shape="aggregate", aggregate="difference", parts=items)
    elif places >= 2 or (pq.metric.compare and pq.scope.unknown_regions):
        fields.update(shape="compare")
    elif wants_number and vocab.CHANGE.search(q) and re.search(r"多少|几", q):
        fields.update(shape="aggregate", aggregate="change")
    elif wants_number and (pq.metric.multi or asks_several(content)) and len(split_parts(content)) >= 2:
        fields.update(shape="multi")
    elif not wants_number:
        fields.update(shape="list")
    if fields.get("aggregate") == "change" or fields.get("premise"):
        # 「较上年提升了多少个百分点」「为什么…下降了」: the metric is what changed, not the change words.
        bare = vocab.CHANGE_WORDS.sub("", content)
        fields["metric"] = analyse(bare if metric_terms(bare) else content)
    fields["operation"] = fields.get("operation") or _operation(fields)
    fields["yes_no"] = ("有", "没有") if vocab.HAVE_ASK.search(q) else ("是", "否")
    fields["asks_done"] = bool(vocab.ASKS_DONE.search(q))
    fields["asks_all"] = bool(vocab.ASKS_ALL.search(q))
    fields["versus_previous"] = bool(vocab.VERSUS_PREVIOUS.search(q))
    fields["against_before"] = bool(vocab.AGAINST_BEFORE.search(q))
    fields["plan_only"] = pq.asks_plan and bool(vocab.PLAN_ONLY.search(q))
    fields["asked_direction"] = _asked_direction(q, pq.scope)
    fields["asks_rate"] = any(w in q for w in vocab.LEVEL_WORDS)
    fields["asked_thing"] = _asked_thing(content)
    fields["rate_counts"] = _rate_counts(fields["asked_thing"]) if pq.metric.units == ("%",) else None
    within = vocab.WITHIN.search(content)
    if within and metric_terms(content[:within.start()]) and not within.group(1).startswith(vocab.WITHIN_NOT):
        # Only the part's own words (「行政复议申请里，行政复议纠错的」 → 纠错): those of its whole tell nothing.
        whole = set(metric_terms(content[:within.start()]))
        own = [t for t in metric_terms(within.group(1)) if t not in whole and not any(t in w for w in whole)]
        if own:
            fields["within"] = max(own, key=len)
    fields["units"] = expected_units(content)
    if fields.get("operation") == "mentions":
        fields["metric"] = analyse(fields["mention"] or content)  # what a near passage must cover
    if fields["operation"] in ("ratio", "share", "average", "base", "apply"):
        fields["metric"] = analyse(_unframed(content))
    if "parts" in fields and fields["parts"]:
        return replace(pq, **fields)
    fields.pop("parts", None)
    if fields.get("shape") == "multi":
        fields["parts"] = tuple(Part(_item_label(p), p, analyse(p)) for p in split_parts(content))
    elif fields.get("shape") == "rank":
        single = vocab.RANK_FRAME.sub("", content).strip("，,。？?！! 的") + "多少？"
        fields["parts"] = (Part("", single, analyse(single)),)
    elif fields.get("shape") in ("compare", "aggregate", "yesno") or places >= 2:
        single = per_part_question(content)
        fields["parts"] = (Part("", single, analyse(single)),)
    return replace(pq, **fields)


def _asked_direction(q: str, scope: QueryScope) -> str | None:
    """The way a comparison asks, read after what it compares against: 「昌平比恩阳少吗」 → down (after 恩阳),
    「比上一年多吗」 → up (after 比)."""
    names = [n for n, _ in scope.mentions]
    if len(names) >= 2 and names[1] in q:
        tail = q.split(names[1])[-1]
    else:
        tail = q.split("比")[-1]
    tail = tail.replace("多少", "")  # the 多 of 多少 asks nothing: 「少了多少件」 is down
    return "up" if vocab.ASKS_UP.search(tail) else "down" if vocab.ASKS_DOWN.search(tail) else None


def _rate_counts(thing: str) -> Part | None:
    """「人民调解的成功率」 → the count of 成功 in 人民调解 (「人民调解的成功多少」), labelled 成功."""
    thing = thing.strip("？?。 ")
    m = re.search(r"([\u4e00-\u9fff]{2})率$", thing)
    if not m or thing.endswith(vocab.NOT_RATE_WORDS):
        return None
    text = thing[: m.start(1)] + m.group(1) + "多少"
    return Part(m.group(1), text, analyse(text))


def _asked_thing(content: str) -> str:
    """「办理法律援助案件多少件？」 → 办理法律援助案件: what the user asked about, in their words."""
    what = content.strip("？?。，, ").removeprefix("那么").removeprefix("那")
    # a measure word opens only a piece after an asking word (多少「件」行政复议案件), not 人民调解
    pieces = [(re.sub(r"^(?:[个件项家人次条名份场批篇本宗户位所座台套]|支(?!持))+", "", p) if i else p).strip("，,的了 ")
              for i, p in enumerate(re.split(r"(?:共|一共|总共|有|是|了)?(?:多少|几)", what))]
    # 「办理法律援助案件多少件」 names it before the asking word, 「受理了多少件行政复议案件」 after it, and so
    # does a translated English question (「多少行政复议申请接收」): the piece with the most metric words.
    pieces = [vocab.ASKED_TAIL.sub("", p) for p in pieces]
    pieces = [p for p in pieces if len(p) >= 2]
    thing = max(pieces, key=lambda p: len(metric_terms(p)), default="")
    return thing or what


def _operation(fields: dict) -> str:
    shape = fields.get("shape", "value")
    if shape == "aggregate":
        return fields.get("aggregate") or "sum"
    return {"yesno": "exists", "about": "catalogue"}.get(shape, shape)


def _unframed(content: str) -> str:
    """The metric an arithmetic question is about, without its frame words (倍, 占比, 平均每, 推算)."""
    # The frame begins at its verb (是/为/相当于): 「接收的申请数大约是的多少倍」 keeps 「接收的申请数」.
    q = re.sub(r"(大约|大概|约)?(是|为|相当于)[^，,。？?]{0,24}?的?(多少|几)倍", "多少", content) if "倍" in content else content
    q = re.sub(r"推算|估算|倒推|反推|换算|折算|大约|大概", "", q)
    return q


_LEVEL_WORDS = (("街道", "town"), ("镇", "town"), ("乡", "town"), ("县", "county"), ("区", "district"), ("市", "city"),
                ("省", "province"), ("部门", "department"))


def _asked_level(q: str) -> str:
    """「镇一级」「县级」「区层级」 → the catalogue's level names."""
    for word, level in _LEVEL_WORDS:
        if re.search(f"{word}(一级|级|层级)", q):
            return level
    return ""


def _asks_prior(q: str) -> bool:
    return bool(re.search(r"上年|上一年|去年|前一年|(19|20)\d{2}年", q))


def _mentioned(q: str) -> str:
    """The thing a 「哪份报告提到了X」 or 「Does … mention 'X'」 question looks for."""
    quoted = re.search(r"[“\"‘「『]([^”\"’」』]{1,40})[”\"’」』]|(?<![A-Za-z])'([^']{1,40})'(?![A-Za-z])", q)
    if quoted:
        found = (quoted.group(1) or quoted.group(2)).strip()
        if not re.search(r"[A-Za-z]", found):
            return found
        # An English term the glossary knows is looked for in its Chinese words (all of them, in any order:
        # space-separated); one it does not, as written.
        terms = glossary_terms(found)
        return " ".join(terms) if terms else found
    held = vocab.MENTIONS_HOLDS.search(q)
    if held and not vocab.MENTIONS.search(q) and len(q[:held.start()].strip(" ，,的")) >= 2:
        return vocab.MENTION_TAIL.sub("", q[:held.start()].strip(" ，,的"))  # 「警企复产联查机制是哪里搞的」
    m = vocab.MENTIONS.search(q) or held
    after = q[m.end():] if m else q
    after = re.sub(r"^(了|过)?", "", after)
    after = re.split(r"[吗呢？?。，,]|的内容|这件事|相关|没有|了没", after)[0]
    return vocab.MENTION_TAIL.sub("", after.strip(" 的")) or q


def _share_parts(content: str) -> tuple[Part, ...]:
    """「已审结的占比是多少」 → (已审结,); 「审结的案件占办理案件的比例」 → (审结的案件, 办理案件)."""
    # 「X中，Y占多大比例」: a bare 中 / 里 only before a comma (not the 中 of 服务中心, the 里 of 邻里)
    within = re.search(r"(.+)(?:里面|里头|当中|之中|(?:中|里)[，,])[，,]?(.+?)占(?:多大|多少|几成)?的?"
                       r"(比例|比重|百分之几|多少|几成)", content)
    m = re.search(r"(.+?)占(?!比|多大|多少|几成)(.+?)的?(比例|比重|百分之几|多少)", content)
    if within and not m:
        pieces = [within.group(2), within.group(1)]  # 「中心办理的事项中，社保医保类占多大比例」: part, then whole
    elif m:
        pieces = [m.group(1), m.group(2)]
    else:
        pieces = [re.sub(r"占(多大|多少|几成)?$", "", re.split(r"的?(占比|所占比例|比例|比重|百分之几)", content)[0])]
    pieces = [p.strip(" 的，,") for p in pieces if p.strip(" 的，,")]
    return tuple(Part(p, p + "多少", analyse(p + "多少")) for p in pieces)


def _average_parts(content: str) -> tuple[Part, ...]:
    """「平均每批次抽查了多少户」 → total (抽查多少户) and divisor (批次)."""
    m = re.search(r"每(个|家|批次|批|次|场|名|人|件|户|期|所|份|项|条)(.+?)平均(.*?(?:多少|几).*)$", content) or \
        re.search(r"(?:平均(?:下来)?每|平均一|每)(个|家|批次|批|次|场|名|人|件|户|期|所|份|项|条)?(.*?)(?:平均)?(.*?(?:多少|几).*)$",
                  content)  # 「每份意见书平均提了几条」, 「平均每批次抽查了多少户」
    if not m:
        return ()
    per = (m.group(1) or "") + m.group(2)
    total = m.group(3)
    head = content[:m.start()]
    return (Part(head + total, head + total, analyse(head + total)), Part(per, per, analyse(per + "多少")))


_PREVIOUS_ASKED = re.compile(f"({'|'.join(vocab.PREVIOUS_YEAR)})(同期|的)")


def _drop_relative_year(resolved: str, carried: tuple[str, ...]) -> str:
    """「去年」 with no year to count from names the place's latest report (the 理解为 notice shows it)."""
    if carried or not re.search(r"去年|今年|前年|上一年|本年度", resolved) or re.search(r"(19|20)\d{2}年", resolved):
        return resolved
    if vocab.COMPARATIVE.search(resolved):
        return resolved  # 「比去年多了几件」 compares within one report
    return re.sub(r"去年|今年|前年|本年度", "", resolved)


def _asks_previous(q: str) -> bool:
    """「2023年报告中，去年同期的A岗参与率是多少」: the report's figure for the year before."""
    return bool(_PREVIOUS_ASKED.search(q)) and not (vocab.COMPARATIVE.search(q) or "变化" in q)


def _items(content: str, how: str) -> tuple[Part, ...]:
    """The items a one-place total or difference is over: 「A和B一共多少件」 → A, B; 「A比B多多少家」 → A, B."""
    unit = re.search(r"(?:多少|几)\s*(个|件|项|家|人|次|条|名|份|场|批|万元|元|人次|件次)?", content)
    ask = "多少" + (unit.group(1) or "") if unit else "多少"
    if how == "difference":
        m = re.match(r"(.+?)比(.+?)(多出|少了|多了|多|少)", content)
        pieces = [m.group(1), m.group(2)] if m else []
    elif how == "ratio":
        # 「红名单大约是黑名单的多少倍」 → 红名单, 黑名单
        m = re.match(r"(.+?)(?:大约|大概|约)?(?:是|为|相当于)(.+?)的?(?:多少|几)倍", content)
        pieces = [m.group(1), m.group(2)] if m else []
    else:
        body = vocab.SUM.sub("", re.split(r"(?:是|有|一共|总共|共)?(?:多少|几)", content)[0])
        pieces = [p for p in re.split(r"和|与|及|以及|、|加上|跟", body) if len(p.strip(" 的，,")) >= 2]
        shared = pieces[-1].rsplit("的", 1) if pieces and "的" in pieces[-1] else []
        if len(shared) == 2 and len(shared[1].strip()) >= 2 and not any("的" in p for p in pieces[:-1]) \
                and all(p.strip().endswith(vocab.OWNER_ENDS) for p in pieces[:-1]):
            # 「中心组和常务会的会前学法加起来」: the thing after 的 is each item's (中心组的会前学法).
            pieces = [f"{p.strip()}的{shared[1].strip()}" for p in pieces[:-1]] + pieces[-1:]
    pieces = [p.strip(" 的，,") for p in pieces]
    if len(pieces) < 2 or not all(metric_terms(p) for p in pieces):
        return ()
    return tuple(Part(p, p + ask, analyse(p + ask)) for p in pieces)


def _premise(q: str) -> str | None:
    if not vocab.PREMISE.search(q):
        return None
    up = any(w in q for w in vocab.UP_WORDS)
    down = any(w in q for w in vocab.DOWN_WORDS)
    return "up" if up and not down else "down" if down and not up else None


# 「是全市第一吗」「排名前三吗」「位居榜首吗」: the place a yes/no question holds the report to (never 第二批).
_ASKED_PLACE = re.compile(rf"(?:{RANK_VERB_PATTERN}|是|为|进入|进)[^，,。？?]{{0,8}}?"
                          rf"(?:(?P<top>前)|第)(?P<n>{ORDINAL_NUMERAL})(?:名|位)?(?![{NOT_A_PLACE_AFTER}])"
                          r"|(?:位居|居|是)[^，,。？?]{0,8}?(?P<one>首位|榜首)")
# 「是第六届…吗」 asks which ordinal; 「拿到第三批…了吗」 asks whether it was done.
_ASKED_ORDINAL = re.compile(rf"(?<=是|为)第({ORDINAL_NUMERAL})(届|批|轮|期)")


def _asked_place(q: str) -> Threshold | None:
    m = _ASKED_PLACE.search(q)
    if not m:
        return None
    if m.group("one"):
        return Threshold("=", 1.0, RANK_UNIT, m.group("one"))
    value = ordinal_value(m.group("n"))
    if value is None:
        return None
    top = bool(m.group("top"))
    return Threshold("<=" if top else "=", value, RANK_UNIT, ("前" if top else "第") + m.group("n"))


def _threshold(q: str) -> Threshold | None:
    """The figure a yes/no question holds the report to: 「超过40件」 (>), 「30次以上」 (>=), 「有40个吗」 (>=),
    「是不是1723件」 (=), 「是全市第一吗」 (a place: = 1), 「排名前三吗」 (<= 3)."""
    place = _asked_place(q)
    if place is not None:
        return place
    m = _ASKED_ORDINAL.search(q)
    value = ordinal_value(m.group(1)) if m else None
    if value is not None:  # 「是第六届…吗」: the report's ordinal of the same measure word decides
        return Threshold("=", value, m.group(2), m.group(), ordinal=True)
    for words, op in vocab.THRESHOLD_OPS:
        for m in re.finditer(words, q):
            nums = [x for x in find_quantities(q[m.end():m.end() + 16]) if not x.is_year]
            if nums and nums[0].start <= 2:
                n = nums[0]
                return Threshold(op, n.value, n.unit, m.group() + n.text)
    nums = [x for x in find_quantities(q) if not x.is_year]
    if not nums:
        return None
    n = nums[0]
    asking = vocab.YES_NO.search(q)
    if asking and n.end < asking.start() and re.match(r"[\u4e00-\u9fff]", q[n.end:n.end + 1]) \
            and re.search(r"都|均|全部|全都|每", q[n.end:asking.end() + 3]) \
            and not re.search(r"以上|以下|以内", q[n.end:n.end + 3]):
        return None  # 「大河乡的3名执法人员是不是都拿到了执法证」: the number counts the subject (都), it is no bound
    before = q[max(0, n.start - 2):n.start]
    if n.text.endswith("以上"):
        op = ">="
    elif re.search(r"以下|以内", q[n.end:n.end + 3]):
        op = "<="
    elif re.search(r"有|到|够", before):
        op = ">="
    else:
        op = "="
    return Threshold(op, n.value, n.unit, n.text)


def _item_label(sub_question: str) -> str:
    """「审结多少件？」 → 「审结」: what the part's number is of, said before it."""
    label = re.split(r"多少|几", sub_question)[0]
    label = label.strip("，,。？?！! ").removesuffix("了").removesuffix("是").removesuffix("有").removesuffix("共")
    return f"{label}：" if label else ""


def _scope_notice(scope: QueryScope) -> str | None:
    """Places or years the question names that the corpus lacks, when other parts can still be answered."""
    if scope.empty:
        return None
    if scope.unknown_regions:
        return f"报告中未找到{'、'.join(scope.unknown_regions)}的报告，以下只就其余地区作答"
    if scope.missing_years:
        return f"报告中未找到{'、'.join(f'{y}年' for y in scope.missing_years)}的对应报告，以下只就其余部分作答"
    return None
