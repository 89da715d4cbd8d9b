"""Conflicting statements about one fact, and the rule that settles them.

A *claim* is one statement's value for a single-valued fact: whether an investigation was
performed, an antibody's result, the patient's sex or age. When claims disagree, the
conflict is reported with every source and settled by the first rule that leaves one value:

1. **scope** — a statement in the patient's own story (the case section, or a caption that
   describes the patient) beats one in the discussion or background;
2. **self-contradiction** — a statement whose own reason argues against it loses ("the
   muscle biopsy, which was performed due to high risk for metastatic spread": a risk is a
   reason *not* to biopsy);
3. **specificity** — the more specific statement wins (it gives a reason, findings, a
   titre or a method).

If none settles it the fact is left unknown (never silently one of the values) and the
conflict is reported as unresolved. Example: the founding case report says once that the
muscle biopsy "was performed due to high risk for metastatic spread" (Discussion) and once
that it "was not performed, given the potential risk of metastatic disease seeding" (Case
report): rule 1 keeps "not performed", and rule 2 agrees.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from heliotrope.model.provenance import Source

__all__ = ["RULES", "Claim", "Conflict", "Statement", "resolve"]

RULES = {
    "scope": "a statement in the patient's own story beats one in the discussion",
    "self_contradiction": "a statement whose own reason contradicts it loses",
    "specificity": "the more specific statement wins",
    "unresolved": "no rule settles it: the fact is left unknown",
}
_TIER_RANK = {"patient": 0, "caption": 0, "secondary": 1}


@dataclass(frozen=True)
class Claim:
    """One statement's value for a fact."""

    value: Hashable
    label: str
    source: Source
    tier: str
    self_contradicting: bool = False
    specificity: int = 0


class Statement(BaseModel):
    """A claim as reported: its value in words, where it was said, and from which part."""

    model_config = ConfigDict(frozen=True)

    value: str
    source: Source
    tier: str
    self_contradicting: bool = False


class Conflict(BaseModel):
    """Statements that disagree about ``subject``; ``kept`` is None when unresolved."""

    model_config = ConfigDict(frozen=True)

    subject: str
    kept: Statement | None
    rejected: tuple[Statement, ...]
    rule: str
    explanation: str
    agreeing_rules: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.kept is not None


def _statement(claim: Claim) -> Statement:
    return Statement(
        value=claim.label,
        source=claim.source,
        tier=claim.tier,
        self_contradicting=claim.self_contradicting,
    )


def _single(claims: Sequence[Claim]) -> bool:
    return len({c.value for c in claims}) == 1


def _by_rule(rule: str, claims: list[Claim]) -> list[Claim]:
    if rule == "scope":
        best = min(_TIER_RANK.get(c.tier, 2) for c in claims)
        return [c for c in claims if _TIER_RANK.get(c.tier, 2) == best]
    if rule == "self_contradiction":
        kept = [c for c in claims if not c.self_contradicting]
        return kept or claims
    top = max(c.specificity for c in claims)
    return [c for c in claims if c.specificity == top]


def resolve(subject: str, claims: Sequence[Claim]) -> tuple[Claim | None, Conflict | None]:
    """The claim to record (None if unresolved) and the conflict, if the claims disagree."""
    if not claims:
        return None, None
    ordered = list(claims)
    if _single(ordered):
        return max(ordered, key=lambda c: (c.specificity, -_TIER_RANK.get(c.tier, 2))), None
    remaining = ordered
    decided: str | None = None
    for rule in ("scope", "self_contradiction", "specificity"):
        remaining = _by_rule(rule, remaining)
        if _single(remaining):
            decided = rule
            break
    if decided is None:
        return None, Conflict(
            subject=subject,
            kept=None,
            rejected=tuple(_statement(c) for c in ordered),
            rule="unresolved",
            explanation=RULES["unresolved"],
        )
    winner = max(remaining, key=lambda c: c.specificity)
    agreeing = tuple(
        rule
        for rule in ("scope", "self_contradiction", "specificity")
        if rule != decided
        and _single(_by_rule(rule, ordered))
        and _by_rule(rule, ordered)[0].value == winner.value
    )
    return winner, Conflict(
        subject=subject,
        kept=_statement(winner),
        rejected=tuple(_statement(c) for c in ordered if c.value != winner.value),
        rule=decided,
        explanation=RULES[decided],
        agreeing_rules=agreeing,
    )
