"""The HTML review page: facts highlighted and listed; untrusted text always escaped."""

from __future__ import annotations

from heliotrope.nlp.ingest import ingest_text
from heliotrope.nlp.reader import read_record
from heliotrope.render.review_html import render_review

HOSTILE = (
    "Case report\n"
    "A 52-year-old woman <script>alert('x')</script> had a heliotrope rash "
    '<img src=x onerror="alert(1)">. Her CK was 700 U/L (normal 20–200 U/L).\n'
)


def test_document_text_is_escaped() -> None:
    page = render_review(read_record(ingest_text(HOSTILE, "<b>evil</b>.txt")))
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "&lt;script&gt;" in page
    assert "<b>evil</b>" not in page and "&lt;b&gt;evil&lt;/b&gt;" in page


def test_facts_are_highlighted_and_listed() -> None:
    page = render_review(read_record(ingest_text(HOSTILE, "note.txt")))
    assert '<mark class="finding"' in page and '<mark class="lab"' in page
    assert 'id="fact-0"' in page and 'href="#fact-0"' in page
    assert "heliotrope rash: present" in page
    assert "Content-Security-Policy" in page


def test_overlapping_spans_stay_well_nested() -> None:
    text = "Case report\nShe had proximal muscle weakness and a heliotrope rash.\n"
    page = render_review(read_record(ingest_text(text, "n.txt")))
    assert page.count("<mark") == page.count("</mark>")


def test_ambiguous_text_is_unknown_and_the_review_says_why() -> None:
    """Issue 8 part 4: a sign stated and doubted is unknown, with the hedge shown."""
    from heliotrope.model.vocabulary import FindingCode
    from heliotrope.nlp.ingest import ingest_text
    from heliotrope.nlp.reader import read_record
    from heliotrope.render.review_html import render_review

    text = (
        "The eyelids are erythematous; this could represent a heliotrope rash <b>but</b> is "
        "difficult to assess on a background of eczema. Power 5/5 throughout."
    )
    result = read_record(ingest_text(text, "consult.txt"))
    assert FindingCode.heliotrope_rash not in {f.code for f in result.record.findings}
    page = render_review(result)
    assert "Left unknown: the text is ambiguous" in page
    assert "could represent" in page
    assert "<b>but</b>" not in page  # the clinical text is escaped
