"""Which extractors run on a sentence: the gates (one scan of every family's keys), the
document-wide scan that gives them for every sentence at once, and the speed-ups of the
lexicon layer (case-insensitive regexes over lower-cased text, pattern requirements)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import heliotrope.nlp.extract as extract
from heliotrope.nlp.extract import (
    DocumentGates,
    antibodies,
    cancer,
    demographics,
    families,
    investigations,
    labs,
    muscle,
    skin,
    temporal,
    treatments,
)
from heliotrope.nlp.extract import lexicon as lexicon_module
from heliotrope.nlp.extract.base import Caseless
from heliotrope.nlp.extract.lexicon import Matcher, required_literal, requirement

# Sentences written for these tests, one or more families each (compound words, spelling
# variants and keys inside longer words on purpose).
SENTENCES = [
    "A 61-year-old man presented with a violaceous rash over both upper eyelids.",
    "There was periorbital oedema and a shawl sign across the upper back.",
    "She had marked dysphagia to solids and Raynaud's phenomenon in winter.",
    "Hip flexion was 3/5 bilaterally and she could not climb stairs.",
    "Neck flexors were weaker than the neck extensors on testing.",
    "Creatine phosphokinase was 4100 IU/L (reference 30-170 IU/L).",
    "Haemoglobin 101 g/L and the aminotransferases were raised.",
    "Muscle enzymes normalised after six weeks of treatment.",
    "Anti-TIF1γ antibodies were strongly positive on immunoblot.",
    "The myositis line blot was negative for anti-Jo-1 and anti-PL-7.",
    "Needle electromyography showed fibrillation potentials in the deltoids.",
    "A left vastus lateralis biopsy showed perifascicular atrophy.",
    "Staging found a poorly differentiated adenocarcinoma of the lung.",
    "Her uterine leiomyosarcoma had been resected in 2016.",
    "She received nab-paclitaxel and later intravenous immunoglobulin.",
    "Prednisolone 60 mg daily was started three weeks later.",
    "Two months after the final cycle of chemotherapy she was admitted.",
    "In March 2019 a diagnosis of dermatomyositis was made.",
    "The tumour preceded the dermatomyositis by 14 months.",
    "Her father was aged 70 when his colorectal cancer was found.",
    "Nothing else of note was reported at the follow-up visit.",
    "Hemoglobin and platelets were within normal limits.",
    "The CK-MB fraction and troponin were unremarkable.",
    "Screening for malignancy with CT of the chest was negative.",
]

RUNNERS = {
    "skin": lambda t: skin.extract(t) + skin.extract_generic(t),
    "organs": skin.extract_organs,
    "muscle": muscle.extract,
    "labs": labs.extract,
    "antibodies": antibodies.extract,
    "investigations": lambda t: investigations.extract(t, None),
    "cancer": cancer.extract,
    "treatments": treatments.extract,
    "demographics": demographics.extract,
    "temporal": temporal.extract,
}


@pytest.mark.parametrize("sentence", SENTENCES)
def test_a_family_that_finds_something_is_gated_in(sentence: str) -> None:
    gates = families(sentence.lower())
    for family, run in RUNNERS.items():
        if run(sentence):
            assert family in gates, (family, sentence)


def test_the_gates_skip_families_with_nothing_to_read() -> None:
    assert families("nothing else of note was reported at the follow-up visit.") == set()
    assert "cancer" in families("a poorly differentiated adenocarcinoma")  # inside a word
    assert "treatments" in families("nab-paclitaxel was given")


@pytest.mark.parametrize(
    "sentence",
    [
        "Impression: dermatomyositis (Mi-2).",
        "Working diagnosis: DM (TIF1γ), cancer screening to follow.",
        "Diagnosis: amyopathic dermatomyositis (MDA5) with lung involvement.",
        "Juvenile dermatomyositis (NXP2); calcinosis of the elbows.",
        "Antisynthetase syndrome (PL-12) with mechanic's hands.",
        "Overlap myositis (PM-Scl).",
    ],
)
def test_regression_a_disease_name_with_its_antibody_in_brackets_opens_the_antibody_gate(
    sentence: str,
) -> None:
    assert antibodies.extract(sentence)
    assert "antibodies" in families(sentence.lower())
    assert "antibodies" in (
        DocumentGates(sentence, [(0, len(sentence))]).of(0, len(sentence)) or ()
    )


def _antibody_forms() -> list[str]:
    """Every written form of every antibody name, each hyphen also as a space and left out."""
    forms = [
        *lexicon_module.antibody_forms(),
        *lexicon_module.lexicon()["antibodies"]["case_sensitive"],
    ]
    return sorted({v for form in forms for v in extract._hyphen_variants(form)})


@pytest.mark.parametrize("form", _antibody_forms())
def test_every_antibody_name_opens_the_antibody_gate(form: str) -> None:
    for sentence in (f"Dermatomyositis ({form}).", f"{form} DM", f"{form.upper()}-associated"):
        if not antibodies.extract(sentence):
            continue
        assert "antibodies" in families(sentence.lower()), sentence
        gates = DocumentGates(sentence, [(0, len(sentence))]).of(0, len(sentence))
        assert gates is None or "antibodies" in gates, sentence


def test_short_antibody_keys_are_whole_words() -> None:
    """ "mi" (Mi-2), "scl" (PM-Scl), "ena" (ENA) inside other words open nothing."""
    assert "antibodies" not in families("similar weakness of the muscles, with renal failure")
    assert "antibodies" in families("mi-2 and pm scl")


def test_document_gates_equal_the_gates_of_each_sentence() -> None:
    text = ""
    spans = []
    for index, sentence in enumerate(SENTENCES):
        text += ("\n\n", " ", "\n")[index % 3] if text else ""
        spans.append((len(text), len(text) + len(sentence)))
        text += sentence
    gates = DocumentGates(text, [(0, len(text))])
    for start, end in spans:
        assert gates.of(start, end) == families(text[start:end].lower()), text[start:end]


def _by_brute_force(low: str) -> set[str]:
    """Every key at every position, by plain substring search (the specification)."""
    gate = extract._gate()
    found: set[str] = set()
    for key, owners in gate.families.items():
        at = low.find(key)
        while at >= 0:
            stop = at + len(key)
            whole = key not in gate.whole_word or (
                not low[at - 1 : at].isalnum() and not low[stop : stop + 1].isalnum()
            )
            if whole:
                found |= owners
            at = low.find(key, at + 1)
    if "temporal" not in found and re.search(r"(?:19|20)\d\d", low):
        found.add("temporal")
    return found


_KEYS = sorted(extract._gate().families)


@given(
    st.lists(
        st.tuples(st.sampled_from(["", " ", "-", "x", "s", "1"]), st.sampled_from(_KEYS)),
        min_size=1,
        max_size=6,
    )
)
def test_one_scan_finds_every_key_even_inside_or_across_another(
    parts: list[tuple[str, str]],
) -> None:
    low = "".join(glue + key for glue, key in parts)
    assert families(low) == _by_brute_force(low)


@given(
    st.lists(
        st.tuples(st.sampled_from(["", " ", "-", "x", "s", "1", "."]), st.sampled_from(_KEYS)),
        min_size=1,
        max_size=6,
    ),
    st.data(),
)
def test_document_gates_of_any_stretch_equal_its_own_gates(
    parts: list[tuple[str, str]], data: st.DataObject
) -> None:
    """The document scan finds a whole-word key ("ro", "jo", "mi") only as a whole word of
    the document; a sentence that a letter or digit touches (split at "weak.Ro", or cut
    mid-word) still gets every key of its own text, at its edges included."""
    low = "".join(glue + key for glue, key in parts)
    start = data.draw(st.integers(0, len(low) - 1))
    end = data.draw(st.integers(start + 1, len(low)))
    gates = DocumentGates(low, [(0, len(low))])
    assert gates.of(start, end) == _by_brute_force(low[start:end])


def test_regression_a_whole_word_key_at_the_edge_of_a_sentence_glued_to_a_word() -> None:
    """A sentence split with no space after the stop ("...sent.xKu") or cut
    mid-word keeps its antibody key, though the document scan skips a "ku" inside a word."""
    text = "Tests sent.xKu"
    gates = DocumentGates(text, [(0, len(text))])
    assert gates.of(12, 14) == families("ku") == {"antibodies"}
    assert gates.of(0, len(text)) == families(text.lower()) == set()


# -- the lexicon layer -------------------------------------------------------------------------


@given(st.text(alphabet="aAbBsSeEnN -'.()19ö", max_size=30))
def test_a_caseless_regex_matches_what_ignoring_case_matches(text: str) -> None:
    regex = Caseless(r"\b(?:an+|s?e+)\b|b(?P<g>[a-z]+)")
    plain = re.compile(regex.pattern, re.IGNORECASE)
    assert [m.span() for m in regex.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_a_caseless_regex_falls_back_when_lower_case_moves_characters() -> None:
    text = "İ CK raised"  # "İ".lower() is two characters long
    assert Caseless(r"ck\s+raised").search(text) is not None
    with pytest.raises(ValueError, match="lower case"):
        Caseless(r"[A-Z]+")


def test_pattern_requirements_are_clauses_that_must_all_hold() -> None:
    assert requirement(["a", "B"]) == (("a", "b"),)
    assert requirement([["a", "b"], ["c"]]) == (("a", "b"), ("c",))
    with pytest.raises(ValueError, match="mixes"):
        requirement(["a", ["b"]])
    matcher = Matcher({}, [(r"pale\s+lids", "x", [["pale"], ["lid"]])])
    assert [h.value for h in matcher.find("Pale lids")] == ["x"]
    assert matcher.find("pale skin over the lids and pale") == []  # regex runs, no match
    assert matcher.gate_keys() == frozenset({"pale"})
    unmet = Matcher({}, [(r"pale", "x", [["pale"], ["lid"]])])
    assert unmet.find("pale skin") == []  # would match, but "lid" is not in the text


def test_the_literal_every_match_of_a_term_contains() -> None:
    assert required_literal("IV methylprednisolone") == "methylprednisolone"
    assert required_literal("haemoglobin") == "emoglobin"  # haemoglobin or hemoglobin
    assert required_literal("nab-paclitaxel") == "paclitaxel"
    assert required_literal("tumour") == "tumo"
