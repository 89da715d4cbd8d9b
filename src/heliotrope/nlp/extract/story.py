"""The story's time points: dated and relative events of the main case narrative.

Rules (in document order):

- "in August 2003" dates a point; "two months later" places it after the previous point;
  "2 months after chemotherapy" / "several days following surgery" after the point it names
  (or, if the text names something that is not a point of the story, it starts a chain of
  its own); "a 4-month history of weakness" puts the symptom onset before that sentence's
  presentation.
- An untimed key event — the first mention of the patient's cancer, and the diagnosis of the
  myositis — happens at the story's current time point (the previous point, offset 0): a
  narrative moves forward through its events.
- "the diagnosis of <cancer> preceded the <myositis> diagnosis by several months" (from the
  case or from a discussion sentence about this patient) places the cancer relative to the
  myositis diagnosis.
- A chain reaching a calendar date is dated. When the chain holding the myositis diagnosis
  (else the cancer) has no calendar date, its root gets one **nominal** date, chosen so the
  story's last point falls on today (the story is taken to end now): intervals between its
  dates are meaningful, calendar dates are not, and the record notes say so. Other undated
  chains stay undated, their relation kept in the event's note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from heliotrope.model.dates import DateRange, RelativeDate, resolve_spec
from heliotrope.model.provenance import Source
from heliotrope.nlp.extract.base import TimeMention

__all__ = ["NOMINAL_NOTE", "Point", "Timeline"]

NOMINAL_NOTE = (
    "nominal date: the text gives no calendar date; the story is taken to end today, so "
    "only intervals between dates are meaningful"
)
_ANCHOR_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("myositis_diagnosis", ("myositis diagnosis",)),
    ("surgery", ("surgery", "operation", "resection", "lobectomy", "hysterectomy", "excision")),
    ("treatment_end", ("chemotherapy", "cycle", "treatment", "therapy", "radiotherapy")),
    ("treatment_start", ("chemotherapy", "treatment", "therapy", "initiation")),
    ("admission", ("admission", "hospitali", "admitted")),
    ("presentation", ("presentation", "admission")),
    ("diagnosis", ("diagnosis",)),
)
_MYOSITIS_SYMPTOM = re.compile(
    r"\b(?:weakness|weak|rash|erythema|myalgia|muscle|heliotrope|gottron|dysphagia)\b",
    re.IGNORECASE,
)


@dataclass
class Point:
    """One time point; ``date`` (partial ISO) or ``anchor`` + signed ``offset``."""

    id: str
    kind: str
    source: Source
    date: str | None = None
    anchor: str | None = None
    offset: str | None = None
    note: str | None = None


def _future(partial: str) -> bool:
    parts = [int(p) for p in partial.split("-")]
    first = date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return first > date.today()


class Timeline:
    """Collects points in document order; :meth:`finish` dates what can be dated."""

    def __init__(self) -> None:
        self.points: list[Point] = []
        self.roles: dict[str, str] = {}
        self.by_sentence: dict[tuple[str | None, str | None], Point] = {}
        self.warnings: list[tuple[str, Source]] = []
        self.by_id: dict[str, Point] = {}

    def _new(self, kind: str, source: Source) -> Point:
        point = Point(f"e{len(self.points) + 1}", kind, source)
        self.points.append(point)
        self.by_id[point.id] = point
        return point

    def _here(self, point: Point) -> None:
        """Place ``point`` at the story's current time point."""
        earlier = [p for p in self.points[-2:] if p is not point]  # the latest other point
        if earlier:
            point.anchor, point.offset = earlier[-1].id, "+0 days"

    def _match(self, text: str | None) -> Point | None:
        if not text:
            return None
        words = text.lower()
        for kind, keys in _ANCHOR_WORDS:
            if any(k in words for k in keys):
                role = self.roles.get(kind)
                if role is not None:
                    return self.by_id[role]
                for point in reversed(self.points):
                    if point.kind == kind:
                        return point
        return None

    def narrative(self, kind: str, source: Source) -> Point:
        """An untimed key event, at the current time point (or at the time point its own
        sentence gives: "in 2016 a lymphoma was found")."""
        same = self.by_sentence.get((source.sentence, source.section))
        if same is not None and kind not in self.roles:
            if same.kind in ("event", "diagnosis"):
                same.kind = kind
            self.roles[kind] = same.id
            return same
        point = self._new(kind, source)
        self._here(point)
        self.roles.setdefault(kind, point.id)
        self.by_sentence.setdefault((source.sentence, source.section), point)
        return point

    def add(self, source: Source, m: TimeMention) -> None:
        key = (source.sentence, source.section)
        sign = "+" if m.direction == "after" else "-"
        if m.extractor == "temporal.preceded":
            return
        if m.extractor == "temporal.event":
            if "myositis_diagnosis" not in self.roles:
                self.by_sentence[key] = self.narrative("myositis_diagnosis", source)
            return
        if m.extractor == "temporal.history":
            presentation = self.by_sentence.get(key)
            if presentation is None:
                presentation = self._new("presentation", source)
                self._here(presentation)
                self.by_sentence[key] = presentation
            onset = self._new("symptom_onset", source)
            onset.anchor, onset.offset = presentation.id, f"-{m.offset}"
            sentence = source.sentence or ""
            tail = sentence[max(0, sentence.lower().find("history of")) :][:80]
            if "myositis_onset" not in self.roles and _MYOSITIS_SYMPTOM.search(tail):
                self.roles["myositis_onset"] = onset.id
            return
        previous = self.points[-1] if self.points else None
        point = self._new(m.event or "event", source)
        self.by_sentence.setdefault(key, point)
        if m.date is not None:
            if _future(m.date):
                self.warnings.append((f"date {m.date} is in the future: not used", source))
                return
            point.date = m.date
        elif m.anchor_text is None:
            if previous is not None:
                point.anchor, point.offset = previous.id, f"{sign}{m.offset}"
            else:
                point.note = f"{m.offset} {m.direction} an earlier, unnamed time"
        else:
            anchor = self._match(m.anchor_text)
            if anchor is not None:
                point.anchor, point.offset = anchor.id, f"{sign}{m.offset}"
            else:
                point.note = f"{m.offset} {m.direction} {m.anchor_text} (not dated in the text)"
        if point.kind == "myositis_diagnosis":
            self.roles.setdefault("myositis_diagnosis", point.id)

    def relate_cancer(self, source: Source, m: TimeMention) -> None:
        """ "<cancer> preceded the <myositis> diagnosis by N months"."""
        dx = self.roles.get("myositis_diagnosis")
        if dx is None or m.offset is None:
            return
        cancer_id = self.roles.get("cancer_diagnosis")
        cancer = next((p for p in self.points if p.id == cancer_id), None)
        if cancer is None:
            cancer = self._new("cancer_diagnosis", source)
            self.roles["cancer_diagnosis"] = cancer.id
        if cancer.id in self._chain(dx):
            return  # would make a cycle
        sign = "-" if m.direction == "before" else "+"
        cancer.anchor, cancer.offset, cancer.date = dx, f"{sign}{m.offset}", None
        cancer.source = source

    def _chain(self, ident: str) -> list[str]:
        by_id = self.by_id
        out: list[str] = []
        while ident in by_id and ident not in out:
            out.append(ident)
            anchor = by_id[ident].anchor
            if anchor is None:
                break
            ident = anchor
        return out

    def _resolve(self, roots: dict[str, date]) -> dict[str, DateRange]:
        resolved: dict[str, DateRange] = {}
        for _ in range(len(self.points) + 1):
            changed = False
            for p in self.points:
                if p.id in resolved:
                    continue
                spec: date | str | RelativeDate | None = None
                if p.id in roots:
                    spec = roots[p.id]
                elif p.date is not None:
                    spec = p.date
                elif p.anchor is not None and p.anchor in resolved and p.offset is not None:
                    try:
                        spec = RelativeDate(anchor=p.anchor, offset=p.offset)
                    except ValueError:  # an offset no date can take ("1.7e+11 months")
                        continue
                if spec is not None:
                    try:
                        resolved[p.id] = resolve_spec(spec, resolved)
                    except (ValueError, OverflowError):  # off the calendar: left undated
                        continue
                    changed = True
            if not changed:
                break
        return resolved

    def finish(self, nominal: bool) -> tuple[list[Point], dict[str, str]]:
        resolved = self._resolve({})
        key = self.roles.get("myositis_diagnosis") or self.roles.get("cancer_diagnosis")
        if nominal and key is not None and key not in resolved:
            root = self._chain(key)[-1]
            root_point = self.by_id[root]
            if root_point.date is None:
                trial = self._resolve({root: date.today()})
                members = [p.id for p in self.points if root in self._chain(p.id)]
                latest = max(trial[i].latest for i in members if i in trial)
                try:
                    start = date.today() - (latest - date.today()) - timedelta(days=1)
                except OverflowError:  # a story spanning millennia: no nominal date (issue 12)
                    start = None
                if start is not None:
                    root_point.date = start.isoformat()
                    root_point.note = NOMINAL_NOTE
                    resolved = self._resolve({})
        for p in self.points:
            if p.id in resolved and resolved[p.id].earliest > date.today():
                self.warnings.append((f"{p.kind} would fall in the future: not dated", p.source))
                del resolved[p.id]
        # A point dated from one that was just left undated ("4 months before" a point that
        # would fall in the future) loses its date too: its anchor is no longer in the record.
        dropped = True
        while dropped:
            dropped = False
            for p in self.points:
                if p.id in resolved and p.date is None and p.anchor not in resolved:
                    del resolved[p.id]
                    dropped = True
        for p in self.points:
            if p.id in resolved:
                continue
            if p.anchor is not None and p.note is None:
                p.note = f"{p.offset} from {p.anchor} (no calendar date in the text)"
            p.anchor = p.offset = None
            p.date = None
        roles = {k: v for k, v in self.roles.items() if v in resolved}
        return self.points, roles
