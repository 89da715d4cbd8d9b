"""Every algorithm heliotrope implements, by its public id (spec Appendix A).

The order here is the order of the report: classification, paraneoplastic status, cancer risk,
screening, then laboratory flags.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

from heliotrope.criteria import (
    bohan_peter_1975,
    cancer_associated_myositis,
    enmc_2003_dm,
    enmc_2018_dm,
    eular_acr_2017,
    graus_pns_2004,
    lab_flags,
    serology,
    sontheimer_cadm,
)
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


def _single(module: ModuleType) -> RegistryEntry:
    """An algorithm with one definition: ``ID``, ``definition()`` and ``assess``."""
    return RegistryEntry(module.ID, module.assess, lambda: [("", module.definition())])


REGISTRY: dict[str, RegistryEntry] = {
    entry.id: entry
    for entry in (
        _single(bohan_peter_1975),
        RegistryEntry(
            eular_acr_2017.ID,
            eular_acr_2017.assess,
            lambda: [
                ("without biopsy", eular_acr_2017.definition(False)),
                ("with biopsy", eular_acr_2017.definition(True)),
            ],
        ),
        _single(enmc_2018_dm),
        _single(enmc_2003_dm),
        _single(sontheimer_cadm),
        _single(graus_pns_2004),
        _single(cancer_associated_myositis),
        _single(serology),
        RegistryEntry(
            "imacs_2023",
            imacs_2023.assess_imacs,
            lambda: [("", imacs_2023.imacs_definition())],
        ),
        _single(lab_flags),
    )
}


def get(criterion_id: str) -> RegistryEntry:
    """The registry entry of ``criterion_id`` (CriteriaError naming the known ids if none)."""
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
