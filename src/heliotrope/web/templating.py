"""The Jinja2 environment (autoescaping every value) shared by pages and error handlers."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from heliotrope import __version__
from heliotrope.logic import CLASSIFICATION_DISCLAIMER
from heliotrope.render.report_html import span_id
from heliotrope.web.format import FILTERS, value_text

__all__ = ["TEMPLATES", "templates"]

TEMPLATES = Path(__file__).parent / "templates"


def _build() -> Jinja2Templates:
    built = Jinja2Templates(directory=str(TEMPLATES))
    built.env.autoescape = True
    built.env.filters.update(FILTERS)
    built.env.globals.update(
        version=__version__,
        disclaimer=CLASSIFICATION_DISCLAIMER,
        value_text=value_text,
        span_anchor=span_id,
    )
    return built


templates = _build()
