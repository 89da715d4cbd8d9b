"""A (possibly censored) value against a reference range: the one place that decides "above the
upper limit", "below the lower limit" or "within", shared by the lab flags, the criteria's
enzyme items and the IMACS 2023 inflammatory-marker factor.

A censored value ("< 4", "> 2000") allows a range of true values; it is decided only when that
whole range is on one side of a limit ("CRP < 4" with ULN 5 is normal, "CK > 2000" with ULN 200
is high, "CK >= 200" with ULN 200 cannot be placed). Comparisons at a limit use a relative
tolerance of 1e-9, so a unit conversion's rounding cannot move a value across it.
"""

from __future__ import annotations

import math
from typing import Literal

__all__ = ["REL_TOL", "Flag", "above_uln", "flag"]

Flag = Literal["high", "low", "normal", "unknown"]
REL_TOL = 1e-9


def _eq(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12)


def _beyond(end: float, excluded: bool, limit: float, *, above: bool) -> bool:
    """Is every value from this end of the possible range strictly beyond ``limit``?"""
    if _eq(end, limit):
        return excluded
    return end > limit if above else end < limit


def _bounds(value: float, comparator: str | None) -> tuple[float, bool, float, bool]:
    """(lowest, lowest excluded?, highest, highest excluded?) true value a result allows."""
    if comparator == "<":
        return 0.0, False, value, True
    if comparator == "<=":
        return 0.0, False, value, False
    if comparator == ">":
        return value, True, math.inf, False
    if comparator == ">=":
        return value, False, math.inf, False
    return value, False, value, False


def flag(value: float, comparator: str | None, lln: float | None, uln: float | None) -> Flag:
    """The flag of a (possibly censored) value against [lln, uln] (same unit; inclusive)."""
    if lln is None and uln is None:
        return "unknown"
    lo, lo_open, hi, hi_open = _bounds(value, comparator)
    if uln is not None and _beyond(lo, lo_open, uln, above=True):
        return "high"
    if lln is not None and _beyond(hi, hi_open, lln, above=False):
        return "low"
    upper_ok = uln is None or hi < uln or _eq(hi, uln)
    lower_ok = lln is None or lo > lln or _eq(lo, lln)
    return "normal" if upper_ok and lower_ok else "unknown"


def above_uln(times_uln: float | None, comparator: str | None) -> bool | None:
    """Is a value given as a multiple of its ULN above it? None when there is no ULN, or when
    the censoring hides the answer (">= 1 × ULN" may be exactly the ULN)."""
    if times_uln is None:
        return None
    verdict = flag(times_uln, comparator, None, 1.0)
    return {"high": True, "normal": False}.get(verdict)
