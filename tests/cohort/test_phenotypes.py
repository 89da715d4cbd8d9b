"""The named phenotypes on hand-made CDM rows: anti-TIF1γ DM with and without cancer screening
in the IMACS window, cancer-associated myositis at the ±3-year edges."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from heliotrope.cohort import engines
from heliotrope.cohort.convert import first_id, insert_rows, vocabulary_rows

ONSET = date(2015, 6, 30)


def _patient(
    pid: int, *, screening: date | None, cancer: date | None, side: str = ";laterality=both"
) -> dict[str, list[tuple[object, ...]]]:
    base = pid * 100
    nlp = [
        (
            base + k,
            base,
            0,
            "",
            "",
            code,
            first_id("finding_" + code),
            0,
            "heliotrope",
            ONSET,
            "Y",
            "",
            "negated=false" + (side if code.startswith("weakness") else ""),
        )
        for k, code in enumerate(("heliotrope_rash", "gottron_sign", "weakness_proximal_upper"), 1)
    ]
    rows: dict[str, list[tuple[object, ...]]] = {
        "person": [(pid, 0, 1960, 1, 15, f"p{pid}")],
        "condition_occurrence": [(base, pid, first_id("myositis_index"), ONSET, 32817, "dm")],
        "note": [(base, pid, ONSET, 0, 0, "n", "", 0, 0)],
        "note_nlp": nlp,
        "measurement": [
            (base, pid, first_id("antibody_anti_tif1g"), ONSET, 32817, None, None,
             first_id("value_positive"), 0, None, None, "tif1g", None),
        ],
        "observation_period": [(pid, pid, date(2010, 1, 1), date(2024, 1, 1), 32817)],
    }  # fmt: skip
    if screening:
        rows["procedure_occurrence"] = [(base, pid, first_id("cancer_screening"), screening, 32817)]
    if cancer:
        rows["condition_occurrence"].append((base + 1, pid, first_id("cancer"), cancer, 32817, "c"))
    return rows


@pytest.mark.parametrize(
    ("screening", "cancer", "unscreened", "cam"),
    [
        (None, None, True, False),
        (date(2015, 7, 15), None, False, False),
        (date(2018, 6, 30), None, False, False),  # the window's last day (inclusive)
        (date(2018, 7, 1), None, True, False),  # a day after the IMACS window
        (None, date(2012, 6, 30), True, True),  # cancer exactly 36 months before onset
        (None, date(2012, 6, 29), True, False),  # a day earlier: outside the window
    ],
)
def test_phenotypes(
    tmp_path: Path, screening: date | None, cancer: date | None, unscreened: bool, cam: bool
) -> None:
    con = duckdb.connect()
    from heliotrope.cohort.cdm import create_tables

    create_tables(con)
    insert_rows(con, vocabulary_rows())
    insert_rows(con, _patient(1, screening=screening, cancer=cancer))
    out = tmp_path / "p.parquet"
    engines.write_phenotypes(con, out)
    names = {
        r[0]: r
        for r in duckdb.sql(
            f"SELECT cohort_name, cohort_start_date, detail FROM '{out}'"
        ).fetchall()
    }
    assert names["iim_eular_acr_2017"][2] == "DM"
    assert names["iim_eular_acr_2017"][1] == ONSET
    assert "dm_enmc_2018" in names
    assert ("tif1g_dm_unscreened" in names) is unscreened
    assert ("cam_3y" in names) is cam
    con.close()


@pytest.mark.parametrize(
    ("side", "subgroup"),
    [(";laterality=both", "DM"), (";laterality=left", "ADM"), ("", "ADM")],
)
def test_iim_subgroup_needs_weakness_on_both_sides(
    tmp_path: Path, side: str, subgroup: str
) -> None:
    """Regression (issue 7 on the cohort path): one-sided weakness is absent and weakness of
    unrecorded side unknown (headline: absent), so the subgroup is ADM, not DM."""
    con = duckdb.connect()
    from heliotrope.cohort.cdm import create_tables

    create_tables(con)
    insert_rows(con, vocabulary_rows())
    insert_rows(con, _patient(1, screening=None, cancer=None, side=side))
    out = tmp_path / "p.parquet"
    engines.write_phenotypes(con, out)
    detail = duckdb.sql(
        f"SELECT detail FROM '{out}' WHERE cohort_name = 'iim_eular_acr_2017'"
    ).fetchall()
    assert detail == [(subgroup,)]
    con.close()
