"""Units of laboratory values, converted with pint.

Each analyte has one canonical unit (``CANONICAL_UNITS``); values and reference ranges are
compared only after both are converted to it, so the unit a lab reports in never changes a
result (µkat/L × 60 = U/L, spec §10). A unit of the wrong dimension for its analyte is an error.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pint

from heliotrope.errors import UnitError
from heliotrope.limits import MAX_UNIT_CHARS
from heliotrope.model.vocabulary import Analyte

__all__ = ["CANONICAL_UNITS", "convert", "normalise_unit_text"]

_UREG: pint.UnitRegistry = pint.UnitRegistry()  # type: ignore[type-arg]

CANONICAL_UNITS: dict[Analyte, str] = {
    Analyte.ck: "U/L",
    Analyte.aldolase: "U/L",
    Analyte.ldh: "U/L",
    Analyte.ast: "U/L",
    Analyte.alt: "U/L",
    Analyte.esr: "mm/h",
    Analyte.crp: "mg/L",
    Analyte.wbc: "10^9/L",
    Analyte.platelets: "10^9/L",
    Analyte.haemoglobin: "g/L",
    Analyte.creatinine: "µmol/L",
    Analyte.myoglobin: "µg/L",
    Analyte.troponin: "ng/L",
    Analyte.ferritin: "µg/L",
}

# Molar masses (g/mol) for analytes reported both by mass and by amount of substance.
_MOLAR_MASS = {Analyte.creatinine: 113.12}

_REPLACEMENTS = [
    (re.compile(r"[µμ]"), "u"),
    (re.compile(r"\bIU\b"), "U"),
    (re.compile(r"\s*[x×*]\s*10\s*(?:\^|\*\*|\*)?\s*(\d+)"), r" 1e\1 "),
    (re.compile(r"10\s*(?:\^|\*\*|\*)\s*(\d+)"), r"1e\1"),
    (re.compile(r"10⁹"), "1e9"),
    (re.compile(r"10¹²"), "1e12"),
    (re.compile(r"\bhr\b"), "h"),
    (re.compile(r"\bukat\b"), "microkatal"),
    (re.compile(r"\bkat\b"), "katal"),
    (re.compile(r"\bU\b"), "enzyme_unit"),
    (re.compile(r"\bmmol\b"), "millimole"),
    (re.compile(r"\bumol\b"), "micromole"),
]


def normalise_unit_text(text: str) -> str:
    """Rewrite a lab's unit string ("× 10^9/L", "µkat/L", "IU/L") into pint syntax."""
    out = text.strip()
    for pattern, repl in _REPLACEMENTS:
        out = pattern.sub(repl, out)
    out = re.sub(r"^\s*1e(\d+)\s*/", r"1e\1 / ", out)
    return " ".join(out.split())


@lru_cache(maxsize=512)
def _quantity(text: str) -> pint.Quantity:  # type: ignore[type-arg]
    if len(text) > MAX_UNIT_CHARS:  # pint's parser is slow on huge strings (issue 12)
        raise UnitError(
            f"the unit {text[:40]!r}… is {len(text):,} characters long; units are limited to "
            f"{MAX_UNIT_CHARS} (heliotrope.limits.MAX_UNIT_CHARS)."
        )
    try:
        quantity = _UREG(normalise_unit_text(text))
    except Exception as exc:  # pint raises several unrelated types for bad input
        raise UnitError(f"the unit {text!r} is not a unit heliotrope can read ({exc}).") from None
    if not isinstance(quantity, pint.Quantity):
        quantity = _UREG.Quantity(float(quantity), "dimensionless")
    return quantity


@lru_cache(maxsize=512)
def _factor(analyte: Analyte, unit: str) -> float:
    """Multiply a value in ``unit`` by this to get ``analyte``'s canonical unit."""
    source = _quantity(unit)
    target = _quantity(CANONICAL_UNITS[analyte])
    try:
        return float((source / target).to("dimensionless").magnitude)
    except pint.DimensionalityError:
        pass
    molar_mass = _MOLAR_MASS.get(analyte)
    if molar_mass is not None:
        per_mole = _UREG.Quantity(molar_mass, "g/mol")
        for candidate in (source / per_mole, source * per_mole):
            try:
                return float((candidate / target).to("dimensionless").magnitude)
            except pint.DimensionalityError:
                continue
    raise UnitError(
        f"the unit {unit!r} cannot measure {analyte.value} "
        f"(expected something convertible to {CANONICAL_UNITS[analyte]})."
    )


def convert(value: float, unit: str, analyte: Analyte) -> float:
    """Convert ``value`` in ``unit`` to ``analyte``'s canonical unit."""
    return value * _factor(analyte, unit)
