"""Record readers shared by the criteria: each turns part of the record into an
:class:`ItemFinding` (present / absent / unknown, with evidence).

Conventions (documented choices, tested):
- A finding counts as *present* if any dated entry says present (classification criteria look at
  the whole disease course), *absent* if entries say absent and none present, otherwise unknown.
  An item read from several codes ("dysphagia or oesophageal dysmotility") is present if one is
  present and absent only when every code is documented absent; an umbrella code ("a rash
  typical of DM") joins only when the record uses it.
- An investigation that was not performed makes its items *unknown* with a "not performed" note:
  the publications count that as not met, which the headline does, and the range shows what the
  test could have changed.
- An antibody that was weakly positive is *unknown* with a note: neither a clear positive nor a
  negative.
- Muscle enzymes are *present* if the most abnormal value is above the lab's own ULN, *absent*
  only if every value was measured against a range and is at or below it, *unknown* otherwise
  (a value without a range, or a censored one such as "> 150", cannot be placed).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, cast

from heliotrope.logic import Evidence, ItemFinding, ItemStatus
from heliotrope.logic.result import trusted
from heliotrope.model.describe import describe
from heliotrope.model.ranges import above_uln
from heliotrope.model.record import MuscleGrade, PatientRecord, derived_cache
from heliotrope.model.resolution import field_path
from heliotrope.model.vocabulary import (
    Analyte,
    AntibodyName,
    AntibodyResult,
    FindingCode,
    InvestigationFinding,
    InvestigationKind,
    LabInterpretation,
    MuscleGroup,
    Status,
)

__all__ = [
    "UMBRELLA_CODES",
    "RecordIndex",
    "age_band",
    "antibody",
    "combine",
    "elevated_enzymes",
    "evidence",
    "exclusions",
    "finding",
    "investigation_finding",
    "muscle_comparison",
    "plain_evidence",
    "record_index",
    "recorded",
    "weakness",
]


_Reader = TypeVar("_Reader", bound=Callable[..., ItemFinding])


def per_record(reader: _Reader) -> _Reader:
    """Keep a reader's finding beside the record (``derived_cache``): it depends on the
    record and the hashable arguments alone, and records are frozen (issue 13: the criteria
    read the same findings many times)."""
    name = reader.__qualname__

    @functools.wraps(reader)
    def read(record: PatientRecord, *args: Any, **options: Any) -> ItemFinding:
        if options:  # keyword arguments: read it again (keys stay positional and simple)
            return reader(record, *args, **options)
        key = (name, *args)
        cache = derived_cache(record)
        try:
            found: ItemFinding | None = cache.get(key)
        except TypeError:  # an unhashable argument (a list): read it again
            return reader(record, *args)
        if found is None:
            found = cache[key] = reader(record, *args)
        return found

    return cast(_Reader, read)


def evidence(record: PatientRecord, entries: Iterable[tuple[str, Any]]) -> tuple[Evidence, ...]:
    """Evidence (path, one-line summary, source) for record entries: each made once per
    record entry and kept beside the record (built without a second validation: the path and
    summary are strings, the source the record's own)."""
    cache = derived_cache(record)
    out = []
    for path, entry in entries:
        key = ("evidence", path)
        found = cache.get(key)
        if found is None or found[0] is not entry:
            source = getattr(entry, "source", None)
            made = trusted(Evidence, path=path, summary=describe(entry), source=source)
            found = cache[key] = (entry, made)
        out.append(found[1])
    return tuple(out)


class RecordIndex:
    """A record's entries with their paths, grouped the way the readers ask for them (by
    finding code, antibody, investigation kind), each part made on first use and kept beside
    the record (issue 13: readers were scans building every path again). Lists keep record
    order."""

    __slots__ = ("_by_code", "_grades", "_lists", "_values")

    def __init__(self, record: PatientRecord) -> None:
        self._values = record.__dict__
        self._lists: dict[str, list[tuple[str, Any]]] = {}
        self._by_code: dict[FindingCode, list[tuple[str, Any]]] | None = None
        self._grades: list[tuple[str, MuscleGrade]] | None = None

    def entries(self, name: str) -> list[tuple[str, Any]]:
        """``(path, entry)`` of every entry of the list ``name`` (``labs``)."""
        found = self._lists.get(name)
        if found is None:
            found = self._lists[name] = _paired(name, self._values[name])
        return found

    @property
    def findings(self) -> list[tuple[str, Any]]:
        return self.entries("findings")

    @property
    def labs(self) -> list[tuple[str, Any]]:
        return self.entries("labs")

    @property
    def investigations(self) -> list[tuple[str, Any]]:
        return self.entries("investigations")

    @property
    def findings_by_code(self) -> dict[FindingCode, list[tuple[str, Any]]]:
        if self._by_code is None:
            by_code: dict[FindingCode, list[tuple[str, Any]]] = {}
            for pair in self.entries("findings"):
                by_code.setdefault(pair[1].code, []).append(pair)
            self._by_code = by_code
        return self._by_code

    @property
    def codes(self) -> frozenset[FindingCode]:
        return frozenset(self.findings_by_code)

    @property
    def grades(self) -> list[tuple[str, MuscleGrade]]:
        if self._grades is None:
            grades: list[tuple[str, MuscleGrade]] = []
            for name in ("findings", "activity"):
                for i, entry in enumerate(self._values[name]):
                    grades += [
                        (field_path(name, i, f".grades[{j}]"), g)
                        for j, g in enumerate(entry.grades)
                    ]
            self._grades = grades
        return self._grades


def _paired(name: str, entries: Sequence[Any]) -> list[tuple[str, Any]]:
    return [(field_path(name, i), e) for i, e in enumerate(entries)]


def record_index(record: PatientRecord) -> RecordIndex:
    """The record's :class:`RecordIndex` (made on first use, kept in ``derived_cache``)."""
    cache = derived_cache(record)
    found: RecordIndex | None = cache.get(RecordIndex)
    if found is None:
        found = cache[RecordIndex] = RecordIndex(record)
    return found


def plain_evidence(path: str, summary: str) -> Evidence:
    """Evidence without a source, made without a second validation (two strings)."""
    return trusted(Evidence, path=path, summary=summary, source=None)


def _entries(record: PatientRecord, field: str) -> list[tuple[str, Any]]:
    return record_index(record).entries(field)


@per_record
def finding(record: PatientRecord, *codes: FindingCode) -> ItemFinding:
    """Status of any of ``codes`` over the whole course: present if one is present, absent
    only when every one of them is documented absent (any-of in three-valued logic: "no
    dysphagia" says nothing about oesophageal dysmotility)."""
    if len(codes) > 1:
        parts = [(code, finding(record, code)) for code in codes]
        combined = combine(*(f for _, f in parts))
        if combined.status is not ItemStatus.unknown:
            return combined
        still_open = [
            f"{code.value.replace('_', ' ')} {f.note or 'unknown'}"
            for code, f in parts
            if f.status is ItemStatus.unknown
        ]
        return ItemFinding(ItemStatus.unknown, combined.evidence, "; ".join(still_open))
    hits: list[tuple[str, Any]] = record_index(record).findings_by_code.get(codes[0], [])
    present = [(p, e) for p, e in hits if e.status == Status.present]
    if present:
        return ItemFinding(ItemStatus.present, evidence(record, present))
    absent = [(p, e) for p, e in hits if e.status == Status.absent]
    if absent:
        return ItemFinding(ItemStatus.absent, evidence(record, absent))
    note = "not assessed" if hits else "not recorded"
    return ItemFinding(ItemStatus.unknown, evidence(record, hits), note)


#: Codes that summarise others ("a rash typical of DM", sign unspecified): they join an any-of
#: only when the record uses them, since the specific signs documented absent already rule
#: them out.
UMBRELLA_CODES = frozenset({FindingCode.dm_rash})


def recorded(record: PatientRecord, codes: Sequence[FindingCode]) -> tuple[FindingCode, ...]:
    """``codes`` without the umbrella codes the record never uses."""
    used = record_index(record).findings_by_code
    return tuple(c for c in codes if c not in UMBRELLA_CODES or c in used)


def combine(*findings: ItemFinding) -> ItemFinding:
    """Any-of: present if one is present, absent only if all are absent."""
    if any(f.status is ItemStatus.present for f in findings):
        used = [f for f in findings if f.status is ItemStatus.present]
        status = ItemStatus.present
    elif findings and all(f.status is ItemStatus.absent for f in findings):
        used, status = list(findings), ItemStatus.absent
    else:
        used, status = list(findings), ItemStatus.unknown
    notes = sorted({f.note for f in used if f.note})
    return ItemFinding(status, tuple(e for f in used for e in f.evidence), "; ".join(notes) or None)


def _grades(record: PatientRecord) -> list[tuple[str, MuscleGrade]]:
    return record_index(record).grades


@per_record
def weakness(
    record: PatientRecord, code: FindingCode, groups: frozenset[MuscleGroup]
) -> ItemFinding:
    """Objective weakness of a region: a finding, or MRC grades below 5 in its muscles."""
    stated = finding(record, code)
    if stated.status is not ItemStatus.unknown:
        return stated
    graded = [(p, g) for p, g in _grades(record) if g.muscle in groups]
    if not graded:
        return stated
    weak = [(p, g) for p, g in graded if g.bounds[1] < 5]
    ev = tuple(plain_evidence(p, f"{g.muscle.value} MRC {g.mrc}") for p, g in graded)
    if weak:
        return ItemFinding(ItemStatus.present, ev, "from MRC grades below 5")
    return ItemFinding(ItemStatus.absent, ev, "all graded 5/5")


@per_record
def muscle_comparison(
    record: PatientRecord,
    code: FindingCode,
    weaker: frozenset[MuscleGroup],
    stronger: frozenset[MuscleGroup],
    weaker_code: FindingCode,
) -> ItemFinding:
    """Is ``weaker`` graded lower than ``stronger``? (EULAR/ACR items 5 and 6.)

    A stated comparison wins; otherwise both sides must be graded. If the first group is
    documented as not weak at all, it cannot be the weaker one (absent). If only one side is
    graded, the item is unknown (spec §2.5 and the worked example §11.2).
    """
    stated = finding(record, code)
    if stated.status is not ItemStatus.unknown:
        return stated
    grades = _grades(record)
    low = [(p, g) for p, g in grades if g.muscle in weaker]
    high = [(p, g) for p, g in grades if g.muscle in stronger]
    ev = tuple(plain_evidence(p, f"{g.muscle.value} MRC {g.mrc}") for p, g in low + high)
    if low and high:
        low_hi = max(g.bounds[1] for _, g in low)
        low_lo = min(g.bounds[0] for _, g in low)
        high_lo = min(g.bounds[0] for _, g in high)
        high_hi = max(g.bounds[1] for _, g in high)
        if low_hi < high_lo:
            return ItemFinding(ItemStatus.present, ev, "graded lower on both sides of comparison")
        if low_lo >= high_hi:
            return ItemFinding(ItemStatus.absent, ev, "not graded lower")
        return ItemFinding(ItemStatus.unknown, ev, "grades overlap")
    not_weak = finding(record, weaker_code)
    if not_weak.status is ItemStatus.absent:
        return ItemFinding(ItemStatus.absent, not_weak.evidence, "no weakness of these muscles")
    note = "only one side of the comparison is graded" if (low or high) else "not graded"
    return ItemFinding(ItemStatus.unknown, ev + not_weak.evidence, note)


@per_record
def elevated_enzymes(record: PatientRecord, analytes: frozenset[Analyte]) -> ItemFinding:
    """Most abnormal value of any of ``analytes`` above the lab's own ULN.

    A value beats a statement; without a ranged value, a report that the enzyme was raised
    ("raised CK, no value given") is present and one that it was normal is absent.
    """
    numeric = _enzyme_values(record, analytes)
    if numeric.status is ItemStatus.present:
        return numeric
    said = [(p, e) for p, e in _entries(record, "lab_statements") if e.analyte in analytes]
    high = [(p, e) for p, e in said if e.interpretation == LabInterpretation.high]
    if high:
        return ItemFinding(ItemStatus.present, evidence(record, high), "reported raised, no value")
    if numeric.status is ItemStatus.absent:
        return numeric
    normal = [(p, e) for p, e in said if e.interpretation == LabInterpretation.normal]
    if normal and numeric.note in ("not measured", "measured without a reference range"):
        return ItemFinding(ItemStatus.absent, evidence(record, normal), "reported normal")
    return numeric


def _enzyme_values(record: PatientRecord, analytes: frozenset[Analyte]) -> ItemFinding:
    labs = [(p, e) for p, e in _entries(record, "labs") if e.analyte in analytes]
    if not labs:
        return ItemFinding(ItemStatus.unknown, (), "not measured")
    verdicts = [(p, e, above_uln(e.times_uln, e.comparator)) for p, e in labs]
    raised = [(p, e) for p, e, above in verdicts if above is True]
    if raised:
        raised.sort(key=lambda pe: -(pe[1].times_uln or 0.0))
        return ItemFinding(ItemStatus.present, evidence(record, raised), "above the lab's ULN")
    unranged = [(p, e) for p, e in labs if e.times_uln is None]
    if len(unranged) == len(labs):
        return ItemFinding(
            ItemStatus.unknown, evidence(record, labs), "measured without a reference range"
        )
    if unranged:
        names = ", ".join(sorted({e.analyte.value.upper() for _, e in unranged}))
        return ItemFinding(
            ItemStatus.unknown,
            evidence(record, labs),
            f"{names} measured without a reference range: cannot be placed against the ULN",
        )
    if any(above is None for _, _, above in verdicts):
        return ItemFinding(
            ItemStatus.unknown,
            evidence(record, labs),
            "a censored value (e.g. '> 150') cannot be placed against the ULN",
        )
    return ItemFinding(ItemStatus.absent, evidence(record, labs), "within the lab's range")


@per_record
def antibody(record: PatientRecord, name: AntibodyName) -> ItemFinding:
    """Antibody ``name``: present if positive, absent if negative, unknown if weak or not tested."""
    tests = [(p, e) for p, e in _entries(record, "antibodies") if e.name == name]
    results = {e.result for _, e in tests}
    if AntibodyResult.positive in results:
        used = [(p, e) for p, e in tests if e.result == AntibodyResult.positive]
        return ItemFinding(ItemStatus.present, evidence(record, used))
    if AntibodyResult.weak in results:
        return ItemFinding(
            ItemStatus.unknown,
            evidence(record, tests),
            "weakly positive: counted neither as positive nor negative",
        )
    if AntibodyResult.negative in results:
        return ItemFinding(ItemStatus.absent, evidence(record, tests))
    return ItemFinding(ItemStatus.unknown, evidence(record, tests), "not tested")


@per_record
def investigation_finding(
    record: PatientRecord, kind: InvestigationKind, wanted: Sequence[InvestigationFinding]
) -> ItemFinding:
    """Any of ``wanted`` reported by an investigation of ``kind``."""
    done = [(p, e) for p, e in _entries(record, "investigations") if e.kind == kind]
    if not done:
        return ItemFinding(ItemStatus.unknown, (), "not recorded")
    performed = [(p, e) for p, e in done if e.performed]
    if not performed:
        not_done = any(e.performed is False for _, e in done)
        return ItemFinding(
            ItemStatus.unknown,
            evidence(record, done),
            "not performed" if not_done else "performed status unknown",
        )
    present = [
        (p, e) for p, e in performed if any(e.findings.get(w) == Status.present for w in wanted)
    ]
    if present:
        return ItemFinding(ItemStatus.present, evidence(record, present))
    ruled_out = [
        (p, e)
        for p, e in performed
        if e.findings.get(InvestigationFinding.normal) == Status.present
        or all(e.findings.get(w) == Status.absent for w in wanted)
    ]
    if ruled_out:
        return ItemFinding(ItemStatus.absent, evidence(record, ruled_out))
    return ItemFinding(
        ItemStatus.unknown, evidence(record, performed), "performed; this feature not reported"
    )


@per_record
def exclusions(record: PatientRecord) -> ItemFinding:
    """Is an exclusion of the myositis criteria present (Bohan & Peter §1.3, ENMC 2003)?

    Present when the record lists one, absent when the exclusions were considered and none
    found, unknown when they are not recorded as considered.
    """
    myositis = record.myositis
    if myositis.exclusions_present:
        summary = "; ".join(myositis.exclusions_present)
        return ItemFinding(
            ItemStatus.present, (plain_evidence("myositis.exclusions_present", summary),)
        )
    ev = (
        plain_evidence(
            "myositis.exclusions_considered",
            f"exclusions considered: {myositis.exclusions_considered}",
        ),
    )
    if myositis.exclusions_considered:
        return ItemFinding(ItemStatus.absent, ev, "exclusions considered, none present")
    return ItemFinding(ItemStatus.unknown, ev, "exclusions not recorded as considered")


#: Said wherever the diagnosis date stands in for a missing onset date (issue 7).
ONSET_FROM_DIAGNOSIS = "onset date not recorded: the diagnosis date stands in for it"


@per_record
def age_band(record: PatientRecord, low: float | None, high: float | None) -> ItemFinding:
    """Is the age at myositis onset within [low, high)? Unknown if the age interval straddles."""
    onset = record.myositis_onset
    age = record.age_at(onset)
    if age is None:
        return ItemFinding(ItemStatus.unknown, (), "age at onset not recorded")
    lo, hi = age
    summary = f"age at onset {_age_text(lo, hi)} years"
    if record.myositis.onset is None and record.myositis.diagnosis is not None:
        summary += f" ({ONSET_FROM_DIAGNOSIS})"
    ev = (plain_evidence("demographics", summary),)
    inside_lo = low is None or lo >= low
    inside_hi = high is None or hi < high
    outside = (low is not None and hi < low) or (high is not None and lo >= high)
    if inside_lo and inside_hi:
        return ItemFinding(ItemStatus.present, ev)
    if outside:
        return ItemFinding(ItemStatus.absent, ev)
    return ItemFinding(ItemStatus.unknown, ev, "age at onset straddles the boundary")


def _age_text(lo: float, hi: float) -> str:
    return f"{lo:.0f}" if int(lo) == int(hi) else f"{lo:.1f}–{hi:.1f}"


NECK_FLEXORS = frozenset({MuscleGroup.neck_flexors})
NECK_EXTENSORS = frozenset({MuscleGroup.neck_extensors})
