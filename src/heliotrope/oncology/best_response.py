"""RECIST 1.1 best overall response (BOR), with and without confirmation (spec §9.8).

Eisenhauer EA, et al. Eur J Cancer 2009;45:228-247 (section 4.4 and Table 3).

The best response recorded from the start of treatment until the first progression:

* **Without confirmation**: the best time-point response, CR > PR > SD > PD > NE, where SD
  (non-CR/non-PD for non-target disease only) counts only when met at least the minimum SD
  interval (default 42 days) after baseline.
* **With confirmation**: CR needs a later CR, and PR a later PR or CR, at least
  ``confirm_days`` (default 28) after it; an assessment in between may be NE but not worse.
  Otherwise the response falls back to SD when an assessment at or above SD met the minimum
  SD interval, else to PD if the series ends in progression, else NE.
* Only a time point whose overall response is PD is progression: a PR or SD after a CR is not
  turned into PD (it may be PR only because non-targets were not evaluated, Table 4), and the
  assessments after it still count. If disease truly reappeared after a CR, the time point is
  PD by itself. If the CR was doubtful, ``cr_doubtful`` turns it into PR (Table 3 footnote).
* The minimum SD interval counts from ``baseline``, which the caller gives as the date of
  study entry (the start of treatment) when known, else the baseline scan; the explanation
  names the date used.
* Order used by the property tests: PD is the only progression. No best overall response is
  PD unless a time point is PD; without confirmation it is the best time point before the
  first PD (CR > PR > SD or non-CR/non-PD > NE), never below the worst of them.

Dates may be ranges: an interval counts as "at least N days" only if it is certainly so;
when only some dates within the ranges would meet it, a warning says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from heliotrope.logic.truth import Truth
from heliotrope.model.dates import DateRange
from heliotrope.model.vocabulary import RecistResponse

__all__ = ["Assessment", "BestResponse", "best_overall_response", "days_at_least"]

R = RecistResponse
_STABLE = frozenset({R.SD, R.non_CR_non_PD})
_AT_LEAST_STABLE = frozenset({R.CR, R.PR, R.SD, R.non_CR_non_PD})


@dataclass(frozen=True)
class Assessment:
    """One time point's overall response."""

    when: DateRange
    response: RecistResponse


@dataclass(frozen=True)
class BestResponse:
    response: RecistResponse
    explanation: str
    warnings: tuple[str, ...] = ()


def days_at_least(start: DateRange, end: DateRange, days: int) -> Truth:
    """Is ``end`` at least ``days`` after ``start``? UNKNOWN when the date ranges allow both."""
    if (end.earliest - start.latest).days >= days:
        return Truth.TRUE
    if (end.latest - start.earliest).days < days:
        return Truth.FALSE
    return Truth.UNKNOWN


def _days(start: DateRange, end: DateRange) -> str:
    lo = (end.earliest - start.latest).days
    hi = (end.latest - start.earliest).days
    return f"{lo} days" if lo == hi else f"{lo}-{hi} days"


def _after_cr(
    points: Sequence[Assessment], cr_doubtful: bool
) -> tuple[list[Assessment], list[str]]:
    """Time points after a CR (Table 3 and its footnote; issue 7, departure 4).

    Only a time point whose overall response is PD is progression. A PR or SD after a CR is
    kept as it is: it may be PR only because the non-target lesions were not evaluated
    (Table 4: target CR with non-target "not evaluated" is PR), and if disease truly reappeared
    the time point itself is PD (a reappearing target against a nadir of 0 mm, or a new
    lesion). With ``cr_doubtful`` (the CR was doubtful: residual disease), a PR after it turns
    the earlier CR into PR, as the footnote allows."""
    out: list[Assessment] = []
    notes: list[str] = []
    for point in points:
        last_cr = next((i for i in range(len(out) - 1, -1, -1) if out[i].response is R.CR), None)
        if last_cr is not None and point.response in _AT_LEAST_STABLE - {R.CR}:
            if cr_doubtful and point.response is R.PR:
                for i in range(len(out)):
                    if out[i].response is R.CR:
                        out[i] = Assessment(out[i].when, R.PR)
                notes.append(
                    f"The CR before {point.when} was doubtful (disease seen again as PR): it "
                    "counts as PR."
                )
            else:
                notes.append(
                    f"{point.response.value} on {point.when} follows a CR; it is not "
                    "progression (only a PD time point is), e.g. a target CR with non-target "
                    "lesions not evaluated is PR (Table 4)."
                )
        out.append(point)
    return out, notes


def _confirmed(
    points: Sequence[Assessment], index: int, accepted: frozenset[RecistResponse], days: int
) -> tuple[Truth, int | None]:
    """Is the response at ``index`` confirmed by a later one in ``accepted`` >= ``days`` on?"""
    first = points[index]
    result = Truth.FALSE
    for j in range(index + 1, len(points)):
        later = points[j]
        if later.response not in accepted and later.response is not R.NE:
            break
        if later.response in accepted:
            enough = days_at_least(first.when, later.when, days)
            if enough is Truth.TRUE:
                return Truth.TRUE, j
            result = result | enough
    return result, None


def best_overall_response(
    points: Sequence[Assessment],
    baseline: DateRange,
    *,
    confirmation: bool,
    min_sd_days: int = 42,
    confirm_days: int = 28,
    cr_doubtful: bool = False,
    non_target_only: bool = False,
    entry_label: str = "baseline",
) -> BestResponse:
    """Best overall response of follow-up time points (module docstring for the rules)."""
    ordered = sorted(points, key=lambda p: (p.when.mid, p.when.earliest, p.when.latest))
    ordered, notes = _after_cr(ordered, cr_doubtful)
    warnings: list[str] = []
    first_pd = next((i for i, p in enumerate(ordered) if p.response is R.PD), None)
    used = ordered if first_pd is None else ordered[: first_pd + 1]
    if first_pd is not None and first_pd + 1 < len(ordered):
        notes.append(
            f"Assessments after the first progression ({ordered[first_pd].when}) are not used."
        )
    stable = R.non_CR_non_PD if non_target_only else R.SD

    def done(response: RecistResponse, why: str) -> BestResponse:
        return BestResponse(response, " ".join([why, *notes]), tuple(warnings))

    for response, accepted in ((R.CR, frozenset({R.CR})), (R.PR, frozenset({R.PR, R.CR}))):
        for i, point in enumerate(used):
            if point.response is not response:
                continue
            if not confirmation:
                return done(response, f"{response.value} on {point.when} (unconfirmed).")
            truth, j = _confirmed(used, i, accepted, confirm_days)
            if j is not None:
                later = used[j]
                return done(
                    response,
                    f"{response.value} on {point.when}, confirmed by {later.response.value} on "
                    f"{later.when} ({_days(point.when, later.when)} later; at least "
                    f"{confirm_days} needed).",
                )
            if truth is Truth.UNKNOWN:
                warnings.append(
                    f"{response.value} on {point.when} may be confirmed: whether the next "
                    f"assessment is at least {confirm_days} days later depends on the exact dates."
                )
    for point in used:
        if point.response not in _AT_LEAST_STABLE:
            continue
        enough = days_at_least(baseline, point.when, min_sd_days)
        if enough is Truth.TRUE:
            why = (
                f"{stable.value}: {point.response.value} on {point.when}, "
                f"{_days(baseline, point.when)} after {entry_label} (at least {min_sd_days} "
                "needed)"
            )
            if point.response not in _STABLE:
                why += f"; the {point.response.value} was not confirmed"
            return done(stable, why + ".")
        if enough is Truth.UNKNOWN:
            warnings.append(
                f"Whether {point.when} is at least {min_sd_days} days after {entry_label} "
                "depends on the exact dates; it was not counted."
            )
    if first_pd is not None:
        return done(
            R.PD,
            f"PD on {used[first_pd].when}, with no earlier "
            + ("confirmed response" if confirmation else "response")
            + f" and no {stable.value} at least {min_sd_days} days after {entry_label}.",
        )
    if not used:
        return done(R.NE, "NE: no assessment after baseline.")
    return done(
        R.NE,
        f"NE: no {'confirmed ' if confirmation else ''}response, no {stable.value} at least "
        f"{min_sd_days} days after {entry_label} and no progression.",
    )
