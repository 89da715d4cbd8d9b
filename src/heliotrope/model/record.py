"""The patient record: one immutable, validated snapshot of everything heliotrope reasons on.

No I/O happens here (see ``heliotrope.io`` for files). Every clinical input is *present*,
*absent* or *not assessed*; antibodies are *positive*, *weak*, *negative* or *not tested*; an
investigation is performed, not performed, or of unknown status. Dates may be exact, partial or
relative (``model.dates``); :meth:`PatientRecord.date_of` resolves them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from typing import Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from heliotrope.errors import UnitError
from heliotrope.model.dates import DateRange, DateSpec, add_months, resolve_spec
from heliotrope.model.provenance import Source
from heliotrope.model.synonyms import canonical_antibody
from heliotrope.model.units import convert
from heliotrope.model.vocabulary import (
    Analyte,
    AntibodyName,
    AntibodyResult,
    CancerStatus,
    FindingCode,
    InvestigationFinding,
    InvestigationKind,
    LabInterpretation,
    LesionAssessment,
    LesionKind,
    MuscleGroup,
    RecistResponse,
    Sex,
    Side,
    Status,
    TreatmentKind,
)

__all__ = [
    "FACT_LISTS",
    "ActivityAssessment",
    "AntibodyTest",
    "Cancer",
    "Demographics",
    "DerivedCache",
    "DoseChange",
    "Event",
    "Finding",
    "Investigation",
    "LabResult",
    "LabStatement",
    "LesionMeasurement",
    "MuscleGrade",
    "Myositis",
    "PatientRecord",
    "ReferenceRange",
    "Treatment",
    "TumourAssessment",
    "derived_cache",
]

SCHEMA_VERSION: Literal[1] = 1
#: The record's lists of dated facts, in record order (paths are ``<list>[<index>]``).
FACT_LISTS: tuple[str, ...] = (
    "findings",
    "labs",
    "lab_statements",
    "antibodies",
    "investigations",
    "cancers",
    "treatments",
    "tumour_assessments",
    "lesions",
    "activity",
    "events",
)
_ID = r"^[A-Za-z][A-Za-z0-9_\-]*$"
_MRC = re.compile(r"^\s*([0-5])([+-])?\s*(?:(?:-|–|to)\s*([0-5])([+-])?)?\s*(?:/\s*5)?\s*$")


def _number(value: object) -> object:
    """Refuse ``true``/``false`` where a number is expected (pydantic would read 1.0 / 0.0)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, not {str(value).lower()}")
    return value


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Fact(_Frozen):
    """Common fields of every dated entry."""

    id: str | None = Field(default=None, pattern=_ID, description="name other dates can use")
    date: DateSpec | None = None
    note: str | None = None
    source: Source | None = None


class MuscleGrade(_Frozen):
    """Strength of one muscle group on the MRC 0-5 scale ("4-", "4+", "3-4" accepted)."""

    muscle: MuscleGroup
    side: Side = Side.both
    mrc: str = Field(description="MRC grade: 0-5, with optional +/- or a range like '3-4'")

    @field_validator("mrc", mode="before")
    @classmethod
    def _mrc_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value

    @field_validator("mrc")
    @classmethod
    def _valid_mrc(cls, value: str) -> str:
        if not _MRC.match(value):
            raise ValueError(f"MRC grade {value!r} is not 0-5 (optionally 4-, 4+ or 3-4)")
        lo, hi = _mrc_bounds(value)
        if hi < lo:
            raise ValueError(f"MRC grade range {value!r} runs backwards")
        return value

    @property
    def bounds(self) -> tuple[float, float]:
        """(lowest, highest) numeric grade; '4-' is 3.67 and '4+' 4.33 by convention."""
        return _mrc_bounds(self.mrc)


@lru_cache(maxsize=256)
def _mrc_bounds(text: str) -> tuple[float, float]:
    match = _MRC.match(text)
    assert match is not None
    adjust = {"+": 1 / 3, "-": -1 / 3, None: 0.0}
    lo = int(match[1]) + adjust[match[2]]
    hi = int(match[3]) + adjust[match[4]] if match[3] else lo
    return max(0.0, lo), min(5.0, hi)


class Finding(Fact):
    """A clinical finding on a date: present, absent or not assessed."""

    code: FindingCode
    status: Status
    distribution: str | None = None
    laterality: Side | None = None
    grades: tuple[MuscleGrade, ...] = ()


class ReferenceRange(_Frozen):
    """The reporting lab's own range; ``unit`` defaults to the result's unit."""

    low: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    high: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    unit: str | None = None

    _numbers = field_validator("low", "high", mode="before")(classmethod(lambda cls, v: _number(v)))

    @model_validator(mode="after")
    def _ordered(self) -> ReferenceRange:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"reference range is inverted: low {self.low} > high {self.high}")
        return self


class LabResult(Fact):
    """A laboratory value with the reporting lab's reference range."""

    analyte: Analyte
    value: float = Field(ge=0, allow_inf_nan=False)
    unit: str
    comparator: Literal["<", ">", "<=", ">="] | None = Field(
        default=None, description="for censored values such as 'CRP < 4'"
    )
    range: ReferenceRange | None = None

    _numbers = field_validator("value", mode="before")(classmethod(lambda cls, v: _number(v)))

    @model_validator(mode="after")
    def _units_fit(self) -> LabResult:
        try:
            convert(self.value, self.unit, self.analyte)
            if self.range and self.range.unit:
                convert(1.0, self.range.unit, self.analyte)
        except UnitError as exc:  # re-raised as ValueError so pydantic names the field
            raise ValueError(exc.message) from None
        times = self.times_uln
        if times is not None and not math.isfinite(times):
            # A positive but vanishingly small limit (5e-324) makes value ÷ limit overflow:
            # no lab reports such a range, and the ×ULN every criterion reads would be infinite.
            raise ValueError(
                f"range.high {self.range.high if self.range else ''} is too small to divide "
                "the value by: value ÷ upper limit of normal is not a finite number"
            )
        return self

    @property
    def canonical_value(self) -> float:
        return convert(self.value, self.unit, self.analyte)

    @property
    def canonical_uln(self) -> float | None:
        if self.range is None or self.range.high is None:
            return None
        return convert(self.range.high, self.range.unit or self.unit, self.analyte)

    @property
    def canonical_lln(self) -> float | None:
        if self.range is None or self.range.low is None:
            return None
        return convert(self.range.low, self.range.unit or self.unit, self.analyte)

    @property
    def times_uln(self) -> float | None:
        """Value as a multiple of the upper limit of normal (×ULN), in canonical units."""
        uln = self.canonical_uln
        return None if uln is None else self.canonical_value / uln


class LabStatement(Fact):
    """A lab result reported only in words, with no value ("raised CK, LDH and aldolase").

    Kept apart from :class:`LabResult` so that every numeric value keeps its unit and range;
    criteria read a statement only where they would read "above the ULN".
    """

    analyte: Analyte
    interpretation: LabInterpretation


class AntibodyTest(Fact):
    """An autoantibody result; names are normalised ("TIF1-γ", "p155/140" → anti_tif1g)."""

    name: AntibodyName
    result: AntibodyResult
    titre: str | None = None
    method: str | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _canonical_name(cls, value: object) -> object:
        if isinstance(value, str):
            found = canonical_antibody(value)
            if found is None:
                raise ValueError(
                    f"unknown antibody {value!r}; use one of: "
                    + ", ".join(a.value for a in AntibodyName)
                )
            return found
        return value


class Investigation(Fact):
    """EMG, MRI, skin or muscle biopsy, imaging: performed or not, and what it showed."""

    kind: InvestigationKind
    performed: bool | None = Field(description="true, false, or null when not known")
    findings: dict[InvestigationFinding, Status] = Field(default_factory=dict)
    summary: str | None = None
    reason_not_performed: str | None = None

    @model_validator(mode="after")
    def _findings_need_performed(self) -> Investigation:
        positive = [f for f, s in self.findings.items() if s == Status.present]
        if self.performed is False and positive:
            raise ValueError(
                f"{self.kind.value} is marked not performed but lists present findings: "
                + ", ".join(f.value for f in positive)
            )
        return self


class Cancer(Fact):
    """A cancer; ``date`` is the date of diagnosis. ``status`` not recorded is *unknown*, never
    assumed active (issue 7: an old cancer of unrecorded status gave definite PNS)."""

    histology: str
    site: str | None = None
    primary_unknown: bool = False
    metastatic: bool | None = None
    grade: str | None = None
    status: CancerStatus = CancerStatus.unknown


class DoseChange(_Frozen):
    date: DateSpec | None = None
    change: str = Field(description="e.g. '-25%' or '40 mg -> 30 mg'")
    reason: str | None = None


class Treatment(Fact):
    """A drug or procedure; ``start``/``stop`` are exposed to relative dates as
    ``<id>.start`` and ``<id>.stop``."""

    drug: str
    kind: TreatmentKind
    target: Literal["cancer", "myositis", "other"] = "other"
    line: int | None = Field(default=None, ge=1)
    intent: str | None = None
    start: DateSpec | None = None
    stop: DateSpec | None = None
    cycles: int | None = Field(default=None, ge=0)
    dose: str | None = None
    dose_changes: tuple[DoseChange, ...] = ()


class TumourAssessment(Fact):
    """A radiological restaging; ``reported_response`` is the radiologist's verdict, kept
    distinct from a response heliotrope computes from lesion measurements."""

    modality: str | None = None
    reported_response: RecistResponse | None = None
    description: str | None = None


class LesionMeasurement(_Frozen):
    """One row of a RECIST lesion table (spec §9)."""

    date: DateSpec
    lesion: str = Field(min_length=1)
    organ: str | None = None
    kind: LesionKind
    node: bool = False
    mm: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    assessment: LesionAssessment | None = None
    source: Source | None = None

    _numbers = field_validator("mm", mode="before")(classmethod(lambda cls, v: _number(v)))


class ActivityAssessment(Fact):
    """Disease-activity measures on a date (IMACS core set, MMT-8, CDASI)."""

    mmt8: float | None = Field(default=None, ge=0, le=80, description="MMT-8, 0-80")
    mmt8_bilateral: float | None = Field(default=None, ge=0, le=150, description="0-150")
    cdasi_activity: float | None = Field(default=None, ge=0, le=100)
    cdasi_damage: float | None = Field(default=None, ge=0, le=32)
    physician_global: float | None = Field(default=None, ge=0, le=10, description="VAS cm")
    patient_global: float | None = Field(default=None, ge=0, le=10, description="VAS cm")
    extramuscular_global: float | None = Field(default=None, ge=0, le=10, description="VAS cm")
    haq: float | None = Field(default=None, ge=0, le=3)
    # Juvenile alternatives of the 2016 response criteria (Rider 2017; spec §8.2).
    cmas: float | None = Field(default=None, ge=0, le=52, description="CMAS, 0-52")
    chq_phs: float | None = Field(
        default=None, ge=0, le=100, description="CHQ physical summary score"
    )
    das: float | None = Field(default=None, ge=0, le=20, description="DAS total, 0-20")
    grades: tuple[MuscleGrade, ...] = ()

    _numbers = field_validator(
        "mmt8",
        "mmt8_bilateral",
        "cdasi_activity",
        "cdasi_damage",
        "physician_global",
        "patient_global",
        "extramuscular_global",
        "haq",
        "cmas",
        "chq_phs",
        "das",
        mode="before",
    )(classmethod(lambda cls, v: _number(v)))


class Event(Fact):
    """A named clinical event (presentation, admission, flare) that other dates can anchor to."""

    kind: str = Field(min_length=1)
    description: str | None = None


class Demographics(_Frozen):
    sex: Sex = Sex.unknown
    birth_date: DateSpec | None = None
    age_years: float | None = Field(default=None, ge=0, le=120, allow_inf_nan=False)
    age_at: DateSpec | None = Field(
        default=None,
        description="when age_years was recorded; without it, age_years is the age at "
        "myositis onset",
    )
    region: str | None = Field(default=None, description="e.g. 'southern China', 'UK'")
    ancestry: str | None = None

    _numbers = field_validator("age_years", mode="before")(classmethod(lambda cls, v: _number(v)))


class Myositis(_Frozen):
    """The myositis episode: onset (first symptom) and diagnosis dates, and exclusions."""

    onset: DateSpec | None = Field(default=None, description="first symptom assumed related")
    diagnosis: DateSpec | None = None
    exclusions_considered: bool | None = Field(
        default=None,
        description="were the Bohan & Peter exclusions (neuropathies, dystrophies, infection, "
        "endocrine, drug/toxin myopathy, myasthenia) considered?",
    )
    exclusions_present: tuple[str, ...] = ()
    better_explanation: Status = Field(
        default=Status.not_assessed,
        description="EULAR/ACR entry condition: is there a better explanation?",
    )


class PatientRecord(_Frozen):
    """Everything heliotrope knows about one patient."""

    schema_version: Literal[1] = SCHEMA_VERSION
    id: str = Field(pattern=_ID)
    demographics: Demographics = Field(default_factory=Demographics)
    myositis: Myositis = Field(default_factory=Myositis)
    findings: tuple[Finding, ...] = ()
    labs: tuple[LabResult, ...] = ()
    lab_statements: tuple[LabStatement, ...] = ()
    antibodies: tuple[AntibodyTest, ...] = ()
    investigations: tuple[Investigation, ...] = ()
    cancers: tuple[Cancer, ...] = ()
    treatments: tuple[Treatment, ...] = ()
    tumour_assessments: tuple[TumourAssessment, ...] = ()
    lesions: tuple[LesionMeasurement, ...] = ()
    activity: tuple[ActivityAssessment, ...] = ()
    events: tuple[Event, ...] = ()
    notes: str | None = None

    _dates: dict[str, DateRange] = PrivateAttr(default_factory=dict)
    _warnings: tuple[str, ...] = PrivateAttr(default=())
    _resolved: Any = PrivateAttr(default=None)  # model.resolution.ResolvedDates (a cache)
    _derived: Any = PrivateAttr(default=None)  # DerivedCache (see derived_cache)

    @model_validator(mode="after")
    def _resolve_dates(self) -> PatientRecord:
        from heliotrope.model.resolution import ResolvedDates, resolve_all

        dates, by_spec, fields = resolve_all(self)
        private = self.__pydantic_private__
        assert private is not None
        private["_dates"] = dates
        private["_resolved"] = ResolvedDates(id(self), by_spec, fields)
        _share_field_sets(self)
        return self

    @model_validator(mode="after")
    def _consistent(self) -> PatientRecord:
        """Refuse contradictions, flag implausible values (``model.consistency``)."""
        from heliotrope.model.consistency import (
            check_contradictions,
            dated,
            plausibility_warnings,
        )

        dates = dated(self)
        check_contradictions(self, dates)
        self._warnings = plausibility_warnings(self, dates)
        return self

    @property
    def plausibility_warnings(self) -> tuple[str, ...]:
        """Values accepted but most likely wrong (``model.consistency``); every output shows
        them."""
        return self._warnings

    # -- dates -----------------------------------------------------------------------------
    @property
    def anchors(self) -> dict[str, DateRange]:
        """Resolved dates of every named entry."""
        return dict(self._dates)

    def date_of(self, spec: DateSpec | None) -> DateRange | None:
        """Resolve a date of this record (None when no date was given).

        Every date of the record was resolved once, on validation (``model.resolution``): this
        is a lookup by the specification's identity; any other specification is resolved
        against the record's anchors.
        """
        if spec is None:
            return None
        private = self.__pydantic_private__  # plain dict: faster than pydantic's __getattr__
        try:
            found: tuple[DateSpec, DateRange] = private["_resolved"].by_spec[id(spec)]  # type: ignore[index]
        except (KeyError, AttributeError):  # not one of its own dates, or never validated
            pass
        else:
            if found[0] is spec:
                return found[1]
        assert private is not None
        return resolve_spec(spec, private["_dates"])

    @property
    def myositis_onset(self) -> DateRange | None:
        return self.date_of(self.myositis.onset) or self.date_of(self.myositis.diagnosis)

    def age_at(self, when: DateRange | None) -> tuple[float, float] | None:
        """Age in years at ``when`` as a (lowest, highest) interval, or None if unknown.

        "A 43-year-old" is anywhere from 43.0 to just under 44; the interval carries that.
        Without dates, ``age_years`` is taken as the age at myositis onset. An age recorded on a
        date (``age_at``) is carried to ``when``; without ``when`` it says nothing about the age
        then, so the result is None (unknown), never the age on the day it was recorded.
        """
        demo = self.demographics
        if demo.birth_date is not None and when is not None:
            birth = self.date_of(demo.birth_date)
            assert birth is not None
            return (_years(birth.latest, when.earliest), _years(birth.earliest, when.latest))
        if demo.age_years is None:
            return None
        lo, hi = demo.age_years, demo.age_years + (0.999 if demo.age_years.is_integer() else 0)
        recorded = self.date_of(demo.age_at)
        if recorded is None:
            return (lo, hi)
        if when is None:
            return None
        return (
            lo + _years(recorded.latest, when.earliest),
            hi + _years(recorded.earliest, when.latest),
        )

    # -- lookups ---------------------------------------------------------------------------
    def iter_facts(self) -> Iterator[tuple[str, Any]]:
        """Every entry with its path in the record (``labs[2]``)."""
        for name in FACT_LISTS:
            for index, entry in enumerate(getattr(self, name)):
                yield f"{name}[{index}]", entry


#: One ``__pydantic_fields_set__`` object per distinct set of field names, shared by every
#: model of every record (issue 13: a set per model was 19 of the 33 KiB of a record).
_FIELD_SETS: dict[frozenset[str], set[str]] = {}
_FIELD_SETS_LIMIT = 4096


def _share_field_sets(record: PatientRecord) -> None:
    """Give every model of ``record`` the shared set equal to its own set of fields given.

    Safe because every model of a record is frozen: pydantic changes a model's set only on
    attribute assignment (refused) and in ``model_copy``, after copying it. Only the fields
    whose type can hold a model are visited (:func:`_model_fields_of`)."""
    shared = _FIELD_SETS
    model_fields = _MODEL_FIELDS
    set_field = object.__setattr__
    stack: list[BaseModel] = [record]
    while stack:
        model = stack.pop()
        own = model.__pydantic_fields_set__
        key = frozenset(own)
        found = shared.get(key)
        if found is None:
            if len(shared) >= _FIELD_SETS_LIMIT:
                found = own
            else:
                found = shared[key] = own
        set_field(model, "__pydantic_fields_set__", found)
        values = model.__dict__
        names = model_fields.get(model.__class__)
        if names is None:
            names = _model_fields_of(model.__class__)
        for name in names:
            value = values[name]
            if value.__class__ is tuple:
                stack.extend(value)
            elif value is not None and isinstance(value, BaseModel):
                stack.append(value)


_MODEL_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {}


def _model_fields_of(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``cls`` whose declared type holds a model or a tuple of models."""
    found = _MODEL_FIELDS.get(cls)
    if found is None:
        found = _MODEL_FIELDS[cls] = tuple(
            name for name, field in cls.model_fields.items() if _holds_model(field.annotation)
        )
    return found


def _holds_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in get_args(annotation))


def _years(start: date, end: date) -> float:
    """Years from ``start`` to ``end`` as an age counts them: the anniversaries passed, plus the
    fraction of the current year. On the 18th birthday the result is exactly 18.0 (a day count
    over 365.25 gave 17.998 whenever the span held four leap days in eighteen years)."""
    if end < start:
        return -_years(end, start)
    whole = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    last = add_months(start, 12 * whole)
    following = add_months(start, 12 * (whole + 1))
    return whole + (end - last).days / (following - last).days


class DerivedCache(dict[Any, Any]):
    """What readers derive from one record alone (evidence, item findings), kept beside it:
    records are frozen, so a reader asked twice answers the same (issue 13: many criteria read
    the same items). It belongs to the record whose ``id`` it holds (a ``model_copy`` gets a
    new one) and compares equal to any other, so records equal field by field stay equal."""

    __slots__ = ("owner",)

    def __init__(self, owner: int) -> None:
        super().__init__()
        self.owner = owner

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DerivedCache)

    __hash__ = None


def derived_cache(record: PatientRecord) -> dict[Any, Any]:
    """The record's :class:`DerivedCache` (made on first use; a throwaway dict for an object
    that is not a validated record)."""
    try:
        cache: DerivedCache = record.__pydantic_private__["_derived"]  # type: ignore[index]
        if cache.owner == id(record):
            return cache
    except (AttributeError, KeyError, TypeError):  # not made yet, or not a validated record
        pass
    private = getattr(record, "__pydantic_private__", None)
    if private is None:
        return {}
    cache = private["_derived"] = DerivedCache(id(record))
    return cache
