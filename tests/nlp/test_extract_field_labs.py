"""Lab language of the field (issue 8 part 2, issue 12): column tables with ranges and H/L
flags, values far above any lab's range, scientific notation read or left unknown, previous
episodes. Sentences written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.model.vocabulary import Analyte
from heliotrope.nlp.extract.labs import extract
from heliotrope.nlp.ingest import ingest_text
from heliotrope.nlp.reader import read_record


def _values(text: str) -> list[tuple[str, float | None, float | None, str | None]]:
    return [(m.analyte.value, m.value, m.high, m.stated) for m in extract(text)]


@pytest.mark.parametrize(
    ("text", "value", "high"),
    [
        ("CK 3.4 x 10^3 U/L (ref 30-200)", 3400.0, 200.0),
        ("creatine kinase 3.4 × 10³ U/L (normal < 200)", 3400.0, 200.0),
        ("CPK 2.05x10^3 IU/L (25-190)", 2050.0, 190.0),
        ("CK 4.2E+03 U/L (reference 25-200)", 4200.0, 200.0),
        ("CK was 3.4e3 U/L (normal range 26-192)", 3400.0, 192.0),
        ("CK 1.2 x 10**3 U/L (<170)", 1200.0, 170.0),
    ],
)
def test_scientific_notation_is_read(text: str, value: float, high: float) -> None:
    [mention] = extract(text)
    assert mention.analyte is Analyte.ck
    assert mention.value == pytest.approx(value)
    assert mention.high == high


@pytest.mark.parametrize(
    "text",
    [
        "CK 3.4 x 10 U/L (ref 30-200)",  # no exponent sign: not understood
        "CK 1e400 U/L",
        "CK 3.4 x 10^12 U/L (ref 30-200)",
        "CK 2.1 × 10^ U/L (reference < 170)",
    ],
)
def test_scientific_notation_not_understood_is_left_unknown(text: str) -> None:
    """Regression: "2.1 × 10³ U/L (reference < 170)" was read as CK 170 U/L."""
    assert [m for m in extract(text) if m.value is not None] == []


def test_a_count_unit_is_not_an_exponent() -> None:
    [mention] = extract("white cell count 11.4 × 10^9/L (4-11)")
    assert (mention.value, mention.unit) == (11.4, "10^9/L")


@given(
    mantissa=st.decimals(min_value="1.0", max_value="9.9", places=1),
    exponent=st.integers(min_value=1, max_value=4),
    times=st.sampled_from(["x", "×", "X"]),
)
def test_scientific_notation_property(mantissa: object, exponent: int, times: str) -> None:
    """Every spelled power of ten is the mantissa times ten to the exponent, or nothing."""
    text = f"CK {mantissa} {times} 10^{exponent} U/L (reference 25-200)"
    for mention in extract(text):
        if mention.value is not None:
            assert mention.value == pytest.approx(float(str(mantissa)) * 10**exponent)


@pytest.mark.parametrize(
    ("row", "analyte", "value", "low", "high", "stated"),
    [
        ("CK              9120     U/L      38-174          H", "ck", 9120.0, 38.0, 174.0, "high"),
        ("Aldolase    15.0   U/L    <7.6    H", "aldolase", 15.0, None, 7.6, "high"),
        ("LDH\t640\tU/L\t120-246\tH", "ldh", 640.0, 120.0, 246.0, "high"),
        ("Creatine kinase      2,870 U/L     40-320", "ck", 2870.0, 40.0, 320.0, None),
        ("AST   30   U/L   10-40", "ast", 30.0, 10.0, 40.0, None),
    ],
)
def test_lab_table_row_with_range_and_flag_columns(
    row: str, analyte: str, value: float, low: float | None, high: float, stated: str | None
) -> None:
    [mention] = extract(row)
    assert (mention.analyte.value, mention.value, mention.low, mention.high) == (
        analyte,
        value,
        low,
        high,
    )
    assert mention.stated == stated


def test_h_flag_in_brackets_reads_as_raised() -> None:
    [mention] = extract("Creatine kinase 1,910 IU/L (H).")
    assert mention.stated == "high"
    assert mention.high == 308.0  # the population upper limit, above which any lab flags H


def test_value_far_above_any_lab_range_is_raised_with_a_note() -> None:
    [mention] = extract("CPK 6,400 U/L on admission.")
    assert mention.extractor == "labs.far_above_uln"
    assert mention.note and "no reference range printed" in mention.note


def test_unranged_value_near_the_usual_range_stays_unranged() -> None:
    [mention] = extract("CK 420 U/L on admission.")
    assert mention.high is None and mention.low is None


def test_peaked_at_and_thousands_separator() -> None:
    mentions = extract("Creatine kinase rose to 20,000 U/L and peaked at 41,500 U/L")
    assert mentions[0].value == 20000.0
    assert mentions[0].high is not None


def test_normal_in_words_beside_an_unranged_value_is_kept() -> None:
    values = _values("CK normal (150 U/L).")
    assert ("ck", None, None, "normal") in values


@pytest.mark.parametrize(
    "text",
    [
        "Background: myositis diagnosed in 2015. At that first presentation her CK was 8,700 "
        "U/L.\nToday: CK 120 U/L (ref 26-192).",
        "During the previous episode the CK was 6,000 U/L. Today: CK 120 U/L (ref 26-192).",
    ],
)
def test_values_from_a_previous_episode_are_not_the_current_work_up(text: str) -> None:
    result = read_record(ingest_text(text, "note.txt"))
    assert [lab.value for lab in result.record.labs if lab.analyte is Analyte.ck] == [120.0]
    assert any("previous episode" in w.message for w in result.warnings)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("an elevated creatine kinase of 2,845 U/L (reference range, 26 to 192)", 26.0, 192.0),
        ("CPK 4,120 IU/L (nl 38-174)", 38.0, 174.0),
    ],
)
def test_range_spellings(text: str, low: float, high: float) -> None:
    [mention] = extract(text)
    assert (mention.low, mention.high) == (low, high)


@pytest.mark.parametrize(
    ("row", "value", "low", "high"),
    [
        ("CK (U/L)         9,120     38-174", 9120.0, 38.0, 174.0),
        ("Aldolase [U/L]   12.1   <7.6", 12.1, None, 7.6),
        ("CK (IU/L)   420   26-192   H", 420.0, 26.0, 192.0),
    ],
)
def test_table_row_with_the_unit_in_the_first_column(
    row: str, value: float, low: float | None, high: float
) -> None:
    [mention] = extract(row)
    assert (mention.value, mention.unit, mention.low, mention.high) == (value, "U/L", low, high)


def test_a_bare_range_in_prose_is_not_a_column() -> None:
    [mention] = extract("CK 250 3-4 days later")
    assert mention.low is None and mention.high is None


def test_regression_a_year_is_not_the_value() -> None:
    """Regression: "CK at diagnosis in 2019 was 12,000 U/L" read CK 2019."""
    [mention] = extract("Her CK at diagnosis in 2019 was 12,000 U/L.")
    assert mention.value == 12000.0


def test_the_value_reached_is_read() -> None:
    [mention] = extract("The creatine kinase level rose from 400 to 3,900 U/L over a week.")
    assert mention.value == 3900.0


def test_a_value_years_ago_is_a_previous_episode() -> None:
    result = read_record(ingest_text("Two years ago her CK was 8,000 U/L.", "note.txt"))
    assert not result.record.labs
    assert any("previous episode" in w.message for w in result.warnings)


@pytest.mark.parametrize(("value", "raised"), [(950.0, True), (900.0, False), (420.0, False)])
def test_unranged_ck_is_raised_only_far_above_every_lab(value: float, raised: bool) -> None:
    [mention] = extract(f"CK {value:g} U/L.")
    assert (mention.extractor == "labs.far_above_uln") is raised


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Creatine kinase   2870   H   39-308", ("ck", 2870.0, 308.0, "high")),
        ("LDH   410   H   125-220", ("ldh", 410.0, 220.0, "high")),
        ("CK 2870 H", ("ck", 2870.0, 308.0, "high")),
        ("CK 2870 (H)", ("ck", 2870.0, 308.0, "high")),
    ],
)
def test_a_flag_column_after_a_unitless_value(
    text: str, expected: tuple[str, float, float, str]
) -> None:
    """Regression: "2870   H   39-308" read the capital H as hours and took 39, the range's
    low end, as the value."""
    assert _values(text) == [expected]


def test_a_lower_case_h_after_a_number_is_still_hours() -> None:
    assert _values("CK rose within 6 h of exercise.") == []


def test_a_space_aligned_lab_table_with_a_flag_column_reaches_the_record() -> None:
    text = "Analyte      Value   Flag   Ref\nCreatine kinase   2870   H   39-308\n"
    record = read_record(ingest_text(text, "labs.txt")).record
    assert [(lab.analyte, lab.value) for lab in record.labs] == [(Analyte.ck, 2870.0)]


@pytest.mark.parametrize(
    "text",
    [
        "CK was 9,800 U/L at her first presentation in 2015. Today CK is 140 U/L (ref 25-200).",
        "The CK was 12,000 U/L during the previous flare. Today CK is 140 U/L (ref 25-200).",
    ],
)
def test_a_previous_episode_named_after_the_value(text: str) -> None:
    """The episode may be named after the value: "CK was 9,800 at her first presentation"."""
    record = read_record(ingest_text(text, "note.txt")).record
    assert [lab.value for lab in record.labs if lab.analyte is Analyte.ck] == [140.0]
