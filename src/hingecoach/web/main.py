"""The web app as each server process builds it: `hinge serve --workers N` starts N
processes, and each calls `app()` (a factory, so nothing is shared between them but the
database). Settings come from the environment, which `hinge serve` fills from its options.
"""

from __future__ import annotations

import gc

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
    built = create_app(
        settings, open_store(settings.database_url), catalog_with(settings.ladders_file)
    )
    _collect_less()
    return built


# A served process allocates many small objects per request (rows, sessions, lights), and
# Python's default collector (a pass every 700 allocations, a full pass every 70,000) walked
# the whole heap, the kept learners and the catalog included, often enough to be the slowest
# part of the slowest requests. Measured with bench/api.py (two processes, ten connections):
# POST /api/v1/sessions went from 80 to 114 requests a second, p99 480 -> 226 ms.
_FIRST_GENERATION = 10_000


def _collect_less() -> None:
    """What exists once the app is built (modules, catalog, templates) lives as long as the
    process: move it out of the collector's sight (`gc.freeze`), and collect the young
    generation less often. Nothing is leaked: cycles are still found, only later."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(_FIRST_GENERATION, 10, 10)
