"""Lesion tables: the CSV reader, and bad tables giving errors that name the line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from heliotrope.errors import LesionTableError
from heliotrope.io import parse_record
from heliotrope.model.record import LesionMeasurement
from heliotrope.model.vocabulary import LesionAssessment, LesionKind
from heliotrope.model.vocabulary import RecistResponse as R
from heliotrope.oncology.recist import RecistOptions, evaluate_recist, read_lesion_csv

from .helpers import scans

HEADER = "date,lesion,organ,kind,node,mm,assessment"
GOOD = f"""# a comment
{HEADER}

# baseline
2020-01-06,T1,lung,target,no,30,
2020-01-06,LN1,mediastinum,target,yes,18,
2020-01-06,NT1,pleura,non_target,no,,present
2020-02-17,T1,lung,target,no,20,
2020-02-17,LN1,mediastinum,target,yes,9,
2020-02-17,NT1,pleura,non_target,no,,absent
2020-02-17,NEW1,liver,new,no,,equivocal
"""


def _write(tmp_path: Path, text: str, name: str = "lesions.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> LesionTableError:
    with pytest.raises(LesionTableError) as caught:
        evaluate_recist(read_lesion_csv(_write(tmp_path, text)))
    return caught.value


def test_reads_rows_skipping_comments_and_blank_lines(tmp_path: Path) -> None:
    rows = read_lesion_csv(_write(tmp_path, GOOD))
    assert len(rows) == 7
    first, node, non_target, *_, new = rows
    assert (first.date, first.lesion, first.organ, first.kind) == (
        date(2020, 1, 6),
        "T1",
        "lung",
        LesionKind.target,
    )
    assert node.node is True and node.mm == 18
    assert non_target.mm is None and non_target.assessment is LesionAssessment.present
    assert new.assessment is LesionAssessment.equivocal
    assert first.source is not None and first.source.field == "line 5"


def test_blank_assessment_of_a_new_lesion_means_present(tmp_path: Path) -> None:
    text = f"{HEADER}\n2020-01-06,T1,lung,target,no,30,\n2020-02-17,NEW1,liver,new,,,\n"
    result = evaluate_recist(read_lesion_csv(_write(tmp_path, text)))
    assert result.timepoints[0].overall is R.PD


def test_a_good_table_evaluates(tmp_path: Path) -> None:
    result = evaluate_recist(read_lesion_csv(_write(tmp_path, GOOD)))
    point = result.timepoints[0]
    assert (point.target, point.non_target, point.new_lesions) == (R.PR, R.CR, "equivocal")
    assert point.sum_mm == 29.0


BASE = "2020-01-06,T1,lung,target,no,30,\n"


@pytest.mark.parametrize(
    ("rows", "where", "why"),
    [
        (
            BASE + "2020-02-17,T1,lung,tumour,no,20,\n",
            "line 3, field kind",
            "'tumour' is not a kind",
        ),
        (BASE + "2020-02-17,T1,lung,target,no,-2,\n", "line 3, field mm", "negative"),
        (BASE + "2020-02-17,T1,lung,target,no,abc,\n", "line 3, field mm", "not a number"),
        (BASE + "2020-02-17,T1,lung,target,no,,\n", "line 3, field mm", "has no measurement"),
        (BASE + "17/02/2020,T1,lung,target,no,20,\n", "line 3, field date", "not an ISO date"),
        (BASE + "2020-02-30,T1,lung,target,no,20,\n", "line 3, field date", "not a calendar date"),
        (BASE + "2020-02-17,T1,lung,target,maybe,20,\n", "line 3, field node", "not yes or no"),
        (BASE + "2020-02-17,T1,lung,target,no,20\n", "line 3", "6 fields"),
        (BASE + "2020-02-17,,lung,target,no,20,\n", "line 3, field lesion", "empty"),
        (
            BASE + "2020-02-17,T2,liver,target,no,20,\n",
            "line 3, field kind",
            "first appears on 2020-02-17, after baseline",
        ),
        (
            BASE + "2020-02-17,NT5,liver,non_target,no,,present\n",
            "line 3, field kind",
            "non_target lesion 'NT5' first appears",
        ),
        (BASE + BASE, "line 3, field lesion", "second row on 2020-01-06"),
        (
            BASE + "2020-02-17,T1,lung,non_target,no,,present\n",
            "line 3, field kind",
            "keeps its kind",
        ),
        (BASE + "2020-02-17,T1,lung,target,yes,20,\n", "line 3, field node", "node=yes"),
        (BASE + "2020-01-06,NEW1,liver,new,no,,present\n", "line 3, field kind", "marked new on"),
        (
            BASE + "2020-01-06,NT1,liver,non_target,no,,\n",
            "line 3, field assessment",
            "has no assessment",
        ),
        (
            BASE + "2020-01-06,NT1,liver,non_target,no,,equivocal\n",
            "line 3, field assessment",
            "not an assessment of a non_target lesion",
        ),
        (
            BASE + "2020-02-17,NEW1,liver,new,no,,absent\n",
            "line 3, field assessment",
            "not an assessment of a new lesion",
        ),
        (
            BASE + "2020-02-17,T1,lung,target,no,20,present\n",
            "line 3, field assessment",
            "leave assessment blank",
        ),
        (BASE + "2020-02-17,T1,lung,target,no,20,gone\n", "line 3, field assessment", "'gone'"),
    ],
    ids=lambda value: None,
)
def test_bad_rows_are_named_by_line_and_field(
    tmp_path: Path, rows: str, where: str, why: str
) -> None:
    error = _error(tmp_path, f"{HEADER}\n{rows}")
    assert error.code == "HT104"
    assert error.source is not None and error.source.endswith("lesions.csv")
    messages = [f"{d.location}: {d.message}" for d in error.details]
    assert any(m.startswith(where) and why in m for m in messages), messages


@pytest.mark.parametrize(
    ("header", "why"),
    [
        ("date,lesion,organ,type,node,mm,assessment", "unknown column(s) 'type'"),
        ("date,lesion,organ,kind,node,mm", "missing column(s) assessment"),
        ("lesion,date,organ,kind,node,mm,assessment", "out of order"),
    ],
)
def test_unknown_header(tmp_path: Path, header: str, why: str) -> None:
    error = _error(tmp_path, f"# comment\n{header}\n{BASE}")
    assert "header" in error.message
    assert error.details[0].location == "line 2"
    assert why in error.details[0].message


def test_header_names_may_be_spaced_and_capitalised(tmp_path: Path) -> None:
    text = "Date, Lesion, Organ, Kind, Node, MM, Assessment\n" + BASE
    assert len(read_lesion_csv(_write(tmp_path, text))) == 1


@pytest.mark.parametrize(
    ("text", "why"),
    [("", "empty"), ("# only a comment\n\n", "empty"), (HEADER + "\n", "no rows")],
)
def test_empty_tables(tmp_path: Path, text: str, why: str) -> None:
    assert why in _error(tmp_path, text).message


def test_missing_file_and_binary_file(tmp_path: Path) -> None:
    with pytest.raises(LesionTableError, match="does not exist"):
        read_lesion_csv(tmp_path / "nope.csv")
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(LesionTableError, match="not UTF-8"):
        read_lesion_csv(path)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    rows = BASE + "2020-02-17,T1,lung,blob,no,20,\n2020-02-17,T1,lung,target,no,-1,\n"
    error = _error(tmp_path, f"{HEADER}\n{rows}")
    assert [d.location for d in error.details] == ["line 3, field kind", "line 4, field mm"]


# -- baseline target selection (spec §9.1-9.2) ------------------------------------------------


def _selection_error(table: dict[int | str, dict[str, float | str]], **kw: object) -> str:
    organs = kw.pop("organs", None)
    with pytest.raises(LesionTableError) as caught:
        evaluate_recist(
            scans(table, organs),  # type: ignore[arg-type]
            RecistOptions.model_validate(kw),
        )
    return str(caught.value)


def test_more_than_five_targets() -> None:
    baseline = {f"T{i}": 20.0 for i in range(1, 7)}
    message = _selection_error({0: baseline, 42: baseline})
    assert "6 target lesions" in message and "at most 5" in message
    assert "baseline 2020-01-06" in message


def test_more_than_two_targets_in_one_organ() -> None:
    baseline: dict[str, float | str] = {"T1": 20, "T2": 20, "T3": 20}
    message = _selection_error({0: baseline}, organs={"T1": "liver", "T2": "Liver", "T3": "liver"})
    assert "organ 'liver' has 3 target lesions" in message and "'T3'" in message


@pytest.mark.parametrize(
    ("lesion", "mm", "why"),
    [
        ("T1", 9.9, "needs >= 10 mm"),
        ("LN1", 14.9, "pathological but non-measurable node"),
        ("LN1", 8, "a normal node"),
    ],
)
def test_targets_must_be_measurable_at_baseline(lesion: str, mm: float, why: str) -> None:
    message = _selection_error({0: {lesion: mm}})
    assert why in message and repr(lesion) in message and "2020-01-06" in message


def test_thick_slices_raise_the_measurable_minimum() -> None:
    table: dict[int | str, dict[str, float | str]] = {0: {"T1": 12}, 42: {"T1": 12}}
    assert evaluate_recist(scans(table), RecistOptions(slice_thickness_mm=5)).timepoints
    message = _selection_error(table, slice_thickness_mm=8)
    assert "needs >= 16 mm" in message


def test_targets_without_an_organ_are_warned_about() -> None:
    rows = [
        LesionMeasurement(date=date(2020, 1, 6), lesion="T1", kind="target", mm=20),
        LesionMeasurement(date=date(2020, 2, 17), lesion="T1", kind="target", mm=20),
    ]
    result = evaluate_recist(rows)
    assert any("no organ" in w for w in result.warnings)


def test_no_rows() -> None:
    with pytest.raises(LesionTableError, match="no rows"):
        evaluate_recist([])


# -- dates -----------------------------------------------------------------------------------


def test_partial_and_relative_dates_need_a_resolver() -> None:
    rows = [
        LesionMeasurement(date="2020-01", lesion="T1", organ="lung", kind="target", mm=20),
        LesionMeasurement(
            date={"anchor": "scan", "offset": "+6 weeks"},  # type: ignore[arg-type]
            lesion="T1",
            organ="lung",
            kind="target",
            mm=20,
        ),
    ]
    with pytest.raises(LesionTableError) as caught:
        evaluate_recist(rows)
    messages = [f"{d.location}: {d.message}" for d in caught.value.details]
    assert messages[0].startswith("row 1, field date") and "not an exact date" in messages[0]
    assert messages[1].startswith("row 2, field date") and "resolve=record.date_of" in messages[1]


def _case(lesions: list[dict[str, object]]) -> dict[str, object]:
    return {
        "id": "case",
        "events": [{"id": "scan", "kind": "ct", "date": "2020-01-06"}],
        "lesions": lesions,
    }


def test_case_file_lesions_with_relative_dates() -> None:
    record = parse_record(
        _case(
            [
                {
                    "date": {"anchor": "scan"},
                    "lesion": "T1",
                    "organ": "lung",
                    "kind": "target",
                    "mm": 40,
                },
                {
                    "date": {"after": "scan", "by": "8 weeks"},
                    "lesion": "T1",
                    "organ": "lung",
                    "kind": "target",
                    "mm": 24,
                },
                {"date": "2020-05", "lesion": "T1", "organ": "lung", "kind": "target", "mm": 24},
            ]
        ),
        "case.yaml",
    )
    result = evaluate_recist(record.lesions, resolve=record.date_of)
    assert [t.date for t in result.timepoints] == ["2020-03-02", "2020-05-01..2020-05-31"]
    assert [t.overall for t in result.timepoints] == [R.PR, R.PR]
    assert result.best_overall is R.PR


def test_case_file_errors_name_the_lesions_entry() -> None:
    record = parse_record(
        _case(
            [
                {
                    "date": {"anchor": "scan"},
                    "lesion": "T1",
                    "organ": "lung",
                    "kind": "target",
                    "mm": 40,
                },
                {
                    "date": {"after": "scan", "by": "8 weeks"},
                    "lesion": "T1",
                    "organ": "lung",
                    "kind": "target",
                },
            ]
        ),
        "case.yaml",
    )
    with pytest.raises(LesionTableError) as caught:
        evaluate_recist(record.lesions, resolve=record.date_of)
    assert caught.value.source == "case.yaml"
    assert caught.value.details[0].location == "lesions[1].mm"
