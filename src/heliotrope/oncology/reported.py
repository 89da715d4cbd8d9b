"""Radiologists' reported RECIST verdicts (``tumour_assessments[].reported_response``), kept
apart from responses heliotrope computes from lesion measurements, so a timeline can show both.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import RecistResponse

__all__ = ["ReportedTimepoint", "reported_timepoints"]


class ReportedTimepoint(BaseModel):
    """A response as the report gave it (``origin`` is always ``reported``)."""

    model_config = ConfigDict(frozen=True)

    date: str
    earliest: dt.date
    latest: dt.date
    response: RecistResponse
    origin: Literal["reported"] = "reported"
    modality: str | None = None
    description: str | None = None
    source: str | None = None


def reported_timepoints(record: PatientRecord) -> list[ReportedTimepoint]:
    """Every dated tumour assessment with a reported response, in date order."""
    out: list[ReportedTimepoint] = []
    for index, assessment in enumerate(record.tumour_assessments):
        when = record.date_of(assessment.date)
        if assessment.reported_response is None or when is None:
            continue
        source = assessment.source.where() if assessment.source else f"tumour_assessments[{index}]"
        out.append(
            ReportedTimepoint(
                date=str(when),
                earliest=when.earliest,
                latest=when.latest,
                response=assessment.reported_response,
                modality=assessment.modality,
                description=assessment.description,
                source=source,
            )
        )
    out.sort(key=lambda t: (t.earliest + (t.latest - t.earliest) / 2, t.earliest, t.latest))
    return out
