"""FHIR R4 resources → :class:`PatientRecord`, every tri-state kept (clinical spec §2: present /
absent / not assessed; antibodies positive / weak / negative / not tested; investigations
performed / not performed / unknown).

* Patient → demographics; an Observation LOINC 30525-0 (Age) gives the age on its date.
* Condition: myositis (dermatomyositis, polymyositis, IIM) → onset and diagnosis dates;
  cancers with onset and clinical status. ``verificationStatus`` refuted or entered-in-error:
  the condition is absent and is not read.
* Observation: findings (``valueBoolean``; false is absent; ``dataAbsentReason`` is not
  assessed), labs with UCUM units (pint), the lab's ``referenceRange`` and ``comparator``
  (censored values stay censored), labs in words (``interpretation`` H/N/L, no value),
  antibodies (value set per antibody: several LOINC codes each), mCODE CancerDiseaseStatus.
* Procedure (completed / not-done with ``statusReason``) with its DiagnosticReport for biopsy,
  EMG and MRI; surgery and radiotherapy as treatments.
* MedicationStatement / MedicationAdministration → treatment lines.

Every fact's ``source`` names the resource (``Observation/abc``) and the element read; what
is not read is listed in the report with the reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from heliotrope.errors import DateResolutionError, ErrorDetail, UnitError
from heliotrope.interop.fhir import terminology as t
from heliotrope.interop.fhir.errors import FhirInputError, fhir_error
from heliotrope.interop.fhir.parse import ParsedInput, ref_of
from heliotrope.interop.fhir.report import FhirReadReport, Unread
from heliotrope.interop.fhir.values import (
    codings,
    concept_text,
    extension,
    extensions,
    fhir_date,
    period_date,
    reference_id,
)
from heliotrope.model.record import FACT_LISTS, PatientRecord
from heliotrope.model.units import convert
from heliotrope.model.vocabulary import (
    Analyte,
    AntibodyName,
    AntibodyResult,
    FindingCode,
    InvestigationFinding,
    InvestigationKind,
    LesionAssessment,
    LesionKind,
    MuscleGroup,
    RecistResponse,
    Sex,
    Side,
    Status,
    TreatmentKind,
)

__all__ = ["read_resources"]

# Elements of any resource that carry no clinical fact heliotrope could use.
_ADMIN = frozenset(
    {
        "resourceType",
        "id",
        "meta",
        "text",
        "language",
        "implicitRules",
        "identifier",
        "subject",
        "patient",
        "encounter",
        "context",
        "status",
        "issued",
        "performer",
        "recorder",
        "asserter",
        "informationSource",
        "basedOn",
        "partOf",
        "category",
        "recordedDate",
        "dateAsserted",
        "location",
        "requester",
        "author",
        "created",
        "specimen",
        "device",
        "reasonReference",
    }
)
_ID_OK = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
_SEEN_ON = {"present": Status.present, "absent": Status.absent}
_YES_NO = {
    (t.SNOMED, "52101004"): Status.present,  # Present
    (t.SNOMED, "373066001"): Status.present,  # Yes
    (t.SNOMED, "2667000"): Status.absent,  # Absent
    (t.SNOMED, "373067005"): Status.absent,  # No
}
_FOLLOWED = ("subject", "patient")
_CLINICAL_ACTIVE = {"active", "recurrence", "relapse"}
_CLINICAL_REMISSION = {"remission", "resolved", "inactive"}
_TITRE = re.compile(r"^\s*1\s*:\s*\d+\s*$")
_AGE_UNITS = {"a": 1.0, "mo": 1 / 12, "wk": 7 / 365.25, "d": 1 / 365.25}


def _own(concept: Any, name: str) -> str | None:
    """The code of heliotrope's CodeSystem ``name`` in a concept, if any."""
    for system, code, _ in codings(concept):
        if system == t.cs(name):
            return code
    return None


def _enum(enum: Any, code: str, where: str, source: str | None) -> Any:
    try:
        return enum(code)
    except ValueError:
        raise fhir_error(
            "An unknown code in a heliotrope CodeSystem.",
            where,
            f"{code!r} is not a {enum.__name__} code",
            source,
        ) from None


class _Reader:
    def __init__(self, parsed: ParsedInput, source: str, patient_id: str | None) -> None:
        self.parsed = parsed
        self.source = source
        self.tx = t.terminology()
        self.index: dict[str, dict[str, Any]] = {}
        for position, resource in enumerate(parsed.resources):
            self.index.setdefault(ref_of(resource), resource)
            url = parsed.full_urls.get(position)
            if url:
                self.index.setdefault(url, resource)
        patients = [r for r in parsed.resources if r["resourceType"] == "Patient"]
        if patient_id is not None:
            patients = [p for p in patients if p.get("id") == patient_id]
            if not patients:
                raise fhir_error(
                    "The requested patient is not in the input.",
                    f"Patient/{patient_id}",
                    "no Patient resource with this id",
                    source,
                )
        if len(patients) > 1:
            raise FhirInputError(
                f"The input holds {len(patients)} patients; heliotrope reads one record at a time.",
                [ErrorDetail(ref_of(p), "a Patient") for p in patients[:10]],
                source=source,
            )
        self.patient = patients[0] if patients else None
        self.patient_refs: set[str] = set()
        if self.patient is not None:
            self.patient_refs.add(ref_of(self.patient))
            for position, resource in enumerate(parsed.resources):
                if resource is self.patient and position in parsed.full_urls:
                    self.patient_refs.add(parsed.full_urls[position])
        self.lists: dict[str, list[dict[str, Any]]] = {name: [] for name in FACT_LISTS}
        self.origins: dict[str, list[str]] = {name: [] for name in FACT_LISTS}
        self.demographics: dict[str, Any] = {}
        self.myositis: dict[str, Any] = {}
        self.notes: list[str] = []
        self.record_notes: str | None = None
        self.used: list[str] = []
        self.unread: list[Unread] = []
        self.not_read: Counter[str] = Counter()
        self.consumed: set[int] = set()

    # -- references ----------------------------------------------------------------------
    def resolve(self, reference: str) -> dict[str, Any] | None:
        if reference in self.index:
            return self.index[reference]
        parts = reference.rstrip("/").split("/")
        if len(parts) >= 2:
            tail = "/".join(parts[-2:])
            if "_history" in parts and len(parts) >= 4:
                tail = "/".join(parts[-4:-2])
            return self.index.get(tail)
        return None

    def follow(self, resource: dict[str, Any], element: str, reference: Any) -> Any:
        """The resource a reference points to; a dangling reference is an error when the input
        holds the patient's record (a Bundle or ndjson with its Patient)."""
        ref = reference_id(reference)
        if ref is None or ref.startswith("#") or "?" in ref:
            return None
        target = self.resolve(ref)
        if target is None and self.patient is not None:
            raise fhir_error(
                "A reference points nowhere in the input.",
                f"{ref_of(resource)}.{element}",
                f"{ref.split('/')[0] if '/' in ref else 'the target'} is not in the input",
                self.source,
            )
        return target

    def check_subject(self, resource: dict[str, Any]) -> None:
        for element in _FOLLOWED:
            if element not in resource:
                continue
            target = self.follow(resource, element, resource[element])
            if target is not None and target is not self.patient:
                raise fhir_error(
                    "A resource belongs to another patient.",
                    f"{ref_of(resource)}.{element}",
                    "refers to a different Patient than the record's",
                    self.source,
                )

    # -- bookkeeping ---------------------------------------------------------------------
    def fact_source(self, resource: dict[str, Any], element: str) -> dict[str, Any]:
        return {
            "document": self.source,
            "field": f"{ref_of(resource)}.{element}",
            "extractor": "fhir",
        }

    def add(self, name: str, resource: dict[str, Any], fact: dict[str, Any], element: str) -> None:
        fact = {k: v for k, v in fact.items() if v is not None or k == "performed"}
        fact.setdefault("source", self.fact_source(resource, element))
        fact_id = self.fact_id(resource)
        if fact_id and name != "lesions":
            fact["id"] = fact_id
        note = self.note(resource)
        if note and name not in {"lesions"} and "note" not in fact:
            fact["note"] = note
        self.lists[name].append(fact)
        self.origins[name].append(f"{ref_of(resource)}.{element}")

    def fact_id(self, resource: dict[str, Any]) -> str | None:
        for identifier in resource.get("identifier") or []:
            if identifier.get("system") == t.FACT_ID and _ID_OK.match(str(identifier.get("value"))):
                return str(identifier["value"])
        return None

    @staticmethod
    def note(resource: dict[str, Any]) -> str | None:
        notes = [n.get("text") for n in resource.get("note") or [] if n.get("text")]
        return "\n".join(notes) if notes else None

    def skip(self, resource: dict[str, Any], element: str, reason: str) -> None:
        self.unread.append(Unread(ref_of(resource), element, reason))

    def done(self, resource: dict[str, Any], used: set[str]) -> None:
        """Record the resource as used and report the elements it had that were not read."""
        self.used.append(ref_of(resource))
        rest = sorted(set(resource) - used - _ADMIN - {"note", "extension"})
        foreign = sorted(
            {
                str(e.get("url"))
                for e in resource.get("extension") or []
                if not str(e.get("url", "")).startswith(t.BASE) and e.get("url") != t.ASSERTED_DATE
            }
        )
        if rest:
            self.skip(resource, ", ".join(rest), "element not used by heliotrope")
        for url in foreign:
            self.skip(resource, f"extension[{url}]", "extension not used by heliotrope")

    # -- the walk ------------------------------------------------------------------------
    def read(self) -> FhirReadReport:
        handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "Patient": self.read_patient,
            "Condition": self.read_condition,
            "Procedure": self.read_procedure,
            "DiagnosticReport": self.read_report,
            "MedicationStatement": self.read_medication,
            "MedicationAdministration": self.read_medication,
            "Basic": self.read_basic,
            "Observation": self.read_observation,
        }
        # Reports a Procedure points to (and their results) are read with that Procedure.
        for resource in self.parsed.resources:
            if resource["resourceType"] != "Procedure":
                continue
            for reference in resource.get("report") or []:
                report = self.resolve(reference_id(reference) or "")
                if report is None or report.get("resourceType") != "DiagnosticReport":
                    continue
                self.consumed.add(id(report))
                for result in report.get("result") or []:
                    observation = self.resolve(reference_id(result) or "")
                    if observation is not None:
                        self.consumed.add(id(observation))
        order = range(len(self.parsed.resources))
        for position in order:
            resource = self.parsed.resources[position]
            kind = resource["resourceType"]
            if id(resource) in self.consumed:
                continue
            handler = handlers.get(kind)
            if handler is None:
                if kind != "Medication":
                    self.not_read[kind] += 1
                continue
            if kind != "Patient":
                self.check_subject(resource)
            status = resource.get("status")
            if status == "entered-in-error":
                self.skip(resource, "status", "entered in error: not read")
                continue
            handler(resource)
        return self.report()

    # -- Patient -------------------------------------------------------------------------
    def read_patient(self, resource: dict[str, Any]) -> None:
        used = {"gender", "birthDate", "address"}
        gender = resource.get("gender")
        self.demographics["sex"] = (
            Sex(gender) if gender in {"male", "female"} else Sex.unknown.value
        )
        birth = fhir_date(resource.get("birthDate"))
        if birth:
            self.demographics["birth_date"] = birth
        region = extension(resource, t.ext("region"))
        if region:
            self.demographics["region"] = region.get("valueString")
        else:
            countries = [
                a.get("country") for a in resource.get("address") or [] if a.get("country")
            ]
            if countries:
                self.demographics["region"] = countries[0]
        ancestry = extension(resource, t.ext("ancestry"))
        if ancestry:
            self.demographics["ancestry"] = ancestry.get("valueString")
        notes = extension(resource, t.ext("record-notes"))
        if notes:
            self.record_notes = notes.get("valueString")
        used |= {"name", "telecom", "contact", "communication", "maritalStatus", "photo"}
        used |= {"generalPractitioner", "managingOrganization", "link", "active"}
        used |= {"multipleBirthBoolean", "multipleBirthInteger"}
        self.done(resource, used)

    # -- Condition -----------------------------------------------------------------------
    def condition_kind(self, resource: dict[str, Any]) -> str | None:
        code = resource.get("code")
        if _own(code, "condition"):
            return _own(code, "condition")
        for system, value, _ in codings(code):
            if system == t.SNOMED and value in self.tx.myositis_snomed:
                return "myositis"
            if system == t.SNOMED and value in self.tx.cancer_snomed:
                return "cancer"
            if system in t.ICD10 and value.startswith(self.tx.myositis_icd10):
                return "myositis"
            if system in t.ICD10 and value.startswith(self.tx.cancer_icd10):
                return "cancer"
        profiles = (resource.get("meta") or {}).get("profile") or []
        if any(p.split("|")[0] in self.tx.cancer_profiles for p in profiles):
            return "cancer"
        text = concept_text(code).lower()
        if any(word in text for word in self.tx.condition_exclude_text):
            return None
        if any(word in text for word in self.tx.myositis_text):
            return "myositis"
        if any(word in text for word in self.tx.cancer_text):
            return "cancer"
        return None

    def read_condition(self, resource: dict[str, Any]) -> None:
        kind = self.condition_kind(resource)
        where = ref_of(resource)
        if kind is None:
            self.skip(resource, "code", f"not a condition heliotrope reads ({_label(resource)})")
            return
        verification = {c for _s, c, _d in codings(resource.get("verificationStatus"))}
        if "refuted" in verification:
            self.skip(resource, "verificationStatus", f"refuted {kind}: read as absent")
            return
        onset = (
            fhir_date(resource.get("onsetDateTime")) or period_date(resource.get("onsetPeriod"))[0]
        )
        asserted = extension(resource, t.ASSERTED_DATE)
        asserted_date = fhir_date(asserted.get("valueDateTime")) if asserted else None
        if kind == "myositis":
            self.read_myositis(resource, onset, asserted_date)
            return
        if kind != "cancer":
            raise fhir_error(
                "An unknown code in a heliotrope CodeSystem.",
                f"{where}.code",
                f"{kind!r} is not a condition code",
                self.source,
            )
        clinical = {c for _s, c, _d in codings(resource.get("clinicalStatus"))}
        status = (
            "active"
            if clinical & _CLINICAL_ACTIVE
            else "remission"
            if clinical & _CLINICAL_REMISSION
            else "unknown"
        )
        date = onset or asserted_date or fhir_date(resource.get("recordedDate"))
        site = [concept_text(b) for b in resource.get("bodySite") or [] if concept_text(b)]
        fact = {
            "histology": concept_text(resource.get("code")) or "cancer (not named)",
            "site": "; ".join(site) or None,
            "status": status,
            "date": date,
            "primary_unknown": _ext_value(resource, "primary-unknown", "valueBoolean"),
            "metastatic": _ext_value(resource, "metastatic", "valueBoolean"),
            "grade": _ext_value(resource, "grade", "valueString"),
        }
        if "unconfirmed" in verification or "provisional" in verification:
            self.notes.append(f"{where}: cancer read although its verification is unconfirmed")
        self.add("cancers", resource, fact, "code")
        self.done(
            resource,
            {"code", "clinicalStatus", "verificationStatus", "onsetDateTime", "onsetPeriod"}
            | {"bodySite", "recordedDate"},
        )

    def read_myositis(
        self, resource: dict[str, Any], onset: str | None, asserted: str | None
    ) -> None:
        diagnosis = asserted or fhir_date(resource.get("recordedDate"))
        if not asserted and diagnosis:
            self.notes.append(
                f"{ref_of(resource)}: myositis diagnosis date taken from recordedDate"
            )
        current = self.myositis.get("onset")
        if current is None or (onset is not None and onset < current):
            if onset:
                self.myositis["onset"] = onset
            if diagnosis:
                self.myositis["diagnosis"] = diagnosis
        considered = _ext_value(resource, "exclusions-considered", "valueBoolean")
        if considered is not None:
            self.myositis["exclusions_considered"] = considered
        present = [e.get("valueString") for e in extensions(resource, t.ext("exclusion-present"))]
        if present:
            self.myositis["exclusions_present"] = [p for p in present if p]
        better = _ext_value(resource, "better-explanation", "valueCode")
        if better is not None:
            self.myositis["better_explanation"] = _enum(
                Status, better, f"{ref_of(resource)}.extension[better-explanation]", self.source
            )
        self.done(
            resource,
            {"code", "clinicalStatus", "verificationStatus", "onsetDateTime", "onsetPeriod"}
            | {"recordedDate"},
        )

    # -- Observation ---------------------------------------------------------------------
    def read_observation(self, resource: dict[str, Any]) -> None:
        if resource.get("status") == "cancelled":
            self.skip(resource, "status", "cancelled: not read")
            return
        code = resource.get("code")
        own = {
            name: _own(code, name)
            for name in ("finding", "analyte", "antibody", "observation", "investigation-finding")
        }
        loinc = {c for s, c, _ in codings(code) if s == t.LOINC}
        snomed = {c for s, c, _ in codings(code) if s == t.SNOMED}
        if own["finding"]:
            finding = _enum(FindingCode, own["finding"], f"{ref_of(resource)}.code", self.source)
            return self.read_finding(resource, finding)
        if own["analyte"]:
            analyte = _enum(Analyte, own["analyte"], f"{ref_of(resource)}.code", self.source)
            return self.read_lab(resource, analyte)
        if own["antibody"]:
            name = _enum(AntibodyName, own["antibody"], f"{ref_of(resource)}.code", self.source)
            return self.read_antibody(resource, name)
        kind = own["observation"]
        if kind == "tumour-assessment" or loinc & set(self.tx.disease_status_loinc):
            return self.read_tumour(resource)
        if kind == "activity":
            return self.read_activity(resource)
        if kind == "lesion":
            return self.read_lesion(resource)
        if kind == "age" or self.tx.age_code in loinc:
            return self.read_age(resource)
        if kind is not None:
            raise fhir_error(
                "An unknown code in a heliotrope CodeSystem.",
                f"{ref_of(resource)}.code",
                f"{kind!r} is not an observation code",
                self.source,
            )
        for code_value in sorted(loinc):
            if code_value in self.tx.analyte_loinc:
                return self.read_lab(resource, self.tx.analyte_loinc[code_value])
            if code_value in self.tx.antibody_loinc:
                return self.read_antibody(resource, self.tx.antibody_loinc[code_value])
        for code_value in sorted(snomed):
            if code_value in self.tx.finding_snomed:
                return self.read_finding(resource, FindingCode(self.tx.finding_snomed[code_value]))
        texts = [concept_text(code)] + [d for _s, _c, d in codings(code) if d]
        for text in texts:
            name = self.tx.antibody_from_text(text) if text else None
            if name is not None:
                return self.read_antibody(resource, name)
        if own["investigation-finding"]:
            self.skip(resource, "code", "an investigation finding outside any DiagnosticReport")
            return None
        self.skip(resource, "code", f"not an observation heliotrope reads ({_label(resource)})")
        return None

    def effective(self, resource: dict[str, Any]) -> tuple[str | None, str]:
        if "effectiveDateTime" in resource:
            return fhir_date(resource["effectiveDateTime"]), "effectiveDateTime"
        if "effectivePeriod" in resource:
            return period_date(resource["effectivePeriod"])[0], "effectivePeriod"
        if "effectiveInstant" in resource:
            return fhir_date(resource["effectiveInstant"]), "effectiveInstant"
        return None, ""

    def status_value(self, resource: dict[str, Any]) -> tuple[Status | None, str]:
        """present / absent / not assessed from an Observation's value."""
        if "dataAbsentReason" in resource:
            return Status.not_assessed, "dataAbsentReason"
        if isinstance(resource.get("valueBoolean"), bool):
            return (Status.present if resource["valueBoolean"] else Status.absent), "valueBoolean"
        concept = resource.get("valueCodeableConcept")
        if concept is not None:
            own = _own(concept, "status")
            if own:
                where = f"{ref_of(resource)}.valueCodeableConcept"
                return _enum(Status, own, where, self.source), "valueCodeableConcept"
            for system, code, _ in codings(concept):
                if (system, code) in _YES_NO:
                    return _YES_NO[(system, code)], "valueCodeableConcept"
            text = concept_text(concept).strip().lower()
            if text in {"yes", "present", "positive"}:
                return Status.present, "valueCodeableConcept"
            if text in {"no", "absent", "negative"}:
                return Status.absent, "valueCodeableConcept"
        for concept in resource.get("interpretation") or []:
            for _system, code, _ in codings(concept):
                if code in {"POS", "DET", "A"}:
                    return Status.present, "interpretation"
                if code in {"NEG", "ND", "N"}:
                    return Status.absent, "interpretation"
        return None, ""

    def read_finding(self, resource: dict[str, Any], code: FindingCode) -> None:
        status, element = self.status_value(resource)
        if status is None:
            self.skip(resource, "value[x]", f"finding {code.value} has no present/absent value")
            return
        date, date_element = self.effective(resource)
        components = self.components(resource)
        fact = {
            "code": code.value,
            "status": status.value,
            "date": date,
            "distribution": components.get("distribution") or _body_site(resource),
            "laterality": components.get("laterality"),
            "grades": components.get("grades"),
        }
        self.add("findings", resource, fact, element)
        self.done(resource, {"code", element, date_element, "component", "bodySite"})

    def components(self, resource: dict[str, Any]) -> dict[str, Any]:
        """heliotrope's components: distribution, laterality and MRC grades."""
        out: dict[str, Any] = {}
        grades = []
        for index, component in enumerate(resource.get("component") or []):
            where = f"{ref_of(resource)}.component[{index}]"
            name = _own(component.get("code"), "component")
            muscle = _own(component.get("code"), "muscle")
            if name == "distribution":
                out["distribution"] = component.get("valueString")
            elif name == "laterality":
                side = _own(component.get("valueCodeableConcept"), "side")
                out["laterality"] = _enum(Side, side or "", where, self.source).value
            elif muscle is not None:
                side_ext = extension(component, t.ext("side"))
                side = side_ext.get("valueCode") if side_ext else "both"
                grades.append(
                    {
                        "muscle": _enum(MuscleGroup, muscle, where, self.source).value,
                        "side": _enum(Side, side or "", where, self.source).value,
                        "mrc": component.get("valueString"),
                    }
                )
            elif name is None and _own(component.get("code"), "activity-measure") is None:
                self.skip(resource, f"component[{index}]", "component not used by heliotrope")
        if grades:
            out["grades"] = grades
        return out

    def read_lab(self, resource: dict[str, Any], analyte: Analyte) -> None:
        where = ref_of(resource)
        date, date_element = self.effective(resource)
        quantity = resource.get("valueQuantity")
        if not isinstance(quantity, dict) or quantity.get("value") is None:
            interpretation = None
            for concept in resource.get("interpretation") or []:
                for _system, code, _ in codings(concept):
                    interpretation = interpretation or self.tx.lab_interpretation.get(code)
            if interpretation is None:
                reason = "dataAbsentReason" if "dataAbsentReason" in resource else "no value"
                self.skip(resource, "value[x]", f"{analyte.value}: {reason}; not read")
                return
            statement = {
                "analyte": analyte.value,
                "interpretation": interpretation.value,
                "date": date,
            }
            self.add("lab_statements", resource, statement, "interpretation")
            self.done(resource, {"code", "interpretation", date_element, "referenceRange"})
            return
        unit = self.unit_of(quantity, f"{where}.valueQuantity", analyte)
        value = float(quantity["value"])
        if value < 0:
            raise fhir_error(
                "A lab value is negative.",
                f"{where}.valueQuantity.value",
                "below zero",
                self.source,
            )
        comparator = quantity.get("comparator")
        if comparator not in {None, "<", ">", "<=", ">="}:
            raise fhir_error(
                "A lab comparator heliotrope cannot read.",
                f"{where}.valueQuantity.comparator",
                f"{comparator!r} is not <, >, <= or >=",
                self.source,
            )
        fact: dict[str, Any] = {
            "analyte": analyte.value,
            "value": value,
            "unit": unit,
            "comparator": comparator,
            "date": date,
        }
        ranges = resource.get("referenceRange") or []
        if ranges:
            fact["range"] = self.range_of(ranges[0], f"{where}.referenceRange[0]", analyte)
            if fact["range"].get("unit") == unit:
                del fact["range"]["unit"]
            if len(ranges) > 1:
                self.skip(resource, "referenceRange[1:]", "only the first reference range is read")
        self.add("labs", resource, fact, "valueQuantity")
        self.done(
            resource, {"code", "valueQuantity", date_element, "referenceRange", "interpretation"}
        )

    def unit_of(self, quantity: dict[str, Any], where: str, analyte: Analyte) -> str:
        """The unit to keep: the UCUM code (read by pint), or the lab's own unit text when it
        means the same (``µkat/L`` for ``ukat/L``)."""
        code, unit = quantity.get("code"), quantity.get("unit")
        text = t.ucum_to_unit(code) if code and quantity.get("system") == t.UCUM else unit
        if not text:
            raise fhir_error(
                "A lab value has no unit.", f"{where}.code", "no UCUM code and no unit", self.source
            )
        try:
            factor = convert(1.0, text, analyte)
        except UnitError as exc:
            raise fhir_error(
                "A lab unit cannot be converted.", f"{where}.code", exc.message, self.source
            ) from None
        if unit and unit != text:
            try:
                if abs(convert(1.0, unit, analyte) - factor) <= 1e-9 * abs(factor):
                    return str(unit)
            except UnitError:
                pass
        return str(text)

    def range_of(self, reference: dict[str, Any], where: str, analyte: Analyte) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for bound in ("low", "high"):
            quantity = reference.get(bound)
            if isinstance(quantity, dict) and quantity.get("value") is not None:
                out[bound] = float(quantity["value"])
                if quantity.get("code") or quantity.get("unit"):
                    out["unit"] = self.unit_of(quantity, f"{where}.{bound}", analyte)
        return out

    def read_antibody(self, resource: dict[str, Any], name: AntibodyName) -> None:
        result, element = self.antibody_result(resource)
        if result is None:
            self.skip(resource, "value[x]", f"{name.value}: no positive/negative result")
            return
        date, date_element = self.effective(resource)
        titre = None
        for component in resource.get("component") or []:
            if _own(component.get("code"), "component") == "titre":
                titre = component.get("valueString")
        value_string = resource.get("valueString")
        if titre is None and isinstance(value_string, str) and _TITRE.match(value_string):
            titre = resource["valueString"].strip()
        method = concept_text(resource.get("method")) or None
        fact = {
            "name": name.value,
            "result": result.value,
            "titre": titre,
            "method": method,
            "date": date,
        }
        self.add("antibodies", resource, fact, element)
        used = {"code", element, date_element, "component", "method", "valueString"}
        self.done(resource, used | {"interpretation", "valueQuantity", "referenceRange"})

    def antibody_result(self, resource: dict[str, Any]) -> tuple[AntibodyResult | None, str]:
        if "dataAbsentReason" in resource:
            return AntibodyResult.not_tested, "dataAbsentReason"
        concept = resource.get("valueCodeableConcept")
        if concept is not None:
            own = _own(concept, "antibody-result")
            if own:
                where = f"{ref_of(resource)}.valueCodeableConcept"
                return _enum(AntibodyResult, own, where, self.source), "valueCodeableConcept"
            for system, code, _ in codings(concept):
                if system == t.SNOMED and code in self.tx.antibody_results_snomed:
                    return self.tx.antibody_results_snomed[code], "valueCodeableConcept"
            text = concept_text(concept).strip().lower()
            if text in self.tx.antibody_results_text:
                return self.tx.antibody_results_text[text], "valueCodeableConcept"
        if isinstance(resource.get("valueString"), str):
            text = resource["valueString"].strip().lower()
            if text in self.tx.antibody_results_text:
                return self.tx.antibody_results_text[text], "valueString"
        if isinstance(resource.get("valueBoolean"), bool):
            return (
                AntibodyResult.positive if resource["valueBoolean"] else AntibodyResult.negative
            ), "valueBoolean"
        for concept in resource.get("interpretation") or []:
            for _system, code, _ in codings(concept):
                if code in self.tx.antibody_results_interpretation:
                    return self.tx.antibody_results_interpretation[code], "interpretation"
        return None, ""

    def read_age(self, resource: dict[str, Any]) -> None:
        quantity = resource.get("valueQuantity") or {}
        where = f"{ref_of(resource)}.valueQuantity"
        if quantity.get("value") is None:
            self.skip(resource, "valueQuantity", "age without a value")
            return
        code = quantity.get("code") or quantity.get("unit") or "a"
        factor = _AGE_UNITS.get(str(code))
        if factor is None:
            raise fhir_error(
                "An age unit heliotrope cannot read.",
                f"{where}.code",
                "not a, mo, wk or d",
                self.source,
            )
        if "age_years" in self.demographics:
            self.skip(resource, "valueQuantity", "a second age observation: the first is used")
            return
        self.demographics["age_years"] = round(float(quantity["value"]) * factor, 4)
        date, date_element = self.effective(resource)
        if date:
            self.demographics["age_at"] = date
        self.done(resource, {"code", "valueQuantity", date_element})

    def read_tumour(self, resource: dict[str, Any]) -> None:
        concept = resource.get("valueCodeableConcept")
        response = _own(concept, "recist-response")
        reported = None
        if response:
            where = f"{ref_of(resource)}.valueCodeableConcept"
            reported = _enum(RecistResponse, response, where, self.source).value
        else:
            for system, code, _ in codings(concept):
                if system == t.SNOMED and code in self.tx.disease_status_values:
                    reported = self.tx.disease_status_values[code].value
                elif system == t.SNOMED and code in self.tx.disease_status_unmapped:
                    self.notes.append(
                        f"{ref_of(resource)}: {self.tx.disease_status_unmapped[code]}; "
                        "kept as the description"
                    )
        date, date_element = self.effective(resource)
        described = _ext_value(resource, "description", "valueString")
        note = self.note(resource)
        description = described if described is not None else note
        if reported is None and concept is not None:
            description = "; ".join(x for x in (concept_text(concept), description) if x)
        fact = {
            "modality": concept_text(resource.get("method")) or None,
            "reported_response": reported,
            "description": description,
            "date": date,
        }
        self.add("tumour_assessments", resource, fact, "valueCodeableConcept")
        if described is None:
            self.lists["tumour_assessments"][-1].pop("note", None)
        self.done(
            resource,
            {"code", "valueCodeableConcept", "method", date_element, "focus", "dataAbsentReason"},
        )

    def read_activity(self, resource: dict[str, Any]) -> None:
        date, date_element = self.effective(resource)
        fact: dict[str, Any] = {"date": date}
        grades = self.components(resource).get("grades")
        if grades:
            fact["grades"] = grades
        for component in resource.get("component") or []:
            measure = _own(component.get("code"), "activity-measure")
            if measure:
                fact[measure] = (component.get("valueQuantity") or {}).get("value")
        self.add("activity", resource, fact, "component")
        self.done(resource, {"code", "component", date_element})

    def read_lesion(self, resource: dict[str, Any]) -> None:
        date, date_element = self.effective(resource)
        fact: dict[str, Any] = {"date": date}
        for index, component in enumerate(resource.get("component") or []):
            name = _own(component.get("code"), "component")
            where = f"{ref_of(resource)}.component[{index}]"
            if name in {"lesion", "organ"}:
                fact[name] = component.get("valueString")
            elif name == "node":
                fact["node"] = component.get("valueBoolean")
            elif name == "lesion-kind":
                code = _own(component.get("valueCodeableConcept"), "lesion-kind") or ""
                fact["kind"] = _enum(LesionKind, code, where, self.source).value
            elif name == "lesion-assessment":
                code = _own(component.get("valueCodeableConcept"), "lesion-assessment") or ""
                fact["assessment"] = _enum(LesionAssessment, code, where, self.source).value
        mm = (resource.get("valueQuantity") or {}).get("value")
        fact["mm"] = mm
        self.add("lesions", resource, fact, "valueQuantity")
        self.done(resource, {"code", "component", "valueQuantity", date_element})

    # -- Procedure and DiagnosticReport --------------------------------------------------
    def investigation_kind(self, concept: Any, where: str) -> InvestigationKind | None:
        own = _own(concept, "investigation")
        if own:
            return _enum(InvestigationKind, own, where, self.source)  # type: ignore[no-any-return]
        for system, code, _ in codings(concept):
            if system == t.SNOMED and code in self.tx.investigation_snomed:
                return self.tx.investigation_snomed[code]
        text = concept_text(concept).lower()
        for needle, kind in self.tx.investigation_text.items():
            if re.search(rf"(?<![a-z]){re.escape(needle)}", text):
                return kind
        return None

    def treatment_kind(self, resource: dict[str, Any]) -> TreatmentKind | None:
        for element in ("category", "code"):
            own = _own(resource.get(element), "treatment-kind")
            if own:
                where = f"{ref_of(resource)}.{element}"
                return _enum(TreatmentKind, own, where, self.source)  # type: ignore[no-any-return]
        for element in ("category", "code"):
            for system, code, _ in codings(resource.get(element)):
                if system == t.SNOMED and code in self.tx.treatment_procedure_snomed:
                    return self.tx.treatment_procedure_snomed[code]
        text = concept_text(resource.get("code")).lower()
        for needle, kind in self.tx.treatment_procedure_text.items():
            if needle in text:
                return kind
        return None

    def read_procedure(self, resource: dict[str, Any]) -> None:
        where = ref_of(resource)
        kind = self.investigation_kind(resource.get("code"), f"{where}.code")
        if kind is None:
            treatment = self.treatment_kind(resource)
            if treatment is not None:
                self.read_treatment(resource, treatment)
                return
            self.skip(resource, "code", f"not a procedure heliotrope reads ({_label(resource)})")
            return
        status = resource.get("status")
        performed = True if status == "completed" else False if status == "not-done" else None
        date = (
            fhir_date(resource.get("performedDateTime"))
            or period_date(resource.get("performedPeriod"))[0]
        )
        fact: dict[str, Any] = {"kind": kind.value, "performed": performed, "date": date}
        if performed is False:
            reason = concept_text(resource.get("statusReason"))
            fact["reason_not_performed"] = reason or None
        findings: dict[str, str] = {}
        summaries: list[str] = []
        for index, reference in enumerate(resource.get("report") or []):
            report = self.follow(resource, f"report[{index}]", reference)
            if report is None:
                continue
            if report.get("resourceType") != "DiagnosticReport":
                raise fhir_error(
                    "A Procedure.report must point to a DiagnosticReport.",
                    f"{where}.report[{index}]",
                    f"points to a {report.get('resourceType')}",
                    self.source,
                )
            self.consumed.add(id(report))
            self.check_subject(report)
            self.report_findings(report, findings, summaries)
            self.used.append(ref_of(report))
        if summaries:
            fact["summary"] = "; ".join(summaries)
        if findings:
            fact["findings"] = findings
        self.add("investigations", resource, fact, "status")
        self.done(
            resource,
            {"code", "statusReason", "performedDateTime", "performedPeriod", "report", "bodySite"},
        )

    def report_findings(
        self, report: dict[str, Any], findings: dict[str, str], summaries: list[str]
    ) -> None:
        if report.get("conclusion"):
            summaries.append(str(report["conclusion"]))
        for index, concept in enumerate(report.get("conclusionCode") or []):
            own = _own(concept, "investigation-finding")
            if own:
                where = f"{ref_of(report)}.conclusionCode[{index}]"
                findings[_enum(InvestigationFinding, own, where, self.source).value] = "present"
        for index, reference in enumerate(report.get("result") or []):
            observation = self.follow(report, f"result[{index}]", reference)
            if observation is None:
                continue
            self.consumed.add(id(observation))
            self.check_subject(observation)
            code = _own(observation.get("code"), "investigation-finding")
            if code is None:
                self.skip(observation, "code", "a report result heliotrope does not read")
                continue
            where = f"{ref_of(observation)}.code"
            finding = _enum(InvestigationFinding, code, where, self.source)
            status, _element = self.status_value(observation)
            if status is None:
                self.skip(observation, "value[x]", "investigation finding without a value")
                continue
            findings[finding.value] = status.value
            self.used.append(ref_of(observation))

    def read_report(self, resource: dict[str, Any]) -> None:
        kind = self.investigation_kind(resource.get("code"), f"{ref_of(resource)}.code")
        if kind is None:
            self.skip(resource, "code", f"not a report heliotrope reads ({_label(resource)})")
            return
        findings: dict[str, str] = {}
        summaries: list[str] = []
        self.report_findings(resource, findings, summaries)
        date, date_element = self.effective(resource)
        status = resource.get("status")
        performed = None if status in {"registered", "cancelled"} else True
        fact = {
            "kind": kind.value,
            "performed": performed,
            "date": date,
            "findings": findings or None,
            "summary": "; ".join(summaries) or None,
        }
        self.add("investigations", resource, fact, "conclusion")
        self.done(resource, {"code", "conclusion", "conclusionCode", "result", date_element})

    # -- treatments ----------------------------------------------------------------------
    def medication_text(self, resource: dict[str, Any]) -> tuple[str, Any]:
        if "medicationCodeableConcept" in resource:
            concept = resource["medicationCodeableConcept"]
            return concept_text(concept), concept
        reference = reference_id(resource.get("medicationReference")) or ""
        if reference.startswith("#"):
            for contained in resource.get("contained") or []:
                if contained.get("id") == reference[1:]:
                    return concept_text(contained.get("code")), contained.get("code")
        medication = self.follow(
            resource, "medicationReference", resource.get("medicationReference")
        )
        if medication is not None:
            self.used.append(ref_of(medication))
            return concept_text(medication.get("code")), medication.get("code")
        display = (resource.get("medicationReference") or {}).get("display")
        return str(display or ""), None

    def read_medication(self, resource: dict[str, Any]) -> None:
        if resource.get("status") in {"not-taken", "not-done", "intended"}:
            self.skip(resource, "status", f"{resource['status']}: not a treatment line")
            return
        kind = self.treatment_kind(resource)
        self.read_treatment(resource, kind)

    def read_treatment(self, resource: dict[str, Any], kind: TreatmentKind | None) -> None:
        where = ref_of(resource)
        if resource["resourceType"] == "Procedure":
            drug, concept = concept_text(resource.get("code")), resource.get("code")
            if resource.get("status") == "not-done":
                self.skip(resource, "status", "not done: not a treatment")
                return
            start, stop = period_date(resource.get("performedPeriod"))
            start = start or fhir_date(resource.get("performedDateTime"))
        else:
            drug, concept = self.medication_text(resource)
            start, stop = period_date(resource.get("effectivePeriod"))
            start = start or fhir_date(resource.get("effectiveDateTime"))
        if not drug:
            self.skip(resource, "medication[x]", "no drug or procedure named")
            return
        known = self.tx.drug(drug + " " + " ".join(d for _s, _c, d in codings(concept)))
        target = _ext_value(resource, "target", "valueCode")
        if kind is None:
            kind = known[0] if known else TreatmentKind.other
            if known is None:
                self.notes.append(f"{where}: drug not in the treatment table; kind 'other'")
        if target is None:
            target = known[1] if known and known[0] == kind else "other"
        if target not in {"cancer", "myositis", "other"}:
            raise fhir_error(
                "An unknown treatment target.",
                f"{where}.extension[target]",
                f"{target!r} is not cancer, myositis or other",
                self.source,
            )
        dosage = resource.get("dosage")
        dose = _ext_value(resource, "dose", "valueString")
        if isinstance(dosage, list) and dosage:
            dose = dosage[0].get("text")
        elif isinstance(dosage, dict):
            dose = dosage.get("text")
        changes = [
            {
                "change": _sub(e, "change", "valueString"),
                "reason": _sub(e, "reason", "valueString"),
                "date": fhir_date(_sub(e, "date", "valueDateTime")),
            }
            for e in extensions(resource, t.ext("dose-change"))
        ]
        fact = {
            "drug": drug,
            "kind": kind.value,
            "target": target,
            "line": _ext_value(resource, "line", "valuePositiveInt"),
            "intent": _ext_value(resource, "intent", "valueString"),
            "cycles": _ext_value(resource, "cycles", "valueUnsignedInt"),
            "dose": dose,
            "start": start,
            "stop": stop,
            "dose_changes": [{k: v for k, v in c.items() if v is not None} for c in changes]
            or None,
        }
        self.add(
            "treatments",
            resource,
            fact,
            "medication" if "medication" in str(list(resource)) else "code",
        )
        self.done(
            resource,
            {"code", "medicationCodeableConcept", "medicationReference", "effectivePeriod"}
            | {"effectiveDateTime", "performedPeriod", "performedDateTime", "dosage"}
            | {"reasonCode", "bodySite"},
        )

    def read_basic(self, resource: dict[str, Any]) -> None:
        kind = _own(resource.get("code"), "event")
        if kind is None:
            self.skip(resource, "code", f"not a resource heliotrope reads ({_label(resource)})")
            return
        fact = {
            "kind": kind,
            "date": fhir_date(resource.get("created")),
            "description": _ext_value(resource, "description", "valueString"),
            "note": _ext_value(resource, "note", "valueString"),
        }
        self.add("events", resource, fact, "code")
        self.done(resource, {"code", "created"})

    # -- the record ----------------------------------------------------------------------
    def record_id(self) -> str:
        if self.patient is not None:
            for identifier in self.patient.get("identifier") or []:
                if identifier.get("system") == t.FACT_ID and _ID_OK.match(
                    str(identifier.get("value"))
                ):
                    return str(identifier["value"])
            raw = str(self.patient.get("id") or "")
        else:
            raw = ""
            self.notes.append("no Patient resource: the record id is not the patient's")
        cleaned = re.sub(r"[^A-Za-z0-9_\-]", "-", raw)
        if not cleaned:
            return "fhir-record"
        return cleaned if cleaned[0].isalpha() else f"patient-{cleaned}"

    def report(self) -> FhirReadReport:
        data: dict[str, Any] = {
            "id": self.record_id(),
            "demographics": self.demographics,
            "myositis": self.myositis,
            "notes": self.record_notes,
            **{name: entries for name, entries in self.lists.items() if entries},
        }
        try:
            record = PatientRecord.model_validate({k: v for k, v in data.items() if v})
        except ValidationError as exc:
            details = [self.locate(e["loc"], e["msg"]) for e in exc.errors()[:10]]
            raise FhirInputError(
                "The FHIR resources do not fit the record model.", details, source=self.source
            ) from None
        except DateResolutionError as exc:
            exc.source = self.source
            raise
        return FhirReadReport(
            record=record,
            source=self.source,
            used=tuple(dict.fromkeys(self.used)),
            unread=tuple(self.unread),
            types_not_read=dict(self.not_read),
            notes=tuple(self.notes),
        )

    def locate(self, loc: tuple[int | str, ...], message: str) -> ErrorDetail:
        """A record-model error located at the resource the fact came from."""
        if len(loc) >= 2 and loc[0] in self.origins and isinstance(loc[1], int):
            origin = self.origins[str(loc[0])][loc[1]]
            rest = ".".join(str(p) for p in loc[2:] if "[" not in str(p))
            return ErrorDetail(origin, f"{rest}: {message}" if rest else message)
        where = {"demographics": "Patient", "myositis": "Condition (myositis)"}.get(
            str(loc[0]) if loc else "", "record"
        )
        return ErrorDetail(where, f"{'.'.join(str(p) for p in loc)}: {message}")


def _label(resource: dict[str, Any]) -> str:
    """A code's system and code (never free text, which may hold patient details)."""
    for system, code, _ in codings(resource.get("code")):
        if code:
            short = system.rsplit("/", 1)[-1] or "no system"
            return f"{short} {code}"
    return "no code"


def _body_site(resource: dict[str, Any]) -> str | None:
    site = resource.get("bodySite")
    return concept_text(site) or None if site else None


def _ext_value(resource: dict[str, Any], name: str, kind: str) -> Any:
    found = extension(resource, t.ext(name))
    return found.get(kind) if found else None


def _sub(element: dict[str, Any], name: str, kind: str) -> Any:
    for inner in element.get("extension") or []:
        if inner.get("url") == name:
            return inner.get(kind)
    return None


def read_resources(
    parsed: ParsedInput, source: str = "<fhir>", *, patient_id: str | None = None
) -> FhirReadReport:
    """Read parsed FHIR resources into a record, with the report of what was (not) read.

    Input with no resource at all (an empty Bundle or ndjson file) is refused: there is no
    patient to assess, and an empty record would look like one with every item unknown."""
    if not parsed.resources:
        raise fhir_error(
            "The FHIR input holds no resource: there is no patient to read.",
            "Bundle.entry" if parsed.bundle_type is not None else "(file)",
            "empty",
            source,
        )
    return _Reader(parsed, source, patient_id).read()
