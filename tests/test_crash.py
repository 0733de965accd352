"""kill -9 in the middle of writes: two server processes (`hinge serve --workers 2`) take
sessions and check-ins from several clients at once, on SQLite and on PostgreSQL, and are
killed without warning. Every write the server acknowledged is stored exactly once, nothing
is stored twice, and the server starts again on the same database.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

HINGE = str(Path(sys.executable).parent / "hinge")
TODAY = "2026-03-02"
CLIENTS = 6
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(url: str, folder: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = dict(os.environ, HINGE_DATA_DIR=str(folder), HINGE_TODAY=TODAY)
    server = subprocess.Popen(
        [HINGE, "serve", "--port", str(port), "--workers", "2", "--db", url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes every worker
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/login", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield base, server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


def _send(base: str, path: str, body: dict[str, object], cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(
        base + path,
        json.dumps(body).encode(),
        {"Content-Type": "application/json", "Cookie": cookie},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            cookies = answer.headers.get_all("Set-Cookie") or []
            found = [c.split(";")[0] for c in cookies if c.startswith("hinge_session=")]
            return answer.status, "; ".join(found)
    except urllib.error.HTTPError as error:
        return error.code, ""


def _learner(base: str, n: int) -> str:
    email, password = f"crash{n}@example.com", "crash test password"
    status, cookie = _send(
        base, "/api/v1/signup", {"email": email, "password": password, "name": f"C{n}"}
    )
    assert status in (200, 201), status
    status, _ = _send(base, "/api/v1/start", {"pain_now": 2, "none_of_these": True}, cookie)
    assert status in (200, 201), status
    return cookie


def _writer(base: str, cookie: str, n: int, acknowledged: list[str], stop: threading.Event) -> None:
    """Sessions and check-ins, each with its own token, until the server dies."""
    k = 0
    while not stop.is_set():
        k += 1
        token = f"c{n}-{k}"
        if k % 2:
            path = "/api/v1/sessions"
            body: dict[str, object] = {
                "pain_before": 1,
                "pain_during": 2,
                "pain_after": 1,
                "seconds": [30],
                "another_today": True,
                "client_token": token,
            }
        else:
            path, body = "/api/v1/checkins", {"pain": 2, "client_token": token}
        try:
            status, _ = _send(base, path, body, cookie)
        except OSError:
            return  # the server is gone
        if status in (200, 201):
            acknowledged.append(token)


def _stored_tokens(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text(
                    "SELECT client_token FROM sessions WHERE client_token IS NOT NULL "
                    "UNION ALL SELECT client_token FROM checkins WHERE client_token IS NOT NULL"
                )
            )
            return [row[0] for row in found]
    finally:
        engine.dispose()


def test_every_acknowledged_write_survives_kill_9_exactly_once(db_url: str, tmp_path: Path) -> None:
    acknowledged: list[str] = []
    stop = threading.Event()
    with _server(db_url, tmp_path) as (base, server):
        cookies = [_learner(base, n) for n in range(CLIENTS)]
        writers = [
            threading.Thread(target=_writer, args=(base, cookie, n, acknowledged, stop))
            for n, cookie in enumerate(cookies)
        ]
        for w in writers:
            w.start()
        time.sleep(3)
        os.killpg(server.pid, signal.SIGKILL)  # mid-write, no warning
        stop.set()
        for w in writers:
            w.join(timeout=30)

    stored = _stored_tokens(db_url)

    assert len(acknowledged) > 20  # the writes really ran at once before the kill
    assert len(stored) == len(set(stored))  # nothing stored twice
    assert set(acknowledged) <= set(stored)  # nothing acknowledged was lost
    with _server(db_url, tmp_path) as (base, _):
        status, _ = _send(
            base,
            "/api/v1/login",
            {"email": "crash0@example.com", "password": "crash test password"},
        )
        assert status == 200  # the same database serves again
