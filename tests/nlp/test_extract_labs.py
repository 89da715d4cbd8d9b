"""Sentence-level extraction of lab values: value, unit, the printed range, censored values,
lists paired by "respectively", "N times normal" and value-less statements."""

from __future__ import annotations

import pytest

from heliotrope.model.vocabulary import Analyte as A
from heliotrope.nlp.extract import labs
from heliotrope.nlp.extract.base import LabMention


def one(sentence: str, analyte: A) -> LabMention:
    found = [m for m in labs.extract(sentence) if m.analyte is analyte]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "analyte", "value", "unit", "low", "high"),
    [
        ("Her CK was 1250 U/L (normal 30–170 U/L).", A.ck, 1250, "U/L", 30, 170),
        ("Creatine kinase (CK) was raised at 820 (normal range 20–180 U/L).",
         A.ck, 820, "U/L", 20, 180),
        ("CPK 3 400 IU/L (reference range: 24–195 IU/L).", A.ck, 3400, "U/L", 24, 195),
        ("ALT was mildly raised at 77 (normal 7–40 U/L).", A.alt, 77, "U/L", 7, 40),
        ("AST 95 U/L (10–35 U/L) on admission.", A.ast, 95, "U/L", 10, 35),
        ("LDH 410 U/L (135–225).", A.ldh, 410, "U/L", 135, 225),
        ("Aldolase 12.4 U/L (<7.6 U/L).", A.aldolase, 12.4, "U/L", None, 7.6),
        ("White cell count 12.9 (normal range 4–10 × 10^9/L).", A.wbc, 12.9, "10^9/L", 4, 10),
        ("White cell count 12.9 (normal range 4–10 × 109L).", A.wbc, 12.9, "10^9/L", 4, 10),
        ("An ESR of 48 mm (reference range 0–15 mm).", A.esr, 48, "mm/h", 0, 15),
        ("CK 9.1 µkat/L (512 U/L) (normal: 0.4–3.2 µkat/L; 24–190 U/L).",
         A.ck, 9.1, "µkat/L", 0.4, 3.2),
        ("Troponin 45 ng/L.", A.troponin, 45, "ng/L", None, None),
    ],
)  # fmt: skip
def test_value_unit_and_range(
    sentence: str, analyte: A, value: float, unit: str, low: float | None, high: float | None
) -> None:
    found = one(sentence, analyte)
    assert (found.value, found.unit, found.low, found.high) == (value, unit, low, high)


def test_censored_value_without_unit_takes_the_canonical_unit() -> None:
    found = one("Her CRP was < 5 on arrival.", A.crp)
    assert (found.comparator, found.value, found.unit) == ("<", 5, "mg/L")
    assert found.note and "assumed" in found.note


def test_respectively_pairs_analytes_and_values_in_order() -> None:
    found = labs.extract(
        "Tests showed raised CK and ESR at 910 (normal range 30–200 U/L) and 41 "
        "(normal range 0–20 mm/h) respectively."
    )
    by = {m.analyte: m for m in found}
    assert (by[A.ck].value, by[A.ck].high) == (910, 200)
    assert (by[A.esr].value, by[A.esr].unit, by[A.esr].high) == (41, "mm/h", 20)


def test_an_inverted_range_is_dropped_with_a_note() -> None:
    found = one("ALT 88 U/L (9–4 U/L).", A.alt)
    assert found.low is None and found.high is None
    assert found.note and "inverted" in found.note


def test_raised_without_a_range_uses_the_population_upper_limit() -> None:
    found = one("Her creatine kinase was markedly elevated at 4200 U/L.", A.ck)
    assert found.extractor == "labs.stated_high"
    assert found.high == 308 and found.note and "population" in found.note


def test_a_raised_value_under_the_population_limit_gets_no_range() -> None:
    found = one("Her CK was elevated at 250 U/L.", A.ck)
    assert found.high is None


def test_times_the_upper_limit_of_normal() -> None:
    found = one("Creatine kinase was eight times the upper limit of normal.", A.ck)
    assert found.value == 8 * 308 and found.high == 308


def test_a_list_of_raised_values_shares_the_word_raised() -> None:
    found = labs.extract("Elevated CK (2100 IU/L), myoglobin (900 ng/mL) and LDH (600 IU/L).")
    assert {m.analyte for m in found if m.stated == "high"} == {A.ck, A.myoglobin, A.ldh}


def test_a_statement_without_a_value_is_kept_valueless() -> None:
    [found] = labs.extract("Her CK was normal throughout.")
    assert found.value is None and found.stated == "normal"


@pytest.mark.parametrize(
    "sentence",
    [
        "CK-MB was 12 ng/mL.",
        "She received 6 cycles; on day 14 she was discharged.",
        "The tumour measured 25 mm.",
    ],
)
def test_not_a_muscle_lab_value(sentence: str) -> None:
    assert [m for m in labs.extract(sentence) if m.analyte is A.ck and m.value] == []


def test_range_parser() -> None:
    [r] = labs.parse_range("normal range 4–11 × 10^9/L")
    assert (r.low, r.high, r.unit) == (4, 11, "10^9/L")
    assert labs.unit_of("IU/l") == "U/L"
    assert labs.unit_of("UI/L") == "U/L"


# -- statements without a value ------------------------------------------------------------------


def said(sentence: str) -> dict[A, str]:
    """Analyte -> interpretation of the value-less statements of ``sentence``."""
    out: dict[A, str] = {}
    for m in labs.extract(sentence):
        if m.value is None:
            assert m.stated is not None and m.said is not None
            assert m.analyte not in out, f"{m.analyte} stated twice"
            out[m.analyte] = m.stated
    return out


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Serum CK stayed normal during the admission.", {A.ck: "normal"}),
        ("Raised serum aldolase was the only abnormal result.", {A.aldolase: "high"}),
        ("An increase of LDH was reported by the referring team.", {A.ldh: "high"}),
        ("Her creatine kinase (CK) levels were markedly elevated.", {A.ck: "high"}),
        ("The CK had normalised by the second visit.", {A.ck: "normal"}),
        ("CK was in the normal range.", {A.ck: "normal"}),
    ],
)  # fmt: skip
def test_a_statement_said_of_one_analyte(sentence: str, expected: dict[A, str]) -> None:
    assert said(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the words before the list reach every analyte of it, other items in between
        ("Bloods revealed a rise in urea, CK, gamma-glutamyl transferase and aldolase.",
         {A.ck: "high", A.aldolase: "high"}),
        ("There was elevation of AST, ALT (both twice normal), LDH and CRP.",
         {A.ast: "high", A.alt: "high", A.ldh: "high", A.crp: "high"}),
        # the words after the list, too
        ("Her ESR, CRP and aldolase were all normal.",
         {A.esr: "normal", A.crp: "normal", A.aldolase: "normal"}),
        # a clause of its own is not a list
        ("CK was raised but LDH was normal.", {A.ck: "high", A.ldh: "normal"}),
        ("Raised CK, normal aldolase.", {A.ck: "high", A.aldolase: "normal"}),
    ],
)  # fmt: skip
def test_a_list_shares_its_words(sentence: str, expected: dict[A, str]) -> None:
    assert said(sentence) == expected


def test_alanine_and_aspartate_share_the_noun() -> None:
    assert said("Both alanine and aspartate transaminases were raised.") == {
        A.alt: "high",
        A.ast: "high",
    }


def test_a_group_is_said_of_each_member_with_a_note() -> None:
    found = [m for m in labs.extract("Muscle enzyme levels were persistently raised.")]
    assert {m.analyte for m in found} == {A.ck, A.aldolase, A.ldh, A.ast, A.alt}
    assert all(m.stated == "high" and m.note and "muscle enzymes" in m.note for m in found)
    assert all(m.extractor == "labs.stated_group" for m in found)


def test_a_group_whose_members_are_named_says_nothing_of_the_others() -> None:
    assert said("Liver enzymes (AST and ALT) were high.") == {A.ast: "high", A.alt: "high"}
    found = labs.extract("She had raised muscle enzymes such as aldolase 15 U/L (<7.6 U/L).")
    assert [(m.analyte, m.value) for m in found] == [(A.aldolase, 15)]


def test_no_statement_for_an_analyte_with_a_value_in_the_sentence() -> None:
    found = labs.extract("CK was raised; the value was CK 1900 U/L (normal 20–200 U/L).")
    assert [(m.analyte, m.value) for m in found] == [(A.ck, 1900)]


def test_the_span_said_is_the_polarity_words() -> None:
    sentence = "A raised ALT was seen, but there was no elevation of CK."
    first, second = labs.extract(sentence)
    assert first.said is not None and sentence[first.said[0] : first.said[1]] == "raised"
    assert second.said is not None and sentence[second.said[0] : second.said[1]] == (
        "no elevation of"
    )
    assert (first.stated, second.stated) == ("high", "normal")
    sentence = "She did not have an elevation of CK."
    [m] = labs.extract(sentence)  # the negation is ConText's to read (see test_build)
    assert m.said is not None and sentence[m.said[0] : m.said[1]] == "elevation of"
    assert sentence[m.start : m.end] == "CK"


@pytest.mark.parametrize(
    "sentence",
    [
        "CK and aldolase were measured on admission.",
        "Her CK was sent with a normal renal panel.",
        "High-dose prednisolone was started before the CK result came back.",
        "CK was checked; her mood was normal.",
    ],
)
def test_words_not_said_of_the_analyte_make_no_statement(sentence: str) -> None:
    assert said(sentence) == {}
