"""The IMACS 2023 screening guideline as data (``resources/imacs_2023.json``).

A closed pydantic schema: unknown keys, unknown vocabulary, dangling references (a rule naming
an unknown tier, a schedule naming an unknown panel, a PET-CT route naming an unknown factor)
are errors at load time, not surprises at evaluation time. Source: Oldroyd AGS et al.,
*Nat Rev Rheumatol* 2023;19:805-817, Fig. 1 (clinical spec section 7).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from heliotrope.errors import CriteriaError, ErrorDetail
from heliotrope.model.vocabulary import Analyte, AntibodyName, FindingCode

__all__ = [
    "Factor",
    "ImacsData",
    "PanelName",
    "RiskCategory",
    "RuleVariant",
    "ScheduleVariant",
    "Subtype",
    "Tier",
    "load_imacs_data",
    "parse_imacs_data",
]

RESOURCE = "imacs_2023.json"

Tier = Literal["high", "intermediate", "lower"]
RiskCategory = Literal["high", "moderate", "standard"]
PanelName = Literal["basic", "enhanced"]
Subtype = Literal["DM", "PM", "IMNM", "CADM", "antisynthetase", "overlap", "IBM"]


class _Closed(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CitationData(_Closed):
    authors: str
    title: str
    journal: str
    year: int
    volume_pages: str
    doi: str | None = None


class Scope(_Closed):
    adult_age_years: float = Field(gt=0)
    window_months: int = Field(gt=0)
    citation: str


class SubtypeMatch(_Closed):
    kind: Literal["subtype"]
    subtypes: tuple[Subtype, ...] = Field(min_length=1)


class AntibodyMatch(_Closed):
    kind: Literal["antibody"]
    antibodies: tuple[AntibodyName, ...] = Field(min_length=1)


class SeronegativeMatch(_Closed):
    """Present when every listed myositis-specific antibody was tested negative."""

    kind: Literal["seronegative"]
    antibodies: tuple[AntibodyName, ...] = Field(min_length=1)


class AgeOverMatch(_Closed):
    kind: Literal["age_over"]
    years: float = Field(gt=0)


class FindingMatch(_Closed):
    kind: Literal["finding"]
    findings: tuple[FindingCode, ...] = Field(min_length=1)


class LabAboveUlnMatch(_Closed):
    kind: Literal["lab_above_uln"]
    analytes: tuple[Analyte, ...] = Field(min_length=1)


Match = Annotated[
    SubtypeMatch
    | AntibodyMatch
    | SeronegativeMatch
    | AgeOverMatch
    | FindingMatch
    | LabAboveUlnMatch,
    Field(discriminator="kind"),
]


class Factor(_Closed):
    """One risk factor: its item key, domain, tier and how to read it from the record."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    domain: Literal["subtype", "antibody", "clinical"]
    tier: Tier
    label: str
    match: Match


class Condition(_Closed):
    tier: Literal["high", "intermediate"]
    at_least: int = Field(ge=1)


class Decision(_Closed):
    category: Literal["high", "moderate"]
    any_of: tuple[Condition, ...] = Field(min_length=1)


class RuleVariant(_Closed):
    """An ordered decision list over counts of factors per tier (the first that holds wins)."""

    label: str
    source: str
    confirmed: bool
    caveat: str = ""
    decisions: tuple[Decision, ...] = Field(min_length=1)
    otherwise: Literal["standard", "moderate"] = "standard"


class Rules(_Closed):
    default: str
    variants: dict[str, RuleVariant] = Field(min_length=1)

    @model_validator(mode="after")
    def _default_exists(self) -> Rules:
        if self.default not in self.variants:
            raise ValueError(f"default rule {self.default!r} is not one of the variants")
        return self


class PanelTest(_Closed):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    sex: Literal["female", "male"] | None = None
    caveat: str | None = None


class Panel(_Closed):
    label: str
    citation: str
    tests: tuple[PanelTest, ...] = Field(min_length=1)


class Tif1gRoute(_Closed):
    antibody_factor: str
    subtypes: tuple[Subtype, ...] = Field(min_length=1)
    qualifying_factor: str
    additional_any_of: tuple[str, ...] = Field(min_length=1)


class PetCt(_Closed):
    id: str
    name: str
    citation: str
    high_risk_categories: tuple[RiskCategory, ...]
    tif1g_route: Tif1gRoute


class GiEndoscopy(_Closed):
    citation: str
    categories: tuple[RiskCategory, ...]
    tests: tuple[PanelTest, ...] = Field(min_length=1)


class Nasoendoscopy(_Closed):
    id: str
    name: str
    citation: str
    high_npc_regions: tuple[str, ...] = Field(min_length=1)
    ambiguous_regions: tuple[str, ...] = ()


class Modalities(_Closed):
    pet_ct: PetCt
    gi_endoscopy: GiEndoscopy
    nasoendoscopy: Nasoendoscopy


class PopulationScreening(_Closed):
    id: str
    name: str
    citation: str


class Repeat(_Closed):
    panels: tuple[PanelName, ...] = Field(min_length=1)
    every_months: int = Field(ge=1)
    times: int = Field(ge=1)


class CategorySchedule(_Closed):
    at_diagnosis: tuple[PanelName, ...] = Field(min_length=1)
    repeats: tuple[Repeat, ...] = ()


class ScheduleVariant(_Closed):
    """Which panels at diagnosis and which repeats, per risk category (spec 7.4)."""

    label: str
    source: str
    confirmed: bool
    anchor: Literal["diagnosis", "onset"] = "diagnosis"
    categories: dict[RiskCategory, CategorySchedule]

    @model_validator(mode="after")
    def _every_category(self) -> ScheduleVariant:
        missing = {"high", "moderate", "standard"} - set(self.categories)
        if missing:
            raise ValueError(f"schedule has no entry for {', '.join(sorted(missing))}")
        return self


class Schedules(_Closed):
    default: str
    variants: dict[str, ScheduleVariant] = Field(min_length=1)

    @model_validator(mode="after")
    def _default_exists(self) -> Schedules:
        if self.default not in self.variants:
            raise ValueError(f"default schedule {self.default!r} is not one of the variants")
        return self


class ImacsData(_Closed):
    """The whole resource file."""

    comment: str = Field(default="", alias="$comment")
    id: Literal["imacs_2023"]
    version: str
    title: str
    citation: CitationData
    short_citation: str
    scope: Scope
    factors: tuple[Factor, ...] = Field(min_length=1)
    factors_status: str
    rules: Rules
    panels: dict[PanelName, Panel]
    modalities: Modalities
    population_screening: PopulationScreening
    schedules: Schedules

    @model_validator(mode="after")
    def _references(self) -> ImacsData:
        keys = [f.key for f in self.factors]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"factor keys are used twice: {', '.join(dupes)}")
        route = self.modalities.pet_ct.tif1g_route
        named = (route.antibody_factor, route.qualifying_factor, *route.additional_any_of)
        counted = [f.key for f in self.factors if f.tier != "lower"]
        unknown = [k for k in named if k not in counted]
        if unknown:
            raise ValueError(
                "the PET-CT route names factors that are not high or intermediate risk: "
                + ", ".join(unknown)
            )
        if set(self.panels) != {"basic", "enhanced"}:
            raise ValueError("panels must be exactly 'basic' and 'enhanced'")
        return self

    def factor(self, key: str) -> Factor:
        for factor in self.factors:
            if factor.key == key:
                return factor
        raise KeyError(key)

    def counted_factors(self, tier: Tier) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if f.tier == tier)


def parse_imacs_data(text: str, source: str = RESOURCE) -> ImacsData:
    """Validate the JSON text of an IMACS data file (raises :class:`CriteriaError`)."""
    try:
        return ImacsData.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise CriteriaError(
            f"The IMACS 2023 data file is not valid JSON: {exc.msg} at line {exc.lineno}.",
            source=source,
        ) from None
    except ValidationError as exc:
        details = [
            ErrorDetail(".".join(str(p) for p in err["loc"]) or "(top level)", err["msg"])
            for err in exc.errors(include_url=False)
        ]
        raise CriteriaError(
            "The IMACS 2023 data file does not fit its schema.", details, source=source
        ) from None


@functools.cache
def load_imacs_data() -> ImacsData:
    """The packaged guideline data, validated once (loaded with importlib.resources)."""
    text = resources.files("heliotrope.resources").joinpath(RESOURCE).read_text("utf-8")
    return parse_imacs_data(text)
