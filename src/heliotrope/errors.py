"""Heliotrope's errors: coded, structured, and written as full sentences.

Every error says *where* (file, field or text span), *why*, and, where possible, *what to do*.
The CLI prints ``str(error)`` and exits non-zero; it never prints a traceback.

Hierarchy::

    HeliotropeError                 (HT000)
    ├── InputError                  (HT1xx) the user's input cannot be used
    │   ├── RecordFileError         (HT100) a case file cannot be read or parsed
    │   ├── RecordValidationError   (HT101) a case file parses but breaks the record model
    │   ├── DateResolutionError     (HT102) a relative date cannot be resolved
    │   ├── UnitError               (HT103) a value's unit is unknown or wrong for its analyte
    │   ├── LesionTableError        (HT104) a RECIST lesion table is malformed
    │   ├── DocumentError           (HT105) a clinical document cannot be ingested
    │   │   └── DocumentLimitError  (HT108) a document crosses a limit (pages, area, depth...)
    │   ├── OutputFileError         (HT106) an output file cannot be written where asked
    │   ├── CaseFileLimitError      (HT107) a case file crosses a limit (nesting, size,
    │   │                                   aliases, digits); also a RecordFileError
    │   └── FhirInputError          (HT120) FHIR input cannot be read: malformed JSON, a
    │                                       resource of the wrong type, an unknown code or
    │                                       unit, a dangling reference (interop.fhir.errors)
    ├── CriteriaError               (HT2xx) an unknown criterion id or option
    ├── StorageError                (HT3xx) the database cannot be read or written
    └── InternalError               (HT900) a bug: an unexpected exception reached the
                                            command's guard (exit 3, no patient text shown)

Every limit behind HT107 and HT108 is a named setting in :mod:`heliotrope.limits`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CaseFileLimitError",
    "CriteriaError",
    "DateResolutionError",
    "DocumentError",
    "DocumentLimitError",
    "ErrorDetail",
    "HeliotropeError",
    "InputError",
    "InternalError",
    "LesionTableError",
    "OutputFileError",
    "RecordFileError",
    "RecordValidationError",
    "StorageError",
    "UnitError",
]


@dataclass(frozen=True)
class ErrorDetail:
    """One problem: where it is (``location``), and why."""

    location: str
    message: str


@dataclass
class HeliotropeError(Exception):
    """Base class: ``message`` says what happened; ``details`` say where."""

    message: str
    details: list[ErrorDetail] = field(default_factory=list)
    source: str | None = None
    code: str = "HT000"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        head = f"[{self.code}] "
        if self.source:
            head += f"{self.source}: "
        head += self.message
        lines = [head]
        lines += [f"  - {d.location}: {d.message}" for d in self.details]
        return "\n".join(lines)


@dataclass
class InputError(HeliotropeError):
    code: str = "HT100"


@dataclass
class RecordFileError(InputError):
    code: str = "HT100"


@dataclass
class RecordValidationError(InputError):
    code: str = "HT101"


@dataclass
class DateResolutionError(InputError):
    code: str = "HT102"


@dataclass
class UnitError(InputError):
    code: str = "HT103"


@dataclass
class LesionTableError(InputError):
    code: str = "HT104"


@dataclass
class DocumentError(InputError):
    code: str = "HT105"


@dataclass
class DocumentLimitError(DocumentError):
    code: str = "HT108"


@dataclass
class OutputFileError(InputError):
    code: str = "HT106"


@dataclass
class CaseFileLimitError(RecordFileError):
    code: str = "HT107"


@dataclass
class CriteriaError(HeliotropeError):
    code: str = "HT200"


@dataclass
class StorageError(HeliotropeError):
    code: str = "HT300"


@dataclass
class InternalError(HeliotropeError):
    """An unexpected exception: a bug. Its message names the exception type and the place in
    heliotrope's code, never the exception's text (which may quote patient data)."""

    code: str = "HT900"
