"""The criteria a cohort run can compute, each from the kernel's own definitions.

Nothing here restates a criterion: each plan names the criterion module's ``definition()``
(the same objects ``heliotrope assess`` evaluates) and, where a criterion has variants (the
EULAR/ACR paths without and with muscle biopsy), the item that chooses between them, as
``criteria.eular_acr_2017.assess`` does from the record, and the criterion's own group of
alternative items (``eular_acr_2017.AGE_ITEMS``: exactly one age band applies).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from heliotrope.criteria import cancer_associated_myositis, enmc_2018_dm, eular_acr_2017
from heliotrope.errors import CriteriaError
from heliotrope.logic import Definition

__all__ = ["CDM_CRITERIA", "CriterionPlan", "Variant", "plans"]


@dataclass(frozen=True)
class Variant:
    """A definition used when ``guard`` (an item key, TRUE/FALSE) holds; None: otherwise.
    ``exclusive``: items of which exactly one holds (``criteria.exclusive``), evaluated as the
    criterion's ``assess`` evaluates them."""

    label: str
    definition: Definition
    guard: str | None = None
    exclusive: tuple[str, ...] = ()


@dataclass(frozen=True)
class CriterionPlan:
    id: str
    variants: tuple[Variant, ...]


def _eular(options: dict[str, object]) -> CriterionPlan:
    rule = str(options.get("eular_boundary_rule", "score"))
    return CriterionPlan(
        eular_acr_2017.ID,
        (
            Variant(
                "with biopsy",
                eular_acr_2017.definition(True, rule),
                "muscle_biopsy_performed",
                eular_acr_2017.AGE_ITEMS,
            ),
            Variant(
                "without biopsy",
                eular_acr_2017.definition(False, rule),
                exclusive=eular_acr_2017.AGE_ITEMS,
            ),
        ),
    )


def _single(
    module_id: str, make: Callable[[], Definition]
) -> Callable[[dict[str, object]], CriterionPlan]:
    return lambda _options: CriterionPlan(module_id, (Variant("", make()),))


#: Criteria computable from an OMOP CDM (spec Appendix A ids), in report order.
CDM_CRITERIA: dict[str, Callable[[dict[str, object]], CriterionPlan]] = {
    eular_acr_2017.ID: _eular,
    enmc_2018_dm.ID: _single(enmc_2018_dm.ID, enmc_2018_dm.definition),
    cancer_associated_myositis.ID: _single(
        cancer_associated_myositis.ID, cancer_associated_myositis.definition
    ),
}


def plans(
    ids: Sequence[str] | None, options: dict[str, object] | None = None
) -> list[CriterionPlan]:
    """Plans for ``ids`` (default: every CDM-computable criterion)."""
    options = options or {}
    chosen = list(ids) if ids else list(CDM_CRITERIA)
    unknown = [i for i in chosen if i not in CDM_CRITERIA]
    if unknown:
        raise CriteriaError(
            f"Not computable from an OMOP CDM: {', '.join(unknown)}; "
            f"cohort criteria: {', '.join(CDM_CRITERIA)}."
        )
    return [CDM_CRITERIA[i](options) for i in chosen]
