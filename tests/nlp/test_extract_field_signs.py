"""Skin signs, dysphagia and function in other words (issue 8 part 2, after integration), with
their traps. Sentences written for these tests."""

from __future__ import annotations

import pytest

from heliotrope.model.vocabulary import FindingCode, Status
from heliotrope.nlp.ingest import ingest_text
from heliotrope.nlp.reader import read_record

F = FindingCode


def _statuses(text: str) -> dict[FindingCode, set[Status]]:
    out: dict[FindingCode, set[Status]] = {}
    for f in read_record(ingest_text(text, "note.txt")).record.findings:
        out.setdefault(f.code, set()).add(f.status)
    return out


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Violaceous periorbital oedema.", F.heliotrope_rash),
        ("Lilac discoloration around both eyes.", F.heliotrope_rash),
        ("An erythematous rash around the eyes.", F.heliotrope_rash),
        ("Scaly erythema over the extensor surfaces of the elbows.", F.gottron_sign),
        ("Erythema over both elbows and knees.", F.gottron_sign),
        ("Violaceous lesions over the extensor aspects of the knuckles.", F.gottron_sign),
        ("Mild difficulty with solids.", F.dysphagia),
        ("Trouble getting down tablets.", F.dysphagia),
        ("Food sticks in her throat.", F.dysphagia),
        ("Rising from a squat was impossible.", F.weakness_proximal_lower),
        ("Climbing stairs has become very difficult.", F.weakness_proximal_lower),
    ],
)
def test_signs_in_other_words(text: str, code: FindingCode) -> None:
    assert Status.present in _statuses(text).get(code, set())


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Periorbital oedema without discolouration.", F.heliotrope_rash),
        ("Erythema over the elbow after a fall.", F.gottron_sign),  # one joint, no extensor
        ("Climbing stairs was not difficult.", F.weakness_proximal_lower),
        ("She manages climbing stairs without difficulty.", F.weakness_proximal_lower),
        ("Climbing stairs is no longer difficult.", F.weakness_proximal_lower),
    ],
)
def test_traps_are_not_signs(text: str, code: FindingCode) -> None:
    assert Status.present not in _statuses(text).get(code, set())


def test_denied_extensor_erythema_is_gottron_sign_absent() -> None:
    assert _statuses("No erythema over the elbows and knees.").get(F.gottron_sign) == {
        Status.absent
    }
