"""The plain DM diagnosis cohort, by heliotrope's readers and by an independent engine.

``dm_diagnosis`` (heliotrope): persons whose first condition of the ``dm_diagnosis`` concept
set (SNOMED 396230008 dermatomyositis and its descendants) falls within one of their
observation periods; start = that date, end = the end of that observation period.
``circe_dm_diagnosis`` runs the same definition written as OHDSI Circe JSON
(``resources/omop/circe/dm_diagnosis.json``: first ConditionOccurrence of the codeset, primary
criteria limit First, no inclusion rules, default end = observation period end) with
``ohdsi-circepy`` (Circe-BE in Python, over Ibis) on the same DuckDB file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from heliotrope.cohort.concepts import resolve

__all__ = ["CIRCE_JSON", "circe_dm_diagnosis", "circe_unavailable", "dm_diagnosis"]

Cohort = set[tuple[int, str, str]]


def _circe_text() -> str:
    return (
        resources.files("heliotrope.resources").joinpath("omop/circe/dm_diagnosis.json").read_text()
    )


CIRCE_JSON = "omop/circe/dm_diagnosis.json"


def dm_diagnosis(con: duckdb.DuckDBPyConnection) -> Cohort:
    """(person_id, start, end) of the plain DM diagnosis cohort, by heliotrope's SQL."""
    ids = resolve(lambda q: con.execute(q).fetchall(), ["dm_diagnosis"])["dm_diagnosis"]
    listed = ", ".join(str(i) for i in ids)
    rows = con.execute(
        "WITH first AS (SELECT person_id, MIN(condition_start_date) AS d FROM "
        f"condition_occurrence WHERE condition_concept_id IN ({listed}) GROUP BY person_id) "
        "SELECT f.person_id, f.d, o.observation_period_end_date FROM first f "
        "JOIN observation_period o ON o.person_id = f.person_id "
        "AND f.d BETWEEN o.observation_period_start_date AND o.observation_period_end_date"
    ).fetchall()
    return {(int(p), str(s), str(e)) for p, s, e in rows}


def circe_unavailable() -> str | None:
    """Why the Circe cross-check cannot run here, or None."""
    try:
        import circe.api  # noqa: F401
        import ibis  # type: ignore[import-untyped]  # noqa: F401
    except ImportError as exc:
        return f"ohdsi-circepy is not installed ({exc.name})"
    return None


def circe_dm_diagnosis(path: Path) -> Cohort:
    """The same cohort by OHDSI Circe (``ohdsi-circepy``) on the DuckDB file ``path``."""
    import ibis
    from circe.api import build_cohort, cohort_expression_from_json

    backend = ibis.duckdb.connect(str(path))
    try:
        expression = cohort_expression_from_json(_circe_text())
        frame = build_cohort(expression, backend=backend, cdm_schema="main").execute()
    finally:
        backend.disconnect()
    return {
        (int(r.person_id), str(r.start_date)[:10], str(r.end_date)[:10]) for r in frame.itertuples()
    }
