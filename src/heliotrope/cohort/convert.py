"""Records ↔ OMOP CDM rows, for what the CDM can hold.

``record_rows`` writes a :class:`~heliotrope.model.record.PatientRecord` as CDM rows (the
myositis onset as a dermatomyositis condition, findings as NOTE_NLP terms (the side of a
weakness finding as ``laterality=<side>`` in ``term_modifiers``), enzymes and
antibodies as MEASUREMENT rows, a performed muscle biopsy as a procedure, cancers as conditions,
follow-up as the observation period); ``read_records`` reads a CDM back into records with the
same conventions as the SQL readers (:mod:`heliotrope.cohort.readers`). The equivalence tests
run both ways: record → rows → SQL, and rows → record → ``heliotrope.api.assess``.

CDM-representable records: exact dates; findings of :data:`readers.FINDINGS`; ranged or
unranged enzyme values in U/L (optionally censored); antibodies of :data:`readers.ANTIBODIES`
positive, weak or negative; a muscle biopsy performed without reported features; cancers with
diagnosis dates. Everything else in a record has no CDM column here and is not written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import duckdb

from heliotrope.cohort.concepts import LOCAL_VOCABULARY, concept_sets
from heliotrope.cohort.readers import ANTIBODIES, ENZYMES, FINDINGS, OPERATORS, SIDES, SYMMETRIC
from heliotrope.criteria.readers_extra import last_follow_up
from heliotrope.errors import HeliotropeError
from heliotrope.model.record import (
    AntibodyTest,
    Cancer,
    Event,
    Finding,
    Investigation,
    LabResult,
    PatientRecord,
    ReferenceRange,
)
from heliotrope.model.vocabulary import (
    Analyte,
    AntibodyName,
    AntibodyResult,
    FindingCode,
    InvestigationKind,
    Side,
    Status,
)

__all__ = ["Rows", "first_id", "insert_rows", "read_records", "record_rows", "vocabulary_rows"]

Rows = dict[str, list[tuple[Any, ...]]]
EHR = 32817  # OMOP type concept "EHR"
DM_CONCEPT_SET = "myositis_index"
NLP_SYSTEM = "heliotrope"


def first_id(set_name: str) -> int:
    """The concept id a writer uses for a set: its first code's (OMOP or local) id."""
    return concept_sets()[set_name].codes[0].default_id


def vocabulary_rows() -> Rows:
    """CONCEPT rows for every code of every concept set (and CONCEPT_ANCESTOR self-rows for the
    sets read with descendants), so a CDM written by heliotrope resolves its own codes."""
    rows: dict[int, tuple[Any, ...]] = {}
    ancestors: list[tuple[Any, ...]] = []
    for concept_set in concept_sets().values():
        for code in concept_set.codes:
            standard = None if code.vocabulary == LOCAL_VOCABULARY else "S"
            rows[code.default_id] = (
                code.default_id,
                code.name,
                concept_set.domain,
                code.vocabulary,
                "Clinical Finding",
                standard,
                code.code,
                date(1970, 1, 1),
                date(2099, 12, 31),
                None,
            )
            if code.descendants:
                ancestors.append((code.default_id, code.default_id, 0, 0))
    return {"concept": list(rows.values()), "concept_ancestor": ancestors}


def _exact(record: PatientRecord, spec: Any) -> date | None:
    when = record.date_of(spec)
    if when is None:
        return None
    # A CDM date is exact: a partial or relative date is projected to its earliest day (the
    # read-back record then holds that day, and the equivalence is checked against it).
    return when.earliest


def _modifiers(found: Finding) -> str:
    """``term_modifiers`` of a finding: its negation and, when recorded, its side."""
    text = "negated=false" if found.status == Status.present else "negated=true"
    return text + (f";laterality={found.laterality.value}" if found.laterality else "")


def _laterality(modifiers: str | None) -> Side | None:
    """The side a ``term_modifiers`` text records (``laterality=<side>``), if any."""
    for part in (modifiers or "").split(";"):
        key, _, value = part.partition("=")
        if key.strip() == "laterality" and value.strip() in SIDES:
            return Side(value.strip())
    return None


def _operator(comparator: str | None) -> int | None:
    return OPERATORS[comparator] if comparator else None


def record_rows(record: PatientRecord, person_id: int, ids: dict[str, int] | None = None) -> Rows:
    """The CDM rows of ``record`` (row ids derived from ``person_id``)."""
    rows: Rows = defaultdict(list)
    base = person_id * 1000
    birth = record.date_of(record.demographics.birth_date)
    year = month = day = None
    if birth is not None:
        year = birth.earliest.year
        month = birth.earliest.month if birth.earliest.month == birth.latest.month else None
        day = birth.earliest.day if birth.earliest == birth.latest else None
    rows["person"].append((person_id, 0, year, month, day, record.id))
    onset = _exact(record, record.myositis.onset) or _exact(record, record.myositis.diagnosis)
    follow = last_follow_up(record)
    follow_day = follow.earliest if follow is not None else onset
    if onset is not None:
        rows["condition_occurrence"].append(
            (base + 1, person_id, first_id(DM_CONCEPT_SET), onset, EHR, "dermatomyositis")
        )
    note_day = onset or follow_day
    wanted = set(FINDINGS)
    findings = [
        f for f in record.findings if f.code.value in wanted and f.status != Status.not_assessed
    ]
    if findings:
        rows["note"].append((base + 2, person_id, note_day, EHR, 0, "findings", "", 0, 0))
        for index, found in enumerate(findings):
            present = found.status == Status.present
            rows["note_nlp"].append(
                (
                    base + 100 + index,
                    base + 2,
                    0,
                    found.code.value,
                    "",
                    found.code.value,
                    first_id("finding_" + found.code.value),
                    0,
                    NLP_SYSTEM,
                    note_day,
                    "Y" if present else "N",
                    "",
                    _modifiers(found),
                )
            )
    for index, lab in enumerate(record.labs):
        if lab.analyte.value not in ENZYMES:
            continue
        uln = lab.canonical_uln
        rows["measurement"].append(
            (
                base + 200 + index,
                person_id,
                first_id("lab_" + lab.analyte.value),
                _exact(record, lab.date) or note_day,
                EHR,
                _operator(lab.comparator),
                lab.canonical_value,
                None,
                0,
                None,
                uln,
                lab.analyte.value,
                "U/L",
            )
        )
    values = {
        AntibodyResult.positive: "value_positive",
        AntibodyResult.weak: "value_weak",
        AntibodyResult.negative: "value_negative",
    }
    for index, test in enumerate(record.antibodies):
        if test.name.value not in ANTIBODIES or test.result not in values:
            continue
        rows["measurement"].append(
            (
                base + 400 + index,
                person_id,
                first_id("antibody_" + test.name.value),
                _exact(record, test.date) or note_day,
                EHR,
                None,
                None,
                first_id(values[test.result]),
                0,
                None,
                None,
                test.name.value,
                None,
            )
        )
    for index, inv in enumerate(record.investigations):
        if inv.kind == InvestigationKind.muscle_biopsy and inv.performed:
            when = _exact(record, inv.date) or note_day
            rows["procedure_occurrence"].append(
                (base + 600 + index, person_id, first_id("muscle_biopsy"), when, EHR)
            )
    for index, cancer in enumerate(record.cancers):
        when = _exact(record, cancer.date)
        if when is not None:
            rows["condition_occurrence"].append(
                (base + 700 + index, person_id, first_id("cancer"), when, EHR, cancer.histology)
            )
    if follow_day is not None:
        start = onset or follow_day
        rows["observation_period"].append(
            (person_id, person_id, min(start, follow_day), follow_day, EHR)
        )
    return dict(rows)


def insert_rows(
    con: duckdb.DuckDBPyConnection, rows: Mapping[str, Iterable[tuple[Any, ...]]]
) -> None:
    """Append ``rows`` to the DuckDB CDM tables (columns in :data:`cdm.TABLES` order)."""
    for table, values in rows.items():
        values = list(values)
        if not values:
            continue
        marks = ", ".join("?" * len(values[0]))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", values)


# -- CDM → records ---------------------------------------------------------------------------
def _reverse(
    prefix: str, names: Iterable[str], ids: Mapping[str, tuple[int, ...]]
) -> dict[int, str]:
    return {concept: name for name in names for concept in ids[prefix + name]}


def read_records(
    con: duckdb.DuckDBPyConnection,
    ids: Mapping[str, tuple[int, ...]],
    rejected: dict[int, str] | None = None,
) -> dict[int, PatientRecord]:
    """Every person of the CDM as a record, with the SQL readers' conventions. A person whose
    rows make no valid record (the Synthea data has a birth in 2099: a record refuses future
    dates) is left out and, with ``rejected``, reported there with the reason."""
    finding_of = _reverse("finding_", FINDINGS, ids)
    lab_of = _reverse("lab_", ENZYMES, ids)
    antibody_of = _reverse("antibody_", ANTIBODIES, ids)
    value_of = {
        **dict.fromkeys(ids["value_weak"], AntibodyResult.weak),
        **dict.fromkeys(ids["value_negative"], AntibodyResult.negative),
        **dict.fromkeys(ids["value_positive"], AntibodyResult.positive),
    }
    operator_of = {v: k for k, v in OPERATORS.items() if k != "="}
    data: dict[int, dict[str, Any]] = {}
    last: dict[int, date] = {}

    def seen(pid: int, when: date | None) -> None:
        if when is not None and (pid not in last or when > last[pid]):
            last[pid] = when

    for pid, year, month, day, _source in con.execute(
        "SELECT person_id, year_of_birth, month_of_birth, day_of_birth, person_source_value "
        "FROM person"
    ).fetchall():
        birth = None
        if year is not None:
            birth = (
                f"{year:04d}"
                + (f"-{month:02d}" if month else "")
                + (f"-{day:02d}" if month and day else "")
            )
        data[pid] = {
            "id": f"p{pid}",
            "birth": birth,
            "findings": [],
            "labs": [],
            "antibodies": [],
            "investigations": [],
            "cancers": [],
            "onset": None,
        }
    myositis, cancer = set(ids[DM_CONCEPT_SET]), set(ids["cancer"])
    for pid, concept, when in con.execute(
        "SELECT person_id, condition_concept_id, condition_start_date FROM condition_occurrence"
    ).fetchall():
        seen(pid, when)
        entry = data[pid]
        if concept in myositis and (entry["onset"] is None or when < entry["onset"]):
            entry["onset"] = when
        if concept in cancer:
            entry["cancers"].append(Cancer(histology=f"OMOP condition {concept}", date=when))
        if concept in finding_of:
            entry["findings"].append(
                Finding(code=FindingCode(finding_of[concept]), status=Status.present)
            )
    for pid, concept, exists, modifiers, when in con.execute(
        "SELECT t.person_id, x.note_nlp_concept_id, x.term_exists, x.term_modifiers, t.note_date "
        "FROM note_nlp x JOIN note t ON x.note_id = t.note_id"
    ).fetchall():
        seen(pid, when)
        if concept not in finding_of:
            continue
        if exists == "Y":
            status = Status.present
        elif exists == "N" and "negated=true" in (modifiers or ""):
            status = Status.absent
        else:
            continue
        data[pid]["findings"].append(
            Finding(
                code=FindingCode(finding_of[concept]),
                status=status,
                laterality=_laterality(modifiers) if finding_of[concept] in SYMMETRIC else None,
            )
        )
    for pid, when in con.execute("SELECT t.person_id, t.note_date FROM note t").fetchall():
        seen(pid, when)
    for pid, concept, when, operator, number, value, high in con.execute(
        "SELECT person_id, measurement_concept_id, measurement_date, operator_concept_id, "
        "value_as_number, value_as_concept_id, range_high FROM measurement"
    ).fetchall():
        seen(pid, when)
        if concept in lab_of and number is not None:
            data[pid]["labs"].append(
                LabResult(
                    analyte=Analyte(lab_of[concept]),
                    value=number,
                    unit="U/L",
                    comparator=operator_of.get(operator),
                    range=ReferenceRange(high=high) if high else None,
                    date=when,
                )
            )
        if concept in antibody_of and value in value_of:
            data[pid]["antibodies"].append(
                AntibodyTest(
                    name=AntibodyName(antibody_of[concept]), result=value_of[value], date=when
                )
            )
    biopsy = set(ids["muscle_biopsy"])
    for pid, concept, when in con.execute(
        "SELECT person_id, procedure_concept_id, procedure_date FROM procedure_occurrence"
    ).fetchall():
        seen(pid, when)
        if concept in biopsy:
            data[pid]["investigations"].append(
                Investigation(kind=InvestigationKind.muscle_biopsy, performed=True, date=when)
            )
    for pid, when in con.execute(
        "SELECT person_id, observation_period_end_date FROM observation_period"
    ).fetchall():
        seen(pid, when)
    out = {}
    for pid, entry in data.items():
        events = [Event(kind="follow-up (latest CDM date)", date=last[pid])] if pid in last else []
        try:
            out[pid] = PatientRecord(
                id=entry["id"],
                demographics={"birth_date": entry["birth"]} if entry["birth"] else {},
                myositis={"onset": entry["onset"]} if entry["onset"] else {},
                findings=tuple(entry["findings"]),
                labs=tuple(entry["labs"]),
                antibodies=tuple(entry["antibodies"]),
                investigations=tuple(entry["investigations"]),
                cancers=tuple(entry["cancers"]),
                events=tuple(events),
            )
        except (ValueError, HeliotropeError) as exc:
            if rejected is not None:
                rejected[pid] = str(exc)
    return out
