"""Mentions -> a :class:`PatientRecord` (through :func:`heliotrope.io.parse_record`), with a
:class:`~heliotrope.model.provenance.Source` on every fact.

Assertion policy (ConText flags of each mention's span; the rule house: unknown ≠ absent):

============== ============= ============ ============= ================= =========== =========
flag           finding       lab value    antibody      investigation     cancer      treatment
============== ============= ============ ============= ================= =========== =========
negated        absent        kept         negative [1]  not performed [2] dropped     dropped
not performed  —             dropped      not tested    performed: false  —           dropped
uncertain,     warning       warning      warning       warning           warning     warning
hypothetical
family         dropped       dropped      dropped       dropped           dropped [3] dropped
historical     kept, noted   kept, noted  kept, noted   kept, noted       kept, noted kept
============== ============= ============ ============= ================= =========== =========

[1] only when the sentence states no result word of its own ("negative for ENA" already
says negative). [2] only when the sentence says nothing else; a negated finding of a
performed investigation ("no perifascicular atrophy") makes that finding absent.
[3] the grandmother's endometrial cancer is never the patient's cancer.

A lab result said in words with no value ("CK was raised", "muscle enzymes were normal") is a
:class:`~heliotrope.model.record.LabStatement`, asserted on the words that say it: negated
"raised" is normal ("no elevation of CK"), negated "normal" is a warning; otherwise as a lab
value. Criteria read a value with a range before any statement.

Merging: one finding per (code, status), one lab per printed value, one lab statement per
(analyte, interpretation), one antibody entry per
(name, result), one investigation per kind, one cancer per histology, one treatment per
drug. Single-valued facts that disagree (performed or not, positive or negative, sex, age)
go through :func:`heliotrope.nlp.conflicts.resolve`. Derived: proximal leg weakness with
distal leg strength stated normal gives "legs: proximal weaker than distal" (EULAR/ACR item
6), sourced to both statements.

Dates: "in August 2003" is a partial date; relative dates ("two months later") anchor on the
event they name or the previous event. A relative date is written into the record only when
its chain reaches a calendar date (or the caller gives a ``nominal_date`` for the story's
first event, as the hand-written founding case does); otherwise it stays in the event's note
and in the extraction facts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from heliotrope import __version__
from heliotrope.io.casefile import parse_record
from heliotrope.model.describe import describe
from heliotrope.model.provenance import Source
from heliotrope.model.record import MuscleGrade, PatientRecord
from heliotrope.model.vocabulary import (
    AntibodyResult,
    CancerStatus,
    FindingCode,
    InvestigationFinding,
    LabInterpretation,
    Sex,
    Side,
    Status,
)
from heliotrope.nlp.conflicts import Claim, Conflict, resolve
from heliotrope.nlp.course_dates import CourseDating
from heliotrope.nlp.extract.base import (
    AntibodyMention,
    CancerMention,
    DemographicMention,
    FindingMention,
    GradeMention,
    InvestigationMention,
    LabMention,
    Mention,
    TimeMention,
    TreatmentMention,
)
from heliotrope.nlp.extract.cancer import ResponseMention
from heliotrope.nlp.extract.course import ResolutionMention
from heliotrope.nlp.extract.demographics import BirthMention, DocumentDateMention, age_from_birth
from heliotrope.nlp.extract.investigations import self_contradicting
from heliotrope.nlp.extract.scope import Tier
from heliotrope.nlp.extract.sides import (
    DISTAL_LEG_GROUPS,
    PROXIMAL_LEG_GROUPS,
    UNSIDED_CODES,
    UNSIDED_NOTE,
    one_sided_words,
    tells_one_side,
)
from heliotrope.nlp.extract.story import Timeline
from heliotrope.nlp.extract.treatments import cycle_days

__all__ = [
    "AssertionLike",
    "Built",
    "ExtractedFact",
    "ExtractionWarning",
    "Located",
    "build",
    "record_id_for",
]


class AssertionLike(Protocol):
    """What the builder reads of a ConText :class:`~heliotrope.nlp.context.Assertion`."""

    @property
    def negated(self) -> bool: ...
    @property
    def not_performed(self) -> bool: ...
    @property
    def uncertain(self) -> bool: ...
    @property
    def hypothetical(self) -> bool: ...
    @property
    def historical(self) -> bool: ...
    @property
    def family(self) -> bool: ...


@dataclass(frozen=True)
class _Plain:
    negated: bool = False
    not_performed: bool = False
    uncertain: bool = False
    hypothetical: bool = False
    historical: bool = False
    family: bool = False


AFFIRMED: AssertionLike = _Plain()


@dataclass(frozen=True)
class Located:
    """A mention placed in its document: offsets are document offsets; ``source`` is its
    provenance; ``findings`` are the assertions of an investigation's finding spans."""

    mention: Mention
    source: Source
    tier: Tier
    assertion: AssertionLike = AFFIRMED
    findings: tuple[AssertionLike, ...] = ()
    main_story: bool = True


class ExtractedFact(BaseModel):
    """A fact of the record with every statement that supports it."""

    model_config = ConfigDict(frozen=True)

    path: str
    family: str
    summary: str
    source: Source
    supporting: tuple[Source, ...] = ()
    flags: tuple[str, ...] = ()


class ExtractionWarning(BaseModel):
    """Something read but not made a fact (uncertain, hypothetical, no value...)."""

    model_config = ConfigDict(frozen=True)

    message: str
    source: Source | None = None


@dataclass
class Built:
    record: PatientRecord
    facts: list[ExtractedFact]
    conflicts: list[Conflict]
    warnings: list[ExtractionWarning]


@dataclass
class _Entry:
    """One record entry under construction and the statements behind it."""

    data: dict[str, Any]
    sources: list[Source] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    ranks: list[tuple[int, int]] = field(default_factory=list)
    seen: set[tuple[Any, ...]] = field(default_factory=set)
    settled: int = -1  # how many statements there were when last settled

    def settle(self) -> None:
        """Order the statements: the record cites the best one — the patient's story (main
        case section before the abstract), then captions, then the discussion."""
        if self.settled == len(self.sources):
            return  # statements are only ever added: none since the last time
        self.settled = len(self.sources)
        order = sorted(
            range(len(self.sources)), key=lambda i: (self.ranks[i], self.sources[i].start or 0)
        )
        self.sources = [self.sources[i] for i in order]
        self.ranks = [self.ranks[i] for i in order]
        self.flags.discard("discussion")
        self.flags.discard("caption")
        if self.ranks and self.ranks[0][0] == 1:
            self.flags.add("discussion")
        elif self.sources and all(
            (s.section or "").lower().startswith(("fig", "figure")) for s in self.sources
        ):
            self.flags.add("caption")


def record_id_for(name: str) -> str:
    """A record id from a document name: ``../x/case-report.web.txt`` -> ``case-report-web``."""
    stem = re.split(r"[\\/]", name)[-1]
    stem = re.sub(r"\.(?:txt|text|html?|pdf|md)$", "", stem, flags=re.IGNORECASE)
    slug = re.sub(r"[^A-Za-z0-9_\-]+", "-", stem).strip("-_")
    if not slug or not slug[0].isalpha():
        slug = "doc-" + slug if slug else "document"
    return slug[:80]


def _source_key(source: Source) -> tuple[Any, ...]:
    """Every field of a source, as a dictionary key (what its JSON would compare)."""
    return (
        source.document,
        source.field,
        source.start,
        source.end,
        source.sentence,
        source.section,
        source.extractor,
    )


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug if slug and slug[0].isalpha() else f"t_{slug}"


_TIER_RANK = {"patient": 0, "caption": 0, "secondary": 1}


class _Builder:
    def __init__(self, document: str) -> None:
        self.document = document
        self.warnings: list[ExtractionWarning] = []
        self.findings: dict[tuple[FindingCode, Status], _Entry] = {}
        self.spare_grades: _Entry | None = None
        # the sides each weakness finding is stated on (None: a statement naming no side)
        self.sides: dict[tuple[FindingCode, Status], set[str | None]] = {}
        # the document tells one-sided or asymmetric weakness somewhere (nlp/extract/sides.py)
        self.asymmetric = False
        # every side a present weakness statement names, by finding (those put down to another
        # cause included: a torn rotator cuff's one-sided weakness tells asymmetry too)
        self.stated_sides: dict[FindingCode, set[Side | None]] = {}
        self.sentences_seen: set[str] = set()
        # the sentences in which a finding is stated uncertainly
        self.hedged: dict[FindingCode, set[str]] = {}
        self.labs: dict[tuple[Any, ...], _Entry] = {}
        self.lab_statements: dict[tuple[Any, ...], _Entry] = {}
        self.antibodies: dict[tuple[Any, ...], _Entry] = {}
        self.antibody_claims: dict[Any, list[Claim]] = {}
        self.investigations: dict[Any, list[tuple[Located, InvestigationMention]]] = {}
        self.cancers: list[_Entry] = []
        self.treatments: dict[str, _Entry] = {}
        self.demographics: list[tuple[Located, DemographicMention]] = []
        self.times: list[tuple[Located, TimeMention]] = []
        self.first_cancer: Located | None = None
        self.first_cancer_entry: _Entry | None = None
        self.course: list[Located] = []  # resolutions and reported tumour responses
        self.story = Timeline()

    # -- helpers ----------------------------------------------------------------------------
    def warn(self, message: str, item: Located | None) -> None:
        self.warnings.append(
            ExtractionWarning(message=message, source=item.source if item else None)
        )

    def skipped(self, item: Located, what: str) -> bool:
        """Family, uncertain and hypothetical statements are not facts."""
        a = item.assertion
        if a.family:
            self.warn(f"{what}: about a relative, not the patient", item)
            return True
        if a.uncertain or a.hypothetical:
            kind = "uncertain" if a.uncertain else "hypothetical"
            cue = next(
                (c.text for c in getattr(a, "cues", ()) if getattr(c, "flag", None) == kind), None
            )
            said = f' ("{cue}")' if cue else ""
            self.warn(f"{what}: {kind} statement{said}, not recorded: left unknown", item)
            # a plain statement of this sign in the same sentence is hedged by it (see
            # drop_hedged)
            if a.uncertain and isinstance(item.mention, FindingMention) and item.source.sentence:
                self.hedged.setdefault(item.mention.code, set()).add(item.source.sentence)
            return True
        return False

    @staticmethod
    def attach(entry: _Entry, item: Located) -> None:
        """Add a supporting statement (sorted once, in :meth:`_Entry.settle`)."""
        key = (item.source.start, item.source.end, item.source.extractor, item.source.section)
        if key in entry.seen:
            return
        entry.seen.add(key)
        entry.sources.append(item.source)
        entry.ranks.append((_TIER_RANK.get(item.tier, 2), 0 if item.main_story else 1))
        if item.assertion.historical:
            entry.flags.add("historical")

    # -- families ---------------------------------------------------------------------------
    def add(self, item: Located) -> None:
        m = item.mention
        sentence = item.source.sentence
        if sentence and sentence not in self.sentences_seen and item.tier == "patient":
            self.sentences_seen.add(sentence)
            self.asymmetric = self.asymmetric or tells_one_side(sentence)
        if isinstance(m, FindingMention):
            self.finding(item, m)
        elif isinstance(m, GradeMention):
            if not self.skipped(item, "muscle grades"):
                entry = self.spare_grades or _Entry({"grades": []})
                entry.data["grades"] += [g.model_dump(mode="json") for g in m.grades]
                self.attach(entry, item)
                self.spare_grades = entry
        elif isinstance(m, LabMention):
            self.lab(item, m)
        elif isinstance(m, AntibodyMention):
            self.antibody(item, m)
        elif isinstance(m, InvestigationMention):
            if not self.skipped(item, m.kind.value.replace("_", " ")):
                self.investigations.setdefault(m.kind, []).append((item, m))
        elif isinstance(m, CancerMention):
            self.cancer(item, m)
        elif isinstance(m, TreatmentMention):
            self.treatment(item, m)
        elif isinstance(m, DemographicMention):
            if not item.assertion.family:
                self.demographics.append((item, m))
        elif isinstance(m, ResolutionMention | ResponseMention):
            if item.main_story and item.tier == "patient" and not self.skipped(item, "course"):
                self.course.append(item)
        elif isinstance(m, TimeMention):
            if item.assertion.family or item.assertion.hypothetical:
                return
            if m.extractor == "temporal.preceded" or (item.main_story and item.tier == "patient"):
                self.times.append((item, m))

    def finding(self, item: Located, m: FindingMention) -> None:
        label = m.code.value.replace("_", " ")
        if self.skipped(item, label):
            return
        status = m.status or (Status.absent if item.assertion.negated else Status.present)
        if status is Status.present and m.extractor.startswith("muscle."):
            self.stated_sides.setdefault(m.code, set()).add(m.laterality)
            if not self.asymmetric:
                self.asymmetric = one_sided_words(item.source.sentence or "")
        if status is Status.present and m.note and m.note.startswith("attributed to "):
            # "left shoulder abduction 3/5 owing to a rotator cuff tear": not the myositis's
            self.warn(f"{label}: {m.note}, not counted as a finding of the myositis", item)
            return
        if status is Status.present and m.note and m.note.startswith("from a previous episode"):
            self.warn(f"{label}: {m.note}, not the current presentation", item)
            return
        generic = m.extractor in ("muscle.generic", "skin.generic")
        if generic and status is Status.present:
            return  # "muscle weakness" / "a rash" naming nothing says nothing of the items
        entry = self.findings.get((m.code, status))
        if entry is None:
            entry = _Entry({"code": m.code.value, "status": status.value, "grades": []})
            self.findings[(m.code, status)] = entry
        if m.distribution:
            known = entry.data.get("distribution")
            if not known:
                entry.data["distribution"] = m.distribution
            elif m.distribution not in known and len(known) < 120:
                entry.data["distribution"] = f"{known}; {m.distribution}"
        if status is Status.present and m.extractor.startswith("muscle."):
            # the sides the statements tell (the symmetric items need both, issue 7): both
            # said, or left and right, is both; one side alone stays one side unless another
            # statement names no side (then it is not recorded: unknown, not a guess)
            sides = self.sides.setdefault((m.code, status), set())
            sides.add(m.laterality.value if m.laterality is not None else None)
            if "both" in sides or {"left", "right"} <= sides:
                entry.data["laterality"] = "both"
            elif None in sides:
                entry.data.pop("laterality", None)
            else:
                (entry.data["laterality"],) = sides
        for grade in m.grades:
            dumped = grade.model_dump(mode="json")
            if dumped not in entry.data["grades"]:
                entry.data["grades"].append(dumped)
        if m.extractor == "muscle.generic":
            entry.data.setdefault("note", "stated as no muscle weakness, region not named")
        elif m.extractor == "skin.generic":
            entry.data.setdefault("note", "stated as no rash or skin lesion, sign not named")
        self.attach(entry, item)

    def lab(self, item: Located, m: LabMention) -> None:
        what = m.analyte.value.upper()
        if self.skipped(item, what):
            return
        if m.value is None or m.unit is None:
            self.lab_statement(item, m, what)
            return
        if item.assertion.not_performed:
            return
        if item.assertion.historical:
            # a value from a previous episode ("at her first presentation in 2016 the CK was
            # 9,800") is not the current work-up the criteria read (issue 8)
            self.warn(f"{what} {m.value:g} {m.unit} is from a previous episode: not recorded", item)
            return
        key = (m.analyte, m.value, m.unit, m.comparator, m.low, m.high)
        entry = self.labs.get(key)
        if entry is None:
            data: dict[str, Any] = {"analyte": m.analyte.value, "value": m.value, "unit": m.unit}
            if m.comparator:
                data["comparator"] = m.comparator
            if m.low is not None or m.high is not None:
                data["range"] = {
                    k: v
                    for k, v in (("low", m.low), ("high", m.high), ("unit", m.range_unit))
                    if v is not None
                }
            if m.note:
                data["note"] = m.note
            entry = self.labs[key] = _Entry(data)
        self.attach(entry, item)

    def lab_statement(self, item: Located, m: LabMention, what: str) -> None:
        """A result said in words ("CK was raised"): ConText read the words that say it, so
        "no elevation of CK" is normal; a negated "normal" says nothing sure."""
        if item.assertion.not_performed or m.stated is None:
            return
        interpretation = LabInterpretation(m.stated)
        note = m.note
        if item.assertion.negated:
            if interpretation is not LabInterpretation.high:
                self.warn(f"{what} stated as not {m.stated}: not recorded", item)
                return
            interpretation = LabInterpretation.normal
            note = "; ".join(n for n in (note, "stated as not raised") if n)
        key = (m.analyte, interpretation)
        entry = self.lab_statements.get(key)
        if entry is None:
            data: dict[str, Any] = {
                "analyte": m.analyte.value,
                "interpretation": interpretation.value,
            }
            if note:
                data["note"] = note
            entry = self.lab_statements[key] = _Entry(data)
        self.attach(entry, item)

    def antibody(self, item: Located, m: AntibodyMention) -> None:
        if self.skipped(item, m.name.value):
            return
        result = m.result
        if result is None:
            if item.assertion.not_performed:
                result = AntibodyResult.not_tested
            elif item.assertion.negated:
                result = AntibodyResult.negative
            else:
                self.warn(f"{m.name.value} named without a result: not recorded", item)
                return
        key = (m.name, result)
        entry = self.antibodies.get(key)
        if entry is None:
            entry = self.antibodies[key] = _Entry({"name": m.name.value, "result": result.value})
        if m.titre and "titre" not in entry.data:
            entry.data["titre"] = m.titre
        if m.method and "method" not in entry.data:
            entry.data["method"] = m.method
        self.attach(entry, item)
        if result in (AntibodyResult.positive, AntibodyResult.negative):
            self.antibody_claims.setdefault(m.name, []).append(
                Claim(
                    value=result.value,
                    label=result.value,
                    source=item.source,
                    tier=item.tier,
                    specificity=int(bool(m.titre)) + int(bool(m.method)),
                )
            )

    def cancer(self, item: Located, m: CancerMention) -> None:
        if item.assertion.family:
            self.warn(f"{m.histology}: a relative's cancer is not the patient's", item)
            return
        if item.assertion.negated or self.skipped(item, m.histology):
            return
        for entry in self.cancers:
            data = entry.data
            same = data["histology"] == m.histology or (
                m.histology == "cancer" and data.get("site") == m.site
            )
            if same and (m.site is None or data.get("site") in (None, m.site)):
                break
        else:
            entry = _Entry({"histology": m.histology})
            self.cancers.append(entry)
        data = entry.data
        if m.site and not data.get("site"):
            data["site"] = m.site
        if m.primary_unknown:
            data["primary_unknown"] = True
        if m.metastatic:
            data["metastatic"] = True
        if m.grade and not data.get("grade"):
            data["grade"] = m.grade
        if m.stage:
            data["note"] = f"stage {m.stage}"
        if m.year and not data.get("date") and int(m.year) <= date.today().year:
            data["date"] = m.year
        status = (
            CancerStatus.remission
            if m.remission
            else CancerStatus.unknown
            if m.history or item.assertion.historical
            else CancerStatus.active
        )
        # any statement of an active cancer wins, then remission, then unknown
        rank = {"active": 2, "remission": 1, "unknown": 0}
        if rank[status.value] > rank.get(data.get("status") or "", -1):
            data["status"] = status.value
        self.attach(entry, item)
        if item.tier == "patient" and item.main_story and self.first_cancer is None:
            self.first_cancer, self.first_cancer_entry = item, entry

    def treatment(self, item: Located, m: TreatmentMention) -> None:
        a = item.assertion
        if a.negated or a.not_performed or self.skipped(item, m.drug):
            return
        entry = self.treatments.get(m.drug)
        if entry is None:
            entry = self.treatments[m.drug] = _Entry(
                {
                    "id": _slug(m.drug),
                    "drug": m.drug,
                    "kind": m.kind.value,
                    "target": m.target,
                    "dose_changes": [],
                }
            )
        data = entry.data
        for key, value in (
            ("line", m.line),
            ("cycles", m.cycles),
            ("dose", m.dose),
            ("intent", m.intent),
        ):
            if value is not None and data.get(key) is None:
                data[key] = value
        if m.dose_change:
            change = {"change": m.dose_change}
            if m.dose_change_reason:
                change["reason"] = m.dose_change_reason
            if change not in data["dose_changes"]:
                data["dose_changes"].append(change)
        self.attach(entry, item)

    # -- finishing --------------------------------------------------------------------------
    def apply_roles(self, data: dict[str, Any], roles: dict[str, str]) -> None:
        """Myositis diagnosis/onset and the cancer's diagnosis date from the story's points."""
        myositis: dict[str, Any] = {}
        if "myositis_diagnosis" in roles:
            myositis["diagnosis"] = {"anchor": roles["myositis_diagnosis"]}
        if "myositis_onset" in roles:
            myositis["onset"] = {"anchor": roles["myositis_onset"]}
        if myositis:
            data["myositis"] = myositis
        if "cancer_diagnosis" in roles and data.get("cancers") and self.first_cancer_entry:
            index = self.cancers.index(self.first_cancer_entry)
            row = data["cancers"][index]
            # The story's point of the diagnosis, unless the text gave a date of its own more
            # precise than a year ("diagnosed in January 2024": the point holds the month).
            if "date" not in row or (isinstance(row["date"], str) and len(row["date"]) == 4):
                row["date"] = {"anchor": roles["cancer_diagnosis"]}

    def finish(self, record_id: str, nominal_date: bool) -> Built:
        conflicts: list[Conflict] = []
        data: dict[str, Any] = {"id": record_id}
        facts: list[tuple[str, str, _Entry]] = []

        self.drop_hedged()
        self.read_unsided_as_both()
        self.derive_leg_comparison()
        self.merge_generic_chemotherapy()

        demographics, demo_conflicts = self.demographics_data()
        conflicts += demo_conflicts
        if demographics:
            data["demographics"] = demographics

        def put(list_name: str, family: str, entries: Sequence[_Entry]) -> None:
            rows = []
            for entry in entries:
                entry.settle()
                row = dict(entry.data)
                row["source"] = entry.sources[0]  # a Source: taken as it is, not re-validated
                for empty in ("grades", "dose_changes", "findings"):
                    if empty in row and not row[empty] and empty != "findings":
                        del row[empty]
                rows.append(row)
                facts.append((f"{list_name}[{len(rows) - 1}]", family, entry))
            if rows:
                data[list_name] = rows

        events, roles = self.timeline(nominal_date)
        dated = {e.data["id"] for e in events if "date" in e.data}
        dating = CourseDating(self.story, dated, _Entry)
        findings = dating.findings(self.ordered_findings(), self.course)
        for entries in (self.labs, self.lab_statements, self.antibodies):
            dating.date_all(entries.values())
        put("findings", "finding", findings)
        put("labs", "lab", list(self.labs.values()))
        put("lab_statements", "lab", list(self.lab_statements.values()))
        antibodies, ab_conflicts = self.antibody_entries()
        conflicts += ab_conflicts
        put("antibodies", "antibody", antibodies)
        investigations, inv_conflicts = self.investigation_entries()
        conflicts += inv_conflicts
        dating.date_all(investigations)
        put("investigations", "investigation", investigations)
        for entry in self.cancers:
            entry.data.setdefault("status", CancerStatus.active.value)
        put("cancers", "cancer", self.cancers)
        dating.treatments(self.treatments.values())
        put("treatments", "treatment", list(self.treatments.values()))
        put("tumour_assessments", "tumour assessment", dating.tumour_assessments(self.course))
        if self.spare_grades is not None:
            put("activity", "muscle grades", [self.spare_grades])
        put("events", "event", events)
        self.apply_roles(data, roles)
        data["notes"] = (
            f"Extracted from {self.document} by heliotrope {__version__} "
            f"({sum(1 for _ in facts)} facts, {len(conflicts)} conflicts); review before use."
        )
        record = parse_record(data, self.document)
        out_facts = []
        for path, family, entry in facts:
            list_name, index = path[:-1].split("[")
            row = getattr(record, list_name)[int(index)]
            summary = (
                "MRC " + ", ".join(f"{g.muscle.value} {g.mrc}" for g in row.grades)
                if list_name == "activity"
                else describe(row)
            )
            out_facts.append(
                ExtractedFact(
                    path=path,
                    family=family,
                    summary=summary,
                    source=entry.sources[0],
                    supporting=tuple(entry.sources[1:]),
                    flags=tuple(sorted(entry.flags)),
                )
            )
        return Built(record, out_facts, conflicts, self.warnings)

    def drop_hedged(self) -> None:
        """A sign stated and hedged in one sentence ("the eyelids are erythematous; this could
        represent a heliotrope rash but is difficult to assess") is truly ambiguous: the
        statements of that sentence do not make it present, and what is left unknown says why
        (issue 8, part 4)."""
        for (code, status), entry in list(self.findings.items()):
            hedged = self.hedged.get(code)
            if status is not Status.present or not hedged:
                continue
            keep = [i for i, s in enumerate(entry.sources) if s.sentence not in hedged]
            if len(keep) == len(entry.sources):
                continue
            for source in entry.sources:
                if source.sentence in hedged:
                    self.warnings.append(
                        ExtractionWarning(
                            message=f"{code.value.replace('_', ' ')}: stated and hedged in the "
                            "same sentence, left unknown (ambiguous)",
                            source=source,
                        )
                    )
            if not keep:
                del self.findings[(code, status)]
                continue
            entry.sources = [entry.sources[i] for i in keep]
            entry.ranks = [entry.ranks[i] for i in keep]
            entry.settled = -1

    def read_unsided_as_both(self) -> None:
        """Girdle weakness stated only without a side is read as both sides (the clinical
        documentation convention, :mod:`heliotrope.nlp.extract.sides`), unless the document
        tells one-sided or asymmetric weakness anywhere."""
        one_sided = any(
            (Side.left in sides) != (Side.right in sides) and Side.both not in sides
            for sides in self.stated_sides.values()
        )  # "weakness of the left deltoid" (a right one elsewhere would make it both)
        if self.asymmetric or one_sided:
            return
        for code in UNSIDED_CODES:
            key = (code, Status.present)
            entry = self.findings.get(key)
            if entry is None or self.sides.get(key) != {None}:
                continue
            entry.data["laterality"] = "both"
            note = entry.data.get("note")
            entry.data["note"] = f"{note}; {UNSIDED_NOTE}" if note else UNSIDED_NOTE

    def ordered_findings(self) -> list[_Entry]:
        for entry in self.findings.values():
            entry.settle()

        def rank(entry: _Entry) -> tuple[int, int]:
            first = entry.sources[0]
            return (0 if "discussion" not in entry.flags else 1, first.start or 0)

        return sorted(self.findings.values(), key=rank)

    def derive_leg_comparison(self) -> None:
        """EULAR/ACR item 6 from words: proximal leg weakness + distal leg strength normal."""
        weak = self.findings.get((FindingCode.weakness_proximal_lower, Status.present))
        normal = self.findings.get((FindingCode.weakness_distal, Status.absent))
        for entry in (weak, normal):
            if entry is not None:
                entry.settle()
        key = (FindingCode.legs_proximal_weaker_than_distal, Status.present)
        if key in self.findings:
            return
        if weak is not None and self.derive_leg_comparison_from_grades(weak):
            return
        if weak is None or normal is None:
            return
        if "lower" not in (normal.data.get("distribution") or ""):
            return
        self.findings[key] = _Entry(
            {
                "code": key[0].value,
                "status": "present",
                "grades": [],
                "note": "derived: proximal leg weakness with distal leg strength stated normal",
            },
            sources=[normal.sources[0], weak.sources[0]],
            flags={"derived"},
            ranks=[normal.ranks[0], weak.ranks[0]],
        )

    def derive_leg_comparison_from_grades(self, weak: _Entry) -> bool:
        """EULAR/ACR item 6 from grades: the weakest proximal leg group graded lower than every
        distal leg group ("hip flexion 4-/5, knee extension 5/5, ankle dorsiflexion 5/5":
        the hip flexors are weaker than the distal muscles, whatever the quadriceps)."""
        grades: list[MuscleGrade] = []
        for entry in [*self.findings.values(), self.spare_grades]:
            for dumped in entry.data.get("grades", []) if entry is not None else ():
                grades.append(MuscleGrade.model_validate(dumped))
        proximal = [g.bounds for g in grades if g.muscle in PROXIMAL_LEG_GROUPS]
        distal = [g.bounds for g in grades if g.muscle in DISTAL_LEG_GROUPS]
        if not proximal or not distal:
            return False
        if min(hi for _, hi in proximal) >= min(lo for lo, _ in distal):
            return False
        key = (FindingCode.legs_proximal_weaker_than_distal, Status.present)
        self.findings[key] = _Entry(
            {
                "code": key[0].value,
                "status": "present",
                "grades": [],
                "note": "derived: the weakest proximal leg muscles graded lower than every "
                "distal leg muscle graded",
            },
            sources=list(weak.sources[:1]),
            flags={"derived"},
            ranks=list(weak.ranks[:1]),
        )
        return True

    def merge_generic_chemotherapy(self) -> None:
        generic = self.treatments.get("chemotherapy")
        if generic is None:
            return
        named = [
            e
            for k, e in self.treatments.items()
            if k != "chemotherapy" and e.data["kind"] == "chemotherapy"
        ]
        line = generic.data.get("line")
        for entry in named:
            if line is None or entry.data.get("line") in (None, line):
                if line is not None and entry.data.get("line") is None and len(named) == 1:
                    entry.data["line"] = line
                entry.sources += generic.sources
                entry.ranks += generic.ranks
                del self.treatments["chemotherapy"]
                return

    def demographics_data(self) -> tuple[dict[str, Any], list[Conflict]]:
        out: dict[str, Any] = {}
        conflicts: list[Conflict] = []
        ordered = sorted(self.demographics, key=lambda im: _TIER_RANK.get(im[0].tier, 2))
        ages = [
            Claim(m.age, f"{m.age:g} years", i.source, i.tier)
            for i, m in ordered
            if m.age is not None and m.extractor == "demographics.age"
        ]
        sexes = [
            Claim(m.sex.value, m.sex.value, i.source, i.tier, specificity=int(m.age is not None))
            for i, m in ordered
            if m.sex is not None and m.sex is not Sex.unknown
        ]
        onsets = [
            Claim(m.age, f"{m.age:g} years at onset", i.source, i.tier)
            for i, m in ordered
            if m.age is not None and m.extractor == "demographics.onset_age"
        ]
        # the age at onset when the text gives it (age_years is the age at myositis onset
        # when no date says otherwise); else the age at presentation
        if not ages and not onsets:
            ages = self.age_from_birth_date()
        age, conflict = resolve("age at onset", onsets) if onsets else resolve("age", ages)
        if conflict:
            conflicts.append(conflict)
        if age is not None:
            out["age_years"] = age.value
        sex, conflict = resolve("sex", sexes)
        if conflict and sexes and any(c.specificity for c in sexes):
            conflicts.append(conflict)
        if sex is not None:
            out["sex"] = sex.value
        ancestry = next((m.ancestry for _, m in ordered if m.ancestry), None)
        if ancestry:
            out["ancestry"] = ancestry
        return out, conflicts

    def age_from_birth_date(self) -> list[Claim]:
        """ "DOB 01/02/1960" and the document's own date ("Date: 12/03/2023"): the age then
        (both day/month orders read; the lower age, and none when they straddle 18 or 40)."""
        births = [(i, m) for i, m in self.demographics if isinstance(m, BirthMention)]
        dated = [m for _, m in self.demographics if isinstance(m, DocumentDateMention)]
        if not births or not dated:
            return []
        item, birth = births[0]
        age = age_from_birth(birth.born, dated[0].on)
        if age is None:
            return []
        self.warn(f"age {age} years computed from the date of birth and the document's date", item)
        return [Claim(float(age), f"{age} years", item.source, item.tier)]

    def antibody_entries(self) -> tuple[list[_Entry], list[Conflict]]:
        conflicts = []
        for name, claims in self.antibody_claims.items():
            _, conflict = resolve(f"{name.value} result", claims)
            if conflict is not None:
                conflicts.append(conflict)
        return list(self.antibodies.values()), conflicts

    def investigation_entries(self) -> tuple[list[_Entry], list[Conflict]]:
        entries: list[_Entry] = []
        conflicts: list[Conflict] = []
        for kind, items in self.investigations.items():
            claims: list[Claim] = []
            states: list[tuple[Located, InvestigationMention, bool | None]] = []
            for item, m in items:
                performed = m.performed
                if item.assertion.not_performed or (
                    item.assertion.negated and performed is None and not m.findings
                ):
                    performed = False
                states.append((item, m, performed))
                if performed is not None:
                    claims.append(
                        Claim(
                            value=performed,
                            label="performed" if performed else "not performed",
                            source=item.source,
                            tier=item.tier,
                            self_contradicting=self_contradicting(performed, m.reason),
                            specificity=int(m.reason is not None) + int(bool(m.findings)),
                        )
                    )
            winner, conflict = resolve(f"{kind.value.replace('_', ' ')} performed", claims)
            if conflict is not None:
                conflicts.append(conflict)
            performed_value: bool | None = winner.value if winner is not None else None  # type: ignore[assignment]
            entry = _Entry({"kind": kind.value, "performed": performed_value, "findings": {}})
            findings: dict[str, str] = entry.data["findings"]
            kept_sources = []
            for item, m, performed in states:
                agrees = performed is None or performed == performed_value
                if not agrees:
                    continue
                kept_sources.append(item)
                if performed_value is not True:
                    continue
                for (finding, _status, _a, _b), fa in zip(
                    m.findings, item.findings or [AFFIRMED] * len(m.findings), strict=False
                ):
                    if fa.uncertain or fa.hypothetical or fa.family:
                        self.warn(f"{kind.value} {finding.value}: uncertain, not recorded", item)
                        continue
                    status = Status.absent if fa.negated else Status.present
                    if findings.get(finding.value) != Status.present.value:
                        findings[finding.value] = status.value
                if m.reason and performed is False and "reason_not_performed" not in entry.data:
                    entry.data["reason_not_performed"] = m.reason
                if m.summary and "summary" not in entry.data and not m.carried:
                    entry.data["summary"] = m.summary
            if performed_value is False:
                for _item, m, performed in states:
                    if performed is False and m.reason and "reason_not_performed" not in entry.data:
                        entry.data["reason_not_performed"] = m.reason
            primary = sorted(kept_sources, key=lambda i: _TIER_RANK.get(i.tier, 2))
            for item in primary or [i for i, _, _ in states]:
                self.attach(entry, item)
            if InvestigationFinding.normal.value in findings and len(findings) > 1:
                del findings[InvestigationFinding.normal.value]
            entries.append(entry)
        return entries, conflicts

    def treatment_durations(self) -> dict[str, tuple[int, str | None]]:
        """Each treatment start point's duration in days: its cycles times the regimen's
        cycle length (:func:`~heliotrope.nlp.extract.treatments.cycle_days`)."""
        out: dict[str, tuple[int, str | None]] = {}
        for entry in self.treatments.values():
            cycles = entry.data.get("cycles")
            start = self.story_start(entry)
            if not cycles or start is None or start in out:
                continue
            days, known = cycle_days(entry.data["drug"])
            note = None if known else f"cycle length not given: {days // 7}-weekly cycles assumed"
            out[start] = (cycles * days, note)
        return out

    def story_start(self, entry: _Entry) -> str | None:
        """The story's treatment-start point a treatment was named in, if any."""
        for source in entry.sources:
            point = self.story.by_sentence.get((source.sentence, source.section))
            if point is not None and point in self.story.starts:
                return point.id
        return None

    def timeline(self, nominal: bool) -> tuple[list[_Entry], dict[str, str]]:
        """Story time points (see :mod:`heliotrope.nlp.timeline`)."""
        inputs: list[tuple[int, Located, TimeMention | None]] = [
            (i.source.start or 0, i, m) for i, m in self.times if i.tier == "patient"
        ]
        if self.first_cancer is not None:
            inputs.append((self.first_cancer.source.start or 0, self.first_cancer, None))
        # Sentence by sentence; inside one, dated mentions before untimed events.
        first: dict[str | None, int] = {}
        for start, item, _m in sorted(inputs, key=lambda t: t[0]):
            first.setdefault(item.source.sentence, start)

        def order(entry: tuple[int, Located, TimeMention | None]) -> tuple[int, int, int]:
            start, item, m = entry
            untimed = m is None or m.extractor in ("temporal.event", "course.event")
            return (first[item.source.sentence], int(untimed), start)

        inputs.sort(key=order)
        preceded = [(i, m) for i, m in self.times if m.extractor == "temporal.preceded"]
        story = self.story
        items: dict[tuple[Any, ...], Located] = {}
        for _, item, m in inputs:
            if m is None:
                story.narrative("cancer_diagnosis", item.source)
            else:
                story.add(item.source, m)
        for item, m in preceded:
            story.relate_cancer(item.source, m)
        story.set_durations(self.treatment_durations())
        for _, item, _m in inputs:
            items.setdefault(_source_key(item.source), item)
        for item, _m in preceded:
            items.setdefault(_source_key(item.source), item)
        points, roles = story.finish(nominal)
        for message, source in story.warnings:
            self.warnings.append(ExtractionWarning(message=message, source=source))
        entries = []
        for point in points:
            data: dict[str, Any] = {"id": point.id, "kind": point.kind}
            sentence = " ".join((point.source.sentence or "").split())
            data["description"] = sentence[:160]
            if point.date is not None:
                data["date"] = point.date
            elif point.anchor is not None:
                data["date"] = {"anchor": point.anchor, "offset": point.offset}
            if point.note:
                data["note"] = point.note
            entry = _Entry(data)
            found = items.get(_source_key(point.source))
            if found is not None:
                self.attach(entry, found)
            else:
                entry.sources.append(point.source)
                entry.ranks.append((0, 0))
            entries.append(entry)
        return entries, roles


def build(
    located: Sequence[Located],
    document: str,
    *,
    record_id: str | None = None,
    nominal_dates: bool = True,
) -> Built:
    """Turn located mentions into a validated record with provenance and conflicts.

    ``nominal_dates``: when the story has no calendar date, date it from one nominal anchor
    (see :mod:`heliotrope.nlp.timeline`); False leaves such dates out of the record."""
    builder = _Builder(document)
    for item in located:
        builder.add(item)
    return builder.finish(record_id or record_id_for(document), nominal_dates)
