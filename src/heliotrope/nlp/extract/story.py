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
- Events said without a time ("She commenced doxorubicin", "underwent resection", "was
  admitted", "re-evaluation with CT") happen at the story's current point; the start of a
  treatment is a point the story can count from: "at her pre-treatment consultation" lies
  before it, "during cycle one" / "after six cycles" / "at the 3-month follow-up" after it
  (:mod:`heliotrope.nlp.extract.course`). The end of a treatment ("at the end of
  chemotherapy", "2 months after chemotherapy", "mid-treatment" half-way) lies its duration
  after its start: cycles times the regimen's cycle length (:meth:`Timeline.set_durations`);
  a treatment whose duration the text does not give leaves its end undated.
- "Later" counts from the story's current point: the point of the last sentence that had one.
- A chain reaching a calendar date is dated. When the chain holding the myositis diagnosis
  (else the cancer, else the story's last point) has no calendar date, its root gets one
  **nominal** date, chosen so the story's last point falls on today (the story is taken to
  end now): intervals between its dates are meaningful, calendar dates are not, and the
  record notes say so. Other undated
  chains stay undated, their relation kept in the event's note.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from heliotrope.model.dates import DateRange, Offset, parse_offset, resolve_spec
from heliotrope.model.provenance import Source
from heliotrope.nlp.extract.base import TimeMention
from heliotrope.nlp.extract.course import CourseTime

__all__ = ["NOMINAL_NOTE", "Point", "Timeline", "point_at"]

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


@cache
def _offsets(text: str) -> tuple[Offset, Offset]:
    return parse_offset(text)


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
        #: the story's current point: that of the last sentence that had one
        self.current: Point | None = None
        #: (offset of the sentence's first point, the sentence's point), in story order
        self.sentence_points: list[tuple[int, Point]] = []
        #: the running maximum of those offsets: :func:`point_at` bisects it
        self.sentence_reach: list[int] = []
        self.starts: list[Point] = []  # treatment starts, in story order
        self.cycled: set[str] = set()  # starts of a treatment given in cycles (chemotherapy)
        self.ends: dict[str, Point] = {}  # treatment start id -> its end point
        #: point id -> (treatment start id, fraction of the duration) while the duration is
        #: not known; "before the next start" points wait in ``before_start``
        self.pending: dict[str, tuple[str, float]] = {}
        self.before_start: list[Point] = []
        self.untimed: set[str] = set()  # event points placed "+0 days" for want of a time

    def _new(self, kind: str, source: Source) -> Point:
        point = Point(f"e{len(self.points) + 1}", kind, source)
        self.points.append(point)
        self.by_id[point.id] = point
        return point

    def _here(self, point: Point) -> None:
        """Place ``point`` at the story's current time point."""
        if self.current is not None and self.current is not point:
            point.anchor, point.offset = self.current.id, "+0 days"
            return
        earlier = [p for p in self.points[-2:] if p is not point]  # the latest other point
        if earlier:
            point.anchor, point.offset = earlier[-1].id, "+0 days"

    def _claim(self, key: tuple[str | None, str | None], point: Point) -> Point:
        """Make ``point`` its sentence's point (unless the sentence has one) and the story's
        current point; returns the sentence's point."""
        if key not in self.by_sentence:
            self.by_sentence[key] = point
            start = point.source.start or 0
            self.sentence_points.append((start, point))
            reach = self.sentence_reach
            reach.append(max(start, reach[-1]) if reach else start)
        self.current = self.by_sentence[key]
        return self.by_sentence[key]

    def _end_of(self, start: Point, source: Source) -> Point:
        """The end point of the treatment started at ``start`` (made, waiting for its
        duration, when the story first names it)."""
        end = self.ends.get(start.id)
        if end is None:
            end = self._new("treatment_end", source)
            end.anchor = start.id
            self.pending[end.id] = (start.id, 1.0)
            self.ends[start.id] = end
        return end

    def _start(self, cycled: bool) -> Point | None:
        """The latest treatment start; with ``cycled``, the latest of a treatment given in
        cycles if there is one ("at the end of chemotherapy" after "started prednisolone")."""
        if cycled:
            for point in reversed(self.starts):
                if point.id in self.cycled:
                    return point
        return self.starts[-1] if self.starts else None

    def course(self, source: Source, m: CourseTime) -> None:
        """A time point told by the story's events (see :mod:`.course`)."""
        key = (source.sentence, source.section)
        kind = m.event or "event"
        if m.date is not None:  # a calendar date written with slashes or dots
            point = self._new(kind, source)
            point.note = m.note
            if _future(m.date):
                self.warnings.append((f"date {m.date} is in the future: not used", source))
            else:
                point.date = m.date
            self._claim(key, point)
            return
        if m.anchor_kind == "current":
            same = self.by_sentence.get(key)
            if same is not None:  # the sentence is dated already: it names that point
                if same.kind in ("event", "diagnosis", "imaging"):
                    same.kind = kind
                if kind == "treatment_start" and same not in self.starts:
                    self.starts.append(same)
                if kind == "treatment_start" and m.cycled:
                    self.cycled.add(same.id)
                self.current = same
                return
            ended = self._start(cycled=True) if kind == "treatment_end" else None
            if ended is not None:
                self._claim(key, self._end_of(ended, source))
                return
            point = self._new(kind, source)
            self._here(point)
            if point.anchor is not None:
                self.untimed.add(point.id)
            if kind == "treatment_start":
                self.starts.append(point)
                if m.cycled:
                    self.cycled.add(point.id)
                for waiting in self.before_start:
                    waiting.anchor = point.id
                self.before_start.clear()
            self._claim(key, point)
            return
        if m.anchor_kind == "later":
            point = self._new(kind, source)
            if self.current is not None:
                point.anchor, point.offset = self.current.id, f"+{m.offset}"
            else:
                point.note = f"{m.offset} after an earlier, unnamed time"
            self._claim(key, point)
            return
        if m.anchor_kind in ("admission", "presentation"):
            anchor = next((p for p in reversed(self.points) if p.kind == m.anchor_kind), None)
            point = self._new(m.anchor_kind if anchor is None else kind, source)
            if anchor is not None:
                point.anchor, point.offset = anchor.id, "+0 days"
            else:
                self._here(point)
            self._claim(key, point)
            return
        sign = "-" if m.direction == "before" else "+"
        point = self._new(kind, source)
        point.note = m.note
        start = self._start(cycled=m.anchor_kind == "treatment_end" or kind == "cycle")
        if m.anchor_kind == "treatment_end":
            if start is None:
                point.note = "part-way through a treatment whose start the text does not give"
            else:
                point.anchor = start.id
                self.pending[point.id] = (start.id, m.fraction)
        elif start is not None and m.direction == "before" and start.id in self.untimed:
            # Before a start the story placed with no interval after the point before it:
            # no earlier than that point, so at it ("at her pre-treatment consultation",
            # said after "underwent surgery ... She commenced doxorubicin").
            point.anchor, point.offset = start.anchor, "+0 days"
            point.note = (
                f"before {start.kind.replace('_', ' ')} ({start.id}); the text gives no interval, "
                "so placed at the story's point before it"
            )
        elif start is not None:
            point.anchor, point.offset = start.id, f"{sign}{m.offset}"
        elif m.direction == "before":
            point.offset = f"{sign}{m.offset}"
            self.before_start.append(point)  # "pre-treatment": before the next start
        else:
            point.note = f"{m.offset} after the start of a treatment the text does not date"
        self._claim(key, point)

    def set_durations(self, durations: dict[str, tuple[int, str | None]]) -> None:
        """Give each treatment start (point id) its duration in days (and the assumption
        made, if any): its end and the points part-way through it are dated from it, and a
        treatment with a duration gets an end point if the story named none."""
        for start_id in durations:
            start = self.by_id.get(start_id)
            if start is None:
                continue
            if start_id not in self.ends:
                end = self._end_of(start, start.source)
                end.note = "end of the treatment's cycles (computed)"
        for point_id, (start_id, fraction) in list(self.pending.items()):
            point = self.by_id[point_id]
            if start_id not in durations:
                point.note = point.note or "the treatment's duration is not given in the text"
                continue
            days, note = durations[start_id]
            point.offset = f"+{round(days * fraction)} days"
            if note:
                point.note = "; ".join(n for n in (point.note, note) if n)
            del self.pending[point_id]

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
        self._claim((source.sentence, source.section), point)
        return point

    def add(self, source: Source, m: TimeMention) -> None:
        key = (source.sentence, source.section)
        sign = "+" if m.direction == "after" else "-"
        if m.extractor == "temporal.preceded":
            return
        if isinstance(m, CourseTime):
            self.course(source, m)
            return
        if m.extractor == "temporal.event":
            if "myositis_diagnosis" not in self.roles:
                self.by_sentence[key] = self.narrative("myositis_diagnosis", source)
            return
        started = self._start(cycled=False) if m.anchor_end == "start" else None
        if started is not None and m.extractor == "temporal.anchored":
            # "3 weeks after starting methotrexate": from the latest start
            point = self._new(m.event or "event", source)
            point.anchor, point.offset = started.id, f"{sign}{m.offset}"
            self._claim(key, point)
            return
        radiotherapy = re.search(r"radiotherapy|radiation", m.anchor_text or "", re.I)
        ended = self._start(cycled=not radiotherapy) if m.anchor_end == "stop" else None
        if ended is not None:
            # "at the end of chemotherapy", "2 months after chemotherapy": from its end
            end = self._end_of(ended, source)
            if m.extractor == "temporal.end_of":
                self._claim(key, end)
                return
            point = self._new(m.event or "event", source)
            point.anchor, point.offset = end.id, f"{sign}{m.offset}"
            self._claim(key, point)
            return
        if m.extractor == "temporal.history":
            presentation = self.by_sentence.get(key)
            if presentation is None:
                presentation = self._new("presentation", source)
                self._here(presentation)
                self._claim(key, presentation)
            onset = self._new("symptom_onset", source)
            onset.anchor, onset.offset = presentation.id, f"-{m.offset}"
            sentence = source.sentence or ""
            tail = sentence[max(0, sentence.lower().find("history of")) :][:80]
            if "myositis_onset" not in self.roles and _MYOSITIS_SYMPTOM.search(tail):
                self.roles["myositis_onset"] = onset.id
            return
        previous = self.current or (self.points[-1] if self.points else None)
        named = self._match(m.anchor_text) if m.anchor_text is not None else None
        point = self._new(m.event or "event", source)
        self._claim(key, point)
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
            anchor = named  # looked up before this point was made: never itself
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
                try:
                    if p.id in roots:
                        resolved[p.id] = resolve_spec(roots[p.id], resolved)
                    elif p.date is not None:
                        resolved[p.id] = resolve_spec(p.date, resolved)
                    elif p.anchor is not None and p.anchor in resolved and p.offset is not None:
                        # what resolve_spec does with a RelativeDate, without building one
                        resolved[p.id] = resolved[p.anchor].shift(*_offsets(p.offset))
                    else:
                        continue
                except (ValueError, OverflowError):  # off the calendar ("1.7e+11 months")
                    continue  # left undated (issue 12)
                changed = True
            if not changed:
                break
        return resolved

    def finish(self, nominal: bool) -> tuple[list[Point], dict[str, str]]:
        resolved = self._resolve({})
        key = (
            self.roles.get("myositis_diagnosis")
            or self.roles.get("cancer_diagnosis")
            or (self.sentence_points[-1][1].id if self.sentence_points else None)
        )
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
            if p.anchor is not None and p.offset is None and p.note is None:
                p.note = f"from {p.anchor}: the treatment's duration is not given in the text"
            if p.anchor is not None and p.note is None:
                p.note = f"{p.offset} from {p.anchor} (no calendar date in the text)"
            p.anchor = p.offset = None
            p.date = None
        roles = {k: v for k, v in self.roles.items() if v in resolved}
        return self.points, roles


def point_at(timeline: Timeline, source: Source) -> Point | None:
    """The story point in force where ``source`` was said: its sentence's own point, else
    that of the last earlier sentence that had one (a narrative stays at its current point
    until a sentence moves it); None before the story's first point."""
    own = timeline.by_sentence.get((source.sentence, source.section))
    if own is not None:
        return own
    # The last point before the first one said after ``at``: that first one is where the
    # running maximum of their offsets passes ``at`` (one bisection, not a scan).
    k = bisect.bisect_right(timeline.sentence_reach, source.start or 0)
    return timeline.sentence_points[k - 1][1] if k else None
