"""The ``heliotrope`` application: each command lives in its own module, imported only when that
command runs.

How to add a command (it then costs nothing at start-up):

1. Create ``heliotrope/cli/<name>_cmd.py`` whose module docstring's first line says what the
   command does (it is the one-line help of ``heliotrope --help``) and which defines
   ``register(app: typer.Typer) -> None`` adding the command with ``@app.command("<name>")``
   (or a sub-application with ``app.add_typer(sub, name="<name>")``). Underscores in the
   file name become hyphens in the command name (``cohort_stats_cmd.py`` → ``cohort-stats``).
2. Keep heavy imports (FastAPI, fhir.resources, DuckDB, pint, the NLP reader) inside the
   module or inside the command function, never in ``heliotrope/cli/main.py`` or
   ``cli/common.py``.

Nothing needs editing here: :class:`LazyCommands` finds the ``*_cmd`` modules by file name
(``pkgutil``, no import), lists them for ``--help`` from their docstrings, and imports one
module only when its command is invoked. A module that registers a command under another name
is still found: an unknown name imports every command module once and looks again.
``--help`` and ``--version`` therefore import typer and nothing of heliotrope's (issue 13).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache
from pathlib import Path

import typer
from typer._click.core import Command, Context  # typer's own click
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup

from heliotrope import __version__

__all__ = ["LazyCommands", "app", "command_modules"]

_PACKAGE = "heliotrope.cli"
_DOCSTRING = re.compile(r'^\s*(?:#[^\n]*\n\s*)*[rbu]?("""|\'\'\')(.*?)\1', re.DOTALL)


@cache
def command_modules() -> dict[str, str]:
    """Command name → module name, for every ``heliotrope/cli/*_cmd.py`` (no import)."""
    folder = Path(__file__).resolve().parent
    found = {
        info.name.removesuffix("_cmd").replace("_", "-"): f"{_PACKAGE}.{info.name}"
        for info in pkgutil.iter_modules([str(folder)])
        if info.name.endswith("_cmd")
    }
    return dict(sorted(found.items()))


def _short_help(module: str) -> str:
    """The first line of a command module's docstring, read from its source (no import)."""
    path = Path(__file__).resolve().parent / f"{module.rsplit('.', 1)[1]}.py"
    try:
        match = _DOCSTRING.match(path.read_text(encoding="utf-8"))
    except OSError:
        return ""
    if not match:
        return ""
    text = " ".join(match[2].split()).replace("``", "'")
    text = re.sub(r"^'heliotrope [\w -]+':\s*", "", text)  # "``heliotrope x``: does y"
    return text[:1].upper() + text[1:]


def _load(module: str) -> dict[str, Command]:
    """Import one command module and return the commands it registers, by name."""
    sub = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    importlib.import_module(module).register(sub)

    @sub.callback()
    def _group() -> None:  # keeps every registered command inside a group
        """Commands of one module."""

    group = typer.main.get_command(sub)
    assert isinstance(group, TyperGroup)
    return dict(group.commands)


class LazyCommands(TyperGroup):
    """A command group that imports a command's module only when the command is used."""

    _listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        names = list(super().list_commands(ctx))
        return names + [n for n in command_modules() if n not in names]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        modules = command_modules()
        if self._listing and cmd_name in modules:
            text = _short_help(modules[cmd_name])
            return TyperCommand(cmd_name, help=text, short_help=text)
        if cmd_name in modules:
            self.commands.update(_load(modules[cmd_name]))
        if cmd_name not in self.commands:  # registered under another name: look everywhere
            for module in modules.values():
                for name, command in _load(module).items():
                    self.commands.setdefault(name, command)
        return self.commands.get(cmd_name)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        self._listing = True  # list commands from their docstrings, importing none
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="heliotrope",
    cls=LazyCommands,
    help="Computable dermatomyositis and cancer-associated myositis reasoning. "
    "Criteria classify; they do not diagnose.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"heliotrope {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Heliotrope."""
