"""The web app: calculator, case report, timeline, criteria pages and the REST API, one FastAPI
application (:func:`heliotrope.web.app.create_app`) that the CDS Hooks router joins."""

from __future__ import annotations

__all__: list[str] = []
