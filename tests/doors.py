"""Three doors into one programme: the web form, the JSON API and the `hinge` command.

A journey test takes a `Door` and drives a learner through it; the same test runs once per
door, so the three can never disagree. Every door speaks the same small language:

    door.start(pain=3)               answer the safety screen and get placed
    door.log(pain_during=7, ...)     log a session (fields as the JSON API names them)
    door.checkin(2)                  next-morning check-in
    door.screen("S-A1")              weekly re-screen
    door.today() / door.ladder()     what the learner reads (text) and its data (JSON)
    door.kit("mat", "wall")          say what the learner has at home now
    door.questionnaire("odi", [...]) fill in an outcome questionnaire; door.outcomes() reads them
    door.clear("Dr Lee", examined)   a clinician's clearance, as that door records one
    door.day = date(...)             move the door's clock

A `Reply` says whether the door accepted the input and what the person read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from hingecoach.adapters.db.store import Store, open_store, sqlite_url
from hingecoach.catalog import Catalog
from hingecoach.services.care import Care
from hingecoach.services.coach import Coach
from hingecoach.services.uow import sql
from tests.test_cli import Hinge
from tests.web.conftest import PASSWORD, csrf, form_token, make_client

START_DAY = date(2026, 3, 2)
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def page_text(html: str) -> str:
    """What a person reads on a page: tags stripped, entities decoded, spaces folded."""
    body = html.split("<main", 1)[-1]
    return _SPACE.sub(" ", unescape(_TAGS.sub(" ", body))).strip()


@dataclass(frozen=True)
class Reply:
    ok: bool
    status: int  # HTTP status, or for the CLI 200 (exit 0) and 409/422 (exit 1)
    text: str  # what the person reads
    data: dict[str, Any] | None = None  # the JSON answer, where the door gives one
    raw: str = ""  # the page's HTML, for the web form

    @property
    def code(self) -> str | None:
        error = (self.data or {}).get("error")
        return error.get("code") if isinstance(error, dict) else None


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _csrf(client: TestClient, html: str) -> str:
    """The session's form token, from the page or (a page with no form) from /me."""
    found = _CSRF.search(html) or _CSRF.search(client.get("/me").text)
    assert found, "no CSRF field"
    return found.group(1)


def _form_fields(values: dict[str, Any]) -> dict[str, Any]:
    """JSON field values as a browser posts them: booleans as 'true', lists repeated."""
    fields: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or value is False:
            continue
        if value is True:
            fields[key] = "true"
        elif isinstance(value, list):
            fields[key] = [str(v) for v in value]
        else:
            fields[key] = str(value)
    return fields


class _WebBase:
    """A learner in a clinic, and the clinician who looks after them, on one server."""

    name = "web"

    def __init__(self, store: Store, catalog: Catalog, tmp_path: Path) -> None:
        self.learner = make_client(store, catalog, tmp_path, START_DAY)
        self.clinician = make_client(store, catalog, tmp_path, START_DAY)
        self.store = store
        self._day = START_DAY
        self.learner_id: int | None = None

    @property
    def day(self) -> date:
        return self._day

    @day.setter
    def day(self, value: date) -> None:
        self._day = value
        for client in (self.learner, self.clinician):
            hinge = client.app.state.hinge  # type: ignore[attr-defined]
            settings = replace(hinge.settings, today_override=value)
            client.app.state.hinge = replace(hinge, settings=settings)  # type: ignore[attr-defined]

    def _signup(self, client: TestClient, email: str, **extra: str) -> None:
        data = {"email": email, "password": PASSWORD, "name": extra.pop("name", "Sam")} | extra
        response = client.post("/signup", data=data | {"csrf_token": csrf(client, "/signup")})
        assert response.status_code == 303, response.text

    def start(self, pain: int = 3, flags: tuple[str, ...] = (), **extra: Any) -> Reply:
        self._signup(
            self.clinician, "dr.lee@example.com", name="Dr Lee", role="clinician",
            clinic_name="Riverside Physio",
        )  # fmt: skip
        code = self.clinician.post("/api/v1/clinic/invites", json={"role": "learner"})
        self._signup(self.learner, "sam@example.com", invite_code=code.json()["code"])
        reply = self._start(pain, flags, extra)
        learners = self.clinician.get("/api/v1/clinic").json()["learners"]
        self.learner_id = learners[0]["learner_id"] if learners else None
        return reply

    def _start(self, pain: int, flags: tuple[str, ...], extra: dict[str, Any]) -> Reply:
        raise NotImplementedError

    def today(self) -> Reply:
        return self._read("/today")

    def ladder(self) -> Reply:
        return self._read("/ladder")

    def history(self) -> Reply:
        return self._read("/history")

    def _read(self, path: str) -> Reply:
        raise NotImplementedError

    def set_step(self, step: int) -> None:
        response = self.clinician.post(
            f"/api/v1/clinic/learners/{self.learner_id}/step",
            json={"step": step, "reason": "ready for it"},
        )
        assert response.status_code == 200, response.text

    def record(self) -> dict[str, Any]:
        """The clinician's JSON record of this learner."""
        response = self.clinician.get(f"/api/v1/clinic/learners/{self.learner_id}")
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def adjust(self, field: str, value: float) -> None:
        response = self.clinician.post(
            f"/api/v1/clinic/learners/{self.learner_id}/policy",
            json={"field": field, "value": value, "reason": "set for this learner"},
        )
        assert response.status_code == 200, response.text


class WebForm(_WebBase):
    """The HTML pages and their forms, as a browser uses them."""

    name = "web form"

    def _post(self, client: TestClient, url: str, page: str, values: dict[str, Any]) -> Reply:
        html = client.get(page).text
        fields = _form_fields(values) | {"csrf_token": _csrf(client, html)}
        if "client_token" not in values and 'name="client_token"' in html:
            fields["client_token"] = form_token(html)
        response = client.post(url, data=fields)
        ok = response.status_code in (200, 201, 303)
        return Reply(ok, response.status_code, page_text(response.text), raw=response.text)

    def _start(self, pain: int, flags: tuple[str, ...], extra: dict[str, Any]) -> Reply:
        values = {"pain_now": pain, "ladder": "solving-pain", "experience": "new"} | extra
        values |= {"flags": list(flags)} if flags else {"none_of_these": True}
        return self._post(self.learner, "/start", "/start", values)

    def log(self, **values: Any) -> Reply:
        if "reps" not in values:
            values.setdefault("seconds", [30, 30])
        return self._post(self.learner, "/log", "/log", values)

    def log_page(self) -> Reply:
        response = self.learner.get("/log")
        ok = response.status_code == 200
        return Reply(ok, response.status_code, page_text(response.text), raw=response.text)

    def repost_log(self, **values: Any) -> tuple[Reply, Reply]:
        """The same form sent twice (a double tap, or back and submit again)."""
        html = self.learner.get("/log").text
        fields = _form_fields({"seconds": [30, 30]} | values)
        fields |= {"csrf_token": csrf(self.learner, "/log"), "client_token": form_token(html)}
        first = self.learner.post("/log", data=fields)
        second = self.learner.post("/log", data=fields)
        return (
            Reply(first.status_code == 200, first.status_code, page_text(first.text)),
            Reply(second.status_code == 200, second.status_code, page_text(second.text)),
        )

    def back_and_log_again(self, **values: Any) -> Reply:
        """After saving: the browser's back button reloads the form, which is sent again."""
        return self.log(**values)

    def checkin(self, pain: int, **values: Any) -> Reply:
        return self._post(self.learner, "/checkin", "/checkin", {"pain": pain} | values)

    def repost_checkin(self, pain: int) -> tuple[Reply, Reply]:
        html = self.learner.get("/checkin").text
        fields = {"pain": str(pain), "csrf_token": csrf(self.learner, "/checkin")}
        if 'name="client_token"' in html:
            fields["client_token"] = form_token(html)
        first = self.learner.post("/checkin", data=fields)
        second = self.learner.post("/checkin", data=fields)
        return (
            Reply(first.status_code == 200, first.status_code, page_text(first.text)),
            Reply(second.status_code == 200, second.status_code, page_text(second.text)),
        )

    def questionnaire(self, measure: str, values: list[object] = (), **psfs: Any) -> Reply:  # type: ignore[assignment]
        fields: dict[str, Any] = {
            f"values.{n}": "" if v is None else v for n, v in enumerate(values)
        }
        fields |= {k: [str(x) for x in v] for k, v in psfs.items()}
        page = f"/questionnaires/{measure}"
        return self._post(self.learner, page, page, fields)

    def outcomes(self) -> dict[str, Any]:
        return dict(self.learner.get("/api/v1/questionnaires").json())

    def kit(self, *have: str) -> Reply:
        return self._post(self.learner, "/kit", "/kit", {"equipment": list(have)})

    def screen(self, *flags: str) -> Reply:
        values: dict[str, Any] = {"flags": list(flags)} if flags else {"none_of_these": True}
        return self._post(self.learner, "/screen", "/screen", values)

    def _read(self, path: str) -> Reply:
        data = self.learner.get(f"/api/v1{path}").json()
        html = self.learner.get(path).text
        return Reply(True, 200, page_text(html), data, raw=html)

    def clear(self, by: str, examined: date | None, note: str = "seen in clinic") -> Reply:
        """`by` is who signs in: the clinic's clinician clears under their own name."""
        url = f"/clinic/learners/{self.learner_id}"
        values: dict[str, Any] = {"note": note}
        if examined is not None:
            values["examined_on"] = examined.isoformat()
        reply = self._post(self.clinician, f"{url}/clear", url, values)
        return replace(reply, ok=reply.status == 303)


class Api(_WebBase):
    """The JSON API under /api/v1, as another program uses it."""

    name = "json api"

    def _send(self, client: TestClient, url: str, body: dict[str, Any]) -> Reply:
        response = client.post(url, json=body)
        data = response.json() if response.content else {}
        ok = response.status_code in (200, 201)
        return Reply(ok, response.status_code, json.dumps(data), data)

    def _start(self, pain: int, flags: tuple[str, ...], extra: dict[str, Any]) -> Reply:
        body = {"pain_now": pain, "ladder": "solving-pain", "experience": "new"} | extra
        body |= {"flags": list(flags)} if flags else {"none_of_these": True}
        return self._send(self.learner, "/api/v1/start", body)

    def log(self, **values: Any) -> Reply:
        if "reps" not in values:
            values.setdefault("seconds", [30, 30])
        return self._send(self.learner, "/api/v1/sessions", values)

    def repost_log(self, **values: Any) -> tuple[Reply, Reply]:
        body = {"seconds": [30, 30], "client_token": "tap-1"} | values
        return (
            self._send(self.learner, "/api/v1/sessions", body),
            self._send(self.learner, "/api/v1/sessions", body),
        )

    def back_and_log_again(self, **values: Any) -> Reply:
        return self.log(**values)

    def checkin(self, pain: int, **values: Any) -> Reply:
        return self._send(self.learner, "/api/v1/checkins", {"pain": pain} | values)

    def repost_checkin(self, pain: int) -> tuple[Reply, Reply]:
        body = {"pain": pain, "client_token": "morning-1"}
        return (
            self._send(self.learner, "/api/v1/checkins", body),
            self._send(self.learner, "/api/v1/checkins", body),
        )

    def questionnaire(self, measure: str, values: list[object] = (), **psfs: Any) -> Reply:  # type: ignore[assignment]
        body = {"values": list(values)} | psfs
        return self._send(self.learner, f"/api/v1/questionnaires/{measure}", body)

    def outcomes(self) -> dict[str, Any]:
        return dict(self.learner.get("/api/v1/questionnaires").json())

    def kit(self, *have: str) -> Reply:
        response = self.learner.post("/api/v1/kit", json={"equipment": list(have)})
        data = response.json()
        return Reply(response.status_code == 200, response.status_code, json.dumps(data), data)

    def screen(self, *flags: str) -> Reply:
        body: dict[str, Any] = {"flags": list(flags)} if flags else {"none_of_these": True}
        return self._send(self.learner, "/api/v1/screens", body)

    def _read(self, path: str) -> Reply:
        data = self.learner.get(f"/api/v1{path}").json()
        return Reply(True, 200, json.dumps(data), data)

    def clear(self, by: str, examined: date | None, note: str = "seen in clinic") -> Reply:
        body: dict[str, Any] = {"note": note}
        if examined is not None:
            body["examined_on"] = examined.isoformat()
        return self._send(self.clinician, f"/api/v1/clinic/learners/{self.learner_id}/clear", body)


_CLI_FLAGS = {
    "pain_before": "--pain-before",
    "pain_during": "--pain-during",
    "pain_after": "--pain-after",
    "area": "--area",
    "note": "--note",
    "exercise": "--exercise",
    "load": "--load",
    "rpe": "--rpe",
}


class Cli:
    """The `hinge` command, one learner per database file."""

    name = "cli"

    def __init__(self, tmp_path: Path, catalog: Catalog) -> None:
        self.hinge = Hinge(tmp_path)
        self.catalog = catalog
        self.day = START_DAY

    def run(self, *args: str) -> Reply:
        result = self.hinge(*args, HINGE_TODAY=self.day.isoformat())
        status = {0: 200, 1: 409, 2: 400}.get(result.code, 500)
        data = json.loads(result.stdout) if "--json" in args and result.code == 0 else None
        return Reply(result.code == 0, status, result.stdout + result.stderr, data)

    def start(self, pain: int = 3, flags: tuple[str, ...] = (), **extra: Any) -> Reply:
        args = ["start", "--name", "Sam", "--experience", "new", "--pain", str(pain), "--age", "40"]
        args += [a for f in flags for a in ("--flag", f)] or ["--none"]
        return self.run(*args)

    def log(self, **values: Any) -> Reply:
        args = ["log"]
        values = {"pain_before": 1, "pain_during": 2, "pain_after": 1} | values
        seconds = values.pop("seconds", [30, 30])
        args += ["--sets", ",".join(f"{s}s" for s in seconds)]
        if "reps" in values:
            args[-1] = ",".join(str(r) for r in values.pop("reps"))
        for key, value in values.items():
            if key in _CLI_FLAGS:
                args += [_CLI_FLAGS[key], str(value)]
            elif key == "qualities":
                args += ["--quality", ",".join(value)]
            elif key == "self_check":
                args += ["--self-check", ",".join("yes" if v else "no" for v in value)]
            elif key == "first_set_uncued":
                args.append("--uncued" if value else "--cued")
            elif key == "faded" and value:
                args.append("--faded")
            elif key == "another_today" and value:
                args.append("--another")
            elif key == "flags":
                args += [a for f in value for a in ("--flag", f)]
            elif key == "day":
                args += ["--date", str(value)]
        if "first_set_uncued" not in values:
            args.append("--cued")
        return self.run(*args)

    def repost_log(self, **values: Any) -> tuple[Reply, Reply]:
        """A terminal cannot send one command twice; the nearest thing is running it again."""
        return self.log(**values), self.log(**values)

    def back_and_log_again(self, **values: Any) -> Reply:
        return self.log(**values)

    def checkin(self, pain: int, **values: Any) -> Reply:
        args = ["checkin", "--pain", str(pain)]
        if "area" in values:
            args += ["--area", values["area"]]
        if "qualities" in values:
            args += ["--quality", ",".join(values["qualities"])]
        if values.get("soreness"):
            args.append("--soreness")
        return self.run(*args)

    def questionnaire(self, measure: str, values: list[object] = (), **psfs: Any) -> Reply:  # type: ignore[assignment]
        args = ["questionnaire", measure]
        if values:
            args += ["--answers", ",".join("-" if v is None else str(v) for v in values)]
        for name, score in zip(psfs.get("names", []), psfs.get("activities", []), strict=True):
            args += ["--activity", f"{name}={score}"]
        return self.run(*args)

    def outcomes(self) -> dict[str, Any]:
        data = self.run("questionnaire", "--json").data
        assert data is not None
        return data

    def kit(self, *have: str) -> Reply:
        return self.run("kit", "--have", ",".join(have)) if have else self.run("kit", "--nothing")

    def screen(self, *flags: str) -> Reply:
        return self.run("screen", *[a for f in flags for a in ("--flag", f)] or ["--none"])

    def today(self) -> Reply:
        data = self.run("today", "--json").data
        return Reply(True, 200, self.run("today").text, data)

    def ladder(self) -> Reply:
        return Reply(True, 200, self.run("status").text + self.run("today").text)

    def history(self) -> Reply:
        data = self.run("history", "--json").data
        return Reply(True, 200, self.run("history").text, data)

    def clear(self, by: str, examined: date | None, note: str = "seen in clinic") -> Reply:
        args = ["clear", "--by", by, "--note", note]
        if examined is not None:
            args += ["--examined", examined.isoformat()]
        return self.run(*args)

    def _care(self, change: Callable[[Care], object]) -> None:
        """A clinician's change, through the service (the CLI has no clinician commands)."""
        store = open_store(sqlite_url(self.hinge.db))
        try:
            learner_id = Coach(sql(store), self.catalog, self.day).status().today.learner
            assert learner_id
            change(Care(sql(store), self.catalog, self.day, 1))
        finally:
            store.dispose()

    def adjust(self, field: str, value: float) -> None:
        self._care(lambda care: care.adjust_policy({field: value}, "Dr Lee", "for this learner"))

    def set_step(self, step: int) -> None:
        self._care(lambda care: care.override_step(step, "Dr Lee", "ready for it"))


Door = WebForm | Api | Cli
