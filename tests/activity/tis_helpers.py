"""Builders for TIS tests: two visits that differ only in one measure, by an exact % change."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from heliotrope.activity import CoreSet

UNCHANGED: dict[str, Any] = {
    "physician_global": 5.0,
    "patient_global": 5.0,
    "extramuscular_global": 5.0,
    "haq": 1.5,
    "mmt8": 40.0,
    "enzymes": {"ck": 3.0},
}


def _values(measure: str, percent: Fraction) -> tuple[str, Any, Any]:
    """(field, baseline, follow-up) giving exactly ``percent`` improvement."""
    if measure in ("physician_global", "patient_global", "extramuscular_global"):
        if percent >= 0:
            return measure, 10.0, float(10 - percent / 10)
        return measure, 0.0, float(-percent / 10)
    if measure == "haq":
        if percent >= 0:
            return measure, 3.0, float(3 - 3 * percent / 100)
        return measure, 0.0, float(-3 * percent / 100)
    if measure == "mmt":
        return "mmt8", 40.0, float(40 + Fraction(4, 5) * percent)
    if percent >= 0:  # enzymes: baseline 11×ULN (excess 10)
        return "enzymes", {"ck": 11.0}, {"ck": float(11 - percent / 10)}
    return "enzymes", {"ck": 1.0}, {"ck": float(1 - percent / 100)}


def visits(**percents: Fraction | float | str) -> tuple[CoreSet, CoreSet]:
    """Baseline and follow-up; each named measure improves by the given exact percentage."""
    base, follow = dict(UNCHANGED), dict(UNCHANGED)
    for measure, value in percents.items():
        field, before, after = _values(measure, Fraction(str(value)))
        base[field], follow[field] = before, after
    return CoreSet(**base), CoreSet(**follow)
