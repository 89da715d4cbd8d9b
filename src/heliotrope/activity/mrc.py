"""The Medical Research Council (MRC) 0-5 muscle strength scale (clinical spec section 8.4).

0 no contraction; 1 flicker or trace; 2 active movement with gravity eliminated; 3 against
gravity; 4 against gravity and some resistance; 5 normal power. "4-" and "4+" modifiers and
ranges ("3-4") are read by the record model (:class:`heliotrope.model.MuscleGrade`), which is
the one parser: "4-" is 3.67 and "4+" 4.33 by convention.
"""

from __future__ import annotations

from pydantic import ValidationError

from heliotrope.errors import ErrorDetail, InputError
from heliotrope.model.record import MuscleGrade
from heliotrope.model.vocabulary import MuscleGroup

__all__ = ["MRC_GRADES", "mrc_bounds", "mrc_description"]

MRC_GRADES: dict[int, str] = {
    0: "no contraction",
    1: "flicker or trace of contraction",
    2: "active movement with gravity eliminated",
    3: "active movement against gravity",
    4: "active movement against gravity and some resistance",
    5: "normal power",
}


def mrc_bounds(grade: str | int | float) -> tuple[float, float]:
    """(lowest, highest) numeric MRC grade of ``grade`` ("4-", "4+", "3-4", 5 ...)."""
    try:
        # Any muscle will do: the grade is parsed the same way for every muscle.
        parsed = MuscleGrade(muscle=MuscleGroup.deltoid, mrc=grade)
    except ValidationError as exc:
        message = exc.errors(include_url=False)[0]["msg"].removeprefix("Value error, ")
        raise InputError("Not an MRC grade.", [ErrorDetail("mrc", message)]) from None
    return parsed.bounds


def mrc_description(grade: str | int | float) -> str:
    """The scale's wording for ``grade`` ("4-" → "below: active movement against gravity ...")."""
    lo, hi = mrc_bounds(grade)
    if lo != hi and round(lo) != round(hi):
        return f"between {MRC_GRADES[round(lo)]} and {MRC_GRADES[round(hi)]}"
    whole = round(lo)
    text = MRC_GRADES[whole]
    if lo < whole:
        return f"slightly less than: {text}"
    if lo > whole:
        return f"slightly more than: {text}"
    return text
