"""Dates in a record: exact (2020-03-14), partial (2020-03, 2020) or relative to another event
("2 months after the end of chemotherapy").

Every date resolves to a :class:`DateRange` (earliest, latest): a partial date covers its month
or year; a relative date adds its offset to both ends of its anchor's range. Resolution is pure
and is done once per record (see :func:`resolve_all`).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)

__all__ = [
    "DateRange",
    "DateSpec",
    "Offset",
    "RelativeDate",
    "add_months",
    "parse_offset",
    "resolve_spec",
]

PARTIAL_DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_OFFSET_RE = re.compile(
    r"^\s*(?P<sign>[+-])?\s*(?P<lo>\d+(?:\.\d+)?)"
    r"(?:\s*(?:-|–|to|\.\.)\s*(?P<hi>\d+(?:\.\d+)?))?\s*(?P<unit>day|week|month|year)s?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, order=True, slots=True)
class DateRange:
    """The interval a date is known to lie in (both ends inclusive); slotted (issue 13: a
    record holds one per date)."""

    earliest: date
    latest: date

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    @property
    def mid(self) -> date:
        return self.earliest + (self.latest - self.earliest) / 2

    def shift(self, lo: Offset, hi: Offset | None = None) -> DateRange:
        hi = hi or lo
        return DateRange(lo.apply(self.earliest), hi.apply(self.latest))

    def __str__(self) -> str:
        if self.exact:
            return self.earliest.isoformat()
        return f"{self.earliest.isoformat()}..{self.latest.isoformat()}"


def add_months(day: date, months: int) -> date:
    """Calendar month arithmetic; the day is clamped to the target month's length."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Offset:
    """A signed calendar offset: ``amount`` ``unit``s (fractional days/weeks are rounded)."""

    amount: float
    unit: Literal["day", "week", "month", "year"]

    def apply(self, day: date) -> date:
        if self.unit == "day":
            return day + timedelta(days=round(self.amount))
        if self.unit == "week":
            return day + timedelta(days=round(self.amount * 7))
        months = self.amount * (12 if self.unit == "year" else 1)
        whole = int(months)
        rest_days = round((months - whole) * 30.4375)
        return add_months(day, whole) + timedelta(days=rest_days)


@lru_cache(maxsize=1024)
def parse_offset(text: str) -> tuple[Offset, Offset]:
    """Parse "+2 months", "-3 weeks", "2-3 months" into (low, high) offsets (cached: a pure
    function of the text, read on validation and again on resolution)."""
    match = _OFFSET_RE.match(text)
    if not match:
        raise ValueError(
            f"offset {text!r} is not of the form '+2 months', '-3 weeks' or '2-3 months'"
        )
    sign = -1.0 if match["sign"] == "-" else 1.0
    unit = match["unit"].lower()
    lo = float(match["lo"])
    hi = float(match["hi"]) if match["hi"] else lo
    if hi < lo:
        raise ValueError(f"offset range {text!r} runs backwards")
    a, b = Offset(sign * lo, unit), Offset(sign * hi, unit)  # type: ignore[arg-type]
    return (a, b) if sign > 0 else (b, a)


class RelativeDate(BaseModel):
    """A date given relative to another dated entry of the record (its ``id``).

    Write ``{after: chemo_end, by: "2 months"}``, ``{before: surgery, by: "1 week"}`` or
    ``{anchor: chemo_end, offset: "+2 months"}``. Treatments expose ``<id>.start`` and
    ``<id>.stop``; the myositis section exposes ``myositis_onset`` and ``myositis_diagnosis``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    anchor: str = Field(min_length=1, description="id of the entry this date is relative to")
    offset: str = Field(default="0 days", description="signed offset, e.g. '+2 months'")

    @model_validator(mode="before")
    @classmethod
    def _after_before(cls, data: object) -> object:
        if isinstance(data, Mapping) and ("after" in data or "before" in data):
            data = dict(data)
            sign = "+" if "after" in data else "-"
            anchor = data.pop("after", None) or data.pop("before", None)
            by = str(data.pop("by", "0 days")).lstrip("+-")
            return {"anchor": anchor, "offset": f"{sign}{by}", **data}
        return data

    @model_validator(mode="after")
    def _valid_offset(self) -> RelativeDate:
        parse_offset(self.offset)
        return self


def _year_as_text(value: object) -> object:
    # YAML reads an unquoted ``2019`` as an integer; it is a partial date.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _one_message(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    # One clear message instead of one per union branch.
    try:
        return handler(value)
    except ValidationError as exc:
        inner = [
            e["msg"] for e in exc.errors() if "offset" in str(e["msg"]) or "anchor" in e["loc"]
        ]
        detail = f" ({inner[0]})" if inner else ""
        raise ValueError(
            f"{value!r} is not a date: write YYYY-MM-DD, YYYY-MM, YYYY or "
            f"{{after: <id>, by: '2 months'}}{detail}"
        ) from None


PartialDate = Annotated[str, Field(pattern=PARTIAL_DATE_PATTERN)]
DateSpec = Annotated[
    date | PartialDate | RelativeDate,
    BeforeValidator(_year_as_text),
    WrapValidator(_one_message),
]


def _partial_range(text: str) -> DateRange:
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        day = date(parts[0], parts[1], parts[2])
        return DateRange(day, day)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return DateRange(date(parts[0], parts[1], 1), date(parts[0], parts[1], last))
    return DateRange(date(parts[0], 1, 1), date(parts[0], 12, 31))


def resolve_spec(spec: DateSpec, anchors: Mapping[str, DateRange]) -> DateRange:
    """Resolve one date given already-resolved anchors (KeyError if the anchor is missing)."""
    if isinstance(spec, date):
        return DateRange(spec, spec)
    if isinstance(spec, str):
        return _partial_range(spec)
    lo, hi = parse_offset(spec.offset)
    anchor = anchors[spec.anchor]
    if lo.amount == 0 and hi.amount == 0:  # "on the day of" (the common case): the same range
        return anchor
    return anchor.shift(lo, hi)
