"""Web fixtures: the real app on a real migrated database (SQLite and PostgreSQL), driven
through Starlette's TestClient, plus helpers that sign up and fill forms as a browser does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.settings import load_settings
from hingecoach.web import create_app

TODAY = date(2026, 3, 2)
PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_TOKEN = re.compile(r'name="client_token" value="([^"]+)"')


def make_client(store: Store, catalog: Catalog, tmp_path: Path, today: date = TODAY) -> TestClient:
    settings = load_settings(env={"HINGE_DATA_DIR": str(tmp_path / "data")})
    settings = replace(settings, today_override=today, database_url=store.url)
    return TestClient(create_app(settings, store, catalog), follow_redirects=False)


@pytest.fixture
def client(store: Store, catalog: Catalog, tmp_path: Path) -> Iterator[TestClient]:
    with make_client(store, catalog, tmp_path) as c:
        yield c


@pytest.fixture
def other(store: Store, catalog: Catalog, tmp_path: Path) -> Iterator[TestClient]:
    """A second browser on the same server (another user's cookies)."""
    with make_client(store, catalog, tmp_path) as c:
        yield c


def csrf(client: TestClient, page: str = "/login") -> str:
    found = _CSRF.search(client.get(page).text)
    assert found, f"no CSRF field on {page}"
    return found.group(1)


def form_token(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "no client_token field"
    return found.group(1)


def post_form(client: TestClient, url: str, data: dict[str, Any], page: str | None = None) -> Any:
    fields = dict(data)
    fields.setdefault("csrf_token", csrf(client, page or "/login"))
    return client.post(url, data=fields)


def sign_up(client: TestClient, email: str, role: str = "learner", **extra: str) -> Any:
    data = {"email": email, "password": PASSWORD, "name": email.split("@")[0].title(), "role": role}
    if role == "clinician" and "invite_code" not in extra:
        data["clinic_name"] = "Riverside Physio"
    data.update(extra)
    response = post_form(client, "/signup", data, "/signup")
    assert response.status_code == 303, response.text
    return response


START = {"none_of_these": "true", "pain_now": "3", "experience": "new", "ladder": "solving-pain"}


def start_learner(client: TestClient, email: str = "ana@example.com", **extra: str) -> None:
    sign_up(client, email, **extra)
    response = post_form(client, "/start", START, "/start")
    assert response.status_code == 200, response.text


# Every page a learner opens (and one that does not exist): the browser walks, the
# accessibility walk and the JSON-twin check go through the same list.
LEARNER_PAGES = (
    "/today",
    "/timer",
    "/log",
    "/checkin",
    "/screen",
    "/history",
    "/ladder",
    "/kit",
    "/questionnaires",
    "/questionnaires/odi",
    "/questionnaires/psfs",
    "/questionnaires/start-back",
    "/me",
    "/form-checks",
    "/form-checks/new",
    "/form-checks/live",
    "/no-such-page",
)
