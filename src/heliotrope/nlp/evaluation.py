"""Scoring text extraction against item-level gold labels (issue 8, part 1).

A corpus is a directory of ``<id>.txt`` documents beside a ``labels.json`` in the format of
``../shared/corpus/labels.json`` (its README): per document, ``items.eular_acr_2017`` and
``items.bohan_peter_1975`` give each criterion item's status (``present``, ``absent``,
``unknown`` or ``ambiguous``; ambiguous labels are skipped), and ``expected`` the category a
correct engine reaches from those items (unknown scored as not met).

Each document is read with :func:`heliotrope.nlp.reader.read_record`, assessed with EULAR/ACR
2017 (Lundberg et al., Ann Rheum Dis 2017;76:1955–1964) and Bohan & Peter 1975 (N Engl J Med
1975;292:344–347), and every item's status is compared with its label. Per item: precision,
recall and F1 of *present* (the status that scores), counts (correct, false, missed) and
exact agreement of the three statuses; final categories are compared with ``expected``.

    from heliotrope.nlp.evaluation import score_corpus
    print(score_corpus(Path("benchmarks/corpus/sealed")).summary())
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "CRITERIA",
    "CorpusScore",
    "Tally",
    "expected_categories",
    "score_corpus",
]

CRITERIA = ("eular_acr_2017", "bohan_peter_1975")


@dataclass
class Tally:
    """Counts for one item (or all items): ``tp`` correct present, ``fp`` false present,
    ``fn`` missed present; ``agree`` of ``total`` labels matched exactly."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    agree: int = 0
    total: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.agree += other.agree
        self.total += other.total

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """None when nothing is present and nothing was predicted (no error to count)."""
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)


@dataclass
class CorpusScore:
    """Scores of one corpus: per-item tallies and (document, criterion, expected, got)."""

    name: str
    documents: int = 0
    items: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    categories: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def overall(self) -> Tally:
        total = Tally()
        for tally in self.items.values():
            total.add(tally)
        return total

    @property
    def category_hits(self) -> int:
        return sum(want == got for _, _, want, got in self.categories)

    def summary(self) -> str:
        t = self.overall
        f1 = "—" if t.f1 is None else f"{t.f1:.2f}"
        hits, n = self.category_hits, len(self.categories)
        share = f"{100 * hits / n:.0f} %" if n else "—"
        return (
            f"{self.name}: {self.documents} documents; item F1 {f1} ({t.tp} correct, "
            f"{t.fp} false, {t.fn} missed); statuses agree {t.agree}/{t.total}; "
            f"categories agree {hits}/{n} ({share})"
        )


def expected_categories(items: dict[str, dict[str, str]], biopsy: bool) -> dict[str, str]:
    """The categories the gold items give (unknown and ambiguous scored as not met): the
    EULAR/ACR 2017 score by the paper's Table 1 weights and cut-offs (spec §2.3), and
    Bohan & Peter 1975 (rash plus 3/2/1 of the four muscle items for definite/probable/
    possible DM; without rash 4/3/2 for PM). Used to check a hand-written label file."""
    from heliotrope.criteria import eular_acr_2017 as eular

    out: dict[str, str] = {}
    eular_items = items.get("eular_acr_2017", {})
    score = 0.0
    for row in eular.TABLE:
        weight = row.with_biopsy if biopsy else row.without_biopsy
        if weight is not None and eular_items.get(row.key) == "present":
            score += weight
    score = round(score, 2)
    possible, probable, definite = eular.SCORE_CUTOFFS[biopsy]
    out["eular_acr_2017"] = (
        "definite"
        if score >= definite
        else "probable"
        if score >= probable
        else "possible"
        if score >= possible
        else "not_iim"
    )
    bp = items.get("bohan_peter_1975", {})
    muscle = sum(
        bp.get(k) == "present"
        for k in (
            "proximal_weakness",
            "elevated_muscle_enzymes",
            "myopathic_emg",
            "muscle_biopsy_myositis",
        )
    )
    need = (3, 2, 1) if bp.get("dm_rash") == "present" else (4, 3, 2)
    out["bohan_peter_1975"] = (
        "definite"
        if muscle >= need[0]
        else "probable"
        if muscle >= need[1]
        else "possible"
        if muscle >= need[2]
        else "not_met"
    )
    return out


def _labels(directory: Path) -> list[dict[str, Any]]:
    data = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{directory / 'labels.json'}: a list of documents is expected")
    return data


def score_corpus(directory: Path, name: str | None = None) -> CorpusScore:
    """Read, assess and score every labelled document of ``directory``."""
    from heliotrope.api import assess
    from heliotrope.nlp.reader import read_record

    score = CorpusScore(name or directory.name)
    for case in _labels(directory):
        score.documents += 1
        result = read_record(directory / f"{case['id']}.txt")
        assessment = assess(result.record, CRITERIA)
        for criterion in CRITERIA:
            got = {i.key: i.status.value for i in assessment.results[criterion].items}
            for item, gold in case["items"].get(criterion, {}).items():
                if gold == "ambiguous" or item not in got:
                    continue
                tally = score.items[f"{criterion}.{item}"]
                pred = got[item]
                tally.total += 1
                tally.agree += pred == gold
                if pred != gold:
                    tally.errors.append(f"{case['id']}: {pred} (gold {gold})")
                if pred == "present" and gold == "present":
                    tally.tp += 1
                elif pred == "present":
                    tally.fp += 1
                elif gold == "present":
                    tally.fn += 1
            expected = case.get("expected", {}).get(criterion)
            if expected:
                category = assessment.results[criterion].category
                score.categories.append((case["id"], criterion, expected["category"], category))
    return score
