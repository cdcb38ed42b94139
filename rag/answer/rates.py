"""A figure and the rate of change its sentence states (「1723件，同比增长48.2%」): the year before's figure
computed back from them (1723 ÷ 1.482), for answers the report does not state outright."""
from __future__ import annotations

from dataclasses import dataclass

from ..statements.change import direction_of
from . import extractive


@dataclass(frozen=True)
class Rate:
    """The current figure, its stated rate and the base they imply."""

    current: extractive.Pick
    rate: extractive.Pick
    down: bool

    @property
    def factor(self) -> float:
        r = self.rate.quantity.value / 100
        return 1 - r if self.down else 1 + r

    @property
    def base(self) -> float:
        return self.current.quantity.value / self.factor


def stated_rate(current: extractive.Pick, passages, idf=None) -> Rate | None:
    """The percentage change `current`'s own sentence states for it, if any (and usable): the nearest after it
    (「628件，同比上升63.5%」), else the nearest before it (「同比增长12%，达到860件」)."""
    rates = [p for p in extractive.same_sentence(current, passages, idf)
             if p.statement.frame == "delta" and p.statement.unit == "%"]
    at = current.quantity.start
    after = [p for p in rates if p.quantity.start > at]
    rate = min(after, key=lambda p: p.quantity.start - at) if after else \
        max(rates, key=lambda p: p.quantity.start) if rates else None
    if rate is None:
        return None
    found = Rate(current, rate, direction_of(rate.statement.lead[-8:] + rate.statement.as_written) == "down")
    return found if found.factor > 0 else None
