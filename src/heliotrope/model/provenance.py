"""Where a fact came from: a field of a case file, or a span of a clinical document."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["Source"]


class Source(BaseModel):
    """Provenance of one fact.

    For a case file: ``document`` is the file and ``field`` the path inside it (``labs[2]``).
    For clinical text: ``document``, character offsets ``start``/``end`` into the ingested text,
    the ``sentence`` it came from and the ``section`` it stood in.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    document: str | None = None
    field: str | None = None
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    sentence: str | None = None
    section: str | None = None
    extractor: str | None = Field(default=None, description="rule or component that read it")

    @model_validator(mode="after")
    def _ordered_span(self) -> Source:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self

    def where(self) -> str:
        """A short human-readable location."""
        parts = [self.document or "record"]
        if self.field:
            parts.append(self.field)
        if self.start is not None:
            parts.append(f"chars {self.start}-{self.end}")
        return ", ".join(parts)
