"""RECIST 1.1 Tables 4 and 5 (Eisenhauer 2009; spec §9.6-9.7), cell by cell.

The tables below are copied from the spec as printed; each "Any", "Non-PD" or "Yes or No"
cell is expanded into every value it stands for, and each expansion is one test case.
"""

from __future__ import annotations

import itertools

import pytest

from heliotrope.model.vocabulary import RecistResponse as R
from heliotrope.oncology.tables import TABLE_4, TABLE_5, time_point_response

TARGET_ALL = [R.CR, R.PR, R.SD, R.PD, R.NE]
NON_TARGET_ALL = [R.CR, R.non_CR_non_PD, R.PD, R.NE]
CELLS: dict[str, list[object]] = {
    "CR": [R.CR],
    "PR": [R.PR],
    "SD": [R.SD],
    "PD": [R.PD],
    "Unequivocal PD": [R.PD],
    "Non-CR/non-PD": [R.non_CR_non_PD],
    "Not evaluated": [R.NE],
    "Not all evaluated": [R.NE],
    "Non-PD": [R.CR, R.non_CR_non_PD, R.NE],
    "Non-PD or not all evaluated": [R.CR, R.non_CR_non_PD, R.NE],
    "No": [False],
    "Yes": [True],
    "Yes or No": [True, False],
}

# spec §9.6: Target | Non-target | New lesions | Overall
SPEC_TABLE_4 = [
    ("CR", "CR", "No", "CR"),
    ("CR", "Non-CR/non-PD", "No", "PR"),
    ("CR", "Not evaluated", "No", "PR"),
    ("PR", "Non-PD or not all evaluated", "No", "PR"),
    ("SD", "Non-PD or not all evaluated", "No", "SD"),
    ("Not all evaluated", "Non-PD", "No", "NE"),
    ("PD", "Any", "Yes or No", "PD"),
    ("Any", "PD", "Yes or No", "PD"),
    ("Any", "Any", "Yes", "PD"),
]
# spec §9.7: Non-target | New lesions | Overall
SPEC_TABLE_5 = [
    ("CR", "No", "CR"),
    ("Non-CR/non-PD", "No", "non_CR_non_PD"),
    ("Not all evaluated", "No", "NE"),
    ("Unequivocal PD", "Yes or No", "PD"),
    ("Any", "Yes", "PD"),
]


def _expand(cell: str, every: list[R]) -> list[object]:
    return list(every) if cell == "Any" else CELLS[cell]


def _table_4_cases() -> list[object]:
    cases = []
    for number, (target, non_target, new, overall) in enumerate(SPEC_TABLE_4, start=1):
        for t, nt, n in itertools.product(
            _expand(target, TARGET_ALL), _expand(non_target, NON_TARGET_ALL), CELLS[new]
        ):
            cases.append(pytest.param(t, nt, n, R(overall), id=f"row{number}-{t}-{nt}-new{n}"))
    return cases


def _table_5_cases() -> list[object]:
    cases = []
    for number, (non_target, new, overall) in enumerate(SPEC_TABLE_5, start=1):
        for nt, n in itertools.product(_expand(non_target, NON_TARGET_ALL), CELLS[new]):
            cases.append(pytest.param(nt, n, R(overall), id=f"row{number}-{nt}-new{n}"))
    return cases


@pytest.mark.parametrize(("target", "non_target", "new", "overall"), _table_4_cases())
def test_table_4_cell_by_cell(target: R, non_target: R, new: bool, overall: R) -> None:
    decision = time_point_response(target, non_target, new)
    assert decision.overall is overall
    assert decision.table == "Table 4"


@pytest.mark.parametrize(("non_target", "new", "overall"), _table_5_cases())
def test_table_5_cell_by_cell(non_target: R, new: bool, overall: R) -> None:
    decision = time_point_response(None, non_target, new)
    assert decision.overall is overall
    assert decision.table == "Table 5"


@pytest.mark.parametrize(
    ("target", "non_target", "new"),
    list(itertools.product(TARGET_ALL, NON_TARGET_ALL, [True, False])),
)
def test_table_4_rows_cover_every_case_and_agree(target: R, non_target: R, new: bool) -> None:
    decision = time_point_response(target, non_target, new)
    assert decision.rows
    assert {row.overall for row in decision.rows} == {decision.overall}
    # Only the PD rows (7-9) may hold together.
    assert len(decision.rows) == 1 or {row.number for row in decision.rows} <= {7, 8, 9}


def test_table_data_mirrors_the_spec_row_for_row() -> None:
    assert [r.overall.value for r in TABLE_4] == [row[3] for row in SPEC_TABLE_4]
    assert [r.overall.value for r in TABLE_5] == [row[2] for row in SPEC_TABLE_5]
    assert [r.number for r in TABLE_4] == list(range(1, 10))


def test_no_non_target_disease_reads_as_non_target_cr() -> None:
    assert time_point_response(R.CR, None, False).overall is R.CR
    assert time_point_response(R.PR, None, False).overall is R.PR
    assert time_point_response(R.CR, None, True).overall is R.PD


def test_decision_names_every_row_that_holds_and_has_a_trace() -> None:
    decision = time_point_response(R.PD, R.PD, True)
    assert [r.number for r in decision.rows] == [7, 8, 9]
    assert "row 7" in decision.describe() and "row 9" in decision.describe()
    trace = decision.trace.to_dict()
    assert trace["value"] == ["PD"]


def test_responses_that_do_not_belong_in_a_column_are_refused() -> None:
    with pytest.raises(ValueError, match="target-lesion response"):
        time_point_response(R.non_CR_non_PD, R.CR, False)
    with pytest.raises(ValueError, match="non-target response"):
        time_point_response(R.SD, R.PR, False)
    with pytest.raises(ValueError, match="target or non-target"):
        time_point_response(None, None, False)
