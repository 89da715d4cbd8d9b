"""Laboratory flags: every lab value against the reporting lab's own reference range.

Spec §10: "always use the reporting lab's own range"; the ULN comes from the lab report, values
and limits are compared in the analyte's canonical unit (µkat/L × 60 = U/L), so the unit a lab
reports in never changes a flag. The principle of laboratory-specific reference intervals:
Clinical and Laboratory Standards Institute. Defining, establishing, and verifying reference
intervals in the clinical laboratory; approved guideline — third edition. CLSI document
EP28-A3c, 2010.

Each value gets one flag:
- ``high``: every value the result allows is above the upper limit (ULN);
- ``low``: every value it allows is below the lower limit (LLN);
- ``normal``: every value it allows is within [LLN, ULN] (limits inclusive);
- ``unknown``: no reference range, or a censored value ("< 4", "> 2000") that straddles a
  limit. A censored value is decided whenever its whole possible range is on one side: "CRP < 4"
  with ULN 5 is normal, "CK > 2000" with ULN 200 is high.
Values are ×ULN (canonical value / canonical ULN), shown with the comparator of a censored
value. The comparison itself is :func:`heliotrope.model.ranges.flag`, shared with the criteria's
enzyme items: at a limit it uses a relative tolerance of 1e-9, so a unit conversion's rounding
cannot move a value across it.

Category: ``abnormal`` (some value high or low), ``normal`` (every value normal),
``not_measured`` (no labs); three-valued, so ``unknown`` when values without a range could
change it. One item per analyte measured: ``<analyte>_outside_range``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from heliotrope.criteria import readers as r
from heliotrope.logic import (
    Any as AnyOf,
)
from heliotrope.logic import (
    Citation,
    Context,
    CriterionResult,
    Decide,
    Definition,
    Derived,
    Evidence,
    Item,
    ItemFinding,
    ItemResult,
    ItemSpec,
    ItemStatus,
    Not,
    evaluate,
)
from heliotrope.logic.result import trusted
from heliotrope.model.provenance import Source
from heliotrope.model.ranges import Flag, flag
from heliotrope.model.record import LabResult, PatientRecord, derived_cache
from heliotrope.model.units import CANONICAL_UNITS
from heliotrope.model.vocabulary import Analyte

__all__ = [
    "CATEGORIES",
    "CITATION",
    "ID",
    "VERSION",
    "LabFlag",
    "assess",
    "definition",
    "flag",
]

ID = "lab_flags"
VERSION = "labs.lab_flags.v1"
CITATION = Citation(
    authors="Clinical and Laboratory Standards Institute (CLSI)",
    title="Defining, establishing, and verifying reference intervals in the clinical "
    "laboratory; approved guideline — third edition (EP28-A3c)",
    journal="CLSI",
    year=2010,
    volume_pages="EP28-A3c",
)
CATEGORIES = ("not_measured", "normal", "abnormal")


@dataclass(frozen=True)
class LabFlag:
    """One lab value, its flag and the numbers behind it (canonical units)."""

    path: str
    analyte: Analyte
    date: str | None
    shown: str
    canonical_value: float
    canonical_unit: str
    comparator: str | None
    lln: float | None
    uln: float | None
    times_uln: float | None
    flag: Flag
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "analyte": self.analyte.value,
            "date": self.date,
            "reported": self.shown,
            "value": _round(self.canonical_value),
            "unit": self.canonical_unit,
            "comparator": self.comparator,
            "lln": _round(self.lln),
            "uln": _round(self.uln),
            "times_uln": _round(self.times_uln),
            "flag": self.flag,
            "reason": self.reason,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def lab_flag(record: PatientRecord, path: str, lab: LabResult) -> LabFlag:
    """The flag of one lab value of ``record`` (at ``path``) against its own range."""
    lln, uln = lab.canonical_lln, lab.canonical_uln
    value = lab.canonical_value
    result = flag(value, lab.comparator, lln, uln)
    if lln is None and uln is None:
        reason = "no reference range reported"
    elif result == "unknown":
        reason = "censored value straddles a reference limit"
    else:
        reason = "against the reporting lab's range"
    when = record.date_of(lab.date)
    return LabFlag(
        path=path,
        analyte=lab.analyte,
        date=str(when) if when else None,
        shown=r.evidence(record, [(path, lab)])[0].summary,
        canonical_value=value,
        canonical_unit=CANONICAL_UNITS[lab.analyte],
        comparator=lab.comparator,
        lln=lln,
        uln=uln,
        times_uln=lab.times_uln,
        flag=result,
        reason=reason,
    )


def lab_flags(record: PatientRecord) -> list[LabFlag]:
    """The flag of every lab value of ``record``, in record order (each flagged once per
    record and kept beside it: the analyte readers and ``derive`` all ask, issue 13)."""
    kept = derived_cache(record)
    found: tuple[LabFlag, ...] | None = kept.get(_FLAGS)
    if found is None:
        found = kept[_FLAGS] = tuple(
            lab_flag(record, f"labs[{i}]", lab) for i, lab in enumerate(record.labs)
        )
    return list(found)


_FLAGS = ("lab_flags", "flags")
_FLAG_EVIDENCE = ("lab_flags", "evidence")


def _flag_evidence(record: PatientRecord) -> dict[str, Evidence]:
    """Each lab value's flag as evidence, by path (made once per record)."""
    kept = derived_cache(record)
    found: dict[str, Evidence] | None = kept.get(_FLAG_EVIDENCE)
    if found is None:
        found = kept[_FLAG_EVIDENCE] = {
            f.path: trusted(
                Evidence,
                path=f.path,
                summary=f"{f.shown}: {f.flag}",
                source=_source(record, f.path),
            )
            for f in lab_flags(record)
        }
    return found


def _analyte_reader(analyte: Analyte) -> Callable[[PatientRecord, Context], ItemFinding]:
    def read(record: PatientRecord, _ctx: Context) -> ItemFinding:
        flags = [f for f in lab_flags(record) if f.analyte == analyte]
        made = _flag_evidence(record)
        evidence = tuple(made[f.path] for f in flags)
        out = [f for f in flags if f.flag in ("high", "low")]
        if out:
            # by flag, not `f in out` (a quadratic scan on 10^4 labs, issue 12)
            used = tuple(
                e for e, f in zip(evidence, flags, strict=True) if f.flag in ("high", "low")
            )
            return ItemFinding(ItemStatus.present, used, ", ".join(sorted({f.flag for f in out})))
        if flags and all(f.flag == "normal" for f in flags):
            return ItemFinding(ItemStatus.absent, evidence, "within the lab's range")
        note = "not measured" if not flags else "no reference range or censored at a limit"
        return ItemFinding(ItemStatus.unknown, evidence, note)

    return read


def _source(record: PatientRecord, path: str) -> Source | None:
    index = int(path[len("labs[") : -1])
    return record.labs[index].source


@cache
def definition(analytes: tuple[Analyte, ...] = tuple(Analyte)) -> Definition:
    """Lab flags for ``analytes`` (``assess`` uses the analytes the record measured)."""
    items = [
        ItemSpec(
            "labs_recorded",
            "Laboratory values recorded",
            "at least one lab value in the record",
            lambda rec, _c: ItemFinding(
                ItemStatus.present if rec.labs else ItemStatus.absent,
                (),
                None if rec.labs else "no laboratory values recorded",
            ),
        )
    ]
    items += [
        ItemSpec(
            f"{a.value}_outside_range",
            f"{a.value.upper()} outside the lab's range",
            f"any {a.value.upper()} value above the ULN or below the LLN of its own report",
            _analyte_reader(a),
        )
        for a in analytes
    ]
    outside = AnyOf(*(Item(f"{a.value}_outside_range") for a in analytes))
    return Definition(
        id=ID,
        version=VERSION,
        title="Laboratory values against the reporting lab's reference ranges",
        citation=CITATION,
        summary="High / low / normal / unknown per value, ×ULN, in canonical units.",
        items=tuple(items),
        outcome=Decide(
            (("not_measured", Not(Item("labs_recorded"))), ("abnormal", outside)),
            otherwise="normal",
            label="category",
        ),
        categories=CATEGORIES,
        headline="kleene",
        kind="measurement",
        rule="high: above the lab's ULN; low: below its LLN; normal: within (inclusive); "
        "unknown: no range, or a censored value straddling a limit. Canonical units.",
        derive=_derive,
    )


def _derive(record: PatientRecord, _ctx: Context, _found: Mapping[str, ItemResult]) -> Derived:
    flags = lab_flags(record)
    counts = {name: sum(f.flag == name for f in flags) for name in ("high", "low", "normal")}
    counts["unknown"] = sum(f.flag == "unknown" for f in flags)
    return Derived(
        values={
            "flags": [f.to_dict() for f in flags],
            "abnormal": [f.path for f in flags if f.flag in ("high", "low")],
            "counts": counts,
        }
    )


def assess(record: PatientRecord, context: Context | None = None) -> CriterionResult:
    """Flag every lab value of ``record`` against its own reference range."""
    analytes = tuple(a for a in Analyte if any(lab.analyte == a for lab in record.labs))
    return evaluate(definition(analytes), record, context)
