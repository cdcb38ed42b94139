"""The few data types that flow through the pipeline.

Library objects (llama-index nodes, Chroma results) never leave `rag.index` /
`rag.retrieve`; everything else speaks in these types.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Callable


@dataclass(frozen=True)
class CatalogEntry:
    """Who, where and when one report is (one line of seeds/catalog.json)."""

    doc_id: str
    file: str
    title: str
    region: str
    aliases: tuple[str, ...]
    level: str
    parent: str
    year: int
    published: str | None
    script: str  # "simplified" | "traditional"
    issuer: str = ""  # the body that issued the report (user-added reports)
    source: str = ""  # the file the user added (library reports)

    @property
    def short_region(self) -> str:
        """The region without its parents, e.g. 昌平区 for 北京市昌平区."""
        return self.aliases[0] if self.aliases else self.region


@dataclass(frozen=True)
class Report:
    """One report: its catalogue entry, original text and a Simplified search form.

    `search_text` has exactly the same length as `text` (OpenCC t2s maps
    character to character for these texts), so offsets are shared.
    """

    entry: CatalogEntry
    text: str
    search_text: str
    sha256: str
    skip: tuple[tuple[int, int], ...] = ()  # web residue spans, never indexed

    @property
    def doc_id(self) -> str:
        return self.entry.doc_id


@dataclass(frozen=True)
class Chunk:
    """A piece of one section of one report, with exact offsets into the original file."""

    doc_id: str
    section: tuple[str, ...]  # heading path, original script
    kind: str  # 成效 | 不足 | 第一责任人 | 下一年安排 | 概述 | 其他
    text: str  # original text, == report.text[start:end]
    start: int
    end: int

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}:{self.start}-{self.end}"

    @property
    def section_path(self) -> str:
        return " › ".join(self.section)


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its fused score and the scores behind it."""

    chunk: Chunk
    title: str
    score: float
    dense: float | None = None
    bm25: float | None = None
    year: int = 0  # the report's year (0: not known); its statements' periods are dated by it

    def as_dict(self) -> dict:
        c = self.chunk
        return {
            "doc_id": c.doc_id,
            "title": self.title,
            "section": c.section_path,
            "text": c.text,
            "start": c.start,
            "end": c.end,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Citation:
    """The quoted evidence for an answer: a span of one report, original script."""

    doc_id: str
    title: str
    section: str
    text: str  # the quote, == report.text[start:end]
    start: int
    end: int
    score: float = 0.0
    passage: str = ""  # the whole passage the quote sits in, for display

    def as_dict(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "section": self.section,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Answer:
    """What the assistant says, with the citations that prove it. Frozen: changed only by `replace`."""

    question: str
    text: str
    answered: bool
    citations: list[Citation] = field(default_factory=list)
    mode: str = "extractive"  # "extractive" | "llm"
    model: str | None = None
    notice: str | None = None  # fallback / truncation notices shown to the user
    timings: dict[str, float] = field(default_factory=dict)  # milliseconds
    chart: tuple[dict, ...] = ()  # comparisons and rankings: one row per place (place, year, value, unit…)
    shape: str = "value"  # the question's shape, as understood
    # The question as understood (a rag.question.ParsedQuestion): kept in a Conversation, a follow-up is
    # composed from it instead of re-reading the text. Not part of the answer's value or its dict.
    query: object | None = field(default=None, compare=False, repr=False)

    # Timings nested inside the sequential stages (the LLM call runs inside "answer"/"retrieve"):
    # shown, but not added again to the wall time.
    NESTED_TIMINGS = frozenset({"llm"})

    @property
    def latency_ms(self) -> float:
        """Wall time: the sequential stages only."""
        return sum(v for k, v in self.timings.items() if k not in self.NESTED_TIMINGS)

    def as_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.text,
            "answered": self.answered,
            "citations": [c.as_dict() for c in self.citations],
            "mode": self.mode,
            "model": self.model,
            "notice": self.notice,
            "latency_ms": round(self.latency_ms, 1) if self.timings else None,
            "timings": {k: round(v, 1) for k, v in self.timings.items()},
            "shape": self.shape,
            "chart": list(self.chart),
        }


@dataclass(frozen=True)
class Statement:
    """What one sentence of a report states: a figure (or an act with none), what it measures, whether it was
    done, for when, and where exactly it is written. Extracted once at index time; read by every answerer."""

    doc_id: str
    region: str
    year: int  # the year it is for (上年 figures: the report's year - 1; plans: the year planned)
    kind: str  # section kind: 成效 | 不足 | 第一责任人 | 下一年安排 | 概述 | 其他
    metric: str  # the words the figure belongs to, as written (the clause before it and the words after)
    metric_simplified: str
    value: float | None  # base units: 1949.39万元 → 19493900.0 元; 48.2% → 48.2; None: an act with no figure
    unit: str  # 件, 元, %, 个百分点… ("" when none)
    as_written: str  # 1949.39万元 ("" for an act)
    approx: bool  # 余 / 多 / 近 / 以上
    period: str  # "current" | "previous" (去年/上年) | "target" (a plan's or a target year's figure)
    text: str  # the sentence, original script
    start: int  # the sentence's offsets into the original report
    end: int
    value_start: int  # the figure's own offsets (an act: where its status word starts)
    value_end: int
    section: str = ""
    title: str = ""
    own: str = ""  # the words the figure owns (Simplified), what metric matching reads
    wide: str = ""
    lead: str = ""  # the words before the figure in its clause (Simplified)
    context: str = ""  # the sentence and its heading (Simplified): what the sentence-level score reads
    measures: str = ""  # the counted thing (Simplified): 「27个部门单位的278项…」 → 部门单位 for 27
    act: str = ""  # the verb acting on it: 办理 / 接收 / 探索建设 / 创建迎检
    frame: str = "plain"  # plain | from | to | delta | part | total (由A提升至B: A from, B to)
    item: int = -1  # position in a 分别 list (「分别降低60%和75%」: 0, 1), else -1
    status: str = "done"  # done | ongoing | exploring | preparing | planned | target
    polarity: str = "positive"  # "zero": stated as none (0件, 无一宗, 未发生)
    scope: str = ""  # a qualifier limiting where it holds: 在市场监管领域, 全区, 镇级
    status_word: str = ""  # the words that say the status (探索建设), "" when plain
    each: tuple[str, ...] = ()  # the things of a list it is said of each of (「参考率、通过率和优秀率均为100%」)
    stage: str = ""  # the stage of handling it states (`rules.ACT_STAGES`: received | concluded | awarded …), or ""

    @property
    def statement_id(self) -> str:
        return f"{self.doc_id}:{self.value_start}-{self.value_end}"

    @property
    def has_figure(self) -> bool:
        return self.value is not None

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    @property
    def citation(self) -> Citation:
        return Citation(self.doc_id, self.title, self.section, self.text, self.start, self.end, passage=self.text)

    def as_dict(self) -> dict:
        return {"doc_id": self.doc_id, "region": self.region, "year": self.year, "kind": self.kind,
                "metric": self.metric, "value": self.value, "unit": self.unit, "as_written": self.as_written,
                "approx": self.approx, "period": self.period, "text": self.text, "start": self.start,
                "end": self.end, "section": self.section, "title": self.title, "measures": self.measures,
                "act": self.act, "frame": self.frame, "item": self.item if self.item >= 0 else None,
                "status": self.status,
                "polarity": self.polarity, "scope": self.scope}

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, d: dict) -> "Statement":
        names = _STATEMENT_FIELDS or _STATEMENT_FIELDS.update(f.name for f in fields(cls)) or _STATEMENT_FIELDS
        if d.keys() == names:
            # A stored statement has every field (its `to_dict`): set them directly, a few times faster than
            # the frozen constructor's field-by-field setattr; a store reads thousands per ranking.
            st = object.__new__(cls)
            st.__dict__.update(d)
            if st.__dict__["each"].__class__ is list:
                st.__dict__["each"] = tuple(st.__dict__["each"])  # JSON keeps a tuple as a list
            return st
        kept = {k: v for k, v in d.items() if k in names}
        if isinstance(kept.get("each"), list):
            kept["each"] = tuple(kept["each"])
        return cls(**kept)


_STATEMENT_FIELDS: set[str] = set()  # filled on first use


@dataclass(frozen=True)
class StatementMatch:
    """A report's best statement for a metric, or `statement=None`: the report does not state it.

    A store's match carries its figure (`value`, `unit`) and reads the whole statement on first use
    (`load`): a ranking across thousands of reports sorts them all and quotes a few."""

    doc_id: str
    held: Statement | None = None
    score: float = 0.0
    support: float = 0.0
    load: Callable[[], Statement] | None = field(default=None, compare=False, repr=False)
    figure: tuple[float, str] | None = None  # (value, unit) of a match whose statement is not read yet

    @property
    def found(self) -> bool:
        """Whether the report states it (without reading the statement)."""
        return self.held is not None or self.load is not None

    @cached_property
    def statement(self) -> Statement | None:
        return self.held if self.load is None else self.load()

    @property
    def value(self) -> float | None:
        return self.figure[0] if self.figure else (self.held.value if self.held else None)

    @property
    def unit(self) -> str:
        return self.figure[1] if self.figure else (self.held.unit if self.held else "")
