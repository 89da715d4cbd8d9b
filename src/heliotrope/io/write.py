"""Atomic output: a failed or killed run never leaves a partial, truncated or stray file, and
never replaces an existing file with anything but the complete new content (issue 12).

How (Linux, and any system with ``O_TMPFILE``):

1. the content is written and ``fsync``-ed into an *unnamed* file in the target's folder
   (``O_TMPFILE``, mode 0600): killed now, the kernel frees it, nothing is left;
2. no file at the target yet: the unnamed file is given its final mode and linked there
   (``linkat``), which creates the target atomically and complete;
3. a file already there: the unnamed file is linked under a hidden pending name
   (``.NAME.PID.TOKEN.heliotrope-tmp``, still mode 0600) and renamed over the target, then
   given its final mode. Only a kill between that link and rename (a few microseconds) can
   leave the pending name behind; every later write to the same target removes pending names
   whose process is gone.

Elsewhere the content goes to a pending name from the start (``mkstemp``, mode 0600), then is
renamed; the same clean-up applies.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from heliotrope.errors import OutputFileError

__all__ = ["PENDING_SUFFIX", "clean_stale_pending", "write_atomic"]

#: The suffix of a pending (not yet renamed) output file.
PENDING_SUFFIX = ".heliotrope-tmp"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _pending_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(6)}{PENDING_SUFFIX}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def clean_stale_pending(target: str | Path) -> list[Path]:
    """Remove pending files left for ``target`` by runs that were killed; return them."""
    target = Path(target)
    removed: list[Path] = []
    prefix = f".{target.name}."
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith(PENDING_SUFFIX)):
            continue
        middle = name[len(prefix) : -len(PENDING_SUFFIX)].split(".")
        if len(middle) != 2 or not middle[0].isdigit():
            continue
        if _alive(int(middle[0])):
            continue
        path = target.parent / name
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    os.fsync(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_unnamed(target: Path, payload: bytes, mode: int) -> bool:
    """Steps 1–3 of the module docstring; False when ``O_TMPFILE`` is not available here."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return False
    try:
        fd = os.open(target.parent, flag | os.O_WRONLY, 0o600)
    except OSError:
        return False  # not supported by this file system: use a pending name instead
    folder = -1
    try:
        _write_all(fd, payload)
        source = f"/proc/self/fd/{fd}"
        if not os.path.exists(source):
            return False
        folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)

        def link(name: str) -> None:
            # with a dir fd, os.link is linkat(AT_SYMLINK_FOLLOW): the unnamed file itself
            os.link(source, name, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=True)

        if not target.exists():
            os.fchmod(fd, mode)
            try:
                link(target.name)
                return True
            except FileExistsError:  # created meanwhile: replace it as below
                os.fchmod(fd, 0o600)
        pending = _pending_name(target)
        link(pending.name)
        try:
            os.replace(pending.name, target.name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(pending.name, dir_fd=folder)
            raise
        os.fchmod(fd, mode)
        return True
    finally:
        os.close(fd)
        if folder >= 0:
            os.close(folder)


def _write_pending(target: Path, payload: bytes, mode: int) -> None:
    fd, name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=PENDING_SUFFIX, dir=target.parent
    )
    try:
        try:
            _write_all(fd, payload)
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; creates missing parent folders.

    Raises :class:`~heliotrope.errors.OutputFileError` naming the path when it cannot be
    written (a folder, no permission, no such device); nothing is left behind then and an
    existing file is untouched.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    mode = 0o666 & ~_umask()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(target))
        clean_stale_pending(target)
        if not _write_unnamed(target, payload, mode):
            _write_pending(target, payload, mode)
        _fsync_dir(target.parent)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputFileError(
            f"Cannot write the output file: {reason}.", source=str(target)
        ) from None
