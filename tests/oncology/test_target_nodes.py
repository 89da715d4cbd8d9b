"""Issue 7, departure 5: all lymph nodes are one organ for the target limit.

RECIST 1.1 (Eisenhauer 2009, Eur J Cancer 45:228, section 4.2; spec §9.2): at most five target
lesions, at most two per organ, and pathological nodes count as one organ however many sites.
"""

from __future__ import annotations

import pytest

from heliotrope.errors import LesionTableError
from heliotrope.oncology.recist import evaluate_recist

from .helpers import scans


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
