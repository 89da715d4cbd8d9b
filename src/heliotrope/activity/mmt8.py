"""Manual Muscle Testing of 8 muscle groups (MMT-8) on the Kendall 0-10 scale.

Clinical spec section 8.4 (IMACS): neck flexors, deltoid (middle), biceps brachii, gluteus
maximus, gluteus medius, quadriceps, wrist extensors, ankle dorsiflexors. Higher is stronger.

* **unilateral** total: the 8 groups on one (dominant) side, **0-80**;
* **bilateral** total: neck flexors once + the 7 limb groups on both sides (15 tests),
  **0-150** (⚠ from recall in the spec).

No MRC↔Kendall conversion is offered: the spec gives only "Kendall 10 = MRC 5, Kendall 7 ≈
MRC 4 ⚠", which is not enough for a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict

from heliotrope.activity.scales import check_range, raise_if
from heliotrope.errors import ErrorDetail
from heliotrope.model.vocabulary import MuscleGroup

__all__ = [
    "KENDALL_MAX",
    "MMT8_GROUPS",
    "MMT8_LIMB_GROUPS",
    "Mmt8Score",
    "kendall",
    "mmt8_bilateral",
    "mmt8_unilateral",
]

KENDALL_MAX = 10.0
MMT8_LIMB_GROUPS: tuple[MuscleGroup, ...] = (
    MuscleGroup.deltoid,
    MuscleGroup.biceps,
    MuscleGroup.gluteus_maximus,
    MuscleGroup.gluteus_medius,
    MuscleGroup.quadriceps,
    MuscleGroup.wrist_extensors,
    MuscleGroup.ankle_dorsiflexors,
)
MMT8_GROUPS: tuple[MuscleGroup, ...] = (MuscleGroup.neck_flexors, *MMT8_LIMB_GROUPS)


class Mmt8Score(BaseModel):
    """An MMT-8 total with its maximum (80 or 150) and the scores it summed."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["unilateral", "bilateral"]
    total: float
    maximum: float
    scores: dict[str, float]

    @property
    def percent(self) -> float:
        return 100.0 * self.total / self.maximum


def kendall(value: object, where: str = "score") -> float:
    """Validate one Kendall 0-10 score."""
    problems: list[ErrorDetail] = []
    number = check_range(value, 0, KENDALL_MAX, where, problems)
    raise_if(problems, "Not a Kendall 0-10 muscle score.")
    assert number is not None
    return number


def _group(key: MuscleGroup | str, where: str, problems: list[ErrorDetail]) -> MuscleGroup | None:
    try:
        group = MuscleGroup(key)
    except ValueError:
        group = None
    if group is None or group not in MMT8_GROUPS:
        problems.append(
            ErrorDetail(
                f"{where}.{key}",
                "not an MMT-8 muscle group; use: " + ", ".join(g.value for g in MMT8_GROUPS),
            )
        )
        return None
    return group


def _read_side(
    scores: Mapping[MuscleGroup | str, float],
    wanted: tuple[MuscleGroup, ...],
    where: str,
    problems: list[ErrorDetail],
) -> dict[MuscleGroup, float]:
    out: dict[MuscleGroup, float] = {}
    seen: set[MuscleGroup] = set()
    for key, value in scores.items():
        group = _group(key, where, problems)
        if group is None:
            continue
        place = f"{where}.{group.value}"
        if group not in wanted:
            problems.append(ErrorDetail(place, "not scored on this side"))
            continue
        seen.add(group)
        number = check_range(value, 0, KENDALL_MAX, place, problems)
        if number is not None:
            out[group] = number
    problems.extend(ErrorDetail(f"{where}.{g.value}", "missing") for g in wanted if g not in seen)
    return out


def mmt8_unilateral(scores: Mapping[MuscleGroup | str, float]) -> Mmt8Score:
    """Total of the 8 MMT-8 groups on one side (0-80); every group is required."""
    problems: list[ErrorDetail] = []
    read = _read_side(scores, MMT8_GROUPS, "mmt8", problems)
    raise_if(problems, "The MMT-8 scores are incomplete or out of range (Kendall 0-10).")
    return Mmt8Score(
        kind="unilateral",
        total=sum(read.values()),
        maximum=len(MMT8_GROUPS) * KENDALL_MAX,
        scores={g.value: read[g] for g in MMT8_GROUPS},
    )


def mmt8_bilateral(
    neck_flexors: float,
    right: Mapping[MuscleGroup | str, float],
    left: Mapping[MuscleGroup | str, float],
) -> Mmt8Score:
    """Neck flexors once + the 7 limb groups on each side (0-150); every test is required."""
    problems: list[ErrorDetail] = []
    neck = check_range(neck_flexors, 0, KENDALL_MAX, "mmt8.neck_flexors", problems)
    sides = {
        "right": _read_side(right, MMT8_LIMB_GROUPS, "mmt8.right", problems),
        "left": _read_side(left, MMT8_LIMB_GROUPS, "mmt8.left", problems),
    }
    raise_if(problems, "The bilateral MMT-8 scores are incomplete or out of range (Kendall 0-10).")
    assert neck is not None
    scores = {MuscleGroup.neck_flexors.value: neck}
    for side, read in sides.items():
        scores.update({f"{g.value}.{side}": read[g] for g in MMT8_LIMB_GROUPS})
    return Mmt8Score(
        kind="bilateral",
        total=sum(scores.values()),
        maximum=(1 + 2 * len(MMT8_LIMB_GROUPS)) * KENDALL_MAX,
        scores=scores,
    )
