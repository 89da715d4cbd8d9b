"""Sentence-level antibody results, including lists and mixed results in one sentence."""

from __future__ import annotations

import pytest

from heliotrope.model.vocabulary import AntibodyName as N
from heliotrope.model.vocabulary import AntibodyResult as R
from heliotrope.nlp.extract import antibodies


def results(sentence: str) -> dict[N, R | None]:
    return {m.name: m.result for m in antibodies.extract(sentence)}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Anti-Jo-1 antibodies were positive.", {N.anti_jo1: R.positive}),
        ("She was anti-Mi-2 positive.", {N.anti_mi2: R.positive}),
        ("Serology: negative for ANA, ENA and anti-CCP.",
         {N.ana: R.negative, N.anti_ena: R.negative, N.anti_ccp: R.negative}),
        ("The panel was positive for NXP2 and SRP antibodies.",
         {N.anti_nxp2: R.positive, N.anti_srp: R.positive}),
        ("Anti-PL-7 and anti-PL-12 antibody negative.",
         {N.anti_pl7: R.negative, N.anti_pl12: R.negative}),
        ("A weakly positive ANA was found.", {N.ana: R.weak}),
        ("Positive for anti-TIF1-γ antibodies alone, whilst anti-Jo1 was negative.",
         {N.anti_tif1g: R.positive, N.anti_jo1: R.negative}),
        ("A positive anti-transcription intermediary factor-1 gamma antibody result.",
         {N.anti_tif1g: R.positive}),
        ("Double-stranded DNA antibodies and anti-Ro52 were all negative.",
         {N.anti_dsdna: R.negative, N.anti_ro52: R.negative}),
        ("Anti-MDA5 was not tested.", {N.anti_mda5: R.not_tested}),
        ("ANA negative; anti-SAE1 strongly positive.", {N.ana: R.negative, N.anti_sae: R.positive}),
        ("Anti-HMGCR antibodies were requested.", {N.anti_hmgcr: None}),
    ],
)  # fmt: skip
def test_results(sentence: str, expected: dict[N, R | None]) -> None:
    assert results(sentence) == expected


def test_titre_is_kept() -> None:
    [found] = antibodies.extract("ANA was positive at a titre of 1:640.")
    assert (found.result, found.titre) == (R.positive, "1:640")


def test_a_subjectless_clause_speaks_of_the_previous_names() -> None:
    found = antibodies.extract(
        "ANA was negative by one assay but was positive on HEp-2 cells (1:320), and anti-Jo-1 "
        "was negative."
    )
    by = {m.name: m for m in found}
    assert by[N.ana].result is R.positive
    assert by[N.anti_jo1].result is R.negative


def test_an_abbreviation_in_brackets_is_the_same_antibody() -> None:
    found = antibodies.extract("Signal recognition particle (SRP) antibodies were negative.")
    assert [(m.name, m.result) for m in found] == [(N.anti_srp, R.negative)]


@pytest.mark.parametrize(
    "sentence", ["Anti-inflammatory drugs were stopped.", "Anti-cancer therapy resumed."]
)
def test_not_antibodies(sentence: str) -> None:
    assert antibodies.extract(sentence) == []
