"""Findings put down to another cause are not findings of the myositis (issue 8 part 2:
a mimic's findings attributed to another cause). Sentences written for these tests."""

from __future__ import annotations

import pytest

from heliotrope.model.vocabulary import FindingCode, Status
from heliotrope.nlp.extract.attribution import attributed_elsewhere
from heliotrope.nlp.ingest import ingest_text
from heliotrope.nlp.reader import read_record


def _present(text: str) -> set[FindingCode]:
    record = read_record(ingest_text(text, "note.txt")).record
    return {f.code for f in record.findings if f.status is Status.present}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Right shoulder abduction was weak at 3/5 owing to a frozen shoulder.",
            FindingCode.weakness_proximal_upper,
        ),
        ("She has dysphagia due to an oesophageal stricture.", FindingCode.dysphagia),
        (
            "Periorbital violaceous erythema attributed to contact dermatitis.",
            FindingCode.heliotrope_rash,
        ),
        (
            "Hip flexion 4/5 bilaterally, secondary to lumbar canal stenosis.",
            FindingCode.weakness_proximal_lower,
        ),
    ],
)
def test_finding_attributed_to_another_cause_is_not_counted(text: str, code: FindingCode) -> None:
    assert code not in _present(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Proximal weakness due to myositis.", FindingCode.weakness_proximal_lower),
        ("Dysphagia secondary to her dermatomyositis.", FindingCode.dysphagia),
        ("Heliotrope rash, related to a flare of the disease.", FindingCode.heliotrope_rash),
        (
            "Proximal leg weakness; the raised CK was due to exercise.",
            FindingCode.weakness_proximal_lower,
        ),
    ],
)
def test_finding_of_the_myositis_is_kept(text: str, code: FindingCode) -> None:
    assert code in _present(text)


def test_the_cause_is_named() -> None:
    text = "Left deltoid 3/5 because of a rotator cuff tear."
    assert attributed_elsewhere(text, 0, 14) == "a rotator cuff tear"


def test_past_episode_years_before_is_not_the_current_presentation() -> None:
    """Trap: dermatomyositis long ago, since resolved, before an unrelated presentation."""
    text = (
        "A 70-year-old man presented with a hip fracture. He had dermatomyositis 12 years "
        "ago, with Gottron's papules and proximal weakness, which resolved with treatment. "
        "Power is now 5/5 throughout."
    )
    result = read_record(ingest_text(text, "note.txt"))
    present = {f.code for f in result.record.findings if f.status is Status.present}
    assert FindingCode.gottron_papules not in present
    assert FindingCode.weakness_proximal_lower not in present
    assert any("previous episode" in w.message for w in result.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "The heliotrope rash resolved after two cycles of IVIG.",  # the current episode's
        "A 45-year-old woman with a 7-year history of proximal weakness.",
        "Heliotrope rash began three years ago and persists.",
    ],
)
def test_not_a_previous_episode(text: str) -> None:
    assert _present(text)
