"""`hinge serve`, `hinge admin create`, `hinge db upgrade|path`: running and keeping the app."""

from __future__ import annotations

import os
import threading
import time
from typing import Annotated

import typer
from rich.markup import escape

from hingecoach.adapters.db.store import display_url
from hingecoach.cli.app import (
    admin_app,
    app,
    catalog,
    close_store,
    db_app,
    guarded,
    out,
    settings,
    store,
    uow,
    use_settings,
)
from hingecoach.cli.worker import spawn_workers, stop_workers
from hingecoach.services.validation import check_int
from hingecoach.settings import load_settings, web_secret

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
    workers: Annotated[
        int | None,
        typer.Option(help="Server processes (1-64; default: one per CPU core)."),
    ] = None,
    job_workers: Annotated[
        int,
        typer.Option(
            help="Form-check workers started with the server (0-32; 0: run `hinge worker` yourself)."
        ),
    ] = 1,
) -> None:
    """Run the web app: learner and clinician pages, and the JSON API under /api/v1."""
    import uvicorn

    check_int("port", port, 1, 65535)
    processes = workers if workers is not None else os.cpu_count() or 1
    check_int("workers", processes, 1, 64)
    check_int("job_workers", job_workers, 0, 32)
    if db is not None:
        use_settings(load_settings(db))
    _prepare_for_workers()
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    out.print(f"HingeCoach is starting at http://{shown}:{port} (Ctrl-C stops)")
    out.print(escape(f"Database: {store().where()}; {processes} server process(es)"))
    close_store()
    _say_when_ready(f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}", shown)
    jobs = 0 if settings().jobs_inline else job_workers
    children = spawn_workers(jobs)
    try:
        uvicorn.run(
            "hingecoach.web.main:app",
            factory=True,
            host=host,
            port=port,
            workers=processes,
            log_level="warning",
            access_log=False,
        )
    finally:
        stop_workers(children)


def _say_when_ready(base: str, shown: str) -> None:
    """Say the address once a server process answers, not before: on a busy machine the
    processes take a while to start, and a page opened too early would only wait."""

    def wait() -> None:
        import urllib.error
        import urllib.request

        while True:
            try:
                urllib.request.urlopen(f"{base}/login", timeout=2)
            except urllib.error.HTTPError:
                pass  # an answer all the same
            except OSError:
                time.sleep(0.3)
                continue
            port = base.rsplit(":", 1)[1]
            out.print(f"Ready: open [bold]http://{shown}:{port}[/]")
            return

    threading.Thread(target=wait, name="hinge-ready", daemon=True).start()


def _prepare_for_workers() -> None:
    """What every server process needs, made once before they start: the database created
    and migrated, the ladders file read (an error is one line here, not one per process),
    the cookie key, and the settings in the environment the processes read."""
    current = settings()
    store()
    catalog()
    web_secret(current)
    os.environ["HINGE_DATABASE_URL"] = current.database_url
    if current.ladders_file is not None:
        os.environ["HINGE_LADDERS_FILE"] = str(current.ladders_file)


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
    from hingecoach.services.accounts import Accounts  # argon2: only this command hashes

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
