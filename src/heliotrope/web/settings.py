"""What the web app can be told: upload limit, where stored history lives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "MAX_UPLOAD_BYTES", "Settings"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Uploads larger than this get HTTP 413 with a message on the page.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """``db_path`` None means :func:`heliotrope.storage.sqlite.default_db_path` at use."""

    max_upload_bytes: int = MAX_UPLOAD_BYTES
    db_path: Path | None = None
