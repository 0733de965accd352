"""The `hinge` application: its Typer apps, the store and catalog a command uses, and the
one way a command answers (JSON or Rich) and fails (one line, exit code).

Exit codes: 0 success, 1 refused input (a HingeError: one line naming the field), 2 usage
error, 3 an internal error (a bug: please report it). Every read command takes `--json`.
When standard input is not a terminal, nothing is asked: a missing value is a usage error.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.text import Text

from hingecoach.adapters.db.store import Store, open_store
from hingecoach.catalog import Catalog, catalog_with
from hingecoach.errors import HingeError, StoreError, ValidationError
from hingecoach.services.coach import Coach
from hingecoach.services.uow import UnitOfWorkFactory, sql
from hingecoach.settings import Settings, debug_enabled, load_settings

__all__ = [
    "JsonOpt",
    "admin_app",
    "answer",
    "app",
    "catalog",
    "coach",
    "db_app",
    "err",
    "fail",
    "guarded",
    "interactive",
    "main",
    "need",
    "out",
    "parse_day",
    "settings",
    "split",
    "store",
    "uow",
]

app = typer.Typer(
    name="hinge",
    help="HingeCoach: learn the hip hinge safely, one step at a time.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
admin_app = typer.Typer(help="Web app accounts.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")

out = Console(highlight=False)
# soft_wrap: an error is one line however long, whatever the terminal width.
err = Console(stderr=True, highlight=False, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


class _Ctx:
    settings: Settings
    store: Store | None = None


_ctx = _Ctx()


def fail(message: str, code: int) -> typer.Exit:
    """Print one plain line on stderr (never read as markup) and return the exit to raise."""
    err.print(Text.assemble(("error:", "bold red"), " ", message))
    return typer.Exit(code)


# What to type, for refusals whose message is the same at every door.
_HINTS = {"already_logged_today": "add --another to save it as another session today"}


def guarded(fn: F) -> F:
    """Turn a HingeError into one line on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except HingeError as exc:
            hint = _HINTS.get(exc.code)
            raise fail(f"{exc}; {hint}" if hint else str(exc), 1) from None

    return wrapper  # type: ignore[return-value]


def answer(
    data: BaseModel | Sequence[BaseModel], as_json: bool, render: Callable[[], None]
) -> None:
    """The one way a command answers: its public shape as JSON, or drawn for people."""
    if not as_json:
        render()
        return
    if not isinstance(data, BaseModel):
        text = "[" + ",".join(item.model_dump_json() for item in data) + "]"
    else:
        text = data.model_dump_json()
    if sys.stdout.isatty():
        out.print_json(text)
    else:
        import json

        print(json.dumps(json.loads(text), indent=2))


def close_store() -> None:
    current, _ctx.store = _ctx.store, None
    if current is not None:
        current.dispose()


@app.callback()
@guarded
def _global(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database file path or URL (default: HINGE_DATABASE_URL, else the user data folder).",
        ),
    ] = None,
) -> None:
    close_store()
    _ctx.settings = load_settings(db)
    ctx.call_on_close(close_store)


def settings() -> Settings:
    return _ctx.settings


def use_settings(new: Settings) -> None:
    close_store()
    _ctx.settings = new


def catalog() -> Catalog:
    return catalog_with(_ctx.settings.ladders_file)


def store() -> Store:
    """The command's store, opened (and migrated) once; closed when the command ends."""
    if _ctx.store is None:
        current = _ctx.settings
        if current.default_database:
            try:
                current.data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"database: cannot create the data folder {current.data_dir} ({exc.strerror})"
                ) from None
        _ctx.store = open_store(current.database_url)
    return _ctx.store


def uow() -> UnitOfWorkFactory:
    return sql(store())


def coach() -> Coach:
    return Coach(uow(), catalog(), _ctx.settings.today())


def interactive() -> bool:
    return sys.stdin.isatty()


def need(value: Any, option: str, prompt: str, kind: type = str) -> Any:
    """A value from its option, else a prompt on a terminal, else a usage error (exit 2)."""
    if value is not None:
        return value
    if not interactive():
        raise fail(
            f"missing option {option} (standard input is not a terminal, so nothing is asked)", 2
        )
    if kind is bool:
        return typer.confirm(prompt)
    return typer.prompt(prompt, type=kind)


def split(values: list[str] | None) -> list[str]:
    return [part for v in values or [] for part in v.split(",") if part.strip()]


def parse_day(raw: str | None, today: date, field: str = "date") -> date:
    if raw is None:
        return today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(field, "a date as YYYY-MM-DD", raw) from None


@contextmanager
def _no_trace() -> Iterator[None]:
    try:
        yield
    except (typer.Exit, SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # a bug: one line, never a stack trace, unless HINGE_DEBUG
        if debug_enabled():
            raise
        text = " ".join(str(exc).split())
        err.print(
            Text(
                f"internal error: {exc.__class__.__name__}: {text} (set HINGE_DEBUG=1 for details)"
            )
        )
        raise SystemExit(3) from None


def main() -> None:
    with _no_trace():
        app()
