"""Uploaded files and pasted text, read through the one input loader.

The bytes go to a private temporary directory (mode 0700, removed when the request ends);
nothing is kept unless the user asks to store the record. A file's name only chooses its reader
(after checking its suffix and first bytes); it never becomes a path outside that directory.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from heliotrope.errors import HeliotropeError
from heliotrope.io.inputs import LoadedInput, load_input

__all__ = [
    "ACCEPTED_SUFFIXES",
    "UploadRejected",
    "load_bytes",
    "private_directory",
    "public_message",
]

#: Case files, FHIR input and clinical documents (the suffixes ``load_input`` reads).
ACCEPTED_SUFFIXES = (
    ".yaml",
    ".yml",
    ".json",
    ".ndjson",
    ".txt",
    ".text",
    ".html",
    ".htm",
    ".pdf",
)
_TEXT_SUFFIXES = frozenset(ACCEPTED_SUFFIXES) - {".pdf"}
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class UploadRejected(Exception):
    """An upload refused before reading: ``status`` is the HTTP status to answer with."""

    status: int
    message: str

    def __post_init__(self) -> None:
        super().__init__(self.message)


@contextmanager
def private_directory() -> Iterator[Path]:
    """A fresh 0700 directory, removed with everything in it when the block ends."""
    with tempfile.TemporaryDirectory(prefix="heliotrope-upload-") as name:
        yield Path(name)


def safe_name(filename: str | None, default: str = "upload.txt") -> str:
    """The last path component of ``filename`` with only safe characters."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _SAFE.sub("_", base).strip("._") or default
    return cleaned[:120]


def check_upload(name: str, head: bytes) -> None:
    """Refuse (415) a type heliotrope cannot read, or content that contradicts its suffix."""
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise UploadRejected(
            415,
            f"Heliotrope cannot read '{name}': give a case file (.yaml, .yml, .json), FHIR "
            "(.json, .ndjson) or a clinical document (.txt, .html, .htm, .pdf).",
        )
    if suffix == ".pdf" and not head.startswith(b"%PDF-"):
        raise UploadRejected(415, f"'{name}' is named .pdf but is not a PDF file.")
    if suffix in _TEXT_SUFFIXES:
        if b"\x00" in head:
            raise UploadRejected(415, f"'{name}' is not a text file (it holds binary data).")
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a character cut by the 4 kB sample is fine
                raise UploadRejected(
                    415, f"'{name}' is not UTF-8 text (byte {exc.start} cannot be read)."
                ) from None


def load_bytes(directory: Path, filename: str | None, data: bytes) -> LoadedInput:
    """Write ``data`` into ``directory`` under a safe name and read it with ``load_input``."""
    name = safe_name(filename)
    if not data:
        raise UploadRejected(400, f"'{name}' is empty.")
    check_upload(name, data[:4096])
    path = directory / name
    path.write_bytes(data)
    return load_input(path)


def public_message(error: HeliotropeError, directory: Path | None) -> str:
    """The error's text with the private directory's path taken out."""
    text = str(error)
    if directory is not None:
        text = text.replace(str(directory) + "/", "").replace(str(directory), "")
    return text
