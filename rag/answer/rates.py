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
    """The percentage change stated after `current` in its own sentence, if any (and usable)."""
    rate = next((p for p in extractive.same_sentence(current, passages, idf)
                 if p.statement.frame == "delta" and p.statement.unit == "%" and p.quantity.start > current.quantity.start),
                None)
    if rate is None:
        return None
    found = Rate(current, rate, direction_of(rate.statement.lead[-8:] + rate.statement.as_written) == "down")
    return found if found.factor > 0 else None
