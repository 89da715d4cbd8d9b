"""Regression: an empty Bundle or ndjson file is refused, never read as a patient with every
item unknown."""

from __future__ import annotations

import pytest

from heliotrope.interop.fhir import read_fhir_text
from heliotrope.interop.fhir.errors import FhirInputError


@pytest.mark.parametrize(
    ("text", "ndjson"),
    [('{"resourceType": "Bundle", "type": "collection", "entry": []}', False), ("\n\n", True)],
)
def test_regression_empty_input_is_refused_not_an_empty_patient(text: str, ndjson: bool) -> None:
    with pytest.raises(FhirInputError, match="no resource"):
        read_fhir_text(text, "empty", ndjson=ndjson)
