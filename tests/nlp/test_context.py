"""ConText assertions: each category, each direction, scope ends, and the known traps."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from heliotrope.nlp.context import Assertion, ConText, Modifier, SentenceMemo
from heliotrope.nlp.ingest import ingest
from heliotrope.nlp.sections import split_sections
from heliotrope.nlp.sentences import Sentence, split_sentences

FLAGS = ("negated", "not_performed", "uncertain", "hypothetical", "historical", "family")
CONTEXT = ConText()


def flags(a: Assertion) -> set[str]:
    return {f for f in FLAGS if getattr(a, f)}


def assess(text: str, *targets: str, offset: int = 0) -> list[set[str]]:
    """Flags of each target (its first occurrence) in ``text``, read as one sentence."""
    sentence = Sentence(offset, offset + len(text), text)
    spans = [(offset + text.index(t), offset + text.index(t) + len(t)) for t in targets]
    return [flags(a) for a in CONTEXT.assert_targets(sentence, spans)]


NONE: set[str] = set()
NEG = {"negated"}
NOT_DONE = {"not_performed"}


@pytest.mark.parametrize(
    ("text", "target", "expected"),
    [
        # negation, forward
        ("No heliotrope rash was seen on the eyelids.", "heliotrope rash", NEG),
        ("She has no dysphagia.", "dysphagia", NEG),
        ("He denies muscle pain.", "muscle pain", NEG),
        ("The patient denied breathing or swallowing difficulty.", "breathing", NEG),
        ("The patient denied breathing or swallowing difficulty.", "swallowing difficulty", NEG),
        (
            "Knuckle papules without visible dilated capillary nailfold loops.",
            "dilated capillary nailfold loops",
            NEG,
        ),
        ("Chest CT showed no evidence of malignancy.", "malignancy", NEG),
        ("Screen was negative for ENA, dsDNA, anti-CCP.", "ENA", NEG),
        ("Screen was negative for ENA, dsDNA, anti-CCP.", "dsDNA", NEG),
        ("Screen was negative for ENA, dsDNA, anti-CCP.", "anti-CCP", NEG),
        ("There was no neck or truncal weakness.", "neck", NEG),
        ("There was no neck or truncal weakness.", "truncal weakness", NEG),
        ("She never smoked.", "smoked", NEG),
        ("Absence of calcinosis on the radiographs.", "calcinosis", NEG),
        ("He did not report any weakness or myalgia.", "myalgia", NEG),
        ("CT ruled out a pelvic tumour.", "pelvic tumour", NEG),
        # negation, backward
        ("Anti-Jo1 and anti-Mi2 antibody negative.", "Anti-Jo1", NEG),
        ("Anti-Jo1 and anti-Mi2 antibody negative.", "anti-Mi2", NEG),
        ("Anti-SRP antibodies were not detected.", "Anti-SRP antibodies", NEG),
        ("Mechanic's hands were absent.", "Mechanic's hands", NEG),
        ("A pelvic tumour was excluded by MRI.", "pelvic tumour", NEG),
        ("Renal function was unremarkable.", "Renal function", NEG),
        ("Malignancy was ruled out.", "Malignancy", NEG),
        # not performed (not plain negation)
        ("Muscle biopsy was not performed.", "Muscle biopsy", NOT_DONE),
        ("The muscle biopsy was not done because of anticoagulation.", "muscle biopsy", NOT_DONE),
        ("No muscle biopsy was performed.", "muscle biopsy", NOT_DONE),
        ("No muscle biopsy was obtained.", "muscle biopsy", NOT_DONE),
        ("No electromyography was done during the admission.", "electromyography", NOT_DONE),
        ("She did not undergo a muscle biopsy.", "muscle biopsy", NOT_DONE),
        ("Myositis antibodies were not tested.", "Myositis antibodies", NOT_DONE),
        ("He was not tested for anti-HMGCR antibodies.", "anti-HMGCR antibodies", NOT_DONE),
        ("A muscle biopsy was deferred.", "muscle biopsy", NOT_DONE),
        ("She refused a muscle biopsy.", "muscle biopsy", NOT_DONE),
        ("The muscle biopsy that was performed showed no inflammation.", "muscle biopsy", NONE),
        ("The muscle biopsy that was performed showed no inflammation.", "inflammation", NEG),
        # uncertain
        ("Possible heliotrope rash on the upper eyelids.", "heliotrope rash", {"uncertain"}),
        ("Thigh MRI was suspicious for myositis.", "myositis", {"uncertain"}),
        ("An underlying malignancy cannot be excluded.", "malignancy", {"uncertain"}),
        (
            "Paraneoplastic myositis could not be ruled out.",
            "Paraneoplastic myositis",
            {"uncertain"},
        ),
        ("The rash was probably photosensitive.", "photosensitive", {"uncertain"}),
        ("Dermatomyositis, likely paraneoplastic, was diagnosed.", "paraneoplastic", {"uncertain"}),
        ("Interstitial lung disease was suspected.", "Interstitial lung disease", {"uncertain"}),
        ("Questionable Gottron sign on the left hand.", "Gottron sign", {"uncertain"}),
        ("Inclusion body myositis is unlikely.", "Inclusion body myositis", {"uncertain"}),
        # rule out: hypothetical or uncertain, never negated
        ("Rule out dermatomyositis.", "dermatomyositis", {"uncertain"}),
        ("Admitted to rule out dermatomyositis.", "dermatomyositis", {"uncertain"}),
        ("R/O dermatomyositis.", "dermatomyositis", {"uncertain"}),
        # hypothetical
        ("Return if weakness develops.", "weakness", {"hypothetical"}),
        ("If dysphagia appears, repeat the swallow study.", "dysphagia", {"hypothetical"}),
        ("She should be screened for ovarian cancer.", "ovarian cancer", {"hypothetical"}),
        ("CT was done to screen for malignancy.", "malignancy", {"hypothetical"}),
        (
            "The lesion was at risk of pathological fracture.",
            "pathological fracture",
            {"hypothetical"},
        ),
        ("A muscle biopsy is planned.", "muscle biopsy", {"hypothetical"}),
        # historical
        ("She has a history of breast cancer 10 years ago.", "breast cancer", {"historical"}),
        ("Past medical history of hypothyroidism.", "hypothyroidism", {"historical"}),
        ("He had colon cancer treated years ago.", "colon cancer", {"historical"}),
        ("Previous myocardial infarction.", "myocardial infarction", {"historical"}),
        ("A 3-month history of proximal weakness.", "proximal weakness", NONE),  # current
        ("She had a few-weeks history of knee pain.", "knee pain", NONE),
        # family
        ("Her grandmother had endometrial cancer.", "endometrial cancer", {"family"}),
        ("A maternal aunt had lupus at 30.", "lupus", {"family"}),
        ("His father died of lung cancer.", "lung cancer", {"family"}),
        ("Her mother, who had lupus, was well.", "lupus", {"family"}),
        ("Family history of colorectal cancer.", "colorectal cancer", {"family"}),
        ("Ovarian cancer in her sister.", "Ovarian cancer", {"family"}),
        ("Psoriasis runs in the family.", "Psoriasis", {"family"}),
        ("No family history of myositis.", "myositis", {"negated", "family"}),
        # affirmed
        ("Gottron papules were present over the knuckles.", "Gottron papules", NONE),
        ("Creatine kinase was 4,310 U/L.", "Creatine kinase", NONE),
    ],
)
def test_assertion(text: str, target: str, expected: set[str]) -> None:
    assert assess(text, target) == [expected]


# The known traps, each with all its targets -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "targets", "expected"),
    [
        # a semicolon ends the scope
        ("No heliotrope rash; fever present.", ("heliotrope rash", "fever"), [NEG, NONE]),
        # a new item with its own status word ends the list
        ("No heliotrope rash, fever present.", ("heliotrope rash", "fever"), [NEG, NONE]),
        ("No rash and CK was raised.", ("rash", "CK"), [NEG, NONE]),
        ("Denies fever, reports a rash.", ("fever", "rash"), [NEG, NONE]),
        ("No dysphagia, possible rash.", ("dysphagia", "rash"), [NEG, {"uncertain"}]),
        ("Rash present, ANA and dsDNA negative.", ("Rash", "ANA", "dsDNA"), [NONE, NEG, NEG]),
        ("CK was raised and ANA negative.", ("CK", "ANA"), [NONE, NEG]),
        # ...but a predicate shared by the whole list does not
        (
            "No drug, dietary or infective triggers were identified.",
            ("drug", "dietary", "infective triggers"),
            [NEG, NEG, NEG],
        ),
        ("No fever, chills and rash were noted.", ("fever", "chills", "rash"), [NEG, NEG, NEG]),
        (
            "No fevers, chills, joint pain, and dysphagia were present.",
            ("fevers", "joint pain", "dysphagia"),
            [NEG, NEG, NEG],
        ),
        # after the cue's target, in another clause
        (
            "Gottron's papules were noted, without nailfold changes.",
            ("Gottron's papules", "nailfold changes"),
            [NONE, NEG],
        ),
        (
            "Proximal power was 3/5, but no neck or truncal weakness.",
            ("Proximal power", "neck", "truncal weakness"),
            [NONE, NEG, NEG],
        ),
        # termination words
        ("No myalgia but marked weakness.", ("myalgia", "weakness"), [NEG, NONE]),
        ("No findings apart from a shawl sign.", ("findings", "shawl sign"), [NEG, NONE]),
        ("No symptoms other than dysphagia.", ("symptoms", "dysphagia"), [NEG, NONE]),
        (
            "Panel positive for anti-TIF1γ antibodies, whilst anti-Jo1 and anti-Mi2 antibody "
            "negative.",
            ("anti-TIF1γ", "anti-Jo1", "anti-Mi2"),
            [NONE, NEG, NEG],
        ),
        (
            "Negative for ENA, dsDNA, anti-CCP, with normal complement and weakly positive "
            "ANA (1:160).",
            ("ENA", "dsDNA", "anti-CCP", "complement", "ANA (1:160)"),
            [NEG, NEG, NEG, NONE, NONE],
        ),
        (
            "All myositis antibodies were negative, including anti-Jo1 and anti-PL7.",
            ("anti-Jo1", "anti-PL7"),
            [NEG, NEG],
        ),
        # a label colon starts a new item
        ("ANA: negative, CK: 5000 U/L.", ("ANA", "CK"), [NEG, NONE]),
        ("No fever, Labs: CK 5000 U/L.", ("fever", "CK"), [NEG, NONE]),
        ("Titre (1:160) without rash.", ("Titre", "rash"), [NONE, NEG]),
    ],
)
def test_traps(text: str, targets: tuple[str, ...], expected: list[set[str]]) -> None:
    assert assess(text, *targets) == expected


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("There was no change in the weakness.", "weakness"),
        ("No increase in creatine kinase after the infusion.", "creatine kinase"),
        ("No significant change in the rash.", "rash"),
        ("Not only weakness but also dysphagia.", "weakness"),
        ("Not only weakness but also dysphagia.", "dysphagia"),
        ("A gram-negative bacteraemia complicated the course.", "bacteraemia"),
        ("The negative predictive value of the antibody is high.", "antibody"),
        ("Chest CT prior to chemotherapy was clear.", "chemotherapy"),
    ],
)
def test_pseudo_cues_are_not_cues(text: str, target: str) -> None:
    assert assess(text, target) == [NONE]


def test_max_scope_limits_a_forward_cue() -> None:
    text = "No rash on the face or the neck or the arms or the legs at any point, then fever."
    assert assess(text, "rash", "fever") == [NEG, NONE]
    far = "No " + "very " * 20 + "big rash."
    assert assess(far, "rash") == [NONE]


def test_cues_report_text_category_and_offsets() -> None:
    text = "No muscle biopsy was performed."
    offset = 1000
    (assertion,) = CONTEXT.assert_targets(
        Sentence(offset, offset + len(text), text), [(offset + 3, offset + 16)]
    )
    assert assertion.not_performed and not assertion.negated
    assert assertion.cues == (
        Modifier("NOT_PERFORMED", "forward", "No", offset, offset + 2),
        Modifier("NOT_PERFORMED", "forward", "performed", offset + 21, offset + 30),
    )
    assert assertion.cues[0].flag == "not_performed"
    assert not assertion.affirmed


def test_cue_text_keeps_the_original_case_and_hyphens() -> None:
    text = "Dermatomyositis was RULED-OUT."
    sentence = Sentence(0, len(text), text)
    (a,) = CONTEXT.assert_targets(sentence, [(0, 15)])
    assert a.negated
    assert [(m.text, m.start, m.end) for m in a.cues] == [("RULED-OUT", 20, 29)]


def test_modifiers_lists_every_cue() -> None:
    text = "No rash; possible weakness; history of cancer in her mother."
    mods = CONTEXT.modifiers(Sentence(0, len(text), text))
    assert [(m.category, m.text) for m in mods] == [
        ("NEGATED_EXISTENCE", "No"),
        ("POSSIBLE_EXISTENCE", "possible"),
        ("HISTORICAL", "history of"),
        ("FAMILY", "in her mother"),
    ]


def test_a_cue_overlapping_the_target_is_ignored() -> None:
    text = "The no-reflow phenomenon was not seen."
    assert assess(text, "no-reflow phenomenon") == [NEG]


def test_targets_are_checked() -> None:
    sentence = Sentence(10, 20, "No rash ok")
    assert CONTEXT.assert_targets(sentence, []) == []
    assert CONTEXT.assert_targets(sentence, [(13, 17)]) == [
        Assertion(negated=True, cues=(Modifier("NEGATED_EXISTENCE", "forward", "No", 10, 12),))
    ]
    with pytest.raises(ValueError, match="not inside the sentence"):
        CONTEXT.assert_targets(sentence, [(5, 12)])
    with pytest.raises(ValueError, match="not inside the sentence"):
        CONTEXT.assert_targets(sentence, [(15, 15)])


def test_offsets_after_case_changing_characters() -> None:
    # "İ" lower-cases to two characters: matching must still report the original offsets
    text = "İstanbul patient: no rash."
    sentence = Sentence(0, len(text), text)
    (a,) = CONTEXT.assert_targets(sentence, [(text.index("rash"), text.index("rash") + 4)])
    assert a.negated
    assert a.cues[0].text == "no" and text[a.cues[0].start : a.cues[0].end] == "no"


# The rules file ---------------------------------------------------------------------------


def _rules() -> dict[str, object]:
    raw = files("heliotrope.resources").joinpath("nlp/context_rules.json").read_text("utf-8")
    data: dict[str, object] = json.loads(raw)
    return data


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_custom_rules_file(tmp_path: Path) -> None:
    data = _rules()
    cues = data["cues"]
    assert isinstance(cues, list)
    cues.append(
        {
            "category": "NEGATED_EXISTENCE",
            "direction": "backward",
            "max_scope": 3,
            "phrases": ["nicht"],
        }
    )
    context = ConText(_write(tmp_path, data))
    text = "Rash nicht."
    (a,) = context.assert_targets(Sentence(0, len(text), text), [(0, 4)])
    assert a.negated


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(extra_key=1), "extra"),
        (lambda d: d["cues"][0].update(category="MAYBE"), "category"),
        (lambda d: d["cues"][0].update(direction="sideways"), "direction"),
        (lambda d: d["cues"][0].update(max_scope=0), "max_scope"),
        (lambda d: d["cues"][0]["phrases"].append("Upper Case"), "lower case"),
        (lambda d: d["cues"][0]["phrases"].append("rule-out"), "lower case"),
        (lambda d: d["cues"][1]["phrases"].append("no"), "listed twice"),
        (lambda d: d["cues"][0].update(patterns=["(unclosed"]), "not a valid regular expression"),
        (lambda d: d["cues"][0].update(patterns=["x+y"]), "anchors"),
        (lambda d: d.update(version=2), "version"),
    ],
)
def test_rules_are_validated(tmp_path: Path, change: object, message: str) -> None:
    data = _rules()
    assert callable(change)
    change(data)
    with pytest.raises(ValidationError, match=message):
        ConText(_write(tmp_path, data))


# Properties ------------------------------------------------------------------------------

WORDS = [
    "no",
    "not",
    "rash",
    "weakness",
    "negative",
    "possible",
    "history",
    "of",
    "her",
    "mother",
    "if",
    "but",
    ",",
    ";",
    ":",
    "and",
    "or",
    "was",
    "performed",
    "denies",
    "1:160",
    "(",
    ")",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=30),
    st.lists(st.tuples(st.integers(0, 200), st.integers(1, 20)), max_size=5),
    st.integers(0, 1000),
)
def test_any_sentence_and_targets(
    words: list[str], raw: list[tuple[int, int]], offset: int
) -> None:
    text = " ".join(words)
    sentence = Sentence(offset, offset + len(text), text)
    targets = []
    for start, length in raw:
        s = start % len(text)
        e = min(len(text), s + length)
        if e > s:
            targets.append((offset + s, offset + e))
    out = CONTEXT.assert_targets(sentence, targets)
    assert len(out) == len(targets)
    for a in out:
        for m in a.cues:
            assert sentence.start <= m.start < m.end <= sentence.end
            assert text[m.start - offset : m.end - offset] == m.text
            assert getattr(a, m.flag)


# The seeds -------------------------------------------------------------------------------


@pytest.mark.shared
def test_seed_pdf_text_assertions(shared_dir: Path) -> None:
    doc = ingest(shared_dir / "seeds" / "case-report.pdf.txt")
    sentences = [
        s
        for section in split_sections(doc)
        if section.scope == "patient"
        for s in split_sentences(doc.text, section.start, section.end)
    ]

    def check(fragment: str, target: str) -> set[str]:
        sentence = next(s for s in sentences if fragment in s.text)
        at = sentence.start + sentence.text.index(target)
        (a,) = CONTEXT.assert_targets(sentence, [(at, at + len(target))])
        return flags(a)

    assert check("Muscle biopsy", "Muscle biopsy") == NOT_DONE
    assert check("whilst", "anti-Jo1") == NEG
    assert check("whilst", "anti-Mi2") == NEG
    assert check("whilst", "TIF1γ") == NONE
    assert check("Autoantibody screen", "ENA") == NEG
    assert check("Autoantibody screen", "anti-CCP") == NEG
    assert check("Autoantibody screen", "ANA") == NONE
    assert check("denied breathing", "swallowing difficulty") == NEG
    assert check("Gottron’s papules", "Gottron’s papules") == NONE
    assert check("Gottron’s papules", "capillary nailfold") == NEG
    assert check("truncal", "truncal weakness") == NEG
    assert check("truncal", "reduced proximal power") == NONE
    assert check("grandmother", "endometrial cancer") == {"family"}
    assert check("few-months history", "left knee pain") == NONE
    assert check("infective triggers", "infective triggers") == NEG


@given(
    st.lists(
        st.sampled_from(
            [
                "She has no rash.",
                "There was no evidence of dysphagia or weakness.",
                "Her mother had a rash.",
                "A rash was seen.",
                "Possible weakness of the hips.",
            ]
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_sentence_memo_gives_the_assertions_of_a_fresh_reading(sentences: list[str]) -> None:
    """A sentence said again (at another offset) is asserted from the memo: same flags,
    cues at its own offsets."""
    context = ConText()
    memo: SentenceMemo = {}
    offset = 0
    for text in sentences:
        sentence = Sentence(offset, offset + len(text), text)
        targets = [(offset + a, offset + a + 4) for a in range(0, len(text) - 4, 7)]
        fresh = context.assert_targets(sentence, targets)
        assert context.assert_targets(sentence, targets, memo=memo) == fresh
        offset += len(text) + 1
    assert set(memo) == set(sentences)
