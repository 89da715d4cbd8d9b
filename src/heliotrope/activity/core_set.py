"""The six IMACS core set measures at one visit (clinical spec section 8.1).

Physician global activity (VAS 0-10 cm), patient/parent global activity (VAS 0-10), manual
muscle testing (MMT-8 0-80 or 0-150), physical function (HAQ 0-3), muscle enzymes (the most
abnormal of CK, aldolase, LDH, AST, ALT, as multiples of the lab's ULN) and extramuscular
activity (VAS 0-10); for juvenile DM the alternatives CMAS (for MMT), CHQ physical summary
score (for enzymes) and DAS (for extramuscular activity). :func:`core_set` reads them from a
record: the activity assessment, plus the muscle enzymes measured within ``window_days`` of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, field_validator

from heliotrope.model.dates import DateRange
from heliotrope.model.ranges import above_uln
from heliotrope.model.record import ActivityAssessment, PatientRecord
from heliotrope.model.vocabulary import MUSCLE_ENZYMES_BOHAN_PETER, Analyte

__all__ = ["TIS_ENZYMES", "CoreSet", "core_set", "enzyme_times_uln"]

TIS_ENZYMES = MUSCLE_ENZYMES_BOHAN_PETER  # CK, aldolase, LDH, AST, ALT (spec 8.1)


class CoreSet(BaseModel):
    """Core set measures at one visit; ``None`` is not measured."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date | None = None
    physician_global: float | None = Field(default=None, ge=0, le=10, allow_inf_nan=False)
    patient_global: float | None = Field(default=None, ge=0, le=10, allow_inf_nan=False)
    extramuscular_global: float | None = Field(default=None, ge=0, le=10, allow_inf_nan=False)
    haq: float | None = Field(default=None, ge=0, le=3, allow_inf_nan=False)
    mmt8: float | None = Field(default=None, ge=0, le=80, allow_inf_nan=False)
    mmt8_bilateral: float | None = Field(default=None, ge=0, le=150, allow_inf_nan=False)
    cmas: float | None = Field(default=None, ge=0, le=52, allow_inf_nan=False)
    chq_phs: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)
    das: float | None = Field(default=None, ge=0, le=20, allow_inf_nan=False)
    enzymes: dict[Analyte, float] = Field(
        default_factory=dict, description="muscle enzymes as multiples of the lab's ULN"
    )

    @field_validator("enzymes")
    @classmethod
    def _muscle_enzymes(cls, value: dict[Analyte, float]) -> dict[Analyte, float]:
        for analyte, times in value.items():
            if analyte not in TIS_ENZYMES:
                raise ValueError(f"{analyte.value} is not a muscle enzyme of the core set")
            if not 0 <= times < float("inf"):
                raise ValueError(f"{analyte.value} ×ULN must be a number >= 0")
        return value

    @classmethod
    def from_assessment(
        cls,
        assessment: ActivityAssessment,
        enzymes: Mapping[Analyte, float] | None = None,
        when: dt.date | None = None,
    ) -> CoreSet:
        return cls(
            date=when,
            physician_global=assessment.physician_global,
            patient_global=assessment.patient_global,
            extramuscular_global=assessment.extramuscular_global,
            haq=assessment.haq,
            mmt8=assessment.mmt8,
            mmt8_bilateral=assessment.mmt8_bilateral,
            cmas=assessment.cmas,
            chq_phs=assessment.chq_phs,
            das=assessment.das,
            enzymes=dict(enzymes or {}),
        )


def _near(when: DateRange, other: DateRange, window: dt.timedelta) -> bool:
    return other.latest >= when.earliest - window and other.earliest <= when.latest + window


def enzyme_times_uln(
    record: PatientRecord, when: DateRange, window_days: int = 7
) -> dict[Analyte, float]:
    """Each core-set muscle enzyme measured (with a ULN) within ``window_days`` of ``when``:
    the result closest in time, as a multiple of the lab's ULN.

    A censored value is used only when it is certainly within the range ("CK < 150" with ULN
    200: no excess over the ULN, whatever the true value); "CK > 2000" gives no number, since
    the enzyme percentage change depends on how far above the ULN it really was.
    """
    window = dt.timedelta(days=window_days)
    best: dict[Analyte, tuple[int, float]] = {}
    for lab in record.labs:
        if lab.analyte not in TIS_ENZYMES or lab.times_uln is None:
            continue
        if lab.comparator is not None and above_uln(lab.times_uln, lab.comparator) is not False:
            continue
        dated = record.date_of(lab.date)
        if dated is None or not _near(when, dated, window):
            continue
        distance = abs((dated.mid - when.mid).days)
        if lab.analyte not in best or distance < best[lab.analyte][0]:
            best[lab.analyte] = (distance, lab.times_uln)
    return {analyte: times for analyte, (_, times) in best.items()}


def core_set(
    record: PatientRecord, assessment: ActivityAssessment, window_days: int = 7
) -> CoreSet:
    """The core set of one activity assessment of ``record`` (enzymes from its labs)."""
    when = record.date_of(assessment.date)
    enzymes = enzyme_times_uln(record, when, window_days) if when is not None else {}
    return CoreSet.from_assessment(assessment, enzymes, when.mid if when is not None else None)
