"""The installed `hinge` command: loads the code of the command it runs, and loads it with
the garbage collector held off.

Starting fast (issue 9: `hinge today` answered in under half a second, bench/cli.py) takes
two things. A command loads its own module, not all eight: the others' options, models and
imports are a tenth of the start. And loading makes a few hundred thousand objects that live
as long as the process (modules, the ORM's mappings, the models of the catalog and the
answers); with the collector on, it walks them again and again while they are made, about a
fifth of the start. So it waits until they are loaded, and they are then moved out of its
sight (`gc.freeze`), as each server process does (web/main.py). What the command makes
afterwards is collected as usual.
"""

from __future__ import annotations

import gc
import importlib
import sys

__all__ = ["COMMANDS", "command_of", "load", "main"]

# The module of `hingecoach.cli` that registers each command (tests/test_cli.py checks this
# against every command `hingecoach.cli.commands` registers).
COMMANDS = {
    "ladders": "ladders",
    "exercises": "ladders",
    "exercise": "ladders",
    "start": "programme",
    "screen": "programme",
    "today": "programme",
    "kit": "programme",
    "status": "programme",
    "history": "programme",
    "clear": "programme",
    "guide": "programme",
    "log": "log",
    "checkin": "log",
    "questionnaire": "outcomes",
    "worker": "worker",
    "serve": "server",
    "db": "server",
    "admin": "server",
    "timer": "timer",
    "analyze": "video",
}


def command_of(args: list[str]) -> str | None:
    """The command `hinge ARGS` names: the first word after the one global option, `--db`."""
    if args[:1] == ["--db"]:
        args = args[2:]
    elif args and args[0].startswith("--db="):
        args = args[1:]
    return args[0] if args else None


def load(args: list[str]) -> None:
    """The commands `hinge ARGS` may run: the one it names, or all of them (for help, no
    command, or a name to suggest a spelling for)."""
    module = COMMANDS.get(command_of(args) or "")
    gc.disable()
    try:
        importlib.import_module(f"hingecoach.cli.{module or 'commands'}")
    finally:
        gc.freeze()
        gc.enable()


def main() -> None:
    load(sys.argv[1:])
    from hingecoach.cli.app import main as run

    run()
