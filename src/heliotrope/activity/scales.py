"""Shared validation of bounded clinical scores: one clear, coded error listing every problem."""

from __future__ import annotations

import math

from heliotrope.errors import ErrorDetail, InputError

__all__ = ["check_range", "raise_if"]


def check_range(
    value: object, low: float, high: float, where: str, problems: list[ErrorDetail]
) -> float | None:
    """``value`` as a float if it is a number in [low, high]; otherwise record a problem."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(ErrorDetail(where, f"{value!r} is not a number"))
        return None
    number = float(value)
    if math.isnan(number) or not low <= number <= high:
        problems.append(ErrorDetail(where, f"{value!r} is outside {low:g}-{high:g}"))
        return None
    return number


def raise_if(problems: list[ErrorDetail], message: str) -> None:
    """Raise one :class:`InputError` naming every problem found."""
    if problems:
        raise InputError(message, problems)
