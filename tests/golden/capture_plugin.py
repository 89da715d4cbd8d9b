"""A pytest plugin that records every patient record the test suite evaluates.

Loaded only by ``regenerate.py --recapture`` (``-p tests.golden.capture_plugin``): it wraps the
kernel's ``read_items`` (every criterion reads its items there) and appends each distinct
:class:`PatientRecord` with the context it was assessed in to the file named by
``HELIOTROPE_CAPTURE``, as JSON lines. Records that do not survive a JSON round trip are
skipped (the golden inputs must rebuild exactly).
"""

from __future__ import annotations

import importlib
import json
import os
from typing import Any

from heliotrope.model.record import PatientRecord

_TARGET = os.environ.get("HELIOTROPE_CAPTURE")
_SEEN: set[str] = set()
_evaluate_module = importlib.import_module("heliotrope.logic.evaluate")
_original = _evaluate_module.read_items


def _capture(definition: Any, record: Any, context: Any) -> Any:
    if _TARGET and isinstance(record, PatientRecord):
        data = record.model_dump(mode="json")
        options = {k: v for k, v in dict(context.options).items() if _jsonable(v)}
        line = json.dumps(
            {
                "record": data,
                "options": options,
                "as_of": context.as_of.isoformat() if context.as_of else None,
            },
            sort_keys=True,
            ensure_ascii=False,
        )
        if line not in _SEEN:
            _SEEN.add(line)
            try:
                same = PatientRecord.model_validate(data) == record
            except Exception:  # any failure means "cannot rebuild"
                same = False
            if same:
                with open(_TARGET, "a", encoding="utf-8") as out:
                    out.write(line + "\n")
    return _original(definition, record, context)


def _jsonable(value: object) -> bool:
    try:
        json.dumps(value)
    except TypeError:
        return False
    return True


_evaluate_module.read_items = _capture  # type: ignore[assignment]
