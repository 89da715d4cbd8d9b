"""``heliotrope schema``: the JSON Schema of a case file."""

from __future__ import annotations

import typer

from heliotrope.cli.common import handle_errors, print_json
from heliotrope.model.record import PatientRecord

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``schema`` command to ``app``."""

    @app.command("schema")
    @handle_errors
    def schema() -> None:
        """Print the JSON Schema that case files (YAML or JSON) validate against."""
        schema = PatientRecord.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = "heliotrope case file"
        print_json(schema)
