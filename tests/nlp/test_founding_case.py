"""The founding case report, read from both renditions, reaches the authors' conclusions.

Merry E, Smrke A, Halai K, et al. Paraneoplastic dermatomyositis associated with metastatic
leiomyosarcoma of unknown primary. Clin Sarcoma Res 2020;10:15 (CC BY 4.0), in ``../shared``:
the web page (no figure captions) and the PDF text (two columns, captions, Table 1).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from heliotrope.api import assess
from heliotrope.cli.main import app
from heliotrope.criteria.registry import REGISTRY
from heliotrope.model.vocabulary import FindingCode, InvestigationKind, Status
from heliotrope.nlp.reader import ReadResult, read_record

pytestmark = pytest.mark.shared
RENDITIONS = ("case-report.pdf.txt", "case-report.web.txt")


@pytest.fixture(scope="module")
def results(shared_dir: Path) -> dict[str, ReadResult]:
    return {name: read_record(shared_dir / "seeds" / name) for name in RENDITIONS}


def codes(result: ReadResult, status: Status = Status.present) -> set[FindingCode]:
    return {f.code for f in result.record.findings if f.status is status}


@pytest.mark.parametrize("name", RENDITIONS)
def test_bohan_peter_definite_dm_with_the_biopsy_not_performed(
    results: dict[str, ReadResult], name: str
) -> None:
    result = results[name]
    bp = assess(result.record, ["bohan_peter_1975"]).results["bohan_peter_1975"]
    assert (bp.category, bp.values["subtype"]) == ("definite", "DM")
    items = {i.key: i for i in bp.items}
    assert items["muscle_biopsy_myositis"].note == "not performed"
    assert {k for k, i in items.items() if i.status.value == "present"} >= {
        "proximal_weakness",
        "elevated_muscle_enzymes",
        "myopathic_emg",
        "dm_rash",
    }


@pytest.mark.parametrize("name", RENDITIONS)
def test_the_biopsy_typo_is_a_resolved_conflict(results: dict[str, ReadResult], name: str) -> None:
    [biopsy] = [
        i for i in results[name].record.investigations if i.kind is InvestigationKind.muscle_biopsy
    ]
    assert biopsy.performed is False
    assert "seeding" in (biopsy.reason_not_performed or "")
    [conflict] = results[name].conflicts
    assert conflict.subject == "muscle biopsy performed"
    assert conflict.kept is not None and conflict.kept.value == "not performed"
    assert conflict.kept.source.section == "Case report"
    assert conflict.rejected[0].source.section == "Discussion"
    assert conflict.rejected[0].self_contradicting


def test_pdf_eular_definite_with_the_heliotrope_rash_from_the_caption(
    results: dict[str, ReadResult],
) -> None:
    result = results["case-report.pdf.txt"]
    eular = assess(result.record, ["eular_acr_2017"]).results["eular_acr_2017"]
    assert (eular.category, eular.values["subgroup"]) == ("definite", "DM")
    assert eular.values["biopsy_path"] is False
    [heliotrope] = [f for f in result.facts if f.summary.startswith("heliotrope rash: present")]
    assert (heliotrope.source.section or "").startswith("Fig. 2")


def test_web_heliotrope_unknown_with_its_effect_shown(results: dict[str, ReadResult]) -> None:
    result = results["case-report.web.txt"]
    assert FindingCode.heliotrope_rash not in codes(result) | codes(result, Status.absent)
    assert FindingCode.periorbital_oedema in codes(result)  # never read as heliotrope
    eular = assess(result.record, ["eular_acr_2017"]).results["eular_acr_2017"]
    assert "heliotrope_rash" in eular.unknown_items
    [effect] = [e for e in eular.unknown_effects if e.key == "heliotrope_rash"]
    assert effect.changes_outcome and "definite" in effect.if_present
    assert eular.values["subgroup"] == "DM"


@pytest.mark.parametrize("name", RENDITIONS)
def test_facts_of_the_case(results: dict[str, ReadResult], name: str) -> None:
    record = results[name].record
    assert (record.demographics.age_years, record.demographics.sex.value) == (43, "female")
    [cancer] = record.cancers  # the grandmother's endometrial cancer is not hers
    assert cancer.histology == "leiomyosarcoma"
    assert cancer.metastatic and cancer.primary_unknown and cancer.grade == "2"
    labs = {lab.analyte.value: lab for lab in record.labs}
    assert (labs["ck"].value, labs["ck"].range and labs["ck"].range.high) == (695, 200)
    assert labs["crp"].comparator == "<"
    antibodies = {a.name.value: a.result.value for a in record.antibodies}
    assert antibodies["anti_tif1g"] == "positive"
    assert antibodies["anti_jo1"] == antibodies["anti_mi2"] == "negative"
    assert antibodies["ana"] == "weak"
    lines = {t.drug: t.line for t in record.treatments if t.line}
    assert lines == {"doxorubicin": 1, "trabectedin": 2}
    assert codes(results[name]) >= {
        FindingCode.gottron_papules,
        FindingCode.shawl_sign,
        FindingCode.periungual_erythema,
    }
    assert codes(results[name], Status.absent) >= {
        FindingCode.dysphagia,
        FindingCode.weakness_neck_flexors,
    }
    for fact in results[name].facts:
        assert not (fact.source.section or "").startswith("Table")


@pytest.mark.parametrize("name", RENDITIONS)
def test_graus_definite_when_registered(results: dict[str, ReadResult], name: str) -> None:
    if "graus_pns_2004" not in REGISTRY:
        pytest.skip("graus_pns_2004 is not in the registry yet")
    graus = assess(results[name].record, ["graus_pns_2004"]).results["graus_pns_2004"]
    assert graus.category == "definite"


def test_cli_assess_reads_the_pdf_text(shared_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["assess", str(shared_dir / "seeds" / "case-report.pdf.txt")], env={"COLUMNS": "160"}
    )
    assert result.exit_code == 0, result.output
    assert "Extracted from text" in result.stdout
    assert "definite DM" in result.stdout
