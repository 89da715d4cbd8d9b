"""The reader never produces an impossible record (issue 8 after integration: the record
validation of ``model/consistency.py`` refuses dates out of order and future dates; nominal
dating must not create them). Stories assembled from sentences written for this test."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heliotrope.nlp.ingest import ingest_text
from heliotrope.nlp.reader import read_record

_PIECES = (
    "She was diagnosed with dermatomyositis in 2019.",
    "Her weakness began in 2021.",
    "Weakness began 2 years before diagnosis.",
    "Three years later she developed lung cancer.",
    "She commenced methotrexate.",
    "Two months later she stopped methotrexate.",
    "Prednisolone was started in 2020 and stopped in 2019.",
    "A 50-year-old woman born in 1990 presented with weakness.",
    "She presented in December 2026 with a heliotrope rash.",
    "Six months later the rash resolved.",
    "In 2031 she will be reviewed.",
    "Dermatomyositis was diagnosed ten years ago.",
    "Symptoms began 3 months after diagnosis.",
    "CK was 4,200 U/L (ref 25-200) at the 3-month follow-up.",
    "After six cycles of carboplatin the CT showed stable disease.",
    "She was born on 12/05/2001.",
    "At the age of 30 she developed weakness.",
    "On day 10 of admission the rash had faded.",
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=7))
def test_any_story_gives_a_record_that_validates(pieces: list[str]) -> None:
    """Read any order of these sentences: no validation error, and no date after today."""
    result = read_record(ingest_text(" ".join(pieces), "story.txt"))
    today = date.today()
    for name, when in result.record.anchors.items():
        assert when.earliest <= today, f"{name} is dated in the future: {when}"
