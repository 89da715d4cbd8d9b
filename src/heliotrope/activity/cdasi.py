"""CDASI: Cutaneous Dermatomyositis Disease Area and Severity Index (clinical spec section 8.4).

Activity score **0-100** (erythema, scale, erosion/ulceration over 15 body areas, Gottron's
papules, periungual changes, alopecia) and damage score **0-32** (poikiloderma, calcinosis,
Gottron's-papule damage) ⚠ ranges from recall in the spec.

Severity strata of the activity score ⚠ (spec: "mild < 14, moderate 14-24/26, severe >
24-26"): published strata differ on the moderate/severe edge, so both readings ship as named
variants; the default puts the edge at 24 (severe > 24).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from heliotrope.activity.scales import check_range, raise_if
from heliotrope.errors import CriteriaError, ErrorDetail

__all__ = [
    "CDASI_ACTIVITY_MAX",
    "CDASI_DAMAGE_MAX",
    "CDASI_SEVERITY_VARIANTS",
    "DEFAULT_SEVERITY_VARIANT",
    "CdasiScore",
    "cdasi",
    "cdasi_severity",
]

CDASI_ACTIVITY_MAX = 100.0
CDASI_DAMAGE_MAX = 32.0
MILD_BELOW = 14.0
# variant name -> activity above which the skin disease is severe (moderate: 14 <= x <= edge)
CDASI_SEVERITY_VARIANTS: dict[str, float] = {"severe_above_24": 24.0, "severe_above_26": 26.0}
DEFAULT_SEVERITY_VARIANT = "severe_above_24"
CITATION = (
    "CDASI (IMACS cutaneous measure); ranges and severity strata per clinical spec 8.4, unconfirmed"
)

Severity = Literal["mild", "moderate", "severe"]


class CdasiScore(BaseModel):
    """A validated CDASI score with its activity severity stratum."""

    model_config = ConfigDict(frozen=True)

    activity: float
    damage: float | None = None
    severity: Severity
    severity_variant: str
    confirmed: bool = False
    citation: str = CITATION


def cdasi_severity(activity: float, variant: str | None = None) -> Severity:
    """Severity of a CDASI activity score: mild < 14; moderate 14 to the edge; severe above."""
    name = variant or DEFAULT_SEVERITY_VARIANT
    if name not in CDASI_SEVERITY_VARIANTS:
        raise CriteriaError(
            f"Unknown CDASI severity variant {name!r}; use one of: "
            + ", ".join(CDASI_SEVERITY_VARIANTS)
        )
    if activity < MILD_BELOW:
        return "mild"
    return "moderate" if activity <= CDASI_SEVERITY_VARIANTS[name] else "severe"


def cdasi(activity: float, damage: float | None = None, variant: str | None = None) -> CdasiScore:
    """Validate CDASI activity (0-100) and damage (0-32) and stratify the activity."""
    problems: list[ErrorDetail] = []
    act = check_range(activity, 0, CDASI_ACTIVITY_MAX, "cdasi.activity", problems)
    dmg = None
    if damage is not None:
        dmg = check_range(damage, 0, CDASI_DAMAGE_MAX, "cdasi.damage", problems)
    raise_if(problems, "The CDASI score is out of range (activity 0-100, damage 0-32).")
    assert act is not None
    name = variant or DEFAULT_SEVERITY_VARIANT
    return CdasiScore(
        activity=act, damage=dmg, severity=cdasi_severity(act, name), severity_variant=name
    )
