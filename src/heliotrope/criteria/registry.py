"""Every algorithm heliotrope implements, by its public id (spec Appendix A)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from heliotrope.criteria import bohan_peter_1975, eular_acr_2017
from heliotrope.errors import CriteriaError
from heliotrope.logic import Context, CriterionResult, Definition
from heliotrope.model.record import PatientRecord
from heliotrope.screening import imacs_2023

__all__ = ["REGISTRY", "RegistryEntry", "get", "select"]


@dataclass(frozen=True)
class RegistryEntry:
    """How to run one algorithm, and its definitions (variants) for ``explain``."""

    id: str
    assess: Callable[[PatientRecord, Context], CriterionResult]
    variants: Callable[[], Sequence[tuple[str, Definition]]]
    default: bool = True


REGISTRY: dict[str, RegistryEntry] = {
    entry.id: entry
    for entry in (
        RegistryEntry(
            bohan_peter_1975.ID,
            bohan_peter_1975.assess,
            lambda: [("", bohan_peter_1975.definition())],
        ),
        RegistryEntry(
            eular_acr_2017.ID,
            eular_acr_2017.assess,
            lambda: [
                ("without biopsy", eular_acr_2017.definition(False)),
                ("with biopsy", eular_acr_2017.definition(True)),
            ],
        ),
        RegistryEntry(
            "imacs_2023",
            lambda record, context: imacs_2023.assess_imacs(record, context),
            lambda: [("", imacs_2023.imacs_definition())],
        ),
    )
}


def get(criterion_id: str) -> RegistryEntry:
    try:
        return REGISTRY[criterion_id]
    except KeyError:
        raise CriteriaError(
            f"Unknown criterion {criterion_id!r}; known: {', '.join(REGISTRY)}."
        ) from None


def select(ids: Sequence[str] | None) -> list[RegistryEntry]:
    """The entries named (in that order), or every default entry."""
    if not ids:
        return [e for e in REGISTRY.values() if e.default]
    return [get(i) for i in ids]
