"""Oncology: RECIST 1.1 tumour response (Eisenhauer et al., Eur J Cancer 2009;45:228-247)."""

from heliotrope.oncology.recist import (
    RecistOptions,
    RecistResult,
    ReportedTimepoint,
    TimepointResult,
    evaluate_recist,
    read_lesion_csv,
    reported_timepoints,
)

__all__ = [
    "RecistOptions",
    "RecistResult",
    "ReportedTimepoint",
    "TimepointResult",
    "evaluate_recist",
    "read_lesion_csv",
    "reported_timepoints",
]
