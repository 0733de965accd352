"""Shared fixtures: the built-in catalog, rung builders, and real migrated databases.

Store tests run on SQLite and on a real PostgreSQL server. PostgreSQL comes from
HINGE_TEST_POSTGRES_URL (`make postgres` prints one); without it those tests skip locally,
and under CI=true they fail instead of skipping.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from hingecoach.adapters.db.store import Store, open_store, sqlite_url
from hingecoach.catalog import Catalog, builtin_catalog, rungs_for
from hingecoach.engine.model import Rung

POSTGRES_URL = os.environ.get("HINGE_TEST_POSTGRES_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return builtin_catalog()


@pytest.fixture(scope="session")
def solving_pain(catalog: Catalog) -> tuple[Rung, ...]:
    return rungs_for(catalog.ladder("solving-pain"), catalog)


@pytest.fixture(scope="session")
def evolve(catalog: Catalog) -> tuple[Rung, ...]:
    return rungs_for(catalog.ladder("evolve"), catalog)


def _fresh_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def eventually(check: Callable[[], bool], seconds: float = 3.0) -> bool:
    """Whether `check()` holds within `seconds`: for what another process or thread does a
    moment later (a PostgreSQL notification heard, a connection closed)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def postgres_url_or_skip() -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    if IN_CI:
        pytest.fail(
            "CI=true but HINGE_TEST_POSTGRES_URL is not set: PostgreSQL tests must run in CI"
        )
    pytest.skip("PostgreSQL not available: set HINGE_TEST_POSTGRES_URL (see `make postgres`)")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "hinge.db")
    url = postgres_url_or_skip()
    _fresh_postgres(url)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = open_store(db_url)
    yield s
    s.dispose()
