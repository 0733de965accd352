"""API benchmark: the app under load with wrk, against a bare FastAPI endpoint, in one run.

Both servers are started the same way (uvicorn, one worker process per core, no access
log) on this machine, one after the other, and loaded by wrk with 10 connections. The app's
learners each carry two years of daily sessions and morning check-ins (replayed through the
engine, as bench/engine.py does), so every decision reads a full window (rule H1). Requests
go round the learners, signed in with their own session cookies. POST /api/v1/sessions adds
a real session each time (another one today, each with its own form token).

Rows: the bare endpoint; GET /api/v1/me (signed in, nothing else: the floor of any page);
GET /api/v1/today once each process has met each learner (what a learner opening pages
between two writes gets: the whole answer kept while the database's count of writes stands
still, web/kept.py), while another client logs WRITES_PER_SECOND sessions a second (each
write makes every kept answer again, from the learner's kept window), and with nothing kept
(HINGE_CACHE_LEARNERS=0: every page worked out from the database); and the POST.
SQLite by default; BENCH_POSTGRES_URL (a server the role may create databases on) runs the
same on PostgreSQL.

Targets (issue 9), at 10 connections: GET /api/v1/today at least 0.5x the bare endpoint's
requests per second with p99 under 50 ms; POST /api/v1/sessions p99 under 100 ms.
Set BENCH_SECONDS (default 10) for longer runs.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text

from bench.engine import START, replayed
from hingecoach.adapters.db.repositories import ProgrammeRepository
from hingecoach.adapters.db.store import open_store, sqlite_url
from hingecoach.catalog import builtin_catalog
from hingecoach.engine.model import Experience
from hingecoach.services.accounts import Accounts, SignUp
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import StartInput
from hingecoach.services.uow import sql

LEARNERS = 200
PASSWORD = "bench password 1"
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "10"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WORKERS = os.cpu_count() or 1
WRITES_PER_SECOND = 20  # sessions logged elsewhere during the "amid writes" row

# wrk's Lua: each request names the next learner's cookie; POSTs carry a fresh form token.
_SCRIPT = """
cookies = {%(cookies)s}
counter = 0
method = "%(method)s"
threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end
init = function(args)
  counter = id * 100003  -- each thread its own tokens and its own turn round the learners
end
request = function()
  counter = counter + 1
  local headers = {["Cookie"] = cookies[(counter %% #cookies) + 1]}
  if method == "POST" then
    headers["Content-Type"] = "application/json"
    local body = '{"pain_before": 1, "pain_during": 2, "pain_after": 1, "seconds": [45],'
      .. ' "first_set_uncued": true, "another_today": true, "client_token": "b'
      .. tostring(counter) .. '"}'
    return wrk.format("POST", "%(path)s", headers, body)
  end
  return wrk.format("GET", "%(path)s", headers)
end
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %%d, "seconds": %%f, "p50": %%f, "p99": %%f,'
    .. ' "non2xx": %%d, "errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""


@dataclass(frozen=True)
class Load:
    rate: float  # requests per second
    p50: float  # ms
    p99: float  # ms
    failed: int  # answers other than 2xx/3xx, and socket errors


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _database(folder: Path) -> Iterator[str]:
    """A new database for this run: a SQLite file, or with BENCH_POSTGRES_URL (a server the
    role may create databases on) a PostgreSQL database made for the run and dropped after."""
    server = os.environ.get("BENCH_POSTGRES_URL", "").strip()
    if not server:
        yield sqlite_url(folder / "bench.db")
        return
    name = f"hinge_bench_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


def _seed(url: str) -> str:
    """LEARNERS learners with two years each in the database at `url`; the day after.

    The first learner's history is written through the repository, as the app writes it;
    the others get copies of its rows in SQL (writing each through the ORM takes minutes).
    """
    history, today = replayed(730)
    store = open_store(url)
    catalog = builtin_catalog()
    try:
        for n in range(LEARNERS):
            user = Accounts(sql(store)).sign_up(SignUp(f"l{n}@example.com", PASSWORD, f"L{n}"))
            start = StartInput(f"L{n}", "solving-pain", Experience.NEW, 2, frozenset(), age=40)
            Coach(sql(store), catalog, START).start(start, user.id)
        with store.session(write=True) as db:
            repo = ProgrammeRepository(db)
            for s in history.sessions:
                repo.add_session(1, s)
            for c in history.checkins:
                repo.add_checkin(1, c)
            for learner_id in range(1, LEARNERS + 1):
                repo.set_state(learner_id, history.state)
            db.flush()
            for learner_id in range(2, LEARNERS + 1):
                for statement in _COPIES:
                    db.execute(text(statement), {"to": learner_id})
            db.commit()
        _maintain(store.engine)
    finally:
        store.dispose()
    return today.isoformat()


def _maintain(engine: Engine) -> None:
    """Statistics gathered, as on a clinic's database in use (PostgreSQL's autovacuum does
    it after enough changes): else the planner meets 150,000 freshly copied rows blind, and
    the automatic ANALYZE and VACUUM of them land in the middle of the measured load."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")


# The first learner's rows, copied to learner :to (one session a day, so a day finds a set's
# new session).
_SESSION_FIELDS = (
    "day, rung, exercise_id, pain_before, pain_during, pain_after, area, qualities, "
    "burning_faded, first_set_uncued, self_check, faults, fault_basis, note, created_at"
)
_COPIES = (
    f"INSERT INTO sessions (learner_id, {_SESSION_FIELDS}) "
    f"SELECT :to, {_SESSION_FIELDS} FROM sessions WHERE learner_id = 1",
    "INSERT INTO session_sets (session_id, position, reps, seconds, load, rpe) "
    "SELECT copy.id, s.position, s.reps, s.seconds, s.load, s.rpe FROM session_sets s "
    "JOIN sessions origin ON origin.id = s.session_id AND origin.learner_id = 1 "
    "JOIN sessions copy ON copy.learner_id = :to AND copy.day = origin.day",
    "INSERT INTO checkins (learner_id, day, pain, area, qualities, soreness, created_at) "
    "SELECT :to, day, pain, area, qualities, soreness, created_at FROM checkins "
    "WHERE learner_id = 1",
)


@contextmanager
def _serving(command: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/openapi.json", timeout=1)
            except urllib.error.HTTPError:
                break  # answering (404 is an answer)
            except OSError:
                time.sleep(0.2)
                continue
            break
        else:
            raise RuntimeError("the server did not start: " + server.stderr.read().decode())  # type: ignore[union-attr]
        time.sleep(3)  # one process answered: give the others time to finish starting
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _sign_in(base: str, n: int) -> str:
    body = json.dumps({"email": f"l{n}@example.com", "password": PASSWORD}).encode()
    request = urllib.request.Request(
        base + "/api/v1/login", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as answer:
        cookies = [c.split(";")[0] for c in answer.headers.get_all("Set-Cookie")]
    return "; ".join(c for c in cookies if c.startswith("hinge_session="))


def _wrk(
    base: str, path: str, method: str, cookies: list[str], folder: Path, seconds: int = SECONDS
) -> Load:
    script = folder / f"{method}.lua"
    listed = ", ".join(json.dumps(c) for c in cookies) if cookies else '""'
    script.write_text(_SCRIPT % {"cookies": listed, "method": method, "path": path})
    found = subprocess.run(
        [
            "wrk",
            f"-t{min(2, CONNECTIONS)}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "-s",
            str(script),
            base + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(found.strip().splitlines()[-1])
    return Load(
        result["requests"] / result["seconds"],
        result["p50"],
        result["p99"],
        result["non2xx"] + result["errors"],
    )


@contextmanager
def _writing(base: str, cookies: list[str], per_second: int) -> Iterator[None]:
    """Sessions logged at `per_second` by another client while the block runs: each write
    makes every process's kept answers again (web/kept.py), as a busy clinic's would."""
    done = threading.Event()

    def log() -> None:
        n = 0
        while not done.wait(1 / per_second):
            n += 1
            body = json.dumps(
                {
                    "pain_before": 1,
                    "pain_during": 2,
                    "pain_after": 1,
                    "seconds": [45],
                    "another_today": True,
                    "client_token": f"w{n}",
                }
            ).encode()
            headers = {"Content-Type": "application/json", "Cookie": cookies[n % len(cookies)]}
            request = urllib.request.Request(base + "/api/v1/sessions", body, headers)
            with urllib.request.urlopen(request, timeout=10):
                pass

    writer = threading.Thread(target=log, daemon=True)
    writer.start()
    try:
        yield
    finally:
        done.set()
        writer.join(timeout=30)


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: run `make bench` (it installs wrk)")
    with tempfile.TemporaryDirectory() as name, _database(Path(name)) as url:
        folder = Path(name)
        today = _seed(url)
        env = dict(os.environ, HINGE_DATA_DIR=str(folder), HINGE_DATABASE_URL=url)
        env["HINGE_TODAY"] = today
        port = _free_port()
        uvicorn = [sys.executable, "-m", "uvicorn", "--factory", "bench.bare:app"]
        bare_cmd = [*uvicorn, "--port", str(port), "--workers", str(WORKERS)]
        bare_cmd += ["--log-level", "warning", "--no-access-log"]
        with _serving(bare_cmd, env, port) as base:
            bare = _wrk(base, "/bare", "GET", [], folder)
        hinge = [str(Path(sys.executable).parent / "hinge"), "serve", "--port", str(port)]
        hinge += ["--workers", str(WORKERS)]
        with _serving(hinge, dict(env, HINGE_CACHE_LEARNERS="0"), port) as base:
            cookies = [_sign_in(base, n) for n in range(LEARNERS)]
            _wrk(base, "/api/v1/today", "GET", cookies, folder, 2)  # each process opens its pool
            worked_out = _wrk(base, "/api/v1/today", "GET", cookies, folder)
        with _serving(hinge, env, port) as base:
            _wrk(base, "/api/v1/me", "GET", cookies, folder, 2)  # each process opens its pool
            me = _wrk(base, "/api/v1/me", "GET", cookies, folder)
            _wrk(base, "/api/v1/today", "GET", cookies, folder)  # each process meets each learner
            kept = _wrk(base, "/api/v1/today", "GET", cookies, folder)
            with _writing(base, cookies, WRITES_PER_SECOND):
                amid_writes = _wrk(base, "/api/v1/today", "GET", cookies, folder)
            posted = _wrk(base, "/api/v1/sessions", "POST", cookies, folder)
    _report(
        bare,
        [
            ("GET /api/v1/me", me),
            ("GET /api/v1/today, kept", kept),
            (f"GET /api/v1/today, {WRITES_PER_SECOND} logs/s", amid_writes),
            ("GET /api/v1/today, nothing kept", worked_out),
            ("POST /api/v1/sessions", posted),
        ],
    )


def _report(bare: Load, rows: list[tuple[str, Load]]) -> None:
    where = "PostgreSQL" if os.environ.get("BENCH_POSTGRES_URL") else "SQLite"
    print(
        f"API under wrk on {where}: {CONNECTIONS} connections, {SECONDS} s each, {WORKERS} "
        f"server processes, {LEARNERS} learners with two years of history (ratios: this run)"
    )
    for name, load in [("bare FastAPI endpoint", bare), *rows]:
        print(
            f"  {name:32} {load.rate:7.0f} req/s  x{load.rate / bare.rate:5.2f} bare  "
            f"p50 {load.p50:6.1f} ms  p99 {load.p99:6.1f} ms  failed {load.failed}"
        )
    found = dict(rows)
    today, posted = found["GET /api/v1/today, kept"], found["POST /api/v1/sessions"]
    print(
        f"  targets: today >= 0.5x bare ({'met' if today.rate >= 0.5 * bare.rate else 'NOT met'}), "
        f"today p99 < 50 ms ({'met' if today.p99 < 50 else 'NOT met'}), "
        f"sessions p99 < 100 ms ({'met' if posted.p99 < 100 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
