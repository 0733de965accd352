"""The reference docs keep up with the code: every command, option, setting and fault code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from hingecoach import errors
from hingecoach.cli.commands import app

ROOT = Path(__file__).resolve().parents[1]
CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
SETTINGS_DOC = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))
OPTIONS = [
    (path, opt)
    for path, command in COMMANDS
    for param in command.params
    if param.param_type_name == "option"
    for opt in (*param.opts, *param.secondary_opts)
]
ARGUMENTS = [
    (path, param.name.upper())
    for path, command in COMMANDS
    for param in command.params
    if param.param_type_name == "argument"
]


def _section(path: tuple[str, ...]) -> str:
    """The part of docs/cli.md about one command (from its heading to the next)."""
    if not path:
        return CLI_DOC
    name = " ".join(path)
    heading = re.search(rf"^### `hinge {re.escape(name)}[` ]", CLI_DOC, re.MULTILINE)
    assert heading, f"docs/cli.md has no section for `hinge {name}`"
    end = CLI_DOC.find("\n#", heading.end())
    return CLI_DOC[heading.start() : end if end >= 0 else None]


def test_the_walk_finds_the_commands() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"start", "log", "today", "db upgrade"} <= names
    assert ((), "--db") in OPTIONS
    assert (("log",), "--cued") in OPTIONS


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS if p], ids=" ".join)
def test_every_command_has_a_section(path: tuple[str, ...]) -> None:
    assert _section(path)


@pytest.mark.parametrize(
    ("path", "option"), OPTIONS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else v
)
def test_every_option_is_documented_under_its_command(path: tuple[str, ...], option: str) -> None:
    assert re.search(rf"`{re.escape(option)}[ `=/]", _section(path)), (
        f"docs/cli.md: `hinge {' '.join(path)}` does not document {option}"
    )


@pytest.mark.parametrize(("path", "argument"), ARGUMENTS)
def test_every_argument_is_documented(path: tuple[str, ...], argument: str) -> None:
    assert argument in _section(path)


def test_exit_codes_are_documented() -> None:
    for code in ("0", "1", "2", "3"):
        assert re.search(rf"^\| {code} \|", CLI_DOC, re.MULTILINE), f"exit code {code}"


def _setting_names() -> set[str]:
    """Every HINGE_* name the code reads, plus CI (read by the test fixtures)."""
    sources = [*(ROOT / "src" / "hingecoach").rglob("*.py"), ROOT / "tests" / "conftest.py"]
    literal = re.compile(r"[\"'](HINGE_[A-Z_]+)[\"']")
    names = {n for f in sources for n in literal.findall(f.read_text(encoding="utf-8"))}
    return names | {"CI"}


EXPECTED_SETTINGS = {
    "HINGE_DATABASE_URL",
    "HINGE_DATA_DIR",
    "HINGE_TODAY",
    "HINGE_LADDERS_FILE",
    "HINGE_DEBUG",
    "HINGE_TEST_POSTGRES_URL",
    "CI",
}


def test_the_settings_list_is_complete() -> None:
    assert _setting_names() >= EXPECTED_SETTINGS


@pytest.mark.parametrize("name", sorted(EXPECTED_SETTINGS | _setting_names()))
def test_every_setting_is_documented(name: str) -> None:
    assert f"`{name}`" in SETTINGS_DOC, f"docs/settings.md does not mention {name}"


def test_the_db_option_and_default_location_are_documented() -> None:
    assert "`--db" in SETTINGS_DOC
    assert "~/.local/share/hingecoach/hingecoach.db" in SETTINGS_DOC


def _error_classes() -> list[type[errors.HingeError]]:
    found = [getattr(errors, name) for name in errors.__all__]
    return [c for c in found if isinstance(c, type) and issubclass(c, errors.HingeError)]


@pytest.mark.parametrize("error", _error_classes(), ids=lambda c: c.__name__)
def test_every_fault_code_is_documented(error: type[errors.HingeError]) -> None:
    row = re.search(
        rf"^\| `{re.escape(error.code)}` \| `{error.__name__}` \|.*\| 1 \|$",
        SETTINGS_DOC,
        re.MULTILINE,
    )
    assert row, f"docs/settings.md: no fault-code row for {error.code} ({error.__name__})"


def test_fault_codes_are_distinct() -> None:
    codes = [c.code for c in _error_classes()]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("code", sorted(errors.VIDEO_FAULTS))
def test_every_video_fault_code_is_documented(code: str) -> None:
    assert re.search(rf"^\| `{code}` \|", SETTINGS_DOC, re.MULTILINE), (
        f"docs/settings.md: no row for {code}"
    )
