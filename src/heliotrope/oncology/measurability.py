"""RECIST 1.1 measurability (spec §9.1) and baseline target selection (spec §9.2).

Eisenhauer EA, Therasse P, Bogaerts J, et al. New response evaluation criteria in solid
tumours: revised RECIST guideline (version 1.1). Eur J Cancer 2009;45:228-247.

* Non-nodal lesion: measurable when its longest diameter is >= 10 mm on CT with slices of
  <= 5 mm; with thicker slices the minimum is twice the slice thickness.
* Lymph node, short axis: >= 15 mm pathological and measurable (may be a target);
  10 to < 15 mm pathological but not measurable (non-target); < 10 mm normal.
* At most 5 target lesions in total and at most 2 per organ; all lymph nodes (``node`` flag)
  count as one organ, whatever their site.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from heliotrope.errors import ErrorDetail
from heliotrope.model.record import LesionMeasurement

__all__ = [
    "MAX_TARGETS",
    "MAX_TARGETS_PER_ORGAN",
    "NODE_NORMAL_BELOW_MM",
    "NODE_TARGET_MIN_MM",
    "NON_NODAL_MIN_MM",
    "BaselineTarget",
    "NodeCategory",
    "check_baseline_targets",
    "node_category",
    "non_nodal_minimum_mm",
]

NON_NODAL_MIN_MM = 10.0
NODE_TARGET_MIN_MM = 15.0
NODE_NORMAL_BELOW_MM = 10.0
MAX_TARGETS = 5
MAX_TARGETS_PER_ORGAN = 2
#: The one "organ" every nodal target belongs to.
LYMPH_NODES = "lymph nodes"
_THIN_SLICE_MM = 5.0


class NodeCategory(StrEnum):
    """A lymph node by its short axis (spec §9.1)."""

    measurable = "measurable"  # >= 15 mm: pathological, target-eligible
    pathological = "pathological"  # 10 to < 15 mm: pathological, non-target only
    normal = "normal"  # < 10 mm: not a lesion


def node_category(short_axis_mm: float) -> NodeCategory:
    """A lymph node by its short axis: measurable, pathological or normal (spec §9.1)."""
    if short_axis_mm >= NODE_TARGET_MIN_MM:
        return NodeCategory.measurable
    if short_axis_mm >= NODE_NORMAL_BELOW_MM:
        return NodeCategory.pathological
    return NodeCategory.normal


def non_nodal_minimum_mm(slice_thickness_mm: float | None = None) -> float:
    """10 mm, or twice the slice thickness when slices are thicker than 5 mm."""
    if slice_thickness_mm is not None and slice_thickness_mm > _THIN_SLICE_MM:
        return max(NON_NODAL_MIN_MM, 2 * slice_thickness_mm)
    return NON_NODAL_MIN_MM


@dataclass(frozen=True)
class BaselineTarget:
    """A target lesion's baseline row and where it was read (``line 4`` or ``lesions[2]``)."""

    where: str
    row: LesionMeasurement
    date: str


def check_baseline_targets(
    targets: Sequence[BaselineTarget], slice_thickness_mm: float | None = None
) -> tuple[list[ErrorDetail], list[str]]:
    """Check the baseline target selection; return (problems, warnings)."""
    problems: list[ErrorDetail] = []
    warnings: list[str] = []
    minimum = non_nodal_minimum_mm(slice_thickness_mm)
    for target in targets:
        row = target.row
        if row.mm is None:  # reported by the row checks
            continue
        if row.node and row.mm < NODE_TARGET_MIN_MM:
            kind = node_category(row.mm)
            why = (
                "a pathological but non-measurable node (10 to <15 mm): record it as non_target"
                if kind is NodeCategory.pathological
                else "a normal node (<10 mm), not a lesion"
            )
            problems.append(
                ErrorDetail(
                    target.where,
                    f"target lymph node {row.lesion!r} has a short axis of {row.mm:g} mm at "
                    f"baseline ({target.date}); a target node needs >= {NODE_TARGET_MIN_MM:g} mm "
                    f"— this is {why}",
                )
            )
        elif not row.node and row.mm < minimum:
            problems.append(
                ErrorDetail(
                    target.where,
                    f"target lesion {row.lesion!r} measures {row.mm:g} mm at baseline "
                    f"({target.date}); a measurable non-nodal lesion needs >= {minimum:g} mm "
                    "— record smaller lesions as non_target",
                )
            )
    if len(targets) > MAX_TARGETS:
        names = ", ".join(repr(t.row.lesion) for t in targets)
        problems.append(
            ErrorDetail(
                f"baseline {targets[0].date}",
                f"{len(targets)} target lesions ({names}); RECIST 1.1 allows at most "
                f"{MAX_TARGETS} — record the others as non_target",
            )
        )
    by_organ: dict[str, list[BaselineTarget]] = {}
    for target in targets:
        # RECIST 1.1 (Eisenhauer 2009, section 4.2): all lymph nodes together are one organ,
        # whatever the site written beside them (issue 7, departure 5): at most two nodal
        # targets in all.
        organ = LYMPH_NODES if target.row.node else (target.row.organ or "").strip().lower()
        if not organ:
            warnings.append(
                f"Target lesion {target.row.lesion!r} has no organ: the limit of "
                f"{MAX_TARGETS_PER_ORGAN} targets per organ could not be checked for it."
            )
            continue
        by_organ.setdefault(organ, []).append(target)
    for organ, members in by_organ.items():
        if len(members) > MAX_TARGETS_PER_ORGAN:
            names = ", ".join(repr(t.row.lesion) for t in members)
            problems.append(
                ErrorDetail(
                    members[MAX_TARGETS_PER_ORGAN].where,
                    f"organ {organ!r} has {len(members)} target lesions at baseline "
                    f"({members[0].date}): {names}; RECIST 1.1 allows at most "
                    f"{MAX_TARGETS_PER_ORGAN} per organ",
                )
            )
    return problems, warnings
