"""What the web app can be told: upload limit, where stored history lives."""

from __future__ import annotations

import os
from collections.abc import Mapping
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

    def to_env(self) -> dict[str, str]:
        """The settings as the environment variables :meth:`from_env` reads."""
        env = {"HELIOTROPE_WEB_MAX_UPLOAD": str(self.max_upload_bytes)}
        if self.db_path is not None:
            env["HELIOTROPE_WEB_DB"] = str(self.db_path)
        return env

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        db = env.get("HELIOTROPE_WEB_DB")
        limit = env.get("HELIOTROPE_WEB_MAX_UPLOAD", "")
        return cls(
            max_upload_bytes=int(limit) if limit.isdigit() else MAX_UPLOAD_BYTES,
            db_path=Path(db) if db else None,
        )
