"""The rule-based sentence splitter."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heliotrope.nlp.ingest import ingest
from heliotrope.nlp.sections import split_sections
from heliotrope.nlp.sentences import Sentence, split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # abbreviations
        (
            "Typical signs, e.g. Gottron papules, were seen. She improved.",
            ["Typical signs, e.g. Gottron papules, were seen.", "She improved."],
        ),
        (
            "A rash, i.e. a heliotrope rash, was present. Then weakness.",
            ["A rash, i.e. a heliotrope rash, was present.", "Then weakness."],
        ),
        ("She saw Dr. Patel in clinic. He agreed.", ["She saw Dr. Patel in clinic.", "He agreed."]),
        (
            "The rash (Fig. 2) faded. Weakness did not.",
            ["The rash (Fig. 2) faded.", "Weakness did not."],
        ),
        (
            "See Fig. 3 for the MRI. It shows oedema.",
            ["See Fig. 3 for the MRI.", "It shows oedema."],
        ),
        (
            "As Smith et al. reported, cancer is common. We agree.",
            ["As Smith et al. reported, cancer is common.", "We agree."],
        ),
        (
            "DM vs. PM was debated. The biopsy decided.",
            ["DM vs. PM was debated.", "The biopsy decided."],
        ),
        ("CK was approx. 900 U/L on admission.", ["CK was approx. 900 U/L on admission."]),
        (
            "Patient no. 4 had a rash. Patient 5 did not.",
            ["Patient no. 4 had a rash.", "Patient 5 did not."],
        ),
        ("Prednisolone 40 mg. daily was started.", ["Prednisolone 40 mg. daily was started."]),
        (
            "She took prednisolone 40 mg. Her CK fell.",
            ["She took prednisolone 40 mg.", "Her CK fell."],
        ),
        ("ALT was 61 U/L. CK was 695 U/L.", ["ALT was 61 U/L.", "CK was 695 U/L."]),
        # decimals, ranges, reference ranges
        (
            "White cells were 11.4 on day 2. CRP was 0.5.",
            ["White cells were 11.4 on day 2.", "CRP was 0.5."],
        ),
        (
            "Power was 3–4/5 in the hips. Neck flexion was 4/5.",
            ["Power was 3–4/5 in the hips.", "Neck flexion was 4/5."],
        ),
        (
            "White cells 11.4 (normal range 4–11 × 10^9/L. repeated later) were noted. Next.",
            ["White cells 11.4 (normal range 4–11 × 10^9/L. repeated later) were noted.", "Next."],
        ),
        (
            "Aldolase was high (approx. 21 U/L. Ref. 7.6). CK was normal.",
            ["Aldolase was high (approx. 21 U/L. Ref. 7.6).", "CK was normal."],
        ),
        # glued sentences and references
        (
            "It worsened.Physical examination showed a rash.",
            ["It worsened.", "Physical examination showed a rash."],
        ),
        (
            "Cancer is common [2, 4].Population studies agree.",
            ["Cancer is common [2, 4].", "Population studies agree."],
        ),
        ("Cancer is common.[3] It is also rare.", ["Cancer is common.[3]", "It is also rare."]),
        # other terminal punctuation; lower-case note style
        ("Is this myositis? It may be! We test.", ["Is this myositis?", "It may be!", "We test."]),
        ("no fever. denies weakness. has rash.", ["no fever.", "denies weakness.", "has rash."]),
        ("The rash… It faded.", ["The rash…", "It faded."]),
        # initials
        (
            "The patient saw J. K. Rowling. Then left.",
            ["The patient saw J. K. Rowling.", "Then left."],
        ),
        (
            "Serology for hepatitis B. She was negative.",
            ["Serology for hepatitis B.", "She was negative."],
        ),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # headings and list lines are their own sentences
        (
            "Case presentation\nA 50-year-old man had a rash.",
            ["Case presentation", "A 50-year-old man had a rash."],
        ),
        ("Investigations and results\nCK was high", ["Investigations and results", "CK was high"]),
        ("Findings:\nRash on the face", ["Findings:", "Rash on the face"]),
        (
            "Symptoms\n- proximal weakness of the legs\n- rash on the eyelids\n1. dysphagia",
            [
                "Symptoms",
                "- proximal weakness of the legs",
                "- rash on the eyelids",
                "1. dysphagia",
            ],
        ),
        ("Test\tResult\nCK\t4310", ["Test\tResult", "CK\t4310"]),
        (
            "Definite: five items\nProbable: four items",
            ["Definite: five items", "Probable: four items"],
        ),
        # wrapped lines are not boundaries
        (
            "An ultrasound-guided core biopsy of the suspicious\nSCF mass was arranged.",
            ["An ultrasound-guided core biopsy of the suspicious\nSCF mass was arranged."],
        ),
        (
            "She had no history of\nCrohn disease.",
            ["She had no history of\nCrohn disease."],
        ),
        # a blank line inside a sentence (a PDF column break) is not a boundary...
        ("Muscle biopsy\n\nwas not performed.", ["Muscle biopsy\n\nwas not performed."]),
        # ...but between paragraphs it is, even without a full stop
        (
            "A title without a stop\n\nThe text begins here.",
            ["A title without a stop", "The text begins here."],
        ),
        (
            "First paragraph ends.\n\nsecond starts low.",
            ["First paragraph ends.", "second starts low."],
        ),
        (
            "Sentence one.\nSentence two on the next line.",
            ["Sentence one.", "Sentence two on the next line."],
        ),
    ],
)
def test_line_structure(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_offsets_and_range() -> None:
    text = "Heading\nFirst one. Second one.\nOther section text."
    start = text.index("First")
    end = text.index("\nOther")
    sentences = split_sentences(text, start, end)
    assert sentences == [
        Sentence(start, start + len("First one."), "First one."),
        Sentence(text.index("Second"), end, "Second one."),
    ]


def test_punctuation_only_stretches_are_dropped() -> None:
    assert texts("- \n-\n...\nReal text.") == ["Real text."]
    assert split_sentences("") == []
    assert split_sentences("abc", 2, 1) == []


def test_very_long_sentences_are_cut_at_line_breaks() -> None:
    line = "word " * 60
    text = "\n".join([line.strip()] * 20)  # no punctuation at all: 6,000 characters
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(len(s.text) <= 1500 for s in sentences)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*"aAbB zZ.\n\t()[]?!;:,-0123456789…\u00a0", "e.g.", "Dr.", " et al. ", "mg.", "\n\n"]
        ),
        max_size=120,
    ).map("".join),
    st.integers(min_value=0, max_value=50),
    st.one_of(st.none(), st.integers(min_value=0, max_value=400)),
)
def test_offsets_slice_back_to_the_text(text: str, start: int, end: int | None) -> None:
    sentences = split_sentences(text, start, end)
    stop = len(text) if end is None else min(end, len(text))
    previous_end = start
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert previous_end <= s.start < s.end <= stop
        previous_end = s.end


@pytest.mark.shared
def test_seed_sentences(shared_dir: Path) -> None:
    doc = ingest(shared_dir / "seeds" / "case-report.pdf.txt")
    sentences = [
        s.text
        for section in split_sections(doc)
        for s in split_sentences(doc.text, section.start, section.end)
    ]
    assert (
        "Muscle biopsy\n\nwas not performed, given the potential risk of metastatic disease "
        "seeding." in sentences
    )
    assert (
        "Routine blood tests on admission showed c-reactive protein < 4 and mildly raised white "
        "cell count 11.4 (normal\nrange 4–11 × 109L)."
    ) in sentences
    assert "Case report" in sentences
    assert "IV Abnormal muscle biopsy" in sentences
    assert "Population-based studies have supported" in " ".join(sentences)
    assert not any(
        s.startswith("Population-based") is False and "[2, 4].Population" in s for s in sentences
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Bilat. hip flexion 4/5. Neck flexion 5/5.",
            ["Bilat. hip flexion 4/5.", "Neck flexion 5/5."],
        ),
        ("Bilat. Hip flexors 4/5.", ["Bilat. Hip flexors 4/5."]),
        (
            "Exam: Bilat. proximal weakness of the legs.",
            ["Exam: Bilat. proximal weakness of the legs."],
        ),
        ("She walked in.\nBilat. deltoids 4/5.", ["She walked in.", "Bilat. deltoids 4/5."]),
        ("- Bilat. ptosis\n- no rash", ["- Bilat. ptosis", "- no rash"]),
        ("Prox. weakness in the arms. CK 2000.", ["Prox. weakness in the arms.", "CK 2000."]),
        # after the finding, "bilat." is weak: a sentence ends there only before a capital
        ("Weakness bilat. Neck flexion 5/5.", ["Weakness bilat.", "Neck flexion 5/5."]),
        ("Weakness bilat. with wasting.", ["Weakness bilat. with wasting."]),
        ("Power 4/5 bilat.\nCK 300.", ["Power 4/5 bilat.", "CK 300."]),
    ],
)
def test_regression_bilat_opening_a_sentence_is_not_a_sentence_end(
    text: str, expected: list[str]
) -> None:
    assert texts(text) == expected
