"""`heliotrope assess` on clinical documents (PDF, HTML, text) end to end, with our own text."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pytest
from typer.testing import CliRunner

from heliotrope.cli.main import app

matplotlib.use("Agg")

runner = CliRunner()

# A short case report written for this test (not from any publication).
CASE = [
    "Case presentation",
    "A 52-year-old woman presented with six weeks of difficulty climbing stairs.",
    "Examination showed a heliotrope rash and Gottron's papules over the knuckles.",
    "Power was 4/5 in the proximal upper and lower limbs bilaterally.",
    "Creatine kinase was 2400 (normal range 25-200 U/L).",
    "Anti-Jo1 antibody was negative.",
    "Electromyography showed myopathic changes.",
    "A muscle biopsy was not performed.",
    "Discussion",
    "Dermatomyositis is most often associated with ovarian and lung cancers.",
]


def _pdf(path: Path) -> Path:
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        figure = Figure(figsize=(8.27, 11.69))
        for row, line in enumerate(CASE):
            figure.text(0.08, 0.95 - row * 0.03, line, fontsize=9)
        pdf.savefig(figure)
    return path


def _html(path: Path) -> Path:
    body = "".join(
        f"<h2>{line}</h2>" if line in ("Case presentation", "Discussion") else f"<p>{line}</p>"
        for line in CASE
    )
    path.write_text(
        "<!doctype html><html><head><script>alert(1)</script></head><body>"
        f"<nav>Home | Journals</nav><article>{body}</article><footer>© Publisher</footer>"
        "</body></html>"
    )
    return path


def _text(path: Path) -> Path:
    path.write_text("\n".join(CASE) + "\n")
    return path


@pytest.mark.parametrize("make", [_pdf, _html, _text], ids=["pdf", "html", "txt"])
def test_assess_reads_a_document_and_classifies(tmp_path: Path, make: object) -> None:
    suffix = {"_pdf": ".pdf", "_html": ".html", "_text": ".txt"}[make.__name__]  # type: ignore[attr-defined]
    path = make(tmp_path / f"case{suffix}")  # type: ignore[operator]
    result = runner.invoke(app, ["assess", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    bp = data["results"]["bohan_peter_1975"]
    assert (bp["category"], bp["subtype"]) == ("definite", "DM")  # rash + C1, C2, C3
    assert bp["items"]["muscle_biopsy_myositis"]["status"] == "unknown"  # not performed
    eular = data["results"]["eular_acr_2017"]
    # 2.1 age + 0.7 + 0.8 weakness + 3.1 heliotrope + 2.1 Gottron's papules + 1.3 CK = 10.1
    assert eular["score"] == pytest.approx(10.1)
    assert eular["items"]["anti_jo1"]["status"] == "absent"
    assert eular["subgroup"] == "DM"
    # The literature sentence in the discussion never becomes the patient's cancer.
    assert data["results"]["cancer_associated_myositis"]["category"] != "yes"
    facts = data["extraction"]["facts"]
    assert all(f["source"]["document"] == str(path) for f in facts)
