"""What every command shares: consoles, the output format option, and error handling that
prints a clear message (file, field, reason) and exits non-zero, never a traceback.

Exit codes: 0 done; 2 the input (or an option) cannot be used: a coded ``HTxxx`` error naming
the file, field or position and the reason; 3 a bug: the guard turned an unexpected exception
into ``[HT900]`` naming only its type and place in heliotrope's code (never its text, which
may quote patient data). Every segment the consoles write passes through
:func:`~heliotrope.render.safe.safe_text`, and JSON on standard output is strict (no NaN or
Infinity) with C1 and bidi controls escaped (issue 12).
"""

from __future__ import annotations

import functools
import json
import math
import sys
import traceback
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from heliotrope.errors import HeliotropeError, InternalError
from heliotrope.render.safe import json_text, safe_text

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "OutputFormat",
    "console",
    "dumps_json",
    "err_console",
    "handle_errors",
    "internal_error",
    "print_json",
]


class _LiveWidthConsole(Console):
    """A console that reads the terminal width (or ``COLUMNS``) at each use, not once at
    import, so a resized terminal or a test runner's environment is honoured."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._width = None
        self._height = None

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        """Every segment, with control characters from the data neutralised (rich's own
        styles and control segments are left alone)."""
        for segment in super().render(renderable, options):
            if segment.control or not segment.text:
                yield segment
            else:
                yield Segment(safe_text(segment.text), segment.style)


console = _LiveWidthConsole(highlight=False, soft_wrap=False)
err_console = _LiveWidthConsole(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")

EXIT_INPUT = 2
EXIT_INTERNAL = 3


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


_PACKAGE = Path(__file__).resolve().parents[1]


def internal_error(exc: BaseException) -> InternalError:
    """The guard's message for an unexpected exception: its type and the innermost place in
    heliotrope's own code, never its text (which may quote patient data)."""
    where = "heliotrope"
    for frame in traceback.extract_tb(exc.__traceback__):
        try:
            relative = Path(frame.filename).resolve().relative_to(_PACKAGE)
        except ValueError:
            continue
        where = f"heliotrope/{relative.as_posix()}:{frame.lineno}"
    return InternalError(
        f"Internal error ({type(exc).__name__} in {where}). This is a bug in heliotrope, not "
        "a problem you can fix in the input; no input data is shown. Please report the "
        "command and this message."
    )


def _is_cli_control(exc: BaseException) -> bool:
    """typer's and click's exits and usage errors (typer vendors its own click)."""
    module = type(exc).__module__
    return module.startswith(("typer.", "click.")) or module in ("typer", "click")


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn heliotrope's errors into a message on stderr and exit code 2, and anything
    unexpected into ``[HT900]`` and exit code 3 (the guard): never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except HeliotropeError as exc:
            err_console.print(f"[bold red]error[/] {_escape(str(exc))}")
            raise typer.Exit(EXIT_INPUT) from None
        except (BrokenPipeError, KeyboardInterrupt):
            raise typer.Exit(EXIT_INTERNAL) from None
        except Exception as exc:  # the guard: a bug must not print a traceback
            if _is_cli_control(exc):
                raise  # typer's/click's own exits and usage errors
            err_console.print(f"[bold red]error[/] {_escape(str(internal_error(exc)))}")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _finite(value: Any, path: str, replaced: list[str]) -> Any:
    """``value`` with every NaN or infinite float replaced by ``None`` (paths noted)."""
    if isinstance(value, float) and not math.isfinite(value):
        replaced.append(path or "(top level)")
        return None
    if isinstance(value, dict):
        return {
            k: _finite(v, f"{path}.{k}" if path else str(k), replaced) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_finite(v, f"{path}[{i}]", replaced) for i, v in enumerate(value)]
    return value


def dumps_json(data: Any) -> tuple[str, list[str]]:
    """Strict JSON text for ``data`` and the paths of non-finite numbers written as ``null``
    (JSON has no NaN or Infinity: ``allow_nan=False``, never a bare ``Infinity``)."""
    replaced: list[str] = []
    try:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str, allow_nan=False)
    except ValueError:
        clean = _finite(data, "", replaced)
        text = json.dumps(clean, indent=2, ensure_ascii=False, default=str, allow_nan=False)
    return json_text(text), replaced


def print_json(data: Any) -> None:
    """Write JSON to stdout (plain, not through rich, so it stays machine-readable); a
    non-finite number becomes ``null`` with a warning on stderr naming where it was."""
    text, replaced = dumps_json(data)
    sys.stdout.write(text)
    sys.stdout.write("\n")
    if replaced:
        shown = ", ".join(replaced[:5]) + (" …" if len(replaced) > 5 else "")
        err_console.print(
            f"[yellow]warning[/] {len(replaced)} value(s) were not finite numbers and are "
            f"written as null (unknown): {_escape(shown)}"
        )
