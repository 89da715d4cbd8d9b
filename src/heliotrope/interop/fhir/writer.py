"""A :class:`PatientRecord` → FHIR R4 resources, the mirror of ``reader``: reading the written
resources back gives the same facts (round trip; relative dates are written resolved).

Every resource carries heliotrope's own coding (always read back) and, where the terminology
files hold one, the standard coding (LOINC, SNOMED CT, UCUM). Fact ids travel as identifiers
(``https://heliotrope.dev/fhir/record-fact-id``). Resources are addressed by ``urn:uuid``
fullUrls derived from the record id and the fact's path, so output is reproducible.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from heliotrope.interop.fhir import terminology as t
from heliotrope.model.dates import DateSpec
from heliotrope.model.record import (
    ActivityAssessment,
    AntibodyTest,
    Cancer,
    Event,
    Finding,
    Investigation,
    LabResult,
    LabStatement,
    LesionMeasurement,
    MuscleGrade,
    PatientRecord,
    Treatment,
    TumourAssessment,
)
from heliotrope.model.vocabulary import AntibodyResult, Status, TreatmentKind

__all__ = ["WrittenRecord", "write_record"]

_NAMESPACE = uuid.UUID("6f1c9d2e-8a47-4d0b-9c51-2e7f3a9b4c10")
_ACTIVITY_MEASURES = (
    "mmt8",
    "mmt8_bilateral",
    "cdasi_activity",
    "cdasi_damage",
    "physician_global",
    "patient_global",
    "extramuscular_global",
    "haq",
)
_ANTIBODY_SNOMED = {
    AntibodyResult.positive: ("10828004", "Positive"),
    AntibodyResult.negative: ("260385009", "Negative"),
    AntibodyResult.weak: ("260408008", "Weakly positive"),
}
_RECIST_SNOMED = {
    "CR": ("550991000124107", "Malignant neoplasm in full remission"),
    "SD": ("359746009", "Patient's condition stable"),
    "PD": ("271299001", "Patient's condition worsened"),
    "NE": ("709137006", "Patient condition undetermined"),
}


def full_url(record_id: str, path: str) -> str:
    """The reproducible ``urn:uuid`` of the resource written for ``path`` of a record."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{record_id}/{path}')}"


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def own(name: str, code: str, display: str | None = None) -> dict[str, Any]:
    """A heliotrope CodeSystem coding."""
    return _coding(t.cs(name), code, display or code.replace("_", " "))


def _concept(*items: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": list(items)}
    if text:
        out["text"] = text
    return out


def _ext(name: str, key: str, value: Any) -> dict[str, Any]:
    return {"url": t.ext(name), key: value}


def _category(code: str) -> list[dict[str, Any]]:
    return [_concept(_coding(t.OBS_CATEGORY, code, code.replace("-", " ").title()))]


@dataclass
class WrittenRecord:
    """The resources written for a record, and which resource each record path became."""

    record_id: str
    patient_url: str
    entries: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    by_path: dict[str, str] = field(default_factory=dict)

    def add(self, path: str, resource: dict[str, Any]) -> str:
        url = full_url(self.record_id, path)
        resource["id"] = url.rsplit(":", 1)[-1]
        self.entries.append((url, resource))
        self.by_path[path] = url
        return url


class _Writer:
    def __init__(self, record: PatientRecord) -> None:
        self.record = record
        self.out = WrittenRecord(record.id, full_url(record.id, "patient"))
        self.tx = t.terminology()

    def date(self, spec: DateSpec | None) -> str | None:
        """A record date as a FHIR date: exact or partial as given, relative ones resolved
        (an imprecise resolved range is written as its earliest day)."""
        if spec is None:
            return None
        if isinstance(spec, str):
            return spec
        resolved = self.record.date_of(spec)
        return resolved.earliest.isoformat() if resolved else None

    def base(self, resource_type: str, fact: Any) -> dict[str, Any]:
        resource: dict[str, Any] = {"resourceType": resource_type}
        if getattr(fact, "id", None):
            resource["identifier"] = [{"system": t.FACT_ID, "value": fact.id}]
        return resource

    def subject(self) -> dict[str, str]:
        return {"reference": self.out.patient_url}

    @staticmethod
    def notes(fact: Any) -> list[dict[str, str]]:
        return [{"text": fact.note}] if getattr(fact, "note", None) else []

    # -- Patient and myositis ------------------------------------------------------------
    def patient(self) -> None:
        demo = self.record.demographics
        resource: dict[str, Any] = {
            "resourceType": "Patient",
            "identifier": [{"system": t.FACT_ID, "value": self.record.id}],
            "gender": demo.sex.value,
        }
        birth = self.date(demo.birth_date)
        if birth:
            resource["birthDate"] = birth
        extensions = []
        if demo.region:
            extensions.append(_ext("region", "valueString", demo.region))
        if demo.ancestry:
            extensions.append(_ext("ancestry", "valueString", demo.ancestry))
        if self.record.notes:
            extensions.append(_ext("record-notes", "valueString", self.record.notes))
        if extensions:
            resource["extension"] = extensions
        self.out.add("patient", resource)
        if demo.age_years is not None:
            age: dict[str, Any] = {
                "resourceType": "Observation",
                "status": "final",
                "code": _concept(
                    _coding(t.LOINC, self.tx.age_code, "Age"), own("observation", "age", "Age")
                ),
                "subject": self.subject(),
                "valueQuantity": {
                    "value": demo.age_years,
                    "unit": "a",
                    "system": t.UCUM,
                    "code": "a",
                },
            }
            when = self.date(demo.age_at)
            if when:
                age["effectiveDateTime"] = when
            self.out.add("demographics.age", age)

    def myositis(self) -> None:
        m = self.record.myositis
        extensions: list[dict[str, Any]] = []
        diagnosis = self.date(m.diagnosis)
        if diagnosis:
            extensions.append({"url": t.ASSERTED_DATE, "valueDateTime": diagnosis})
        if m.exclusions_considered is not None:
            extensions.append(
                _ext("exclusions-considered", "valueBoolean", m.exclusions_considered)
            )
        extensions += [_ext("exclusion-present", "valueString", e) for e in m.exclusions_present]
        if m.better_explanation is not Status.not_assessed:
            extensions.append(_ext("better-explanation", "valueCode", m.better_explanation.value))
        onset = self.date(m.onset)
        if not extensions and not onset:
            return
        # heliotrope's own code: the record names a myositis episode under assessment, not a
        # diagnosis of DM or PM (criteria classify; they do not diagnose).
        resource: dict[str, Any] = {
            "resourceType": "Condition",
            "code": _concept(
                own("condition", "myositis", "Myositis episode under assessment"),
                text="Myositis episode under assessment",
            ),
            "subject": self.subject(),
            "extension": extensions,
        }
        if onset:
            resource["onsetDateTime"] = onset
        if not extensions:
            del resource["extension"]
        self.out.add("myositis", resource)

    # -- facts ---------------------------------------------------------------------------
    def status_value(self, resource: dict[str, Any], status: Status) -> None:
        if status is Status.not_assessed:
            resource["dataAbsentReason"] = _concept(
                _coding(t.DAR, "not-performed", "Not Performed")
            )
        else:
            resource["valueBoolean"] = status is Status.present

    def grades(self, grades: tuple[MuscleGrade, ...]) -> list[dict[str, Any]]:
        return [
            {
                "extension": [{"url": t.ext("side"), "valueCode": g.side.value}],
                "code": _concept(own("muscle", g.muscle.value)),
                "valueString": g.mrc,
            }
            for g in grades
        ]

    def finding(self, path: str, fact: Finding) -> None:
        codes = [own("finding", fact.code.value)]
        codes += [
            _coding(t.SNOMED, code)
            for code, name in self.tx.finding_snomed.items()
            if name == fact.code.value
        ]
        resource = self.observation(fact, "exam", _concept(*codes))
        self.status_value(resource, fact.status)
        components = []
        if fact.distribution:
            components.append(
                {
                    "code": _concept(own("component", "distribution")),
                    "valueString": fact.distribution,
                }
            )
        if fact.laterality:
            components.append(
                {
                    "code": _concept(own("component", "laterality")),
                    "valueCodeableConcept": _concept(own("side", fact.laterality.value)),
                }
            )
        components += self.grades(fact.grades)
        if components:
            resource["component"] = components
        self.out.add(path, resource)

    def observation(self, fact: Any, category: str, code: dict[str, Any]) -> dict[str, Any]:
        resource = self.base("Observation", fact)
        resource.update({"status": "final", "category": _category(category), "code": code})
        resource["subject"] = self.subject()
        when = self.date(getattr(fact, "date", None))
        if when:
            resource["effectiveDateTime"] = when
        if self.notes(fact):
            resource["note"] = self.notes(fact)
        return resource

    def quantity(self, value: float, unit: str) -> dict[str, Any]:
        return {"value": value, "unit": unit, "system": t.UCUM, "code": t.unit_to_ucum(unit)}

    def analyte_code(self, analyte: Any) -> dict[str, Any]:
        loinc, display = self.tx.analyte_display[analyte]
        return _concept(_coding(t.LOINC, loinc, display), own("analyte", analyte.value))

    def lab(self, path: str, fact: LabResult) -> None:
        resource = self.observation(fact, "laboratory", self.analyte_code(fact.analyte))
        quantity = self.quantity(fact.value, fact.unit)
        if fact.comparator:
            quantity["comparator"] = fact.comparator
        resource["valueQuantity"] = quantity
        if fact.range is not None:
            unit = fact.range.unit or fact.unit
            reference: dict[str, Any] = {}
            if fact.range.low is not None:
                reference["low"] = self.quantity(fact.range.low, unit)
            if fact.range.high is not None:
                reference["high"] = self.quantity(fact.range.high, unit)
            if reference:
                resource["referenceRange"] = [reference]
        self.out.add(path, resource)

    def lab_statement(self, path: str, fact: LabStatement) -> None:
        resource = self.observation(fact, "laboratory", self.analyte_code(fact.analyte))
        code = {"high": "H", "normal": "N", "low": "L"}[fact.interpretation.value]
        resource["interpretation"] = [
            _concept(_coding(t.INTERPRETATION, code, fact.interpretation.value.title()))
        ]
        self.out.add(path, resource)

    def antibody(self, path: str, fact: AntibodyTest) -> None:
        codes = [own("antibody", fact.name.value)]
        codes += [
            _coding(t.LOINC, code)
            for code, name in self.tx.antibody_loinc.items()
            if name == fact.name
        ][:1]
        resource = self.observation(fact, "laboratory", _concept(*codes))
        if fact.result is AntibodyResult.not_tested:
            resource["dataAbsentReason"] = _concept(
                _coding(t.DAR, "not-performed", "Not Performed")
            )
        else:
            snomed, display = _ANTIBODY_SNOMED[fact.result]
            resource["valueCodeableConcept"] = _concept(
                _coding(t.SNOMED, snomed, display),
                own("antibody-result", fact.result.value),
                text=display,
            )
        if fact.titre:
            resource["component"] = [
                {"code": _concept(own("component", "titre")), "valueString": fact.titre}
            ]
        if fact.method:
            resource["method"] = {"text": fact.method}
        self.out.add(path, resource)

    def investigation(self, path: str, fact: Investigation) -> None:
        resource = self.base("Procedure", fact)
        snomed = [
            _coding(t.SNOMED, code)
            for code, kind in self.tx.investigation_snomed.items()
            if kind is fact.kind
        ]
        status = {True: "completed", False: "not-done", None: "unknown"}[fact.performed]
        resource.update(
            {
                "status": status,
                "code": _concept(own("investigation", fact.kind.value), *snomed),
                "subject": self.subject(),
            }
        )
        if fact.reason_not_performed:
            resource["statusReason"] = {"text": fact.reason_not_performed}
        when = self.date(fact.date)
        if when:
            resource["performedDateTime"] = when
        if self.notes(fact):
            resource["note"] = self.notes(fact)
        procedure_url = self.out.add(path, resource)
        if not fact.findings and not fact.summary:
            return
        results = []
        for name, finding_status in fact.findings.items():
            observation: dict[str, Any] = {
                "resourceType": "Observation",
                "status": "final",
                "category": _category("procedure"),
                "code": _concept(own("investigation-finding", name.value)),
                "subject": self.subject(),
            }
            self.status_value(observation, finding_status)
            results.append(
                {"reference": self.out.add(f"{path}.findings.{name.value}", observation)}
            )
        report: dict[str, Any] = {
            "resourceType": "DiagnosticReport",
            "status": "final",
            "code": _concept(own("investigation", fact.kind.value), *snomed),
            "subject": self.subject(),
        }
        if when:
            report["effectiveDateTime"] = when
        if fact.summary:
            report["conclusion"] = fact.summary
        if results:
            report["result"] = results
        resource["report"] = [{"reference": self.out.add(f"{path}.report", report)}]
        del procedure_url

    def cancer(self, path: str, fact: Cancer) -> None:
        resource = self.base("Condition", fact)
        clinical = {"active": "active", "remission": "remission"}.get(fact.status.value)
        if clinical:
            resource["clinicalStatus"] = _concept(_coding(t.CONDITION_CLINICAL, clinical))
        resource["verificationStatus"] = _concept(_coding(t.CONDITION_VERIFICATION, "confirmed"))
        resource["code"] = _concept(
            _coding(t.SNOMED, "363346000", "Malignant neoplastic disease"), text=fact.histology
        )
        resource["subject"] = self.subject()
        if fact.site:
            resource["bodySite"] = [{"text": fact.site}]
        when = self.date(fact.date)
        if when:
            resource["onsetDateTime"] = when
        extensions = [_ext("primary-unknown", "valueBoolean", fact.primary_unknown)]
        if fact.metastatic is not None:
            extensions.append(_ext("metastatic", "valueBoolean", fact.metastatic))
        if fact.grade:
            extensions.append(_ext("grade", "valueString", fact.grade))
        resource["extension"] = extensions
        if self.notes(fact):
            resource["note"] = self.notes(fact)
        self.out.add(path, resource)

    def treatment(self, path: str, fact: Treatment) -> None:
        procedure = fact.kind in {TreatmentKind.surgery, TreatmentKind.radiotherapy}
        resource = self.base("Procedure" if procedure else "MedicationStatement", fact)
        kind = _concept(own("treatment-kind", fact.kind.value))
        start, stop = self.date(fact.start), self.date(fact.stop)
        if procedure:
            resource.update({"status": "completed", "category": kind, "code": {"text": fact.drug}})
            if start and stop:
                resource["performedPeriod"] = {"start": start, "end": stop}
            elif start:
                resource["performedDateTime"] = start
        else:
            resource.update(
                {
                    "status": "completed" if stop else "active",
                    "category": kind,
                    "medicationCodeableConcept": {"text": fact.drug},
                }
            )
            period = {k: v for k, v in (("start", start), ("end", stop)) if v}
            if period:
                resource["effectivePeriod"] = period
            if fact.dose:
                resource["dosage"] = [{"text": fact.dose}]
        resource["subject"] = self.subject()
        extensions = [_ext("target", "valueCode", fact.target)]
        if fact.line is not None:
            extensions.append(_ext("line", "valuePositiveInt", fact.line))
        if fact.intent:
            extensions.append(_ext("intent", "valueString", fact.intent))
        if fact.cycles is not None:
            extensions.append(_ext("cycles", "valueUnsignedInt", fact.cycles))
        for change in fact.dose_changes:
            inner = [{"url": "change", "valueString": change.change}]
            if change.reason:
                inner.append({"url": "reason", "valueString": change.reason})
            when = self.date(change.date)
            if when:
                inner.append({"url": "date", "valueDateTime": when})
            extensions.append({"url": t.ext("dose-change"), "extension": inner})
        resource["extension"] = extensions
        if procedure and fact.dose:
            extensions.append(_ext("dose", "valueString", fact.dose))
        if self.notes(fact):
            resource["note"] = self.notes(fact)
        self.out.add(path, resource)

    def tumour(self, path: str, fact: TumourAssessment) -> None:
        code = _concept(
            _coding(t.LOINC, self.tx.disease_status_loinc[0], "Cancer disease progression"),
            own("observation", "tumour-assessment", "Tumour assessment"),
        )
        resource = self.observation(fact, "imaging", code)
        if fact.reported_response is not None:
            codes = [own("recist-response", fact.reported_response.value)]
            if fact.reported_response.value in _RECIST_SNOMED:
                codes.insert(0, _coding(t.SNOMED, *_RECIST_SNOMED[fact.reported_response.value]))
            resource["valueCodeableConcept"] = _concept(*codes)
        else:
            resource["dataAbsentReason"] = _concept(_coding(t.DAR, "unknown", "Unknown"))
        if fact.modality:
            resource["method"] = {"text": fact.modality}
        if fact.description is not None:
            resource["extension"] = [_ext("description", "valueString", fact.description)]
        self.out.add(path, resource)

    def activity(self, path: str, fact: ActivityAssessment) -> None:
        resource = self.observation(fact, "exam", _concept(own("observation", "activity")))
        components = [
            {
                "code": _concept(own("activity-measure", name)),
                "valueQuantity": {"value": getattr(fact, name)},
            }
            for name in _ACTIVITY_MEASURES
            if getattr(fact, name) is not None
        ]
        components += self.grades(fact.grades)
        if components:
            resource["component"] = components
        self.out.add(path, resource)

    def lesion(self, path: str, fact: LesionMeasurement) -> None:
        resource = self.observation(fact, "imaging", _concept(own("observation", "lesion")))
        components: list[dict[str, Any]] = [
            {"code": _concept(own("component", "lesion")), "valueString": fact.lesion},
            {
                "code": _concept(own("component", "lesion-kind")),
                "valueCodeableConcept": _concept(own("lesion-kind", fact.kind.value)),
            },
            {"code": _concept(own("component", "node")), "valueBoolean": fact.node},
        ]
        if fact.organ:
            components.append(
                {"code": _concept(own("component", "organ")), "valueString": fact.organ}
            )
        if fact.assessment:
            components.append(
                {
                    "code": _concept(own("component", "lesion-assessment")),
                    "valueCodeableConcept": _concept(
                        own("lesion-assessment", fact.assessment.value)
                    ),
                }
            )
        resource["component"] = components
        if fact.mm is not None:
            resource["valueQuantity"] = {
                "value": fact.mm,
                "unit": "mm",
                "system": t.UCUM,
                "code": "mm",
            }
        self.out.add(path, resource)

    def event(self, path: str, fact: Event) -> None:
        resource = self.base("Basic", fact)
        resource["code"] = _concept(own("event", fact.kind))
        resource["subject"] = self.subject()
        when = self.date(fact.date)
        if when:
            resource["created"] = when
        extensions = []
        if fact.description:
            extensions.append(_ext("description", "valueString", fact.description))
        if fact.note:
            extensions.append(_ext("note", "valueString", fact.note))
        if extensions:
            resource["extension"] = extensions
        self.out.add(path, resource)

    def write(self) -> WrittenRecord:
        self.patient()
        self.myositis()
        writers: dict[str, Any] = {
            "events": self.event,
            "cancers": self.cancer,
            "findings": self.finding,
            "labs": self.lab,
            "lab_statements": self.lab_statement,
            "antibodies": self.antibody,
            "investigations": self.investigation,
            "treatments": self.treatment,
            "tumour_assessments": self.tumour,
            "lesions": self.lesion,
            "activity": self.activity,
        }
        for name, writer in writers.items():
            for index, fact in enumerate(getattr(self.record, name)):
                writer(f"{name}[{index}]", fact)
        return self.out


def write_record(record: PatientRecord) -> WrittenRecord:
    """The FHIR resources of ``record`` (inputs only; see ``results`` for the assessment)."""
    return _Writer(record).write()
