"""CDS Hooks 2.0.1 request and response, typed after the specification's logical models
(cds-hooks.hl7.org/2.0), with the response invariants cds-resp-1 … cds-resp-7 checked.

* cds-resp-1: ``selectionBehavior`` at-most-one allows at most one recommended suggestion;
* cds-resp-2: a ``delete`` action names a ``resourceId`` and carries no ``resource``;
* cds-resp-3: only ``smart`` links carry an ``appContext``;
* cds-resp-4: every override reason has a display;
* cds-resp-5: every suggestion action has a description;
* cds-resp-6: suggestions require a ``selectionBehavior``;
* cds-resp-7: ``selectionBehavior`` is ``all``, ``any`` or ``at-most-one``.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "Action",
    "Card",
    "CardSource",
    "CdsRequest",
    "CdsResponse",
    "Coding",
    "DiscoveryResponse",
    "FhirAuthorization",
    "Link",
    "PatientViewContext",
    "Service",
    "Suggestion",
]

SUMMARY_LIMIT = 140


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- discovery -------------------------------------------------------------------------------
class Service(_Strict):
    hook: str
    title: str | None = None
    description: str
    id: str = Field(pattern=r"^[A-Za-z0-9\-_.]+$")
    prefetch: dict[str, str] | None = None
    usageRequirements: str | None = None


class DiscoveryResponse(_Strict):
    services: list[Service]


# -- request ---------------------------------------------------------------------------------
class FhirAuthorization(_Model):
    access_token: str = Field(min_length=1)
    token_type: Literal["Bearer"]
    expires_in: int = Field(ge=0)
    scope: str
    subject: str
    patient: str | None = None


class PatientViewContext(_Model):
    userId: str = Field(min_length=1)
    patientId: str = Field(min_length=1, pattern=r"^[A-Za-z0-9\-.]{1,64}$")
    encounterId: str | None = None


class CdsRequest(_Model):
    hook: str = Field(min_length=1)
    hookInstance: str
    fhirServer: str | None = None
    fhirAuthorization: FhirAuthorization | None = None
    context: dict[str, Any]
    prefetch: dict[str, Any] | None = None

    @field_validator("hookInstance")
    @classmethod
    def _uuid(cls, value: str) -> str:
        uuid.UUID(value)
        return value

    @field_validator("fhirServer")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("fhirServer must be an http(s) URL")
        return value

    @model_validator(mode="after")
    def _authorization_needs_server(self) -> CdsRequest:
        if self.fhirAuthorization is not None and self.fhirServer is None:
            raise ValueError("fhirAuthorization is given without fhirServer")
        return self


# -- response --------------------------------------------------------------------------------
class Coding(_Strict):
    system: str | None = None
    code: str
    display: str | None = None


class CardSource(_Strict):
    label: str = Field(min_length=1)
    url: str | None = None
    icon: str | None = None
    topic: Coding | None = None


class Action(_Strict):
    type: Literal["create", "update", "delete"]
    description: str
    resource: dict[str, Any] | None = None
    resourceId: str | None = None

    @model_validator(mode="after")
    def _invariants(self) -> Action:
        if not self.description.strip():
            raise ValueError("cds-resp-5: every suggestion action must have a description")
        if self.type == "delete" and (self.resourceId is None or self.resource is not None):
            raise ValueError("cds-resp-2: a delete action names a resourceId and no resource")
        return self


class Suggestion(_Strict):
    label: str = Field(min_length=1)
    uuid: str | None = None
    isRecommended: bool | None = None
    actions: list[Action] | None = None


class Link(_Strict):
    label: str = Field(min_length=1)
    url: str = Field(min_length=1)
    type: Literal["absolute", "smart"]
    appContext: str | None = None

    @model_validator(mode="after")
    def _app_context(self) -> Link:
        if self.type != "smart" and self.appContext is not None:
            raise ValueError("cds-resp-3: appContext is only for smart links")
        return self


class Card(_Strict):
    uuid: str | None = None
    summary: str = Field(min_length=1, max_length=SUMMARY_LIMIT - 1)
    detail: str | None = None
    indicator: Literal["info", "warning", "critical"]
    source: CardSource
    suggestions: list[Suggestion] | None = None
    selectionBehavior: str | None = None
    overrideReasons: list[Coding] | None = None
    links: list[Link] | None = None

    @model_validator(mode="after")
    def _invariants(self) -> Card:
        if self.selectionBehavior is not None and self.selectionBehavior not in {
            "all",
            "any",
            "at-most-one",
        }:
            raise ValueError("cds-resp-7: selectionBehavior must be all, any or at-most-one")
        if self.suggestions and self.selectionBehavior is None:
            raise ValueError("cds-resp-6: suggestions require a selectionBehavior")
        if self.selectionBehavior == "at-most-one":
            recommended = [s for s in self.suggestions or [] if s.isRecommended]
            if len(recommended) > 1:
                raise ValueError("cds-resp-1: at-most-one allows one recommended suggestion")
        for reason in self.overrideReasons or []:
            if not reason.display:
                raise ValueError("cds-resp-4: every override reason needs a display")
        return self


class CdsResponse(_Strict):
    cards: list[Card]
    systemActions: list[Action] | None = None
