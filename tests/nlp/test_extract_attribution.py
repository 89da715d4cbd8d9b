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
