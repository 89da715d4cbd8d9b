"""The scoring of extraction against item labels (heliotrope.nlp.evaluation)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from heliotrope.nlp.evaluation import Tally, expected_categories, score_corpus

DEV = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus" / "dev"


def _items(present_eular: set[str], present_bp: set[str], rash: bool) -> dict[str, dict[str, str]]:
    return {
        "eular_acr_2017": {k: "present" for k in present_eular},
        "bohan_peter_1975": {
            **{k: "present" for k in present_bp},
            "dm_rash": "present" if rash else "absent",
        },
    }


@pytest.mark.parametrize(
    ("eular", "biopsy", "category"),
    [
        # Lundberg 2017 Table 1 weights; cut-offs 5.5 / 7.5 (no biopsy), 6.7 / 8.7 (biopsy)
        ({"age_onset_40_plus", "heliotrope_rash", "elevated_muscle_enzymes"}, False, "probable"),
        ({"age_onset_40_plus", "heliotrope_rash", "gottron_papules"}, False, "probable"),
        (
            {"age_onset_40_plus", "heliotrope_rash", "gottron_papules", "anti_jo1"},
            False,
            "definite",
        ),
        ({"age_onset_40_plus", "weakness_proximal_upper"}, False, "not_iim"),
        ({"age_onset_40_plus", "heliotrope_rash", "elevated_muscle_enzymes"}, True, "probable"),
        ({"age_onset_40_plus", "heliotrope_rash"}, True, "not_iim"),
    ],
)
def test_expected_eular_category_from_items(eular: set[str], biopsy: bool, category: str) -> None:
    assert expected_categories(_items(eular, set(), False), biopsy)["eular_acr_2017"] == category


@pytest.mark.parametrize(
    ("muscle", "rash", "category"),
    [
        (3, True, "definite"),
        (2, True, "probable"),
        (1, True, "possible"),
        (0, True, "not_met"),
        (4, False, "definite"),
        (3, False, "probable"),
        (2, False, "possible"),
        (1, False, "not_met"),
    ],
)
def test_expected_bohan_peter_category(muscle: int, rash: bool, category: str) -> None:
    names = [
        "proximal_weakness",
        "elevated_muscle_enzymes",
        "myopathic_emg",
        "muscle_biopsy_myositis",
    ]
    items = _items(set(), set(names[:muscle]), rash)
    assert expected_categories(items, False)["bohan_peter_1975"] == category


def test_tally_f1_counts() -> None:
    t = Tally(tp=8, fp=1, fn=1)
    assert t.f1 == pytest.approx(16 / 18)
    assert Tally().f1 is None


def test_development_labels_are_consistent_with_their_items() -> None:
    """Every expected category of the development labels follows from its items."""
    for case in json.loads((DEV / "labels.json").read_text(encoding="utf-8")):
        assert (DEV / f"{case['id']}.txt").is_file()
        derived = expected_categories(case["items"], bool(case["muscle_biopsy_performed"]))
        for criterion, expected in case["expected"].items():
            assert derived[criterion] == expected["category"], (case["id"], criterion)


def test_score_corpus_counts_a_small_corpus(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "A 52-year-old woman had a heliotrope rash. Power 5/5 throughout.", encoding="utf-8"
    )
    labels = [
        {
            "id": "a",
            "items": {
                "eular_acr_2017": {
                    "heliotrope_rash": "present",
                    "age_onset_40_plus": "present",
                    "weakness_proximal_upper": "absent",
                    "gottron_papules": "ambiguous",
                },
                "bohan_peter_1975": {"proximal_weakness": "absent"},
            },
            "expected": {"bohan_peter_1975": {"category": "not_met"}},
        }
    ]
    (tmp_path / "labels.json").write_text(json.dumps(labels), encoding="utf-8")
    score = score_corpus(tmp_path, "tiny")
    overall = score.overall
    assert (overall.tp, overall.fp, overall.fn) == (2, 0, 0)
    assert overall.total == 4  # the ambiguous label is skipped
    assert score.categories == [("a", "bohan_peter_1975", "not_met", "not_met")]
    assert "tiny: 1 documents" in score.summary()
