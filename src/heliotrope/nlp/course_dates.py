"""Dates of the facts read from a story, and what the story says became of them.

Rules (the story's points come from :mod:`heliotrope.nlp.extract.story`):

- A fact is dated at the story point in force where the patient's story first states it
  (its sentence's own point, else that of the last earlier sentence that had one): "the rash
  at her pre-treatment consultation", "CK 695 U/L" in the paragraph of the acute
  presentation. A fact stated only outside the main story (abstract, discussion, a caption)
  is left undated: it is not on the timeline's axis, and criteria still read it.
- The same finding stated at two points of the story is two dated entries ("a rash at
  diagnosis", "the rash recurred three months later").
- "The rash resolved during cycle one": every skin sign last recorded present before that
  point is *absent* at it (the same for weakness with "her weakness resolved"); the entry's
  note quotes the word. The resolution's own sentence ("the heliotrope rash had resolved")
  does not make the sign present *at* that point, but it does say the sign was present
  before: a sign known only from that sentence is recorded present, undated ("before it
  resolved, when not stated"), beside its absence at the point, so criteria still see it
  during the disease course while the timeline shows it fading.
- A treatment starts at the point of the sentence that says it started, else at the point
  where the story first names it; its stop is the story's end of that treatment when the text
  gives its duration (cycles).
- A tumour response reported in words (:class:`~heliotrope.nlp.extract.cancer.ResponseMention`)
  is a tumour assessment with ``reported_response`` (a verdict heliotrope did not compute: see
  :mod:`heliotrope.oncology.reported`), dated at its point; "no evidence of progression" is an
  assessment with no verdict and a note saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from heliotrope.model.provenance import Source
from heliotrope.model.vocabulary import FindingCode, Status
from heliotrope.nlp.extract.cancer import ResponseMention
from heliotrope.nlp.extract.course import ResolutionMention
from heliotrope.nlp.extract.story import Timeline, point_at

if TYPE_CHECKING:
    from heliotrope.nlp.build import Located

__all__ = ["CourseDating", "EntryLike"]


class EntryLike(Protocol):
    """What this module reads and writes of the builder's entries."""

    data: dict[str, Any]
    sources: list[Source]
    ranks: list[tuple[int, int]]
    flags: set[str]

    def settle(self) -> None: ...


E = TypeVar("E", bound=EntryLike)


def _skin_and_muscle() -> tuple[frozenset[FindingCode], frozenset[FindingCode]]:
    from heliotrope.timeline.activity import HALLMARK_SKIN, SUPPORTIVE_SKIN, WEAKNESS

    return frozenset(HALLMARK_SKIN) | frozenset(SUPPORTIVE_SKIN), frozenset(WEAKNESS)


class CourseDating(Generic[E]):
    """Dates the builder's entries from the story's points (``dated``: ids of the points that
    were given a date)."""

    def __init__(
        self,
        story: Timeline,
        dated: set[str],
        make: Callable[..., E],
    ) -> None:
        self.story = story
        self.dated = dated
        self.make = make
        self.order = {p.id: i for i, (_, p) in enumerate(story.sentence_points)}

    # -- points -------------------------------------------------------------------------------
    def point_of(self, source: Source, rank: tuple[int, int]) -> str | None:
        """The dated point where a main-story statement was said (None elsewhere)."""
        if rank != (0, 0) or (source.section or "").lower().startswith(("fig", "table")):
            return None
        point = point_at(self.story, source)
        return point.id if point is not None and point.id in self.dated else None

    def first_point(self, entry: EntryLike) -> str | None:
        entry.settle()
        for source, rank in zip(entry.sources, entry.ranks, strict=True):
            point = self.point_of(source, rank)
            if point is not None:
                return point
        return None

    def date_all(self, entries: Iterable[EntryLike]) -> None:
        """Date every entry at its first main-story statement's point."""
        for entry in entries:
            point = self.first_point(entry)
            if point is not None and "date" not in entry.data:
                entry.data["date"] = {"anchor": point}

    # -- findings -----------------------------------------------------------------------------
    def split(self, entry: E) -> list[E]:
        """One entry per story point the finding was stated at (other statements stay with
        the first)."""
        entry.settle()
        groups: dict[str | None, list[int]] = {}
        for index, (source, rank) in enumerate(zip(entry.sources, entry.ranks, strict=True)):
            groups.setdefault(self.point_of(source, rank), []).append(index)
        dated = [p for p in groups if p is not None]
        if not dated:
            return [entry]
        loose = groups.pop(None, [])
        dated.sort(key=lambda p: min(groups[p]))
        groups[dated[0]] = sorted(groups[dated[0]] + loose)
        if len(dated) == 1:
            entry.data["date"] = {"anchor": dated[0]}
            return [entry]
        out = []
        for point in sorted(dated, key=lambda p: self.order.get(p, 0)):
            rows = groups[point]
            copy = self.make(
                {**entry.data, "date": {"anchor": point}},
                sources=[entry.sources[i] for i in rows],
                flags=set(entry.flags),
                ranks=[entry.ranks[i] for i in rows],
            )
            out.append(copy)
        return out

    def findings(self, entries: Sequence[E], course: Sequence[Located]) -> list[E]:
        """The findings, dated and split by point, with what resolutions make absent."""
        out = [piece for entry in entries for piece in self.split(entry)]
        skin, muscle = _skin_and_muscle()
        for item in course:
            m = item.mention
            if not isinstance(m, ResolutionMention) or item.assertion.negated:
                continue
            point = self.point_of(item.source, (0, 0))
            if point is None:
                continue
            codes = skin if m.domain == "skin" else muscle
            out, told = self._not_present(out, codes, item, m)
            out += self._resolved(out, codes, point, item, m, told)
        return out

    @staticmethod
    def _not_present(
        entries: list[E], codes: frozenset[FindingCode], item: Located, m: ResolutionMention
    ) -> tuple[list[E], list[E]]:
        """ "The heliotrope rash had resolved" does not say the rash is present at its point:
        statements of the resolution's sentence no longer support a present sign of its
        domain there. A sign known only from that sentence was present *before* it resolved:
        it stays present, undated (returned second, with the kept entries)."""
        sentence, section = item.source.sentence, item.source.section
        present = Status.present.value
        domain = {code.value for code in codes}
        kept: list[E] = []
        told: list[E] = []
        for entry in entries:
            if entry.data["status"] == present and entry.data["code"] in domain:
                sources = entry.sources
                if not any(s.sentence == sentence and s.section == section for s in sources):
                    kept.append(entry)  # no statement of the resolution's sentence
                    continue
                rows = [
                    i
                    for i, source in enumerate(sources)
                    if source.sentence != sentence or source.section != section
                ]
                if not rows:
                    entry.data.pop("date", None)
                    before = f"present before it {m.word}, when not stated"
                    note = entry.data.get("note")
                    entry.data["note"] = f"{note}; {before}" if note else before
                    told.append(entry)
                elif len(rows) < len(entry.sources):
                    entry.sources = [entry.sources[i] for i in rows]
                    entry.ranks = [entry.ranks[i] for i in rows]
            kept.append(entry)
        # a sign also stated present elsewhere is known from there: this sentence adds nothing
        only_here = {id(e) for e in told}
        known = {
            e.data["code"]
            for e in kept
            if id(e) not in only_here and e.data["status"] == Status.present.value
        }
        dropped = {id(e) for e in told if e.data["code"] in known}
        kept = [e for e in kept if id(e) not in dropped]
        told = [e for e in told if id(e) not in dropped]
        return kept, told

    def _resolved(
        self,
        entries: Sequence[E],
        codes: frozenset[FindingCode],
        point: str,
        item: Located,
        m: ResolutionMention,
        told: Sequence[E] = (),
    ) -> list[E]:
        here = self.order.get(point, 0)
        before: dict[str, list[E]] = {}
        absent_here: set[str] = set()
        domain = {code.value for code in codes}  # the codes as the entries hold them
        for entry in entries:
            anchor = (entry.data.get("date") or {}).get("anchor")
            if anchor is None or entry.data["code"] not in domain:
                continue
            if anchor == point and entry.data["status"] == Status.absent.value:
                absent_here.add(entry.data["code"])
            elif entry.data["status"] == Status.present.value and self.order.get(anchor, -1) < here:
                before.setdefault(anchor, []).append(entry)
        if not before and not told:
            return []
        last = max(before, key=lambda p: self.order.get(p, -1)) if before else None
        made = []
        for entry in [*(before[last] if last is not None else []), *told]:
            code = entry.data["code"]
            if code in absent_here:
                continue
            absent_here.add(code)
            made.append(
                self.make(
                    {
                        "code": code,
                        "status": Status.absent.value,
                        "grades": [],
                        "date": {"anchor": point},
                        "note": f"stated as {m.word} (present before)",
                    },
                    sources=[item.source],
                    flags={"resolved"},
                    ranks=[(0, 0)],
                )
            )
        return made

    # -- treatments and tumour assessments ------------------------------------------------------
    def treatments(self, entries: Iterable[EntryLike]) -> None:
        """Start at the sentence that says so (else where first named); stop at the story's
        end of that treatment when it has one."""
        starts = {p.id for p in self.story.starts}
        for entry in entries:
            entry.settle()
            start = None
            for source in entry.sources:
                own = self.story.by_sentence.get((source.sentence, source.section))
                if own is not None and own.id in starts and own.id in self.dated:
                    start = own.id
                    break
            if start is None:
                start = self.first_point(entry)
                if start is None:
                    continue
            entry.data.setdefault("start", {"anchor": start})
            end = self.story.ends.get(start)
            if start in starts and end is not None and end.id in self.dated:
                entry.data.setdefault("stop", {"anchor": end.id})

    def tumour_assessments(self, course: Sequence[Located]) -> list[E]:
        """Reported responses, one per story point and verdict."""
        by_key: dict[tuple[str | None, str | None], E] = {}
        for item in course:
            m = item.mention
            if not isinstance(m, ResponseMention) or item.assertion.uncertain:
                continue
            point = self.point_of(item.source, (0, 0))
            verdict = m.response.value if m.response is not None else None
            key = (point, verdict)
            if key in by_key:
                by_key[key].sources.append(item.source)
                by_key[key].ranks.append((0, 0))
                continue
            data: dict[str, Any] = {"description": m.words}
            if verdict is not None:
                data["reported_response"] = verdict
            else:
                data["note"] = "stated as no progression: the response category is not given"
            if m.modality:
                data["modality"] = m.modality
            if point is not None:
                data["date"] = {"anchor": point}
            by_key[key] = self.make(data, sources=[item.source], flags={"reported"}, ranks=[(0, 0)])
        return list(by_key.values())
