"""The assessment as a PDF (fpdf2, pure Python): every result with its outcome, values, range,
the items that alone would change it, its items and evidence, caveats and citation; the
IMACS 2023 plan; for documents, what was read. The same content as the web report.

Text is drawn, never interpreted, so clinical text cannot inject anything. The font is the
DejaVu Sans that matplotlib ships (Unicode: γ, ≥, ×), so no font is downloaded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heliotrope import __version__
from heliotrope.logic import CLASSIFICATION_DISCLAIMER, CriterionResult

if TYPE_CHECKING:
    from heliotrope.api import Assessment
    from heliotrope.nlp.reader import ReadResult
    from heliotrope.screening.plan import ScreeningPlan

__all__ = ["assessment_pdf"]


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _value(name: str, value: object) -> str:
    if name == "probability" and isinstance(value, float):
        return f"{value * 100:.1f} %"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def _status(status: str) -> str:
    return "not assessed / unknown" if status == "unknown" else status


def assessment_pdf(
    assessment: Assessment,
    *,
    name: str,
    plan: ScreeningPlan | None = None,
    extraction: ReadResult | None = None,
) -> bytes:
    """The report as PDF bytes."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    fonts = _font_dir()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(fonts / "DejaVuSans-Oblique.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(f"heliotrope report — {assessment.patient_id}")
    pdf.set_creator(f"heliotrope {__version__}")
    pdf.add_page()
    line = _Writer(pdf).line

    line(f"heliotrope report — patient {assessment.patient_id}", 15, "B", 1)
    line(
        f"Input {name} · assessed {assessment.assessed_on.isoformat()} · heliotrope "
        f"{assessment.heliotrope_version} · options {assessment.options}",
        8.5,
        gap=1,
    )
    line(CLASSIFICATION_DISCLAIMER, 9.5, "I", 3)

    if extraction is not None:
        line("Read from the document", 12, "B", 1)
        counts = ", ".join(f"{n} {family}" for family, n in sorted(extraction.counts().items()))
        line(
            f"{len(extraction.facts)} facts ({counts or 'none'}), {len(extraction.conflicts)} "
            f"conflicts, {len(extraction.warnings)} warnings. Extraction can be wrong: check "
            "every fact against the text.",
            gap=3,
        )

    for result in assessment.results.values():
        _result(result, line)

    if plan is not None:
        line("IMACS 2023 screening plan", 12, "B", 1)
        state = "applicable" if plan.applicable else "not applicable"
        line(f"Risk {plan.category} ({state}); schedule {plan.schedule_label}.")
        for reason in plan.reasons:
            line(f"• {reason}", 8.5)
        for entry in plan.entries:
            line(f"• {entry.when}: {entry.test} ({entry.panel}) — {entry.reason}", 8.5)
        line(plan.citation, 8, "I", 3)
    return bytes(pdf.output())


class _Writer:
    """Paragraphs in DejaVu Sans across the page width."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(self, text: str, size: float = 9.5, style: str = "", gap: float = 0.0) -> None:
        self.pdf.set_font("DejaVu", style, size)
        self.pdf.set_x(self.pdf.l_margin)
        self.pdf.multi_cell(self.width, size * 0.5, text)
        if gap:
            self.pdf.ln(gap)


def _result(result: CriterionResult, write: Callable[..., None]) -> None:
    write(result.title, 12, "B")
    write(f"{result.version} · {result.citation}", 7.5, "I", 1)
    write(f"Outcome: {result.outcome.replace('_', ' ')}", 10.5, "B")
    values = [
        f"{k.replace('_', ' ')} {_value(k, v)}"
        for k, v in result.values.items()
        if v is not None and k not in ("subtype", "subgroup")
    ]
    if values:
        write("; ".join(values))
    if result.unknown_items:
        write(
            f"Unknown items allow {result.worst.replace('_', ' ')} to "
            f"{result.best.replace('_', ' ')}"
            + "".join(
                f"; {k} {_value(k, lo)}–{_value(k, hi)}"
                for k, (lo, hi) in result.value_ranges.items()
            )
            + "."
        )
        for pivot in result.unknown_effects:
            if pivot.changes_outcome:
                write(f"• {pivot.key.replace('_', ' ')} alone would give {pivot.if_present}", 9)
    for item in result.items:
        points = "" if item.points is None else f" [{item.points:g} pts]"
        evidence = "; ".join(e.summary for e in item.evidence[:3])
        write(
            f"– {item.label}{points}: {_status(item.status.value)}"
            + (f" — {evidence}" if evidence else "")
            + (f" ({item.note})" if item.note else ""),
            8,
        )
    for caveat in result.caveats:
        write(f"Caveat: {caveat}", 8, "I")
    for note in result.notes:
        write(f"Note: {note}", 8)
    if result.disclaimer:
        write(result.disclaimer, 8, "I")
    write("", 4)
