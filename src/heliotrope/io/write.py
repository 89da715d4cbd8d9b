"""Atomic output: write to a temporary file beside the target, then rename, so a failure
never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from heliotrope.errors import OutputFileError

__all__ = ["write_atomic"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; creates missing parent folders.

    Raises :class:`~heliotrope.errors.OutputFileError` naming the path when it cannot be
    written (a folder, no permission, no such device); nothing is left behind then.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            raise OutputFileError(
                f"Cannot write the output file: {reason}.", source=str(target)
            ) from None
        raise
