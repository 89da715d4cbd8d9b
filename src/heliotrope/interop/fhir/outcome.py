"""FHIR OperationOutcome for errors: one issue per located problem (element path, reason),
never patient values."""

from __future__ import annotations

from typing import Any

from heliotrope.errors import HeliotropeError

__all__ = ["error_outcome", "operation_outcome"]


def operation_outcome(issues: list[tuple[str, str]], *, code: str = "invalid") -> dict[str, Any]:
    """An OperationOutcome with an error issue per (location, reason)."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": code,
                "diagnostics": reason,
                "expression": [location] if location else [],
            }
            for location, reason in issues
        ]
        or [{"severity": "error", "code": code}],
    }


def error_outcome(error: HeliotropeError) -> dict[str, Any]:
    """A heliotrope error (with its located details) as an OperationOutcome."""
    issues = [(d.location, d.message) for d in error.details]
    return operation_outcome([("", f"[{error.code}] {error.message}"), *issues])
