"""Sections and their scope: case reports, clinical notes, tables, captions, the seeds."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heliotrope.nlp.ingest import Document, ingest, ingest_text
from heliotrope.nlp.sections import Section, split_sections

FIXTURES = Path(__file__).parent / "fixtures"


def _tiles(doc: Document, sections: list[Section]) -> None:
    assert sections, "a non-empty document has sections"
    assert sections[0].start == 0
    assert sections[-1].end == len(doc.text)
    for a, b in pairwise(sections):
        assert a.end == b.start
    assert all(s.start < s.end for s in sections)


def _scope_of(doc: Document, sections: list[Section], phrase: str) -> str:
    at = doc.text.index(phrase)
    return next(s.scope for s in sections if s.start <= at < s.end)


def _section_of(doc: Document, sections: list[Section], phrase: str) -> Section:
    at = doc.text.index(phrase)
    return next(s for s in sections if s.start <= at < s.end)


@pytest.fixture(scope="module")
def report() -> tuple[Document, list[Section]]:
    doc = ingest(FIXTURES / "case_report.txt")
    return doc, split_sections(doc)


def test_report_tiles_the_document(report: tuple[Document, list[Section]]) -> None:
    _tiles(*report)


@pytest.mark.parametrize(
    ("phrase", "scope", "name"),
    [
        ("Skin and muscle: an invented case report", "front_matter", "front matter"),
        ("Journal of Invented Cases", "front_matter", "front matter"),
        ("Dermatomyositis may precede", "background", "Abstract: Background"),
        ("A 66-year-old retired teacher developed", "patient", "Abstract: Case presentation"),
        ("Screening for cancer should follow", "discussion", "Abstract: Conclusions"),
        ("ovarian cancer, screening", "front_matter", "Keywords"),
        ("Cancer is found in about one in five", "background", "Introduction"),
        ("She denied dysphagia.", "patient", "Case report"),
        ("Her sister had breast cancer.", "patient", "Case report"),
        ("Creatine kinase was 3,900", "patient", "Investigations"),
        ("Violaceous eyelid rash with periorbital swelling", "caption", "Figure 1"),
        ("Criteria for definite dermatomyositis", "table", "Table 1"),
        ("II Raised serum muscle enzymes", "table", "Table 1"),
        ("III Typical rash", "table", "Table 1"),
        ("A pelvic mass was found", "patient", "Treatment and outcome"),
        ("carry a high risk of cancer", "discussion", "Discussion"),
        ("Look for a cancer", "discussion", "Conclusion"),
        ("An invented reference", "references", "References"),
        ("We thank the patient.", "back_matter", "Acknowledgements"),
        ("None.", "back_matter", "Funding"),
    ],
)
def test_report_scopes(
    report: tuple[Document, list[Section]], phrase: str, scope: str, name: str
) -> None:
    doc, sections = report
    section = _section_of(doc, sections, phrase)
    assert (section.scope, section.name) == (scope, name)


def test_a_note_without_headings_is_one_patient_section() -> None:
    doc = ingest_text("54 year old woman seen for weakness. No rash. CK 3000.\nPlan: MRI thighs.")
    plan = doc.text.index("Plan:")
    assert split_sections(doc) == [
        Section("body", "patient", 0, plan),
        Section("Plan", "patient", plan, len(doc.text)),
    ]
    plain = ingest_text("Proximal weakness for three months and a rash over the knuckles.")
    assert split_sections(plain) == [Section("body", "patient", 0, len(plain.text))]


def test_note_headings() -> None:
    text = (
        "Rheumatology clinic letter\n"
        "HPI: 47F with 2 months of difficulty climbing stairs.\n"
        "PMH: hypothyroidism.\n"
        "Family history: mother with lupus.\n"
        "Exam: heliotrope rash, MRC 4/5 hip flexors.\n"
        "Labs: CK 2,800 U/L.\n"
        "Assessment/Plan: probable dermatomyositis; MRI and EMG.\n"
    )
    doc = ingest_text(text)
    sections = split_sections(doc)
    _tiles(doc, sections)
    names = [(s.name, s.scope) for s in sections]
    assert names == [
        ("body", "patient"),  # the letter's first line: a note is not an article
        ("HPI", "patient"),
        ("PMH", "patient"),
        ("Family history", "patient"),
        ("Exam", "patient"),
        ("Labs", "patient"),
        ("Assessment/Plan", "patient"),
    ]


def test_note_labels_inside_a_line() -> None:
    doc = ingest_text("HPI: weak hips for 6 weeks. PMH: none. Exam: Gottron papules.")
    sections = split_sections(doc)
    assert [s.name for s in sections] == ["HPI", "PMH", "Exam"]
    assert doc.text[sections[1].start : sections[1].end] == "PMH: none. "


def test_short_labels_need_capitals_and_a_colon() -> None:
    doc = ingest_text("Abbreviations\n- CC:\n-\nchief complaint\nReferences\n1. A reference.")
    assert [s.scope for s in split_sections(doc)] == ["back_matter", "references"]
    lower = ingest_text("The exam was normal.\ncc\nno rash")
    assert len(split_sections(lower)) == 1


def test_numbered_and_combined_headings() -> None:
    doc = ingest_text(
        "1. Introduction\nMyositis is rare.\n2. Case Presentation\nShe was weak.\n"
        "2.1 Investigations and results\nCK was high.\n3 Discussion and conclusions\nIt fits.\n"
    )
    got = [(s.name, s.scope) for s in split_sections(doc)]
    assert got == [
        ("Introduction", "background"),
        ("Case Presentation", "patient"),
        ("Investigations and results", "patient"),
        ("Discussion and conclusions", "discussion"),
    ]


def test_unstructured_abstract_takes_the_patient_scope_only_when_alone() -> None:
    alone = ingest_text(
        "Abstract\nWe describe a 60-year-old man with a heliotrope rash and weakness."
    )
    assert [s.scope for s in split_sections(alone)] == ["patient"]
    with_body = ingest_text(
        "Abstract\nWe describe a man with a rash.\n\nCase report\nA 60-year-old man had a rash."
    )
    assert [s.scope for s in split_sections(with_body)] == ["front_matter", "patient"]


def test_caption_ends_at_a_full_stop_then_the_section_resumes() -> None:
    doc = ingest_text(
        "Case presentation\nShe had a rash.\nFigure 2: Heliotrope rash of the eyelids.\n"
        "The rash faded with treatment."
    )
    sections = split_sections(doc)
    assert [(s.name, s.scope) for s in sections] == [
        ("Case presentation", "patient"),
        ("Figure 2", "caption"),
        ("Case presentation", "patient"),
    ]
    assert doc.text[sections[1].start : sections[1].end].strip() == (
        "Figure 2: Heliotrope rash of the eyelids."
    )


def test_a_sentence_that_mentions_a_figure_is_not_a_caption() -> None:
    doc = ingest_text("Case report\nFigure 1 shows the rash.\nTable 2 lists the results.")
    assert [s.scope for s in split_sections(doc)] == ["patient"]


def test_table_ends_where_wrapped_prose_resumes() -> None:
    doc = ingest_text(
        "Discussion\n"
        "Our patient met the criteria summarised below in the table for\n"
        "Table 3 Criteria for the diagnosis\n"
        "\n"
        "A Weakness of the proximal muscles\n"
        "\n"
        "B Raised creatine kinase\n"
        " classification, and the rash improved once the steroid dose was\n"
        "increased to one milligram per kilogram of body weight per day for a\n"
        "month, which is the usual practice in this setting of disease.\n"
    )
    sections = split_sections(doc)
    assert [(s.name, s.scope) for s in sections] == [
        ("Discussion", "discussion"),
        ("Table 3", "table"),
        ("Discussion", "discussion"),
    ]
    assert doc.text[sections[2].start :].lstrip().startswith("classification, and the rash")


def test_web_page_inline_caption() -> None:
    doc = ingest_text(
        "She improved. Fig. 1 Thigh MRI showing oedema Full size image Two weeks later she walked."
    )
    sections = split_sections(doc)
    assert [(s.name, s.scope) for s in sections] == [
        ("body", "patient"),
        ("Fig. 1", "caption"),
        ("body", "patient"),
    ]


def test_html_page_sections() -> None:
    doc = ingest(FIXTURES / "case_page.html")
    sections = split_sections(doc)
    _tiles(doc, sections)
    assert _scope_of(doc, sections, "retired baker noticed") == "patient"
    assert _scope_of(doc, sections, "- Anti-NXP2 antibody positive") == "patient"
    assert _scope_of(doc, sections, "Violaceous eyelid rash") == "caption"
    assert _scope_of(doc, sections, "Aldolase") == "table"
    assert _scope_of(doc, sections, "associated with calcinosis") == "discussion"


def test_empty_document_text_gives_no_sections() -> None:
    assert split_sections(Document("x", "text", "")) == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "Abstract",
                    "Background: what is known.",
                    "Case presentation",
                    "HPI: weak.",
                    "Discussion",
                    "References",
                    "Fig. 1 A rash",
                    "Table 1 Criteria",
                    "I Weakness",
                    " lower case continues. Here",
                    "",
                    "Funding",
                    "Exam: rash. Labs: CK 300.",
                ]
            ),
            st.text(alphabet="abcXYZ .:;,-\t()", max_size=40),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_sections_always_tile_the_document(lines: list[str]) -> None:
    text = "\n".join(lines)
    if not text.strip():
        return
    doc = ingest_text(text)
    _tiles(doc, split_sections(doc))


# ----------------------------------------------------------------------------- the seeds


@pytest.mark.shared
def test_pdf_text_seed_scopes(shared_dir: Path) -> None:
    doc = ingest(shared_dir / "seeds" / "case-report.pdf.txt")
    sections = split_sections(doc)
    _tiles(doc, sections)
    text = doc.text
    # Table 1 and every one of its rows
    table = _section_of(doc, sections, "Table 1 Bohan and Peter")
    assert (table.name, table.scope) == ("Table 1", "table")
    for row in [
        "Criterion\n",
        "IV Abnormal muscle biopsy",
        "V Typical cutaneous features",
        "Definite diagnosis: Criterion V",
        "Possible diagnosis: Criterion V",
    ]:
        assert _scope_of(doc, sections, row) == "table", row
    # the discussion resumes after the table
    assert _scope_of(doc, sections, "MRI did show signal changes") == "discussion"
    # Fig. 2's caption, which names the heliotrope rash
    fig2 = _section_of(doc, sections, "Fig. 2 Clinical features")
    assert (fig2.name, fig2.scope) == ("Fig. 2", "caption")
    assert "heliotrope" in text[fig2.start : fig2.end]
    assert _scope_of(doc, sections, "Fig. 1 Clinical features") == "caption"
    assert _scope_of(doc, sections, "Fig. 3 MRI signal change") == "caption"
    # the case report and the abstract's case presentation
    case = _section_of(doc, sections, "A 43-year-old, previously healthy")
    assert (case.name, case.scope) == ("Case report", "patient")
    assert _scope_of(doc, sections, "Muscle biopsy") == "patient"
    assert _scope_of(doc, sections, "Autoantibody screen negative") == "patient"
    assert _scope_of(doc, sections, "A 43-year-old female diagnosed") == "patient"
    # not the patient's story
    assert _scope_of(doc, sections, "Sarcomas are rare and heterogeneous tumours") == "background"
    assert _scope_of(doc, sections, "Stertz first described") == "background"
    assert _scope_of(doc, sections, "Bohan and Peter proposed five") == "discussion"
    assert _scope_of(doc, sections, "CASE REPORT") == "front_matter"
    assert _scope_of(doc, sections, "the first description of paraneo") == "discussion"


@pytest.mark.shared
def test_web_seed_scopes(shared_dir: Path) -> None:
    doc = ingest(shared_dir / "seeds" / "case-report.web.txt")
    sections = split_sections(doc)
    _tiles(doc, sections)
    assert _scope_of(doc, sections, "Clinical Sarcoma Research volume") == "front_matter"
    abstract_case = _section_of(doc, sections, "A 43-year-old female diagnosed")
    assert (abstract_case.name, abstract_case.scope) == ("Abstract: Case presentation", "patient")
    assert _scope_of(doc, sections, "previously healthy Caucasian female") == "patient"
    assert _scope_of(doc, sections, "Muscle biopsy was not performed") == "patient"
    assert _scope_of(doc, sections, "Stertz first described") == "background"
    assert _scope_of(doc, sections, "which was performed due to high risk") == "discussion"
    assert _scope_of(doc, sections, "Dalakas MC, Hohlfeld R.") == "references"
    assert _scope_of(doc, sections, "Supraclavicular fossa") == "back_matter"
    assert _scope_of(doc, sections, "RLJ is the recipient of grants") == "back_matter"
    assert _scope_of(doc, sections, "Consent obtained from patient") == "back_matter"
    patient = [s for s in sections if s.scope == "patient"]
    assert [s.name for s in patient] == ["Abstract: Case presentation", "Case report"]


@pytest.mark.shared
def test_corpus_texts_have_a_patient_story(shared_dir: Path) -> None:
    for path in sorted((shared_dir / "corpus").glob("*.txt")):
        doc = ingest(path)
        sections = split_sections(doc)
        _tiles(doc, sections)
        patient = sum(s.end - s.start for s in sections if s.scope == "patient")
        assert patient > 0.5 * len(doc.text), path.name


def test_note_style_background_line_is_the_patients_history() -> None:
    """Regression (issue 8): a clinic letter's "Background: ..." line and an EMG report's
    "Conclusion: ..." line made the note look like an article, hiding the patient's story."""
    from heliotrope.nlp.ingest import ingest_text as _ingest
    from heliotrope.nlp.sections import split_sections as _split

    text = (
        "Rheumatology Review\n\nMrs K, 61\n\nBackground: myositis diagnosed in 2019.\n\n"
        "She reports weakness on stairs.\n\nConclusion: relapse.\n"
    )
    scopes = {s.name: s.scope for s in _split(_ingest(text, "letter.txt"))}
    assert scopes.get("Background") == "patient"
    assert "front_matter" not in scopes.values()
