"""iCalendar export of the plan: parses back, all-day events, stable UIDs, atomic write."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import icalendar

from heliotrope.screening import (
    ScreeningPlan,
    entry_uid,
    plan_to_ical,
    screening_plan,
    write_ical,
)

from .imacs_helpers import SWITCHES, base_spec, build, context


def _plan(
    record_id: str = "ical-case", variant: str | None = None, **changes: object
) -> ScreeningPlan:
    spec = base_spec()
    spec.update(changes)
    for key in ("subtype_dm", "anti_tif1g"):
        SWITCHES[key](spec)
    return screening_plan(build(spec, record_id), context=context(spec), repeat_variant=variant)


def _events(payload: bytes) -> list[icalendar.cal.Component]:
    calendar = icalendar.Calendar.from_ical(payload)
    return list(calendar.walk("VEVENT"))


def test_one_all_day_event_per_dated_entry() -> None:
    plan = _plan()
    events = _events(plan_to_ical(plan))
    dated = [e for e in plan.entries if e.dated]
    assert len(events) == len(dated) > 0
    for event, entry in zip(events, dated, strict=True):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert type(start) is date and type(end) is date  # all-day, not date-time
        assert start == entry.earliest
        assert end == entry.latest + timedelta(days=1)  # DTEND is exclusive
        assert str(event["summary"]) == f"{entry.test} ({entry.panel})"  # commas round-trip
        assert entry.reason in str(event["description"])


def test_uids_are_unique_and_stable() -> None:
    first, second = plan_to_ical(_plan()), plan_to_ical(_plan())
    assert first == second
    uids = [str(e["uid"]) for e in _events(first)]
    assert len(set(uids)) == len(uids)
    other = [str(e["uid"]) for e in _events(plan_to_ical(_plan("another-case")))]
    assert not set(uids) & set(other)


def test_uids_of_shared_entries_survive_a_variant_change() -> None:
    """The two repeat schedules share the at-diagnosis panels: every one of those events keeps
    its UID (and summary) across the change; only the repeats differ."""
    literal, fig1 = _plan(), _plan(variant="fig1_recalled")
    uids = {str(e["uid"]): str(e["summary"]) for e in _events(plan_to_ical(fig1))}
    at_diagnosis = [e for e in literal.entries if e.dated and e.occasion == "diagnosis"]
    assert {e.panel for e in at_diagnosis} >= {"basic", "enhanced"}
    for entry in at_diagnosis:
        uid = entry_uid(literal.record_id, entry)
        assert uids.get(uid) == f"{entry.test} ({entry.panel})"
    repeats = {e.key for e in literal.entries if e.occasion.startswith("repeat")}
    assert repeats and not repeats & {e.key for e in fig1.entries}


def test_undated_plan_has_no_events() -> None:
    plan = _plan(onset=None, diagnosis=None)
    assert _events(plan_to_ical(plan)) == []


def test_record_text_is_escaped_by_the_library(tmp_path: Path) -> None:
    plan = _plan(region='Hong Kong; Kowloon, \\ "east"')
    events = _events(plan_to_ical(plan))
    naso = next(e for e in events if "Nasoendoscopy" in str(e["summary"]))
    assert 'Hong Kong; Kowloon, \\ "east"' in str(naso["description"])


def test_write_ical_is_atomic_and_parses(tmp_path: Path) -> None:
    target = tmp_path / "plans" / "case.ics"
    plan = _plan()
    count = write_ical(plan, target)
    assert count == len(_events(target.read_bytes()))
    assert [p.name for p in target.parent.iterdir()] == ["case.ics"]  # no temp file left
    write_ical(plan, target)
    assert target.read_bytes() == plan_to_ical(plan)
