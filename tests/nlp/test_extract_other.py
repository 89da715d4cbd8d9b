"""Sentence-level cancers, treatments, demographics, time expressions and the lexicon."""

from __future__ import annotations

import json
import re
from importlib.resources import files

import pytest

from heliotrope.model.vocabulary import Sex, TreatmentKind
from heliotrope.nlp.extract import (
    cancer,
    demographics,
    extract_sentence,
    temporal,
    treatments,
)
from heliotrope.nlp.extract.lexicon import Matcher, fold, lexicon

# -- cancer ------------------------------------------------------------------------------------


def test_histology_site_spread_and_unknown_primary() -> None:
    [found] = cancer.extract(
        "She was found to have a metastatic adenocarcinoma of unknown primary."
    )
    assert (found.histology, found.metastatic, found.primary_unknown) == (
        "adenocarcinoma",
        True,
        True,
    )


def test_site_grade_stage_and_year() -> None:
    [found] = cancer.extract("A grade 3 serous carcinoma of the ovary, stage IIIC, in 2018.")
    assert (found.histology, found.site, found.grade, found.stage, found.year) == (
        "serous carcinoma",
        "ovary",
        "3",
        "IIIC",
        "2018",
    )


def test_a_generic_cancer_word_needs_a_site() -> None:
    assert [c.site for c in cancer.extract("He has a history of bladder cancer.")] == ["bladder"]
    assert cancer.extract("Screening for malignancy was arranged.") == []
    assert cancer.extract("A cancer was suspected.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "His father had colon cancer at 70.",
        "A maternal aunt had breast cancer.",
        "Tumour markers were normal.",
        "She restarted anti-cancer therapy.",
        "A biopsy was negative for malignancy of the cervix.",
    ],
)
def test_not_the_patients_cancer(sentence: str) -> None:
    assert cancer.extract(sentence) == []


def test_history_marks_a_past_cancer() -> None:
    [found] = cancer.extract("She had a history of breast cancer.")
    assert found.history


# -- treatments --------------------------------------------------------------------------------


def test_chemotherapy_line_intent_and_cycles() -> None:
    [found] = treatments.extract("She received four cycles of second-line palliative docetaxel.")
    assert (found.drug, found.kind, found.line, found.cycles, found.intent) == (
        "docetaxel",
        TreatmentKind.chemotherapy,
        2,
        4,
        "palliative",
    )


def test_dose_reduction_with_its_reason() -> None:
    found = treatments.extract(
        "Cisplatin was given; one episode of renal impairment requiring a 20% dose reduction."
    )
    assert (found[0].dose_change, found[0].dose_change_reason) == ("-20%", "renal impairment")


def test_glucocorticoid_dose_and_topical_steroid() -> None:
    found = {
        t.drug: t for t in treatments.extract("Prednisolone 60 mg daily and clobetasol cream.")
    }
    assert found["prednisolone"].dose == "60 mg daily"
    assert found["prednisolone"].target == "myositis"
    assert found["clobetasol"].kind is TreatmentKind.topical


def test_hydrocortisone_is_topical_only_as_a_cream() -> None:
    [cream] = treatments.extract("Topical hydrocortisone cream was applied.")
    [iv] = treatments.extract("Intravenous hydrocortisone was given.")
    assert cream.kind is TreatmentKind.topical
    assert iv.kind is TreatmentKind.glucocorticoid


def test_surgery_is_named_by_what_was_done() -> None:
    [found] = treatments.extract("He underwent a lobectomy of the left lung.")
    assert found.kind is TreatmentKind.surgery and found.drug.startswith("lobectomy")


# -- demographics ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "age", "sex"),
    [
        ("A 61-year-old man presented with weakness.", 61, Sex.male),
        ("This 38 year old woman was referred.", 38, Sex.female),
        ("The patient, aged 70, was admitted.", 70, None),
        ("A 29-year-old Caucasian female with a rash.", 29, Sex.female),
    ],
)
def test_age_and_sex(sentence: str, age: float, sex: Sex | None) -> None:
    [found] = demographics.extract(sentence)
    assert (found.age, found.sex) == (age, sex)


def test_a_relatives_age_is_not_the_patients() -> None:
    assert demographics.extract("Her grandmother had a stroke aged 80 years.") == []


# -- time --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "extractor", "offset", "direction"),
    [
        ("Three weeks later she was admitted.", "temporal.later", "3 weeks", "after"),
        ("Two months after chemotherapy she presented.", "temporal.anchored", "2 months", "after"),
        ("Several days following the operation a rash appeared.", "temporal.anchored",
         "2-7 days", "after"),
        ("He had a 6-month history of weakness.", "temporal.history", "6 months", "before"),
        ("A few weeks earlier she had noticed dysphagia.", "temporal.later", "2-4 weeks",
         "before"),
    ],
)  # fmt: skip
def test_relative_times(sentence: str, extractor: str, offset: str, direction: str) -> None:
    found = [t for t in temporal.extract(sentence) if t.extractor == extractor]
    assert [(t.offset, t.direction) for t in found] == [(offset, direction)]


def test_absolute_dates_are_partial_iso() -> None:
    found = temporal.extract("She was seen in March 2015 and again on 4 May 2016.")
    assert [t.date for t in found] == ["2015-03", "2016-05-04"]


def test_named_anchor_and_event() -> None:
    [found] = temporal.extract("Ten days after the final cycle of chemotherapy she presented.")
    assert found.anchor_end == "stop" and found.event == "presentation"


def test_cancer_preceded_the_myositis() -> None:
    [found] = temporal.extract(
        "The diagnosis of lymphoma preceded the dermatomyositis diagnosis by 4 months."
    )
    assert (found.event, found.offset, found.direction) == (
        "cancer_diagnosis",
        "4 months",
        "before",
    )


def test_myositis_diagnosis_event() -> None:
    [found] = temporal.extract("A diagnosis of dermatomyositis was made.")
    assert found.event == "myositis_diagnosis"


# -- lexicon and the sentence entry point ------------------------------------------------------


def test_lexicon_is_valid_against_the_vocabulary() -> None:
    data = lexicon()
    assert "findings" in data and "labs" in data
    raw = json.loads(files("heliotrope.resources").joinpath("nlp/lexicon.json").read_text("utf-8"))
    assert raw["findings"].keys() == data["findings"].keys()


def test_matcher_folds_spelling_case_and_separators() -> None:
    matcher = Matcher({"periorbital oedema": "x", "gottron's papules": "y"})
    hits = matcher.find("Periorbital  edema and Gottron papules.")
    assert [h.value for h in hits] == ["x", "y"]
    assert fold("Oesophageal") == fold("esophageal")


def test_matcher_patterns_run_only_with_their_required_words() -> None:
    matcher = Matcher({}, [(r"violet\s+lids", "z", ("lids",))])
    assert [h.value for h in matcher.find("violet lids")] == ["z"]
    assert matcher.find("violet eyelid") == []


def test_extract_sentence_runs_every_family_in_text_order() -> None:
    found = extract_sentence(
        "A 50-year-old woman with a heliotrope rash had CK 900 U/L (normal 20–200 U/L) and "
        "anti-Jo-1 antibodies, and started prednisolone."
    )
    families = [m.family for m in found]
    assert families == sorted(families, key=lambda f: families.index(f))
    assert {"demographic", "finding", "lab", "antibody", "treatment"} <= set(families)
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert all(re.match(r"^[a-z]+\.[a-z_]+$", m.extractor) for m in found)


def test_outside_the_main_story_only_preceded_statements_are_read() -> None:
    sentence = "The sarcoma preceded the dermatomyositis by 14 months; she was seen in June 2018."
    every = extract_sentence(sentence)
    assert {m.extractor for m in every if m.family == "time"} == {
        "temporal.preceded",
        "temporal.absolute",
    }
    only = extract_sentence(sentence, times="preceded")
    assert [m.extractor for m in only if m.family == "time"] == ["temporal.preceded"]
    assert [m for m in extract_sentence(sentence, times=False) if m.family == "time"] == []
