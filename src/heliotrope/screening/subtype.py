"""The IIM subtype IMACS 2023 stratifies on: given by the user, else inferred simply.

Inference (documented, deliberately simple; pass ``subtype`` to override it):

1. an anti-synthetase antibody (Jo-1, PL-7, PL-12, EJ, OJ) positive → antisynthetase;
2. a hallmark DM skin sign present (heliotrope rash, Gottron's papules or sign) → DM when any
   weakness is present, CADM when proximal weakness was assessed and is absent in both the
   upper and the lower limbs, DM or CADM otherwise (strength not assessed, or only in part);
3. anti-HMGCR or anti-SRP positive → IMNM;
4. weakness present and every hallmark DM skin sign assessed as absent → PM;
5. otherwise the subtype is unknown (every subtype remains possible).

Overlap myositis and IBM are never inferred. Facts dated after ``as_of`` are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import get_args

from heliotrope.logic.result import Evidence
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import (
    ANTISYNTHETASE_ANTIBODIES,
    AntibodyName,
    AntibodyResult,
    FindingCode,
    Status,
)
from heliotrope.screening.data import Subtype
from heliotrope.screening.readers import antibody_evidence, finding_evidence, known

__all__ = ["ALL_SUBTYPES", "SubtypeInference", "infer_subtype", "parse_subtype"]

ALL_SUBTYPES: tuple[Subtype, ...] = get_args(Subtype)
DM_SKIN_SIGNS = (FindingCode.heliotrope_rash, FindingCode.gottron_papules, FindingCode.gottron_sign)
WEAKNESS = (
    FindingCode.weakness_proximal_upper,
    FindingCode.weakness_proximal_lower,
    FindingCode.weakness_neck_flexors,
    FindingCode.weakness_distal,
    FindingCode.weakness_truncal,
)
IMNM_ANTIBODIES = frozenset({AntibodyName.anti_hmgcr, AntibodyName.anti_srp})


@dataclass(frozen=True)
class SubtypeInference:
    """The subtypes still possible, how that was decided, and the facts used."""

    candidates: frozenset[Subtype]
    basis: str
    explanation: str
    evidence: tuple[Evidence, ...] = ()

    @property
    def subtype(self) -> Subtype | None:
        """The subtype when exactly one remains, else None."""
        return next(iter(self.candidates)) if len(self.candidates) == 1 else None

    @property
    def label(self) -> str:
        if self.subtype is not None:
            return self.subtype
        if len(self.candidates) == len(ALL_SUBTYPES):
            return "unknown"
        return " or ".join(s for s in ALL_SUBTYPES if s in self.candidates)


def parse_subtype(value: str) -> Subtype:
    """Normalise a user-given subtype (case-insensitive); ValueError names the choices."""
    for subtype in ALL_SUBTYPES:
        if subtype.lower() == value.strip().lower():
            return subtype
    raise ValueError(f"unknown IIM subtype {value!r}; use one of: {', '.join(ALL_SUBTYPES)}")


def infer_subtype(
    record: PatientRecord, given: str | None = None, as_of: date | None = None
) -> SubtypeInference:
    """The IIM subtype for IMACS 2023 risk stratification (see the module docstring)."""
    if given is not None:
        subtype = parse_subtype(given)
        return SubtypeInference(frozenset({subtype}), "given", f"{subtype} (given by the user)")

    positive = [
        (i, a) for i, a in known(record, "antibodies", as_of) if a.result is AntibodyResult.positive
    ]
    synthetase = [(i, a) for i, a in positive if a.name in ANTISYNTHETASE_ANTIBODIES]
    if synthetase:
        return SubtypeInference(
            frozenset({"antisynthetase"}),
            "inferred",
            "antisynthetase (an anti-synthetase antibody is positive)",
            tuple(antibody_evidence(record, i) for i, _ in synthetase),
        )

    skin = _statuses(record, DM_SKIN_SIGNS, as_of)
    weakness = _statuses(record, WEAKNESS, as_of)
    skin_present = [i for i, s in skin if s is Status.present]
    weak_present = [i for i, s in weakness if s is Status.present]
    if skin_present:
        used = tuple(finding_evidence(record, i) for i in skin_present)
        if weak_present:
            evidence = used + tuple(finding_evidence(record, i) for i in weak_present)
            return SubtypeInference(
                frozenset({"DM"}), "inferred", "DM (DM skin signs with weakness)", evidence
            )
        proximal = (FindingCode.weakness_proximal_upper, FindingCode.weakness_proximal_lower)
        weak_absent = [i for i, s in _statuses(record, proximal, as_of) if s is Status.absent]
        if all(_code_absent(record, code, as_of) for code in proximal):
            evidence = used + tuple(finding_evidence(record, i) for i in weak_absent)
            return SubtypeInference(
                frozenset({"CADM"}), "inferred", "CADM (DM skin signs, no weakness)", evidence
            )
        return SubtypeInference(
            frozenset({"DM", "CADM"}),
            "inferred",
            "DM or CADM (DM skin signs; proximal strength not assessed in arms and legs)",
            used,
        )

    imnm = [(i, a) for i, a in positive if a.name in IMNM_ANTIBODIES]
    if imnm:
        return SubtypeInference(
            frozenset({"IMNM"}),
            "inferred",
            "IMNM (anti-HMGCR or anti-SRP positive, no DM skin signs)",
            tuple(antibody_evidence(record, i) for i, _ in imnm),
        )

    skin_absent = {code for code in DM_SKIN_SIGNS if _code_absent(record, code, as_of)}
    if weak_present and skin_absent == set(DM_SKIN_SIGNS):
        evidence = tuple(finding_evidence(record, i) for i in weak_present)
        return SubtypeInference(
            frozenset({"PM"}),
            "inferred",
            "PM (weakness without DM skin signs; PM is a diagnosis of exclusion)",
            evidence,
        )
    return SubtypeInference(
        frozenset(ALL_SUBTYPES),
        "unknown",
        "unknown (cannot be inferred from the record; give the subtype to decide it)",
    )


def _statuses(
    record: PatientRecord, codes: tuple[FindingCode, ...], as_of: date | None
) -> list[tuple[int, Status]]:
    return [(i, f.status) for i, f in known(record, "findings", as_of) if f.code in codes]


def _code_absent(record: PatientRecord, code: FindingCode, as_of: date | None) -> bool:
    statuses = {s for _, s in _statuses(record, (code,), as_of)}
    return Status.absent in statuses and Status.present not in statuses
