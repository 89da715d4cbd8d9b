"""What every command shares: consoles, the output format option, and error handling that
prints a clear message (file, field, reason) and exits non-zero, never a traceback."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from heliotrope.errors import HeliotropeError

__all__ = ["OutputFormat", "console", "err_console", "handle_errors", "print_json"]


class _LiveWidthConsole(Console):
    """A console that reads the terminal width (or ``COLUMNS``) at each use, not once at
    import, so a resized terminal or a test runner's environment is honoured."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._width = None
        self._height = None


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


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn heliotrope's errors into a message on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except HeliotropeError as exc:
            err_console.print(f"[bold red]error[/] {_escape(str(exc))}")
            raise typer.Exit(EXIT_INPUT) from None
        except (BrokenPipeError, KeyboardInterrupt):
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def print_json(data: Any) -> None:
    """Write JSON to stdout (plain, not through rich, so it stays machine-readable)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    sys.stdout.write("\n")
