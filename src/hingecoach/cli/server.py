"""`hinge serve`, `hinge admin create`, `hinge db upgrade|path`: running and keeping the app."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from hingecoach.adapters.db.store import display_url
from hingecoach.cli.app import (
    admin_app,
    app,
    catalog,
    db_app,
    guarded,
    out,
    settings,
    store,
    uow,
    use_settings,
)
from hingecoach.services.accounts import Accounts
from hingecoach.services.validation import check_int
from hingecoach.settings import load_settings

__all__ = ["admin_create", "db_path", "db_upgrade", "serve"]


@app.command()
@guarded
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 for the whole network).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (1-65535).")] = 8000,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database file path or URL (overrides the global --db)."),
    ] = None,
) -> None:
    """Run the web app: learner and clinician pages, and the JSON API under /api/v1."""
    import uvicorn

    from hingecoach.web import create_app

    check_int("port", port, 1, 65535)
    if db is not None:
        use_settings(load_settings(db))
    web = create_app(settings(), store(), catalog())
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    out.print(f"HingeCoach is running at [bold]http://{shown}:{port}[/] (Ctrl-C stops)")
    out.print(escape(f"Database: {store().where()}"))
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)


@admin_app.command("create")
@guarded
def admin_create(
    email: Annotated[str, typer.Option(help="The admin's email (their sign-in).")],
    name: Annotated[str, typer.Option(help="The admin's name.")],
    clinic: Annotated[str, typer.Option(help="Name of the clinic this admin starts.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="Password (asked if not given).",
        ),
    ],
) -> None:
    """Create an admin account: sees every clinic's learners in the web app."""
    actor = Accounts(uow()).make_admin(email, password, name, clinic)
    out.print(escape(f"Admin {actor.email} created; sign in at the web app (`hinge serve`)."))


@db_app.command("upgrade")
@guarded
def db_upgrade() -> None:
    """Create or migrate the database to the newest schema."""
    current = store()
    out.print(escape(f"Database is at schema {current.current()}: {current.where()}"))


@db_app.command("path")
@guarded
def db_path() -> None:
    """Print the database URL in use (password hidden)."""
    print(display_url(settings().database_url))
