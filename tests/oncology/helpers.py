"""Builders for RECIST tests: a lesion table written as ``{day: {lesion: value}}``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from heliotrope.model.record import LesionMeasurement
from heliotrope.model.vocabulary import LesionAssessment, LesionKind

START = date(2020, 1, 6)


def day(offset: int | str) -> date:
    """Day ``offset`` after the (arbitrary) baseline date, or an ISO date."""
    return date.fromisoformat(offset) if isinstance(offset, str) else START + timedelta(offset)


def scans(
    table: Mapping[int | str, Mapping[str, float | str]],
    organs: Mapping[str, str] | None = None,
) -> list[LesionMeasurement]:
    """Rows from ``{day: {lesion: value}}``; the lesion name gives its kind.

    ``NEW*`` new lesion and ``NT*`` non-target (value = assessment); ``LN*`` target lymph node
    and ``T*`` target (value = mm). Each lesion is in its own organ unless ``organs`` says.
    """
    rows = []
    for when, lesions in table.items():
        for name, value in lesions.items():
            kind, node = _kind(name)
            measured = kind is LesionKind.target
            rows.append(
                LesionMeasurement(
                    date=day(when),
                    lesion=name,
                    organ=(organs or {}).get(name, name.lower()),
                    kind=kind,
                    node=node,
                    mm=float(value) if measured else None,
                    assessment=None if measured else LesionAssessment(str(value)),
                )
            )
    return rows


def _kind(name: str) -> tuple[LesionKind, bool]:
    if name.startswith("NEW"):
        return LesionKind.new, False
    if name.startswith("NT"):
        return LesionKind.non_target, False
    if name.startswith("LN"):
        return LesionKind.target, True
    if name.startswith("T"):
        return LesionKind.target, False
    raise ValueError(f"lesion name {name!r} does not say its kind")
