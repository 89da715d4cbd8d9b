"""IMACS 2023 IIM-associated cancer screening: risk category, dated plan, iCalendar export.

Oldroyd AGS et al. *Nat Rev Rheumatol* 2023;19:805-817, Fig. 1 (clinical spec section 7).
The factor lists, combination rule, panels and repeat schedules are data
(``resources/imacs_2023.json``); unconfirmed parts are flagged in every result.
"""

from heliotrope.screening.data import ImacsData, load_imacs_data
from heliotrope.screening.ical import entry_uid, plan_to_ical, write_ical
from heliotrope.screening.imacs_2023 import (
    KNOWN_CANCER_NOTE,
    assess_imacs,
    imacs_definition,
    rule_variant,
)
from heliotrope.screening.plan import PlanEntry, ScreeningPlan, schedule_variant, screening_plan
from heliotrope.screening.report import plan_table, render_screening, screening_json
from heliotrope.screening.subtype import SubtypeInference, infer_subtype

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
