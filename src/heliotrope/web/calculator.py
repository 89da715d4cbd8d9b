"""The criteria calculator: each item of Bohan & Peter 1975 (spec §1), 2017 EULAR/ACR (spec §2)
and ENMC 2018 (spec §3) answered present / absent / not assessed, evaluated by the one kernel.

Answers replace the criteria's record readers (an answer *is* the item's status); everything else
(weights, logic tree, categories, ranges, the items that alone would change the outcome,
caveats) comes from the criterion's own :class:`~heliotrope.logic.Definition` through
:func:`heliotrope.logic.evaluate`, so the calculator can never disagree with ``assess``.

Two rows are not plain items, because the publications define them from other facts:

- EULAR/ACR age of onset: one choice (< 18, 18–39, ≥ 40) sets the three mutually exclusive age
  items together;
- ENMC 2018 DM-specific antibody: one row per antibody (positive / negative / not tested), read
  by the criterion's own antibody-panel reader, so the antibody-defined subtype and the
  "all five must be tested" caveat follow the paper.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from heliotrope.criteria import bohan_peter_1975, enmc_2018_dm, eular_acr_2017
from heliotrope.errors import ErrorDetail, InputError
from heliotrope.io.casefile import parse_record
from heliotrope.logic import Context, CriterionResult, Definition, ItemFinding, ItemStatus, evaluate
from heliotrope.logic.result import Evidence
from heliotrope.model.provenance import Source
from heliotrope.model.record import PatientRecord

__all__ = [
    "ANSWERS",
    "CRITERIA",
    "SHARED_FINDINGS",
    "Calculation",
    "Comparison",
    "Row",
    "Section",
    "answers_from_results",
    "calculate",
    "parse_answers",
    "sections",
]

#: The criteria the calculator sets side by side, in the report's order.
CRITERIA = (bohan_peter_1975.ID, eular_acr_2017.ID, enmc_2018_dm.ID)
#: Item answers: the spec's present / absent / not assessed (Appendix A ``unknown``).
ANSWERS: tuple[tuple[str, str], ...] = (
    ("present", "present"),
    ("absent", "absent"),
    ("unknown", "not assessed"),
)
ANTIBODY_ANSWERS: tuple[tuple[str, str], ...] = (
    ("positive", "positive"),
    ("negative", "negative"),
    ("not_tested", "not tested"),
)
AGE_ANSWERS: tuple[tuple[str, str], ...] = (
    ("40_plus", "≥ 40 years"),
    ("18_to_40", "≥ 18 and < 40 years"),
    ("under_18", "< 18 years"),
    ("unknown", "not assessed"),
)
BIOPSY_ANSWERS: tuple[tuple[str, str], ...] = (
    ("no", "no: score without biopsy"),
    ("yes", "yes: score with biopsy"),
)
BOUNDARY_ANSWERS: tuple[tuple[str, str], ...] = (
    ("score", "published score cut-offs"),
    ("probability", "probability cut-offs"),
)
_AGE_ITEMS = {
    "under_18": "age_onset_under_18",
    "18_to_40": "age_onset_18_to_40",
    "40_plus": "age_onset_40_plus",
}

#: Items that mean the same finding in several criteria: with JavaScript on, an answer given in
#: one criterion is copied to the others where they are still not assessed. (Raised muscle
#: enzymes are not among them: Bohan & Peter count aldolase, EULAR/ACR does not.)
SHARED_FINDINGS = frozenset(
    {"heliotrope_rash", "gottron_papules", "gottron_sign", "proximal_weakness"}
)

RowKind = Literal["item", "age", "antibody", "biopsy", "boundary"]


@dataclass(frozen=True)
class Row:
    """One question of the form: its field name, wording, points to show and choices."""

    name: str
    label: str
    definition: str
    kind: RowKind
    choices: tuple[tuple[str, str], ...]
    default: str
    points: tuple[str, ...] = ()
    biopsy_only: bool = False

    @property
    def shared(self) -> str | None:
        """The finding this row shares with other criteria (see SHARED_FINDINGS), if any."""
        key = self.name.rsplit(".", 1)[-1]
        return key if self.kind == "item" and key in SHARED_FINDINGS else None


@dataclass(frozen=True)
class Section:
    """One criterion's questions, with the columns of points it shows."""

    criterion_id: str
    title: str
    version: str
    citation: str
    point_columns: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str = ""


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _eular_section() -> Section:
    first = eular_acr_2017.definition(False)
    by_key = {row.key: row for row in eular_acr_2017.TABLE}
    age_defs = "; ".join(
        f"{by_key[k].label}: {_points(by_key[k].without_biopsy)} / {_points(by_key[k].with_biopsy)}"
        for k in ("age_onset_18_to_40", "age_onset_40_plus")
    )
    rows: list[Row] = [
        Row(
            "eular_acr_2017.biopsy",
            "Muscle biopsy performed",
            "selects the weight set: without biopsy (12 items) or with biopsy (16 items)",
            "biopsy",
            BIOPSY_ANSWERS,
            "no",
        ),
        Row(
            "eular_acr_2017.boundary",
            "Category boundaries",
            "spec §2.3: at the boundaries the published score and probability cut-offs differ",
            "boundary",
            BOUNDARY_ANSWERS,
            "score",
        ),
        Row(
            "eular_acr_2017.age",
            "Age of onset of the first symptom assumed related to the disease",
            age_defs + "; < 18 years selects the juvenile branch of the subgroup tree",
            "age",
            AGE_ANSWERS,
            "unknown",
            ("1.3 / 2.1", "1.5 / 2.2"),
        ),
    ]
    for row in eular_acr_2017.TABLE:
        if row.key in _AGE_ITEMS.values():
            continue
        rows.append(
            Row(
                f"eular_acr_2017.{row.key}",
                row.label,
                row.definition,
                "item",
                ANSWERS,
                "unknown",
                (_points(row.without_biopsy), _points(row.with_biopsy)),
                biopsy_only=row.without_biopsy is None,
            )
        )
    for key, label, text in eular_acr_2017.TREE_ITEMS:
        if key in _AGE_ITEMS.values():
            continue
        rows.append(Row(f"eular_acr_2017.{key}", label, text, "item", ANSWERS, "unknown", ("", "")))
    return Section(
        eular_acr_2017.ID,
        first.title,
        first.version,
        str(first.citation),
        ("points, no biopsy", "points, biopsy"),
        tuple(rows),
        "Biopsy items count only on the with-biopsy path; the weight sets never mix.",
    )


def _plain_section(definition: Definition, skip: frozenset[str] = frozenset()) -> list[Row]:
    return [
        Row(
            f"{definition.id}.{spec.key}",
            spec.label,
            spec.definition,
            "item",
            ANSWERS,
            "unknown",
        )
        for spec in definition.items
        if spec.key not in skip
    ]


def _enmc_section() -> Section:
    definition = enmc_2018_dm.definition()
    rows = _plain_section(definition, frozenset({"dm_specific_antibody"}))
    for name in enmc_2018_dm.DM_SPECIFIC:
        rows.append(
            Row(
                f"enmc_2018_dm.antibody.{name.value}",
                f"{enmc_2018_dm.ANTIBODY_LABELS[name]} (DM-specific autoantibody)",
                "testing of all five DM-specific antibodies is mandatory (spec §3)",
                "antibody",
                ANTIBODY_ANSWERS,
                "not_tested",
            )
        )
    return Section(
        definition.id,
        definition.title,
        definition.version,
        str(definition.citation),
        (),
        tuple(rows),
        enmc_2018_dm.UNCONFIRMED,
    )


def _bohan_section() -> Section:
    definition = bohan_peter_1975.definition()
    return Section(
        definition.id,
        definition.title,
        definition.version,
        str(definition.citation),
        (),
        tuple(_plain_section(definition)),
        definition.summary,
    )


_SECTIONS: tuple[Section, ...] | None = None


def sections() -> tuple[Section, ...]:
    """The form, one section per criterion (built once)."""
    global _SECTIONS
    if _SECTIONS is None:
        _SECTIONS = (_bohan_section(), _eular_section(), _enmc_section())
    return _SECTIONS


_ROWS: dict[str, tuple[Row, frozenset[str]]] = {}


def _rows() -> dict[str, tuple[Row, frozenset[str]]]:
    """Every row by field name, with its allowed choices (built once)."""
    if not _ROWS:
        for section in sections():
            for row in section.rows:
                _ROWS[row.name] = (row, frozenset(choice for choice, _ in row.choices))
    return _ROWS


def parse_answers(form: Mapping[str, str]) -> dict[str, str]:
    """Every row's answer (default where missing); an unknown field or choice is an InputError
    naming the field, so a tampered form gets a clear 4xx, never a guess."""
    rows = _rows()
    answers = {name: row.default for name, (row, _) in rows.items()}
    problems: list[ErrorDetail] = []
    for name, value in form.items():
        known = rows.get(name)
        if known is None:
            problems.append(ErrorDetail(name, "not a question of the calculator"))
            continue
        row, allowed_choices = known
        if value not in allowed_choices:
            allowed = ", ".join(choice for choice, _ in row.choices)
            problems.append(ErrorDetail(name, f"{value!r} is not one of: {allowed}"))
            continue
        answers[name] = value
    if problems:
        raise InputError("The calculator form has answers it cannot read.", problems)
    return answers


def _answered(status: ItemStatus, name: str, label: str) -> ItemFinding:
    shown = "not assessed" if status is ItemStatus.unknown else status.value
    evidence = Evidence(
        path=name,
        summary=f"calculator answer: {shown}",
        source=Source(document="calculator", field=name),
    )
    note = "not assessed" if status is ItemStatus.unknown else None
    return ItemFinding(status, (evidence,), note)


def _fixed(finding: ItemFinding) -> Callable[[Any, Context], ItemFinding]:
    """A reader that returns the answer whatever the record says."""

    def read(_record: Any, _context: Context) -> ItemFinding:
        return finding

    return read


def _with_answers(
    definition: Definition, statuses: Mapping[str, ItemStatus], prefix: str
) -> Definition:
    """``definition`` whose readers return the answers (items not in ``statuses`` keep theirs)."""
    items = []
    for spec in definition.items:
        if spec.key in statuses:
            finding = _answered(statuses[spec.key], f"{prefix}.{spec.key}", spec.label)
            items.append(dataclasses.replace(spec, read=_fixed(finding)))
        else:
            items.append(spec)
    return dataclasses.replace(definition, items=tuple(items))


def _item_statuses(answers: Mapping[str, str], criterion_id: str) -> dict[str, ItemStatus]:
    prefix = criterion_id + "."
    out: dict[str, ItemStatus] = {}
    for name, value in answers.items():
        rest = name.removeprefix(prefix)
        if rest == name or "." in rest or value not in ItemStatus.__members__:
            continue
        out[rest] = ItemStatus(value)
    return out


def _antibody_record(answers: Mapping[str, str]) -> PatientRecord:
    """A record holding only the antibody results entered, for ENMC 2018's own reader."""
    prefix = "enmc_2018_dm.antibody."
    tests = [
        {"name": name.removeprefix(prefix), "result": value}
        for name, value in answers.items()
        if name.startswith(prefix) and value != "not_tested"
    ]
    return parse_record({"id": "calculator", "antibodies": tests}, "calculator")


@dataclass(frozen=True)
class Comparison:
    """How the three criteria compare: each one's DM verdict, and where they disagree."""

    verdicts: dict[str, str]
    agree: bool
    disagreements: tuple[str, ...]
    shared_answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Calculation:
    """The answers and each criterion's result."""

    answers: dict[str, str]
    results: dict[str, CriterionResult]
    comparison: Comparison
    options: dict[str, str] = field(default_factory=dict)


def _dm_verdict(result: CriterionResult) -> str:
    """Does the result classify the patient as DM (any DM subgroup, any level)?"""
    if result.id == bohan_peter_1975.ID:
        return "DM" if result.values.get("subtype") == "DM" else result.outcome
    if result.id == eular_acr_2017.ID:
        subgroup = result.values.get("subgroup")
        if subgroup in ("DM", "ADM", "JDM"):
            return "DM"
        return result.outcome
    return "DM" if result.category != "not_met" else result.outcome


_SHORT = {
    bohan_peter_1975.ID: "Bohan & Peter",
    eular_acr_2017.ID: "EULAR/ACR",
    enmc_2018_dm.ID: "ENMC 2018",
}


def _compare(results: Mapping[str, CriterionResult], answers: Mapping[str, str]) -> Comparison:
    verdicts = {cid: _dm_verdict(result) for cid, result in results.items()}
    dm = [cid for cid, v in verdicts.items() if v == "DM"]
    other = [cid for cid in verdicts if cid not in dm]
    disagreements: list[str] = []
    if dm and other:
        disagreements.append(
            ", ".join(_SHORT[c] for c in dm)
            + " classify as dermatomyositis; "
            + "; ".join(f"{_SHORT[c]} gives {results[c].outcome.replace('_', ' ')}" for c in other)
            + "."
        )
    levels = {cid: results[cid].category for cid in dm}
    if len(set(levels.values())) > 1:
        disagreements.append(
            "Levels differ: "
            + ", ".join(f"{_SHORT[c]} {lvl.replace('_', ' ')}" for c, lvl in levels.items())
            + "."
        )
    for cid, result in results.items():
        if result.best != result.worst:
            disagreements.append(
                f"{_SHORT[cid]} could range from {result.worst.replace('_', ' ')} to "
                f"{result.best.replace('_', ' ')} with the items not assessed."
            )
    shared: list[str] = []
    keyed: dict[str, list[tuple[str, str]]] = {}
    for cid in results:
        for key, status in _item_statuses(answers, cid).items():
            keyed.setdefault(key, []).append((cid, status.value))
    for key, pairs in keyed.items():
        if len(pairs) > 1 and len({s for _, s in pairs}) > 1:
            shown = ", ".join(
                f"{'not assessed' if s == 'unknown' else s} for {_SHORT[c]}" for c, s in pairs
            )
            shared.append(
                f"The same item ({key.replace('_', ' ')}) is answered differently: {shown}."
            )
    agree = len({v == "DM" for v in verdicts.values()}) == 1
    return Comparison(verdicts, agree, tuple(disagreements), tuple(shared))


def answers_from_results(
    record: PatientRecord, results: Mapping[str, CriterionResult]
) -> dict[str, str]:
    """The calculator form for a record already assessed: each item's status as its answer
    (so the calculator can explore "what if" from a real case and reproduce its result)."""
    form: dict[str, str] = {}
    for cid in CRITERIA:
        result = results.get(cid)
        if result is None:
            continue
        for item in result.items:
            if item.key in _AGE_ITEMS.values() or item.key == "dm_specific_antibody":
                continue
            form[f"{cid}.{item.key}"] = item.status.value
        if cid == eular_acr_2017.ID:
            bands = {key: band for band, key in _AGE_ITEMS.items()}
            form[E_AGE] = next(
                (
                    bands[i.key]
                    for i in result.items
                    if i.key in bands and i.status.value == "present"
                ),
                "unknown",
            )
            form["eular_acr_2017.biopsy"] = "yes" if result.values.get("biopsy_path") else "no"
    names = {a.value for a in enmc_2018_dm.DM_SPECIFIC}
    for test in record.antibodies:
        if test.name.value in names and test.result.value != "not_tested":
            positive = test.result.value in ("positive", "weak")
            form[f"enmc_2018_dm.antibody.{test.name.value}"] = (
                "positive" if positive else "negative"
            )
    rows = _rows()
    return {k: v for k, v in form.items() if k in rows and v in rows[k][1]}


E_AGE = "eular_acr_2017.age"


def _own_answers(answers: Mapping[str, str], criterion_id: str) -> tuple[tuple[str, str], ...]:
    prefix = criterion_id + "."
    return tuple(sorted((k, v) for k, v in answers.items() if k.startswith(prefix)))


@lru_cache(maxsize=2048)
def _bohan(answers: tuple[tuple[str, str], ...]) -> CriterionResult:
    statuses = _item_statuses(dict(answers), bohan_peter_1975.ID)
    bohan = _with_answers(bohan_peter_1975.definition(), statuses, bohan_peter_1975.ID)
    return evaluate(bohan, PatientRecord(id="calculator"), Context())


@lru_cache(maxsize=2048)
def _eular(answers: tuple[tuple[str, str], ...]) -> CriterionResult:
    given = dict(answers)
    biopsy = given["eular_acr_2017.biopsy"] == "yes"
    boundary = given["eular_acr_2017.boundary"]
    statuses = _item_statuses(given, eular_acr_2017.ID)
    age = given["eular_acr_2017.age"]
    for band, key in _AGE_ITEMS.items():
        if age == "unknown":
            statuses[key] = ItemStatus.unknown
        else:
            statuses[key] = ItemStatus.present if band == age else ItemStatus.absent
    eular = _with_answers(eular_acr_2017.definition(biopsy, boundary), statuses, eular_acr_2017.ID)
    context = Context(options={"eular_boundary_rule": boundary})
    return evaluate(eular, PatientRecord(id="calculator"), context)


@lru_cache(maxsize=2048)
def _enmc(answers: tuple[tuple[str, str], ...]) -> CriterionResult:
    given = dict(answers)
    statuses = _item_statuses(given, enmc_2018_dm.ID)
    enmc = _with_answers(enmc_2018_dm.definition(), statuses, enmc_2018_dm.ID)
    return evaluate(enmc, _antibody_record(given), Context())


def calculate(form: Mapping[str, str]) -> Calculation:
    """Evaluate the three criteria from the form's answers (InputError for a bad form).

    Each criterion is a pure function of its own answers, so its result is memoised on them: a
    live update that changes one EULAR/ACR item re-evaluates EULAR/ACR only.
    """
    answers = parse_answers(form)
    results = {
        bohan_peter_1975.ID: _bohan(_own_answers(answers, bohan_peter_1975.ID)),
        eular_acr_2017.ID: _eular(_own_answers(answers, eular_acr_2017.ID)),
        enmc_2018_dm.ID: _enmc(_own_answers(answers, enmc_2018_dm.ID)),
    }
    options = {
        "biopsy": answers["eular_acr_2017.biopsy"],
        "eular_boundary_rule": answers["eular_acr_2017.boundary"],
    }
    return Calculation(answers, results, _compare(results, answers), options)
