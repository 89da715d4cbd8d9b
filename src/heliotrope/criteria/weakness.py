"""Symmetric (both-sided) proximal weakness, as the classification criteria define it.

- EULAR/ACR 2017 items 3 and 4 (Lundberg 2017, Table 1 glossary; spec §2.1): objective weakness
  "present on both sides".
- Bohan & Peter 1975 C1 (spec §1.1): *symmetric* weakness of the limb-girdle muscles and the
  anterior neck flexors.
- ENMC 2003 / 2018 muscle involvement: symmetric proximal weakness (spec §3).

Reading rules (issue 7, departure 1; tested in ``tests/criteria/test_symmetric_weakness.py``):

- A finding that is present with ``laterality: both``, or present findings on the left *and* on
  the right, give weakness on both sides: **present**.
- MRC grades below 5 on both sides (a grade recorded without a side is, by the record model,
  a grade of both sides) give **present**.
- Weakness on one side only — present findings all on the same side, or grades weak on one
  side and 5/5 on the other — is **absent** for these items, with a note saying so.
- Weakness whose side is not recorded (and no grades that settle it) is **unknown**: it may or
  may not be symmetric. The headline then counts the item as absent (the publications'
  convention) and the range shows what it could add.
- Documented absence of weakness stays absent.
"""

from __future__ import annotations

from heliotrope.criteria.readers import evidence, finding, per_record
from heliotrope.logic import Evidence, ItemFinding, ItemStatus
from heliotrope.model.record import MuscleGrade, PatientRecord
from heliotrope.model.vocabulary import FindingCode, MuscleGroup, Side, Status

__all__ = ["ONE_SIDED_NOTE", "UNKNOWN_SIDE_NOTE", "symmetric_weakness"]

ONE_SIDED_NOTE = "weakness on the {side} side only: the item needs weakness on both sides"
UNKNOWN_SIDE_NOTE = (
    "weakness recorded without its side: the item needs weakness on both sides, so it is "
    "unknown until the side is recorded"
)
ALL_STRONG_NOTE = "all graded 5/5"
_SIDES = (Side.left, Side.right)


@per_record
def symmetric_weakness(
    record: PatientRecord, code: FindingCode, groups: frozenset[MuscleGroup]
) -> ItemFinding:
    """Objective weakness of a region on both sides (findings with laterality, or MRC grades)."""
    hits = [(f"findings[{i}]", f) for i, f in enumerate(record.findings) if f.code == code]
    present = [(p, f) for p, f in hits if f.status == Status.present]
    graded = _graded(record, groups)
    if present:
        sides = {f.laterality for _, f in present}
        ev = evidence(record, present)
        if Side.both in sides or set(_SIDES) <= sides:
            both = [(p, f) for p, f in present if f.laterality is not None]
            return ItemFinding(ItemStatus.present, evidence(record, both), "on both sides")
        if graded.status is ItemStatus.present or (
            graded.status is ItemStatus.absent and graded.note != ALL_STRONG_NOTE
        ):  # the grades settle the sides
            return ItemFinding(graded.status, ev + graded.evidence, graded.note)
        if None in sides:
            return ItemFinding(ItemStatus.unknown, ev + graded.evidence, UNKNOWN_SIDE_NOTE)
        (side,) = sides  # one side only: left or right
        assert side is not None
        return ItemFinding(ItemStatus.absent, ev, ONE_SIDED_NOTE.format(side=side.value))
    stated = finding(record, code)
    if stated.status is ItemStatus.absent:
        return stated
    if graded.status is ItemStatus.unknown and graded.note == "not graded":
        return stated
    return graded


def _graded(record: PatientRecord, groups: frozenset[MuscleGroup]) -> ItemFinding:
    """Both-sided weakness from MRC grades (below 5 is weak; '4-5' is not certainly weak)."""
    grades: list[tuple[str, MuscleGrade]] = []
    for i, f in enumerate(record.findings):
        grades += [(f"findings[{i}].grades[{j}]", g) for j, g in enumerate(f.grades)]
    for i, a in enumerate(record.activity):
        grades += [(f"activity[{i}].grades[{j}]", g) for j, g in enumerate(a.grades)]
    grades = [(p, g) for p, g in grades if g.muscle in groups]
    if not grades:
        return ItemFinding(ItemStatus.unknown, (), "not graded")
    ev = tuple(
        Evidence(path=p, summary=f"{g.muscle.value} ({g.side.value}) MRC {g.mrc}")
        for p, g in grades
    )
    weak = {s: any(g.bounds[1] < 5 for _, g in grades if g.side in (s, Side.both)) for s in _SIDES}
    seen = {s: any(g.side in (s, Side.both) for _, g in grades) for s in _SIDES}
    if all(weak.values()):
        return ItemFinding(ItemStatus.present, ev, "MRC grades below 5 on both sides")
    if not any(weak.values()):
        return ItemFinding(ItemStatus.absent, ev, ALL_STRONG_NOTE)
    side = Side.left if weak[Side.left] else Side.right
    other = Side.right if side is Side.left else Side.left
    if seen[other]:
        return ItemFinding(ItemStatus.absent, ev, ONE_SIDED_NOTE.format(side=side.value))
    return ItemFinding(
        ItemStatus.unknown,
        ev,
        f"only the {side.value} side is graded (weak): the other side is not graded",
    )
