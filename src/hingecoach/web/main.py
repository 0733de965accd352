"""The web app as each server process builds it: `hinge serve --workers N` starts N
processes, and each calls `app()` (a factory, so nothing is shared between them but the
database). Settings come from the environment, which `hinge serve` fills from its options.
"""

from __future__ import annotations

from fastapi import FastAPI

from hingecoach.adapters.db.store import open_store
from hingecoach.catalog import catalog_with
from hingecoach.settings import load_settings
from hingecoach.web.app import create_app

__all__ = ["app"]


def app() -> FastAPI:
    """One process's app: its own store (already migrated by `hinge serve`, so opening it
    only checks the schema) and catalog."""
    settings = load_settings()
    return create_app(
        settings, open_store(settings.database_url), catalog_with(settings.ladders_file)
    )
