"""The dated IMACS 2023 screening plan: which tests, when, and why.

Oldroyd 2023 *Nat Rev Rheumatol* 19:805-817, Fig. 1 (clinical spec sections 7.3-7.4):

* at diagnosis (``myositis.diagnosis``, else onset): the basic panel (standard risk) or basic +
  enhanced panels (moderate and high risk); sex-specific tests follow
  ``demographics.sex`` (both kept, marked conditional, when sex is not recorded);
* repeats per the chosen schedule variant (spec 7.4 has two readings; both ship as data);
* 18F-FDG PET-CT: for high risk if the diagnosis work-up found no cancer, or as a single
  screening investigation for anti-TIF1γ-positive DM with onset > 40 plus >= 1 *additional*
  high-risk clinical feature (age is the qualifying condition, not the additional feature);
* upper and lower GI endoscopy for high risk if no cancer was found at diagnosis;
* nasoendoscopy at diagnosis in regions with a high nasopharyngeal-carcinoma risk;
* age- and sex-appropriate national population screening always continues.

When the guideline does not apply (juvenile onset, outside the 3-year window, known active
cancer) the plan says why and lists only population screening (and restaging for cancer).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from heliotrope.errors import CriteriaError
from heliotrope.logic.definition import Context
from heliotrope.logic.result import CriterionResult, ItemStatus
from heliotrope.model.dates import DateRange, Offset
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import Sex
from heliotrope.screening.data import (
    ImacsData,
    PanelTest,
    RiskCategory,
    ScheduleVariant,
    load_imacs_data,
)
from heliotrope.screening.imacs_2023 import KNOWN_CANCER_NOTE, assess_imacs

__all__ = ["PlanEntry", "ScreeningPlan", "schedule_variant", "screening_plan"]


class PlanEntry(BaseModel):
    """One test of the plan: when (a date range, or undated), what, which panel, why."""

    model_config = ConfigDict(frozen=True)

    key: str
    test_id: str
    test: str
    panel: str
    occasion: str
    earliest: date | None = None
    latest: date | None = None
    when: str
    reason: str
    citation: str
    condition: str | None = None
    caveat: str | None = None

    @property
    def dated(self) -> bool:
        return self.earliest is not None and self.latest is not None

    @property
    def date_text(self) -> str:
        if self.earliest is None or self.latest is None:
            return "—"
        return str(DateRange(self.earliest, self.latest))


class ScreeningPlan(BaseModel):
    """The plan for one record, with the rule and schedule variants it used."""

    model_config = ConfigDict(frozen=True)

    record_id: str
    as_of: date
    category: str
    factor_category: str
    applicable: bool
    reasons: tuple[str, ...] = ()
    rule_variant: str
    rule_confirmed: bool
    schedule_variant: str
    schedule_label: str
    schedule_confirmed: bool
    baseline: str | None = None
    entries: tuple[PlanEntry, ...] = ()
    notes: tuple[str, ...] = ()
    citation: str
    version: str
    warnings: tuple[str, ...] = ()  # implausible record values (model.consistency)

    def to_json(self) -> dict[str, Any]:
        out = self.model_dump(mode="json")
        out["entries"] = [
            {**e.model_dump(mode="json", exclude_none=True), "date": e.date_text}
            for e in self.entries
        ]
        return out


def schedule_variant(
    name: str | None = None, data: ImacsData | None = None
) -> tuple[str, ScheduleVariant]:
    """(name, variant) of a repeat schedule; ``None`` gives the data file's default."""
    data = data or load_imacs_data()
    chosen = name or data.schedules.default
    if chosen not in data.schedules.variants:
        raise CriteriaError(
            f"Unknown repeat-schedule variant {chosen!r}; use one of: "
            + ", ".join(sorted(data.schedules.variants))
        )
    return chosen, data.schedules.variants[chosen]


def _normal(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).strip()


def _region_match(region: str, terms: tuple[str, ...]) -> str | None:
    padded = f" {_normal(region)} "
    for term in terms:
        if f" {_normal(term)} " in padded:
            return term
    return None


class _Builder:
    def __init__(
        self,
        record: PatientRecord,
        result: CriterionResult,
        data: ImacsData,
        schedule_name: str,
        schedule: ScheduleVariant,
    ) -> None:
        self.record = record
        self.result = result
        self.data = data
        self.schedule_name = schedule_name
        self.schedule = schedule
        self.entries: list[PlanEntry] = []
        self.notes: list[str] = []
        diagnosis = record.date_of(record.myositis.diagnosis)
        self.baseline: DateRange | None = diagnosis or record.myositis_onset
        self.baseline_label = "diagnosis" if diagnosis is not None else "onset"
        self.anchor = (
            record.myositis_onset if schedule.anchor == "onset" else self.baseline
        ) or self.baseline

    # -- helpers -----------------------------------------------------------------------------
    def _sex_ok(self, test: PanelTest) -> tuple[bool, str | None]:
        if test.sex is None:
            return True, None
        sex = self.record.demographics.sex
        if sex is Sex.unknown:
            return True, f"if {test.sex} (sex not recorded)"
        return sex.value == test.sex, None

    def _add(
        self,
        test: PanelTest,
        panel: str,
        occasion: str,
        when_range: DateRange | None,
        when: str,
        reason: str,
        citation: str,
        condition: str | None = None,
    ) -> None:
        keep, sex_condition = self._sex_ok(test)
        if not keep:
            return
        conditions = "; ".join(c for c in (condition, sex_condition) if c) or None
        self.entries.append(
            PlanEntry(
                key=f"{test.id}@{occasion}",
                test_id=test.id,
                test=test.name,
                panel=panel,
                occasion=occasion,
                earliest=when_range.earliest if when_range else None,
                latest=when_range.latest if when_range else None,
                when=when,
                reason=reason,
                citation=citation,
                condition=conditions,
                caveat=test.caveat,
            )
        )

    def _at_diagnosis(self) -> str:
        if self.baseline is None:
            return "at diagnosis (date not recorded)"
        return f"at {self.baseline_label} ({self.baseline})"

    def _status(self, key: str) -> ItemStatus:
        return self.result.item(key).status

    # -- parts -------------------------------------------------------------------------------
    def panels(self, category: RiskCategory) -> None:
        plan = self.schedule.categories[category]
        for name in plan.at_diagnosis:
            panel = self.data.panels[name]
            for test in panel.tests:
                self._add(
                    test,
                    name,
                    "diagnosis",
                    self.baseline,
                    self._at_diagnosis(),
                    f"{category} risk: {panel.label} at diagnosis",
                    panel.citation,
                )
        for repeat in plan.repeats:
            for k in range(1, repeat.times + 1):
                months = repeat.every_months * k
                when_range = (
                    self.anchor.shift(Offset(months, "month")) if self.anchor is not None else None
                )
                if (
                    when_range is not None
                    and self.baseline is not None
                    and when_range.latest < self.baseline.earliest
                ):
                    continue  # an onset-anchored repeat that fell before diagnosis
                anchor = self.schedule.anchor
                when = f"repeat {k} of {repeat.times}: {months} months after {anchor}"
                if when_range is None:
                    when += " (date not recorded)"
                for name in repeat.panels:
                    panel = self.data.panels[name]
                    for test in panel.tests:
                        self._add(
                            test,
                            name,
                            f"repeat_{k}",
                            when_range,
                            when,
                            f"{category} risk: {panel.label} repeated every "
                            f"{repeat.every_months} months, {repeat.times} times "
                            f"(schedule '{self.schedule_name}')",
                            panel.citation,
                        )

    def pet_ct(self, category: RiskCategory) -> None:
        pet = self.data.modalities.pet_ct
        route = pet.tif1g_route
        test = PanelTest(id=pet.id, name=pet.name)
        subtype = self.result.values.get("iim_subtype")
        tif1g = self._status(route.antibody_factor) is ItemStatus.present
        qualifying = self._status(route.qualifying_factor) is ItemStatus.present
        in_subtype = subtype in route.subtypes
        extra = [k for k in route.additional_any_of if self._status(k) is ItemStatus.present]
        unknown_extra = [
            k for k in route.additional_any_of if self._status(k) is ItemStatus.unknown
        ]
        if tif1g and qualifying and in_subtype and extra:
            labels = ", ".join(self.data.factor(k).label for k in extra)
            self._add(
                test,
                "pet_ct",
                "diagnosis",
                self.baseline,
                self._at_diagnosis(),
                f"anti-TIF1γ-positive {subtype} with onset > 40 and an additional high-risk "
                f"clinical feature ({labels}): PET-CT as a single screening investigation, "
                "instead of or alongside the enhanced panel",
                pet.citation,
            )
            return
        if tif1g and qualifying and in_subtype:
            names = ", ".join(self.data.factor(k).label for k in route.additional_any_of)
            note = (
                "PET-CT single-investigation route (anti-TIF1γ DM, onset > 40) not met: age "
                "> 40 is the qualifying condition, not an additional feature; none of "
                f"({names}) is present"
            )
            if unknown_extra:
                note += f"; unknown and would qualify: {', '.join(unknown_extra)}"
            self.notes.append(note + ".")
        if category in pet.high_risk_categories:
            self._add(
                test,
                "pet_ct",
                "diagnosis",
                self.baseline,
                self._at_diagnosis(),
                f"{category} risk: consider PET-CT if the diagnosis work-up found no cancer",
                pet.citation,
                condition="if the basic and enhanced panels found no cancer",
            )

    def gi_endoscopy(self, category: RiskCategory) -> None:
        gi = self.data.modalities.gi_endoscopy
        if category not in gi.categories:
            return
        for test in gi.tests:
            self._add(
                test,
                "gi_endoscopy",
                "diagnosis",
                self.baseline,
                self._at_diagnosis(),
                f"{category} risk: consider upper and lower GI endoscopy if no cancer was "
                "found at diagnosis",
                gi.citation,
                condition="if the diagnosis work-up found no cancer",
            )

    def nasoendoscopy(self) -> None:
        naso = self.data.modalities.nasoendoscopy
        region = self.record.demographics.region
        if not region:
            self.notes.append(
                "Region not recorded: nasoendoscopy applies where nasopharyngeal carcinoma "
                "risk is high (e.g. southern China, South-East Asia)."
            )
            return
        matched = _region_match(region, naso.high_npc_regions)
        if matched is not None:
            self._add(
                PanelTest(id=naso.id, name=naso.name),
                "nasoendoscopy",
                "diagnosis",
                self.baseline,
                self._at_diagnosis(),
                f"region '{region}' has an increased nasopharyngeal carcinoma risk",
                naso.citation,
            )
        elif _region_match(region, naso.ambiguous_regions) is not None:
            self.notes.append(
                f"Region '{region}' is broad: nasoendoscopy applies if the patient is from an "
                "area of high nasopharyngeal carcinoma risk (e.g. southern China, South-East "
                "Asia)."
            )

    def population(self) -> None:
        pop = self.data.population_screening
        self._add(
            PanelTest(id=pop.id, name=pop.name),
            "population",
            "ongoing",
            None,
            "per the national programme",
            "continues for every patient alongside IIM-associated screening",
            pop.citation,
        )

    def restaging(self) -> None:
        self._add(
            PanelTest(id="oncological_restaging", name="Oncological restaging"),
            "oncology",
            "now",
            None,
            "with the treating oncology team",
            KNOWN_CANCER_NOTE,
            self.data.short_citation,
        )


def _chronological(entry: PlanEntry) -> tuple[bool, date]:
    return entry.earliest is None, entry.earliest or date.max


def screening_plan(
    record: PatientRecord,
    result: CriterionResult | None = None,
    *,
    context: Context | None = None,
    repeat_variant: str | None = None,
    data: ImacsData | None = None,
) -> ScreeningPlan:
    """The dated screening plan for ``record`` (assessing IMACS 2023 first if needed)."""
    data = data or load_imacs_data()
    context = context or Context()
    if context.as_of is None:
        context = Context(options=context.options, as_of=date.today())
    if result is None:
        result = assess_imacs(record, context)
    name, schedule = schedule_variant(repeat_variant, data)
    builder = _Builder(record, result, data, name, schedule)
    values = result.values
    factor_category: RiskCategory = values["factor_category"]
    applicable = result.category != "not_applicable"
    reasons = tuple(values.get("not_applicable_reasons", ()))

    if applicable:
        builder.panels(factor_category)
        builder.pet_ct(factor_category)
        builder.gi_endoscopy(factor_category)
        builder.nasoendoscopy()
    else:
        builder.notes.append(
            "IMACS 2023 screening is not applicable: "
            + "; ".join(reasons)
            + f". The factors alone would give '{factor_category}' risk."
        )
        if result.item("known_active_cancer").status is ItemStatus.present:
            builder.restaging()
    builder.population()

    if len(result.possible_outcomes) > 1:
        pivots = ", ".join(result.pivotal_items) or "none alone"
        builder.notes.append(
            f"Unknown factors allow: {', '.join(result.possible_outcomes)}. The plan follows "
            f"the headline category '{result.category}' (unknown counted as absent); "
            f"items that alone would change it: {pivots}."
        )
    if builder.baseline is None:
        builder.notes.append(
            "Neither the myositis diagnosis nor onset date is recorded: entries are undated."
        )
    if applicable:
        status = "unconfirmed" if not schedule.confirmed else "confirmed"
        builder.notes.append(
            f"Repeat schedule '{name}' ({status}): {schedule.label}; source: {schedule.source}."
        )
    as_of_text = values.get("as_of")
    as_of = date.fromisoformat(as_of_text) if as_of_text else (context.as_of or date.today())
    return ScreeningPlan(
        warnings=record.plausibility_warnings,
        record_id=record.id,
        as_of=as_of,
        category=result.category,
        factor_category=factor_category,
        applicable=applicable,
        reasons=reasons,
        rule_variant=values["rule_variant"],
        rule_confirmed=values["rule_confirmed"],
        schedule_variant=name,
        schedule_label=schedule.label,
        schedule_confirmed=schedule.confirmed,
        baseline=str(builder.baseline) if builder.baseline is not None else None,
        entries=tuple(sorted(builder.entries, key=_chronological)),
        notes=tuple(builder.notes),
        citation=data.short_citation,
        version=data.version,
    )
