"""Issue 7, departure 5: all lymph nodes are one organ for the target limit.

RECIST 1.1 (Eisenhauer 2009, Eur J Cancer 45:228, section 4.2; spec §9.2): at most five target
lesions, at most two per organ, and pathological nodes count as one organ however many sites.
"""

from __future__ import annotations

import pytest

from heliotrope.errors import LesionTableError
from heliotrope.oncology.recist import RecistOptions, evaluate_recist

from .helpers import day, scans


def test_regression_target_lymph_nodes_three_sites_are_one_organ() -> None:
    """Three nodal targets written with three different sites were accepted (two per site)."""
    rows = scans(
        {0: {"LN1": 20, "LN2": 18, "LN3": 16}, 56: {"LN1": 12, "LN2": 11, "LN3": 9}},
        organs={"LN1": "neck", "LN2": "axilla", "LN3": "mediastinum"},
    )
    with pytest.raises(LesionTableError) as caught:
        evaluate_recist(rows)
    assert any("'lymph nodes' has 3 target lesions" in d.message for d in caught.value.details)


def test_regression_target_lymph_nodes_two_nodes_and_organs_are_accepted() -> None:
    rows = scans(
        {0: {"LN1": 20, "LN2": 18, "T1": 30, "T2": 25}, 56: {"LN1": 9, "LN2": 8, "T1": 0, "T2": 0}},
        organs={"LN1": "neck", "LN2": "neck", "T1": "liver", "T2": "liver"},
    )
    result = evaluate_recist(rows)
    assert result.timepoints[-1].overall.value == "CR"


def test_regression_non_target_node_visible_again_after_cr_is_not_progression() -> None:
    """RECIST 1.1 (section 4.3.2, Table 4): a non-target node seen again after a CR is
    non-CR/non-PD (overall PR with target CR), not unequivocal progression."""
    table = {
        0: {"T1": 30, "NT1": "present"},
        56: {"T1": 0, "NT1": "absent"},
        112: {"T1": 0, "NT1": "present"},
        168: {"T1": 0, "NT1": "absent"},
    }
    rows = [r.model_copy(update={"node": r.lesion == "NT1"}) for r in scans(table)]
    result = evaluate_recist(rows)
    assert [t.overall.value for t in result.timepoints] == ["CR", "PR", "CR"]
    assert result.timepoints[1].non_target is not None
    assert result.timepoints[1].non_target.value == "non_CR_non_PD"
    assert "PD" not in {t.overall.value for t in result.timepoints}


def test_regression_min_sd_interval_counts_from_study_entry() -> None:
    """The minimum SD interval counts from study entry (RECIST 1.1 section 4.4): an SD 40 days
    after the baseline scan but 50 days after study entry meets a 42-day minimum."""
    rows = scans({0: {"T1": 30}, 40: {"T1": 28}})
    from_scan = evaluate_recist(rows)
    assert "baseline (no study entry date given)" in from_scan.best_overall_unconfirmed_explanation
    assert from_scan.best_overall_unconfirmed.value == "NE"
    entry = day(-10)
    from_entry = evaluate_recist(rows, RecistOptions(study_entry=entry))
    assert from_entry.best_overall_unconfirmed.value == "SD"
    assert f"study entry ({entry.isoformat()})" in from_entry.best_overall_unconfirmed_explanation


def test_non_nodal_non_target_seen_again_after_cr_is_still_pd() -> None:
    """The Table 3 footnote still applies to a non-nodal lesion seen again after a CR."""
    table = {
        0: {"T1": 30, "NT1": "present"},
        56: {"T1": 0, "NT1": "absent"},
        112: {"T1": 0, "NT1": "present"},
    }
    result = evaluate_recist(scans(table))
    assert [t.overall.value for t in result.timepoints] == ["CR", "PD"]
