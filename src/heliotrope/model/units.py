"""Units of laboratory values, converted with pint.

Each analyte has one canonical unit (``CANONICAL_UNITS``); values and reference ranges are
compared only after both are converted to it, so the unit a lab reports in never changes a
result (µkat/L × 60 = U/L, spec §10). A unit of the wrong dimension for its analyte is an error.

Speed (issue 13): pint's registry takes about 0.3 s to build, so it is built on first use only.
The usual lab units are looked up in ``_KNOWN_FACTORS``, pint's own factors written out (a
test checks every entry against pint bit for bit); any other unit goes to pint.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from heliotrope.errors import UnitError
from heliotrope.limits import MAX_UNIT_CHARS
from heliotrope.model.vocabulary import Analyte

__all__ = ["CANONICAL_UNITS", "convert", "normalise_unit_text"]

if TYPE_CHECKING:
    import pint


@cache
def _registry() -> pint.UnitRegistry:  # type: ignore[type-arg]
    """pint's unit registry, built on first use (it is slow to build)."""
    import pint

    return pint.UnitRegistry()


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


# pint's factors for the usual units, written out (tests/model check them against pint).
_KNOWN_FACTORS: dict[tuple[Analyte, str], float] = {
    (Analyte.ck, "U/L"): 1.0,
    (Analyte.ck, "IU/L"): 1.0,
    (Analyte.ck, "µkat/L"): 60.0,
    (Analyte.ck, "ukat/L"): 60.0,
    (Analyte.aldolase, "U/L"): 1.0,
    (Analyte.aldolase, "IU/L"): 1.0,
    (Analyte.aldolase, "µkat/L"): 60.0,
    (Analyte.aldolase, "ukat/L"): 60.0,
    (Analyte.ldh, "U/L"): 1.0,
    (Analyte.ldh, "IU/L"): 1.0,
    (Analyte.ldh, "µkat/L"): 60.0,
    (Analyte.ldh, "ukat/L"): 60.0,
    (Analyte.ast, "U/L"): 1.0,
    (Analyte.ast, "IU/L"): 1.0,
    (Analyte.ast, "µkat/L"): 60.0,
    (Analyte.ast, "ukat/L"): 60.0,
    (Analyte.alt, "U/L"): 1.0,
    (Analyte.alt, "IU/L"): 1.0,
    (Analyte.alt, "µkat/L"): 60.0,
    (Analyte.alt, "ukat/L"): 60.0,
    (Analyte.esr, "mm/h"): 1.0,
    (Analyte.esr, "mm/hr"): 1.0,
    (Analyte.crp, "mg/L"): 1.0,
    (Analyte.crp, "mg/dL"): 10.0,
    (Analyte.crp, "g/L"): 1000.0,
    (Analyte.crp, "g/dL"): 10000.0,
    (Analyte.crp, "µg/L"): 0.001,
    (Analyte.crp, "ug/L"): 0.001,
    (Analyte.crp, "ng/mL"): 0.001,
    (Analyte.crp, "ng/L"): 1.0000000000000002e-06,
    (Analyte.crp, "pg/mL"): 1e-06,
    (Analyte.wbc, "10^9/L"): 1.0,
    (Analyte.wbc, "x10^9/L"): 1.0,
    (Analyte.wbc, "×10^9/L"): 1.0,
    (Analyte.haemoglobin, "mg/L"): 0.001,
    (Analyte.haemoglobin, "mg/dL"): 0.01,
    (Analyte.haemoglobin, "g/L"): 1.0,
    (Analyte.haemoglobin, "g/dL"): 10.0,
    (Analyte.haemoglobin, "µg/L"): 1e-06,
    (Analyte.haemoglobin, "ug/L"): 1e-06,
    (Analyte.haemoglobin, "ng/mL"): 1.0000000000000002e-06,
    (Analyte.haemoglobin, "ng/L"): 1e-09,
    (Analyte.haemoglobin, "pg/mL"): 1e-09,
    (Analyte.platelets, "10^9/L"): 1.0,
    (Analyte.platelets, "x10^9/L"): 1.0,
    (Analyte.platelets, "×10^9/L"): 1.0,
    (Analyte.creatinine, "mg/L"): 8.84016973125884,
    (Analyte.creatinine, "mg/dL"): 88.4016973125884,
    (Analyte.creatinine, "g/L"): 8840.16973125884,
    (Analyte.creatinine, "g/dL"): 88401.6973125884,
    (Analyte.creatinine, "µmol/L"): 1.0,
    (Analyte.creatinine, "umol/L"): 1.0,
    (Analyte.creatinine, "mmol/L"): 1000.0,
    (Analyte.creatinine, "µg/L"): 0.00884016973125884,
    (Analyte.creatinine, "ug/L"): 0.00884016973125884,
    (Analyte.creatinine, "ng/mL"): 0.008840169731258842,
    (Analyte.creatinine, "ng/L"): 8.84016973125884e-06,
    (Analyte.creatinine, "pg/mL"): 8.84016973125884e-06,
    (Analyte.myoglobin, "mg/L"): 1000.0,
    (Analyte.myoglobin, "mg/dL"): 10000.0,
    (Analyte.myoglobin, "g/L"): 1000000.0,
    (Analyte.myoglobin, "g/dL"): 10000000.0,
    (Analyte.myoglobin, "µg/L"): 1.0,
    (Analyte.myoglobin, "ug/L"): 1.0,
    (Analyte.myoglobin, "ng/mL"): 1.0000000000000002,
    (Analyte.myoglobin, "ng/L"): 0.001,
    (Analyte.myoglobin, "pg/mL"): 0.001,
    (Analyte.troponin, "mg/L"): 999999.9999999999,
    (Analyte.troponin, "mg/dL"): 9999999.999999998,
    (Analyte.troponin, "g/L"): 999999999.9999999,
    (Analyte.troponin, "g/dL"): 9999999999.999998,
    (Analyte.troponin, "µg/L"): 999.9999999999999,
    (Analyte.troponin, "ug/L"): 999.9999999999999,
    (Analyte.troponin, "ng/mL"): 1000.0,
    (Analyte.troponin, "ng/L"): 1.0,
    (Analyte.troponin, "pg/mL"): 0.9999999999999999,
    (Analyte.ferritin, "mg/L"): 1000.0,
    (Analyte.ferritin, "mg/dL"): 10000.0,
    (Analyte.ferritin, "g/L"): 1000000.0,
    (Analyte.ferritin, "g/dL"): 10000000.0,
    (Analyte.ferritin, "µg/L"): 1.0,
    (Analyte.ferritin, "ug/L"): 1.0,
    (Analyte.ferritin, "ng/mL"): 1.0000000000000002,
    (Analyte.ferritin, "ng/L"): 0.001,
    (Analyte.ferritin, "pg/mL"): 0.001,
}


@lru_cache(maxsize=512)
def _quantity(text: str) -> pint.Quantity:  # type: ignore[type-arg]
    if len(text) > MAX_UNIT_CHARS:  # pint's parser is slow on huge strings (issue 12)
        raise UnitError(
            f"the unit {text[:40]!r}… is {len(text):,} characters long; units are limited to "
            f"{MAX_UNIT_CHARS} (heliotrope.limits.MAX_UNIT_CHARS)."
        )
    import pint

    registry = _registry()
    try:
        quantity = registry(normalise_unit_text(text))
    except Exception as exc:  # pint raises several unrelated types for bad input
        raise UnitError(f"the unit {text!r} is not a unit heliotrope can read ({exc}).") from None
    if not isinstance(quantity, pint.Quantity):
        quantity = registry.Quantity(float(quantity), "dimensionless")
    return quantity


@lru_cache(maxsize=512)
def _factor(analyte: Analyte, unit: str) -> float:
    """Multiply a value in ``unit`` by this to get ``analyte``'s canonical unit."""
    known = _KNOWN_FACTORS.get((analyte, unit))
    if known is not None:
        return known
    return _pint_factor(analyte, unit)


def _pint_factor(analyte: Analyte, unit: str) -> float:
    """The factor computed by pint (the reference for ``_KNOWN_FACTORS``)."""
    import pint

    source = _quantity(unit)
    target = _quantity(CANONICAL_UNITS[analyte])
    try:
        return float((source / target).to("dimensionless").magnitude)
    except pint.DimensionalityError:
        pass
    molar_mass = _MOLAR_MASS.get(analyte)
    if molar_mass is not None:
        per_mole = _registry().Quantity(molar_mass, "g/mol")
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
