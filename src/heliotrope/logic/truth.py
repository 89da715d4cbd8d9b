"""Three-valued (Kleene) truth and numeric intervals: missing data is *unknown*, never false.

Kleene's strong logic (as in HL7 CQL): ``TRUE and UNKNOWN`` is UNKNOWN, ``FALSE and UNKNOWN``
is FALSE, ``TRUE or UNKNOWN`` is TRUE. A sum over items some of which are unknown is an
interval: its low end counts unknown items as absent, its high end as present.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

__all__ = ["Interval", "Truth"]


class Truth(Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, value: bool | None) -> Truth:
        if value is None:
            return cls.UNKNOWN
        return cls.TRUE if value else cls.FALSE

    def __and__(self, other: Truth) -> Truth:
        if self is Truth.FALSE or other is Truth.FALSE:
            return Truth.FALSE
        if self is Truth.TRUE and other is Truth.TRUE:
            return Truth.TRUE
        return Truth.UNKNOWN

    def __or__(self, other: Truth) -> Truth:
        if self is Truth.TRUE or other is Truth.TRUE:
            return Truth.TRUE
        if self is Truth.FALSE and other is Truth.FALSE:
            return Truth.FALSE
        return Truth.UNKNOWN

    def __invert__(self) -> Truth:
        if self is Truth.UNKNOWN:
            return self
        return Truth.FALSE if self is Truth.TRUE else Truth.TRUE

    def __bool__(self) -> bool:
        raise TypeError("Truth is three-valued: compare with Truth.TRUE explicitly")

    @staticmethod
    def all(values: Iterable[Truth]) -> Truth:
        out = Truth.TRUE
        for value in values:
            out = out & value
        return out

    @staticmethod
    def any(values: Iterable[Truth]) -> Truth:
        out = Truth.FALSE
        for value in values:
            out = out | value
        return out


@dataclass(frozen=True)
class Interval:
    """A closed numeric interval [lo, hi]; exact when lo == hi."""

    lo: float
    hi: float

    def __post_init__(self) -> None:
        if self.hi < self.lo:
            raise ValueError(f"interval [{self.lo}, {self.hi}] runs backwards")

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def at_least(self, threshold: float) -> Truth:
        if self.lo >= threshold:
            return Truth.TRUE
        if self.hi < threshold:
            return Truth.FALSE
        return Truth.UNKNOWN

    def __str__(self) -> str:
        return f"{self.lo:g}" if self.exact else f"{self.lo:g}-{self.hi:g}"
