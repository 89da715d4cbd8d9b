"""The founding case (Merry et al., Clin Sarcoma Res 2020;10:15): the illustrative lesion table
follows the reported course, and the radiologist's reported verdicts stay separate."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from heliotrope.io import load_record, parse_record
from heliotrope.model.vocabulary import LesionKind
from heliotrope.model.vocabulary import RecistResponse as R
from heliotrope.oncology import reported_timepoints
from heliotrope.oncology.recist import evaluate_recist, read_lesion_csv


def test_example_says_its_measurements_are_illustrative(examples_dir: Path) -> None:
    text = (examples_dir / "founding-case-lesions.csv").read_text(encoding="utf-8")
    assert text.startswith("#")
    head = text.split("date,lesion", 1)[0]
    assert "ILLUSTRATIVE" in head and "SYNTHETIC" in head and "NOT from the paper" in head


def test_example_target_selection_follows_recist(examples_dir: Path) -> None:
    rows = read_lesion_csv(examples_dir / "founding-case-lesions.csv")
    baseline = min(r.date for r in rows)  # type: ignore[type-var]
    targets = [r for r in rows if r.date == baseline and r.kind is LesionKind.target]
    organs = Counter(r.organ for r in targets)
    assert len(targets) <= 5 and max(organs.values()) <= 2
    assert {"lung", "liver", "adrenal", "peritoneum", "soft tissue"} <= set(organs)


def test_example_reproduces_the_reported_course(examples_dir: Path) -> None:
    """Minor reduction mid-treatment (SD), stable at the end of chemotherapy (SD), and
    multifocal progression two months later (PD: >= 20% and >= 5 mm, and a new lesion)."""
    result = evaluate_recist(read_lesion_csv(examples_dir / "founding-case-lesions.csv"))
    mid, end, restaging = result.timepoints
    assert (mid.overall, end.overall, restaging.overall) == (R.SD, R.SD, R.PD)
    assert mid.change_from_baseline is not None and mid.change_from_baseline < 0
    assert restaging.target is R.PD and restaging.new_lesions == "yes"
    assert restaging.change_from_nadir is not None and restaging.change_from_nadir >= 20
    assert (result.best_overall, result.best_overall_unconfirmed) == (R.SD, R.SD)
    assert result.warnings == []


def test_reported_timepoints_are_marked_reported_and_ordered() -> None:
    record = parse_record(
        {
            "id": "reported",
            "events": [{"id": "start", "kind": "chemo", "date": "2019-02-25"}],
            "tumour_assessments": [
                {"date": {"after": "start", "by": "26 weeks"}, "reported_response": "PD"},
                {"date": {"after": "start", "by": "18 weeks"}, "reported_response": "SD"},
                {"date": {"after": "start", "by": "9 weeks"}, "description": "no verdict"},
                {"reported_response": "PR", "description": "undated"},
            ],
        },
        "case.yaml",
    )
    reported = reported_timepoints(record)
    assert [(t.date, t.response, t.origin) for t in reported] == [
        ("2019-07-01", R.SD, "reported"),
        ("2019-08-26", R.PD, "reported"),
    ]
    assert reported[0].source == "case.yaml, tumour_assessments[1]"


def test_founding_case_file_reports_sd_then_pd(examples_dir: Path) -> None:
    record = load_record(examples_dir / "founding-case.yaml")
    assert [t.response for t in reported_timepoints(record)] == [R.SD, R.PD]
