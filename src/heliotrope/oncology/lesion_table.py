"""RECIST lesion tables: the CSV reader and the checks every lesion table must pass.

The CSV has the header ``date,lesion,organ,kind,node,mm,assessment`` (in that order; case and
spaces around names are ignored); blank lines and lines starting with ``#`` are ignored. One
row is one lesion on one date:

* ``date``: ISO date (``2019-03-14``).
* ``lesion``: the lesion's id, the same on every date; ``organ``: free text (``lung``).
* ``kind``: ``target``, ``non_target`` or ``new`` — a lesion keeps its kind.
* ``node``: ``yes`` or ``no`` (blank is ``no``).
* ``mm``: longest diameter, or short axis for a lymph node; ``0`` when it has disappeared,
  ``5`` when "too small to measure" (spec §9.2). Required for targets, blank otherwise.
* ``assessment``: non-target rows ``present``, ``absent`` or ``unequivocal_progression``;
  new-lesion rows ``present`` or ``equivocal`` (blank is ``present``); blank for targets.

Target and non-target lesions are chosen at baseline (the earliest date): one first seen later
is a new lesion. A target lesion with no row on a later date was not assessed then.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from heliotrope.errors import ErrorDetail, LesionTableError
from heliotrope.limits import MAX_CSV_FIELD_CHARS, MAX_TABLE_BYTES
from heliotrope.model.dates import DateRange
from heliotrope.model.provenance import Source
from heliotrope.model.record import LesionMeasurement
from heliotrope.model.vocabulary import LesionAssessment, LesionKind

__all__ = [
    "HEADER",
    "LocatedRow",
    "check_rows",
    "field_location",
    "lesion_key",
    "order_key",
    "read_lesion_csv",
]

HEADER = ("date", "lesion", "organ", "kind", "node", "mm", "assessment")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_ALLOWED_ASSESSMENTS = {
    LesionKind.target: frozenset[LesionAssessment](),
    LesionKind.non_target: frozenset(
        {
            LesionAssessment.present,
            LesionAssessment.absent,
            LesionAssessment.unequivocal_progression,
        }
    ),
    LesionKind.new: frozenset({LesionAssessment.present, LesionAssessment.equivocal}),
}


@dataclass(frozen=True)
class LocatedRow:
    """A lesion row, where it was read (``line 7`` or ``lesions[3]``) and its resolved date."""

    where: str
    row: LesionMeasurement
    when: DateRange

    def at(self, field: str) -> str:
        return field_location(self.where, field)


def field_location(where: str, field: str) -> str:
    """A row's location with a field: ``line 7, field mm`` or ``lesions[3].mm``."""
    if where.endswith("]"):
        return f"{where}.{field}"
    return f"{where}, field {field}"


def order_key(when: DateRange) -> tuple[date, date, date]:
    """Chronological order of possibly imprecise dates: by midpoint, then by the ends."""
    return (when.mid, when.earliest, when.latest)


def lesion_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order of lesion ids (``T2`` before ``T10``), so results never depend on the
    order of the rows."""
    parts = re.findall(r"\d+|\D+", name)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def check_rows(rows: Sequence[LocatedRow]) -> list[ErrorDetail]:
    """The rules every lesion table follows, whatever file it came from (module docstring)."""
    problems: list[ErrorDetail] = []
    for item in rows:
        problems += _check_row(item)
    if not rows:
        return problems
    baseline = min((r.when for r in rows), key=order_key)
    first: dict[str, LocatedRow] = {}
    seen: dict[tuple[str, DateRange], LocatedRow] = {}
    for item in sorted(rows, key=lambda r: order_key(r.when)):
        row = item.row
        key = (row.lesion, item.when)
        if key in seen:
            problems.append(
                ErrorDetail(
                    item.at("lesion"),
                    f"lesion {row.lesion!r} has a second row on {item.when} (first at "
                    f"{seen[key].where}); give each lesion one row per date",
                )
            )
            continue
        seen[key] = item
        earlier = first.setdefault(row.lesion, item)
        if earlier is not item:
            if earlier.row.kind != row.kind:
                problems.append(
                    ErrorDetail(
                        item.at("kind"),
                        f"lesion {row.lesion!r} is {row.kind.value} here but "
                        f"{earlier.row.kind.value} at {earlier.where}; a lesion keeps its kind "
                        "(give a new lesion its own id)",
                    )
                )
            if earlier.row.node != row.node:
                problems.append(
                    ErrorDetail(
                        item.at("node"),
                        f"lesion {row.lesion!r} is marked node={_yes(row.node)} here but "
                        f"node={_yes(earlier.row.node)} at {earlier.where}",
                    )
                )
            continue
        at_baseline = item.when == baseline
        if row.kind is LesionKind.new and at_baseline:
            problems.append(
                ErrorDetail(
                    item.at("kind"),
                    f"lesion {row.lesion!r} is marked new on the baseline date ({baseline}); "
                    "lesions present at baseline are target or non_target",
                )
            )
        elif row.kind is not LesionKind.new and not at_baseline:
            problems.append(
                ErrorDetail(
                    item.at("kind"),
                    f"{row.kind.value} lesion {row.lesion!r} first appears on {item.when}, "
                    f"after baseline ({baseline}); target and non-target lesions are chosen at "
                    "baseline — record a lesion first seen later with kind new",
                )
            )
    if not any(r.when == baseline and r.row.kind is not LesionKind.new for r in rows):
        problems.append(
            ErrorDetail(
                f"baseline {baseline}",
                "the earliest date has no target or non-target lesion, so there is no baseline",
            )
        )
    return problems


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _check_row(item: LocatedRow) -> list[ErrorDetail]:
    row = item.row
    problems: list[ErrorDetail] = []
    if row.kind is LesionKind.target:
        if row.mm is None:
            problems.append(
                ErrorDetail(
                    item.at("mm"),
                    f"target lesion {row.lesion!r} on {item.when} has no measurement; give mm "
                    "(0 if it has disappeared, 5 if too small to measure) or leave out the row "
                    "if it was not assessed",
                )
            )
        if row.assessment is not None:
            problems.append(
                ErrorDetail(
                    item.at("assessment"),
                    f"target lesion {row.lesion!r} has assessment {row.assessment.value!r}; "
                    "target lesions are described by mm only — leave assessment blank",
                )
            )
        return problems
    allowed = _ALLOWED_ASSESSMENTS[row.kind]
    if row.kind is LesionKind.non_target and row.assessment is None:
        problems.append(
            ErrorDetail(
                item.at("assessment"),
                f"non-target lesion {row.lesion!r} on {item.when} has no assessment; use one of "
                + ", ".join(sorted(a.value for a in allowed)),
            )
        )
    elif row.assessment is not None and row.assessment not in allowed:
        problems.append(
            ErrorDetail(
                item.at("assessment"),
                f"{row.assessment.value!r} is not an assessment of a {row.kind.value} lesion "
                f"({row.lesion!r}); use one of " + ", ".join(sorted(a.value for a in allowed)),
            )
        )
    return problems


# -- CSV -------------------------------------------------------------------------------------


def read_lesion_csv(path: str | Path) -> tuple[LesionMeasurement, ...]:
    """Read a RECIST lesion table (module docstring); raise :class:`LesionTableError` naming
    the line and field of every problem."""
    path = Path(path)
    text = _read_text(path)
    document = str(path)
    rows: list[LocatedRow] = []
    problems: list[ErrorDetail] = []
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            cells = [c.strip() for c in next(csv.reader([line]))]
        except csv.Error as exc:  # e.g. a cell over the csv module's field limit (issue 12)
            problems.append(ErrorDetail(f"line {number}", f"not a CSV row ({exc})"))
            continue
        if any(len(c) > MAX_CSV_FIELD_CHARS for c in cells):
            problems.append(
                ErrorDetail(
                    f"line {number}",
                    f"a cell is longer than {MAX_CSV_FIELD_CHARS:,} characters "
                    "(heliotrope.limits.MAX_CSV_FIELD_CHARS)",
                )
            )
            continue
        if not header_seen:
            _check_header(cells, number, document)
            header_seen = True
            continue
        where = f"line {number}"
        if len(cells) != len(HEADER):
            problems.append(
                ErrorDetail(
                    where,
                    f"{len(cells)} fields where the header has {len(HEADER)} ({','.join(HEADER)})",
                )
            )
            continue
        parsed = _parse_row(dict(zip(HEADER, cells, strict=True)), where, document)
        if isinstance(parsed, list):
            problems += parsed
        else:
            rows.append(parsed)
    if not header_seen:
        raise LesionTableError(
            f"The lesion table is empty; it needs the header {','.join(HEADER)} and one row per "
            "lesion and date.",
            source=document,
        )
    if not problems:
        problems = check_rows(rows)
    if problems:
        raise LesionTableError("The lesion table cannot be used.", problems, source=document)
    if not rows:
        raise LesionTableError("The lesion table has a header but no rows.", source=document)
    return tuple(r.row for r in rows)


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise LesionTableError(
            "The lesion table does not exist or is not a file.", source=str(path)
        )
    if path.stat().st_size > MAX_TABLE_BYTES:
        raise LesionTableError(
            f"The lesion table is larger than {MAX_TABLE_BYTES} bytes.", source=str(path)
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LesionTableError(
            f"The lesion table is not UTF-8 text (byte {exc.start} cannot be decoded).",
            source=str(path),
        ) from None


def _check_header(cells: list[str], number: int, document: str) -> None:
    names = tuple(c.lower() for c in cells)
    if names == HEADER:
        return
    unknown = [c for c in names if c not in HEADER]
    missing = [c for c in HEADER if c not in names]
    why = []
    if unknown:
        why.append("unknown column(s) " + ", ".join(repr(c) for c in unknown))
    if missing:
        why.append("missing column(s) " + ", ".join(missing))
    if not why:
        why.append("the columns are out of order")
    raise LesionTableError(
        "The lesion table's header is not the RECIST lesion-table header.",
        [ErrorDetail(f"line {number}", "; ".join(why) + f"; expected {','.join(HEADER)}")],
        source=document,
    )


def _parse_row(cells: dict[str, str], where: str, document: str) -> LocatedRow | list[ErrorDetail]:
    problems: list[ErrorDetail] = []

    def bad(field: str, message: str) -> None:
        problems.append(ErrorDetail(f"{where}, field {field}", message))

    day: date | None = None
    if not _ISO_DATE.match(cells["date"]):
        bad("date", f"{cells['date']!r} is not an ISO date (YYYY-MM-DD)")
    else:
        try:
            day = date.fromisoformat(cells["date"])
        except ValueError:
            bad("date", f"{cells['date']!r} is not a calendar date")
    if not cells["lesion"]:
        bad("lesion", "the lesion id is empty")
    kind: LesionKind | None = None
    try:
        kind = LesionKind(cells["kind"].lower())
    except ValueError:
        bad("kind", f"{cells['kind']!r} is not a kind; use target, non_target or new")
    node = cells["node"].lower()
    if node not in ("yes", "no", ""):
        bad("node", f"{cells['node']!r} is not yes or no")
    mm: float | None = None
    if cells["mm"]:
        if not _NUMBER.match(cells["mm"]):
            bad("mm", f"{cells['mm']!r} is not a number of millimetres")
        else:
            mm = float(cells["mm"])
            if mm < 0:
                bad("mm", f"{cells['mm']} mm is negative; sizes are 0 or more")
    assessment: LesionAssessment | None = None
    if cells["assessment"]:
        try:
            assessment = LesionAssessment(cells["assessment"].lower())
        except ValueError:
            bad(
                "assessment",
                f"{cells['assessment']!r} is not an assessment; use present, absent, "
                "unequivocal_progression (non-target) or present, equivocal (new)",
            )
    if problems or day is None or kind is None:
        return problems
    try:
        row = LesionMeasurement(
            date=day,
            lesion=cells["lesion"],
            organ=cells["organ"] or None,
            kind=kind,
            node=node == "yes",
            mm=mm,
            assessment=assessment,
            source=Source(document=document, field=where),
        )
    except ValidationError as exc:  # defensive: the checks above should catch everything
        return [ErrorDetail(where, e["msg"]) for e in exc.errors(include_url=False)]
    return LocatedRow(where, row, DateRange(day, day))
