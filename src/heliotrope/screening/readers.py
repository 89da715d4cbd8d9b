"""Record readers for the IMACS 2023 factors: each returns present / absent / unknown with the
record facts it used. Not assessed is never absent; facts dated after ``as_of`` are ignored.

Conventions (spec section 7 and the house rules):
* a finding is present if any entry says present, absent if an entry says absent and none says
  present, unknown otherwise;
* an antibody is present when positive, absent when negative, unknown when weakly positive
  (as in ``criteria.readers``) or not tested;
* an age threshold compares the age *interval* at onset (``record.age_at``): unknown when the
  interval straddles it;
* a lab is raised when above the reporting lab's own upper limit, normal only when every
  result is within its range; without a range (or censored at the limit), unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from heliotrope.logic.definition import ItemFinding
from heliotrope.logic.result import Evidence, ItemStatus, trusted
from heliotrope.model.dates import add_months
from heliotrope.model.describe import describe
from heliotrope.model.ranges import above_uln
from heliotrope.model.record import Fact, PatientRecord, derived_cache
from heliotrope.model.vocabulary import (
    Analyte,
    AntibodyName,
    AntibodyResult,
    CancerStatus,
    FindingCode,
    Status,
)

__all__ = [
    "antibody_evidence",
    "finding_evidence",
    "in_time",
    "known",
    "read_active_cancer",
    "read_age_over",
    "read_antibody",
    "read_finding",
    "read_juvenile_onset",
    "read_lab_above_uln",
    "read_outside_window",
    "read_seronegative",
]


def in_time(record: PatientRecord, fact: Fact, as_of: date | None) -> bool:
    """Whether a fact could have been known on ``as_of`` (undated facts always count)."""
    if as_of is None:
        return True
    when = record.date_of(fact.date)
    return when is None or when.earliest <= as_of


def known(record: PatientRecord, field: str, as_of: date | None) -> list[tuple[int, Any]]:
    """``(index, fact)`` of ``record.<field>`` that could have been known on ``as_of``, in
    record order: dated once per record, field and date, and kept beside the record (issue 13:
    each factor reader filtered every fact by its date again)."""
    kept = derived_cache(record)
    key = ("known", field, as_of)
    found: list[tuple[int, Any]] | None = kept.get(key)
    if found is None:
        facts = getattr(record, field)
        found = kept[key] = [(i, f) for i, f in enumerate(facts) if in_time(record, f, as_of)]
    return found


def _when(record: PatientRecord, fact: Fact) -> str:
    when = record.date_of(fact.date)
    return f" ({when})" if when is not None else ""


def finding_evidence(record: PatientRecord, index: int) -> Evidence:
    """Evidence for ``record.findings[index]``, with its date."""
    return _dated_evidence(record, "findings", index)


def _dated_evidence(record: PatientRecord, field: str, index: int) -> Evidence:
    """Evidence for ``record.<field>[index]`` with its date, made once per record entry and
    kept beside the record (issue 13; the path and summary are strings, the source the
    record's own, so it is built without a second validation)."""
    cache = derived_cache(record)
    key = ("dated_evidence", field, index)
    found: Evidence | None = cache.get(key)
    if found is None:
        fact = getattr(record, field)[index]
        found = cache[key] = trusted(
            Evidence,
            path=f"{field}[{index}]",
            summary=f"{describe(fact)}{_when(record, fact)}",
            source=fact.source,
        )
    return found


def _status(present: bool, absent: bool) -> ItemStatus:
    if present:
        return ItemStatus.present
    return ItemStatus.absent if absent else ItemStatus.unknown


def read_finding(
    record: PatientRecord, codes: Iterable[FindingCode], as_of: date | None
) -> ItemFinding:
    """Any of ``codes`` over the facts known on ``as_of`` (present wins, then absent)."""
    wanted = set(codes)
    used = [(i, f) for i, f in known(record, "findings", as_of) if f.code in wanted]
    present = [i for i, f in used if f.status is Status.present]
    absent = [i for i, f in used if f.status is Status.absent]
    # Absent only when every code is documented absent (any-of in three-valued logic).
    every = all(any(record.findings[i].code == code for i in absent) for code in wanted)
    status = _status(bool(present), bool(absent) and every)
    chosen = present if present else absent
    note = None if used else "not recorded"
    return ItemFinding(status, tuple(finding_evidence(record, i) for i in chosen), note)


def antibody_evidence(record: PatientRecord, index: int) -> Evidence:
    """Evidence for ``record.antibodies[index]``, with its date."""
    return _dated_evidence(record, "antibodies", index)


def read_antibody(
    record: PatientRecord, names: Iterable[AntibodyName], as_of: date | None
) -> ItemFinding:
    """Any of ``names`` positive; weak or untested is unknown (facts known on ``as_of``)."""
    wanted = set(names)
    used = [(i, a) for i, a in known(record, "antibodies", as_of) if a.name in wanted]
    by_result = {r: [i for i, a in used if a.result is r] for r in AntibodyResult}

    def ev(indices: list[int]) -> tuple[Evidence, ...]:
        return tuple(antibody_evidence(record, i) for i in indices)

    if by_result[AntibodyResult.positive]:
        return ItemFinding(ItemStatus.present, ev(by_result[AntibodyResult.positive]))
    if by_result[AntibodyResult.weak]:
        return ItemFinding(
            ItemStatus.unknown,
            ev(by_result[AntibodyResult.weak]),
            "weakly positive: counted neither as positive nor negative",
        )
    if by_result[AntibodyResult.negative]:
        return ItemFinding(ItemStatus.absent, ev(by_result[AntibodyResult.negative]))
    return ItemFinding(ItemStatus.unknown, (), "not tested")


def read_seronegative(
    record: PatientRecord, names: Iterable[AntibodyName], as_of: date | None
) -> ItemFinding:
    """Present when every listed antibody was tested negative; absent when any is positive."""
    wanted = tuple(names)
    used = [(i, a) for i, a in known(record, "antibodies", as_of) if a.name in wanted]
    positive = [i for i, a in used if a.result is AntibodyResult.positive]
    if positive:
        return ItemFinding(ItemStatus.absent, tuple(antibody_evidence(record, i) for i in positive))
    negative = {a.name for _, a in used if a.result is AntibodyResult.negative}
    evidence = tuple(antibody_evidence(record, i) for i, _ in used)
    weak = sorted({a.name.value for _, a in used if a.result is AntibodyResult.weak})
    untested = [n.value for n in wanted if n not in negative and n.value not in weak]
    if not untested and not weak:
        return ItemFinding(ItemStatus.present, evidence)
    notes = []
    if weak:
        notes.append("weakly positive: " + ", ".join(weak))
    if untested:
        notes.append("not tested: " + ", ".join(untested))
    return ItemFinding(ItemStatus.unknown, evidence, "; ".join(notes))


def _age_evidence(record: PatientRecord, age: tuple[float, float]) -> Evidence:
    lo, hi = age
    shown = f"{lo:.0f}" if int(lo) == int(hi) else f"{lo:.1f}–{hi:.1f}"
    basis = "birth date" if record.demographics.birth_date is not None else "age_years"
    if record.myositis.onset is None and record.myositis.diagnosis is not None:
        basis += "; onset date not recorded: the diagnosis date stands in for it"
    return Evidence(
        path="demographics", summary=f"age at myositis onset {shown} years (from {basis})"
    )


def read_age_over(record: PatientRecord, years: float) -> ItemFinding:
    """Age at onset > ``years``; unknown when the age interval straddles it."""
    age = record.age_at(record.myositis_onset)
    if age is None:
        return ItemFinding(ItemStatus.unknown, note="age at onset not recorded")
    lo, hi = age
    if lo > years:
        status = ItemStatus.present
    elif hi <= years:
        status = ItemStatus.absent
    else:
        status = ItemStatus.unknown
    note = f"the age interval straddles {years:g}" if status is ItemStatus.unknown else None
    return ItemFinding(status, (_age_evidence(record, age),), note)


def read_juvenile_onset(record: PatientRecord, adult_age: float) -> ItemFinding:
    """Myositis onset before ``adult_age`` years (juvenile-onset IIM)."""
    age = record.age_at(record.myositis_onset)
    if age is None:
        return ItemFinding(ItemStatus.unknown, note="age at onset not recorded")
    lo, hi = age
    if hi < adult_age:
        status = ItemStatus.present
    elif lo >= adult_age:
        status = ItemStatus.absent
    else:
        status = ItemStatus.unknown
    return ItemFinding(status, (_age_evidence(record, age),))


def read_outside_window(record: PatientRecord, months: int, as_of: date) -> ItemFinding:
    """Diagnosed more than ``months`` after symptom onset (IMACS 2023 scope, spec §7.1 and
    §7.4: "diagnosed within the 3-year period after IIM symptom onset").

    The diagnosis date is compared with the onset date, never with the day the assessment is
    run (issue 7): a retrospective record diagnosed within 3 years of onset stays in scope.
    Without a diagnosis date, a diagnosis made by ``as_of`` that is itself within the window
    of onset settles it (inside); otherwise the item is unknown.
    """
    onset = record.date_of(record.myositis.onset)
    diagnosis = record.date_of(record.myositis.diagnosis)
    if onset is None:
        note = "symptom onset not recorded: whether the diagnosis came within 3 years is unknown"
        return ItemFinding(ItemStatus.unknown, note=note)
    evidence: tuple[Evidence, ...]
    if diagnosis is None:
        evidence = (
            Evidence(
                path="myositis.onset",
                summary=f"myositis onset {onset}; diagnosis date not recorded; assessed on "
                f"{as_of.isoformat()}",
            ),
        )
        if add_months(onset.earliest, months) >= as_of:
            return ItemFinding(
                ItemStatus.absent, evidence, "assessed within 3 years of onset, so diagnosed so"
            )
        return ItemFinding(ItemStatus.unknown, evidence, "diagnosis date not recorded")
    evidence = (
        Evidence(path="myositis.onset", summary=f"myositis onset {onset}"),
        Evidence(path="myositis.diagnosis", summary=f"myositis diagnosis {diagnosis}"),
    )
    if add_months(onset.latest, months) < diagnosis.earliest:
        return ItemFinding(ItemStatus.present, evidence, "diagnosed more than 3 years after onset")
    if add_months(onset.earliest, months) >= diagnosis.latest:
        return ItemFinding(ItemStatus.absent, evidence, "diagnosed within 3 years of onset")
    return ItemFinding(ItemStatus.unknown, evidence, "the dates are too imprecise to tell")


def read_active_cancer(record: PatientRecord, as_of: date | None) -> ItemFinding:
    """A known active cancer (``record.cancers`` with status active)."""
    used = list(known(record, "cancers", as_of))
    if not used:
        return ItemFinding(ItemStatus.absent, note="no cancer recorded")

    def evidence(i: int) -> Evidence:
        return _dated_evidence(record, "cancers", i)

    active = [i for i, c in used if c.status is CancerStatus.active]
    if active:
        return ItemFinding(ItemStatus.present, tuple(evidence(i) for i in active))
    unsure = [i for i, c in used if c.status is CancerStatus.unknown]
    if unsure:
        return ItemFinding(
            ItemStatus.unknown, tuple(evidence(i) for i in unsure), "cancer status unknown"
        )
    return ItemFinding(ItemStatus.absent, tuple(evidence(i) for i, _ in used))


def read_lab_above_uln(
    record: PatientRecord, analytes: Iterable[Analyte], as_of: date | None
) -> ItemFinding:
    """Any of ``analytes`` above its lab's ULN; absent only when every result was measured
    against a range and is within it (a value without a range, or a censored one straddling
    the ULN, leaves the factor unknown)."""
    wanted = set(analytes)
    used = [(i, lab) for i, lab in known(record, "labs", as_of) if lab.analyte in wanted]
    verdicts = [(i, above_uln(lab.times_uln, lab.comparator)) for i, lab in used]
    raised = [i for i, above in verdicts if above is True]
    undecided = [i for i, above in verdicts if above is None]

    def evidence(i: int) -> Evidence:
        return _dated_evidence(record, "labs", i)

    if raised:
        return ItemFinding(ItemStatus.present, tuple(evidence(i) for i in raised))
    if not used:
        return ItemFinding(ItemStatus.unknown, note="not measured")
    if undecided:
        return ItemFinding(
            ItemStatus.unknown,
            tuple(evidence(i) for i, _ in used),
            "a result without a reference range, or censored at the limit, cannot be placed",
        )
    return ItemFinding(ItemStatus.absent, tuple(evidence(i) for i, _ in used))
