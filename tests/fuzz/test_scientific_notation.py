"""Lab values written in scientific notation are read correctly or left unknown, never as a
fragment of the number (issue 12, item 5), through the whole reader."""

from __future__ import annotations

import pytest

from heliotrope.nlp.ingest import ingest_text
from heliotrope.nlp.reader import read_record


@pytest.mark.parametrize(
    "sentence",
    [
        "Creatine kinase was 3.4 x 10^3 U/L (normal range 26-192 U/L).",
        "Creatine kinase was 3.4 × 10³ U/L (normal range 26-192 U/L).",
        "CK 3.4e3 U/L (normal range 26-192 U/L).",
    ],
)
def test_ck_in_scientific_notation_is_3400_or_unknown(sentence: str) -> None:
    record = read_record(ingest_text(sentence)).record
    values = [lab.value for lab in record.labs if lab.analyte.value == "ck"]
    assert all(v == pytest.approx(3400) for v in values)
