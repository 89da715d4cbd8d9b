"""Muscle enzyme values printed without a reference range (issue 8, part 4).

Clinical-spec §10: the criteria read "above the ULN" of the reporting lab's own range. A note
that prints "CK 8,000 U/L" with no range still says something sure when the value is beyond
every usual adult laboratory's range. The rule is deliberately conservative:

- above :data:`RAISED_ABOVE` (every usual adult upper limit, with a margin): **raised**, noted
  "no reference range in the text; above every usual upper limit";
- below :data:`NORMAL_BELOW` (the lowest usual adult upper limit): **normal**, noted likewise;
- in between: no reading (unknown), the lab's range is needed.

Limits (U/L, 37 °C; µkat/L are converted, × 60):

=========  ===========  ============  ==========================================================
enzyme     normal below raised above  source of the usual upper limits
=========  ===========  ============  ==========================================================
CK         145          500           IFCC reference intervals women < 145, men < 171 U/L
                                      (Schumann & Klauke, Clin Chim Acta 2003;327:69-79);
                                      clinical-spec §10 up to 308 U/L (men); upper limits of
                                      about 400 U/L are used for men of African ancestry:
                                      500 stays above all of them
aldolase   —            12            clinical-spec §10 ≤ 7.6 U/L; assay-dependent (≤ 8.1 in
                                      some labs): no "normal" reading
LDH        190          650           IFCC 37 °C about 125-220/250 U/L (spec §10: 120-250,
                                      140-280); lactate→pyruvate methods up to about 620 U/L
AST        30           60            spec §10 about 10-40 U/L
ALT        30           70            spec §10 about 7-55 U/L (case-report lab 10-49); the
                                      lowest usual laboratory ULN is about 33 U/L (women,
                                      IFCC 37 °C); the lower "healthy" limits of hepatology
                                      guidelines (19-25 U/L) are not a lab's printed range
=========  ===========  ============  ==========================================================

⚠ as in spec §10, these are typical textbook values; the lab's own range always wins.
"""

from __future__ import annotations

from typing import Literal

from heliotrope.errors import UnitError
from heliotrope.model.units import convert
from heliotrope.model.vocabulary import Analyte

__all__ = ["NORMAL_BELOW", "RAISED_ABOVE", "UNRANGED_NOTE", "unranged_reading"]

A = Analyte
#: Above every usual adult upper limit of normal (U/L).
RAISED_ABOVE: dict[Analyte, float] = {A.ck: 500.0, A.aldolase: 12.0, A.ldh: 650.0, A.ast: 60.0,
                                      A.alt: 70.0}  # fmt: skip
#: Below the lowest usual adult upper limit of normal (U/L).
NORMAL_BELOW: dict[Analyte, float] = {A.ck: 145.0, A.ldh: 190.0, A.ast: 30.0, A.alt: 30.0}

UNRANGED_NOTE = "no reference range in the text; {where} every usual upper limit ({limit:g} U/L)"


def unranged_reading(
    analyte: Analyte, value: float, unit: str
) -> tuple[Literal["high", "normal"], float, str] | None:
    """("high" | "normal", the limit in U/L, the note) for a value printed with no range, or
    None when the value lies between the usual limits (or the enzyme or unit is not one of
    the table's)."""
    raised = RAISED_ABOVE.get(analyte)
    if raised is None:
        return None
    try:
        in_ul = convert(value, unit, analyte)
    except (UnitError, KeyError, ValueError):
        return None
    if in_ul > raised:
        return "high", raised, UNRANGED_NOTE.format(where="above", limit=raised)
    normal = NORMAL_BELOW.get(analyte)
    if normal is not None and in_ul < normal:
        return "normal", normal, UNRANGED_NOTE.format(where="below the lowest of", limit=normal)
    return None
