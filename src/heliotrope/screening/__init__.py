"""IMACS 2023 IIM-associated cancer screening: risk category, dated plan, iCalendar export.

Oldroyd AGS et al. *Nat Rev Rheumatol* 2023;19:805-817, Fig. 1 (clinical spec section 7).
The factor lists, combination rule, panels and repeat schedules are data
(``resources/imacs_2023.json``); unconfirmed parts are flagged in every result.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heliotrope.screening.data import ImacsData, load_imacs_data
    from heliotrope.screening.ical import entry_uid, plan_to_ical, write_ical
    from heliotrope.screening.imacs_2023 import (
        KNOWN_CANCER_NOTE,
        assess_imacs,
        imacs_definition,
        rule_variant,
    )
    from heliotrope.screening.plan import (
        PlanEntry,
        ScreeningPlan,
        schedule_variant,
        screening_plan,
    )
    from heliotrope.screening.report import plan_table, render_screening, screening_json
    from heliotrope.screening.subtype import SubtypeInference, infer_subtype

# Each name is imported from its module on first use (PEP 562), so assessing a patient does not
# import the calendar and report modules (icalendar alone takes 0.3 s; issue 13).
_HOMES = {
    "ImacsData": "data",
    "load_imacs_data": "data",
    "entry_uid": "ical",
    "plan_to_ical": "ical",
    "write_ical": "ical",
    "KNOWN_CANCER_NOTE": "imacs_2023",
    "assess_imacs": "imacs_2023",
    "imacs_definition": "imacs_2023",
    "rule_variant": "imacs_2023",
    "PlanEntry": "plan",
    "ScreeningPlan": "plan",
    "schedule_variant": "plan",
    "screening_plan": "plan",
    "plan_table": "report",
    "render_screening": "report",
    "screening_json": "report",
    "SubtypeInference": "subtype",
    "infer_subtype": "subtype",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)


__all__ = [
    "KNOWN_CANCER_NOTE",
    "ImacsData",
    "PlanEntry",
    "ScreeningPlan",
    "SubtypeInference",
    "assess_imacs",
    "entry_uid",
    "imacs_definition",
    "infer_subtype",
    "load_imacs_data",
    "plan_table",
    "plan_to_ical",
    "render_screening",
    "rule_variant",
    "schedule_variant",
    "screening_json",
    "screening_plan",
    "write_ical",
]
