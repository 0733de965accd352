"""The learner's pages, through the HTML forms and their JSON twins."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.web import account

from .conftest import (
    LEARNER_PAGES,
    START,
    TODAY,
    form_token,
    make_client,
    post_form,
    sign_up,
    start_learner,
)

SESSION = {"pain_before": "2", "pain_during": "3", "pain_after": "2", "seconds": ["30", "30"]}


def _log(client: TestClient, **changes: object) -> object:
    page = client.get("/log").text
    data: dict[str, object] = {**SESSION, "client_token": form_token(page)} | changes
    return post_form(client, "/log", data, "/log")


def test_placement_shows_the_first_step_and_the_rules_behind_it(client: TestClient) -> None:
    sign_up(client, "ana@example.com")
    response = post_form(client, "/start", START, "/start")

    assert "Your first step: step 1" in response.text
    assert "PL4" in response.text


@pytest.mark.parametrize(
    ("country", "flag", "words"),
    [
        ("GB", "S-A2", "Call 999 or go to A&amp;E now"),
        ("AU", "S-A2", "Call 000"),
        ("US", "S-B4", "urgent care clinic"),
    ],
)
def test_a_warning_sign_stops_placement_with_the_countrys_help_line(
    client: TestClient, country: str, flag: str, words: str
) -> None:
    sign_up(client, "ana@example.com", country=country)
    response = post_form(client, "/start", START | {"none_of_these": "", "flags": flag}, "/start")

    assert response.status_code == 200
    assert words in response.text
    assert client.get("/api/v1/today").json()["stopped"] is True


def test_an_unanswered_safety_screen_is_refused_and_nothing_is_stored(client: TestClient) -> None:
    sign_up(client, "ana@example.com")
    response = post_form(client, "/start", START | {"none_of_these": ""}, "/start")

    assert response.status_code == 422
    assert "flags" in response.text
    assert client.get("/api/v1/today").status_code == 409  # still no programme


def test_today_says_what_how_much_and_why(client: TestClient) -> None:
    start_learner(client)
    today = client.get("/api/v1/today").json()
    html = client.get("/today").text

    assert today["prescription"]["name"] == "Hero squat"
    for text in (
        today["prescription"]["how_many"],
        "How to do it",
        "Check yourself",
        "Why this, today",
    ):
        assert text in html


def test_the_timer_page_plays_the_engines_schedule(client: TestClient) -> None:
    start_learner(client)
    timer = client.get("/api/v1/timer").json()

    kinds = [p["kind"] for p in timer["phases"]]
    assert kinds == ["ready", "work", "rest", "work"]
    assert 'src="/static/timer.js"' in client.get("/timer").text


def test_a_logged_session_shows_the_decision_at_once(client: TestClient) -> None:
    start_learner(client)
    response = _log(client)

    assert response.status_code == 200
    assert "Your session is saved" in response.text
    assert "Why" in response.text


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("pain_during", "11", "Worst pain during the exercise"),
        ("pain_before", "-1", "Pain before you started"),
        ("pain_after", "lots", "Pain just after"),
        ("seconds", ["30", "9999"], "Your sets, set 2"),
        ("area", "elbow", "Where did you feel it?"),
        ("day", "2030-01-01", "Date"),
    ],
)
def test_an_out_of_range_session_field_is_named_and_nothing_is_stored(
    client: TestClient, field: str, value: object, named: str
) -> None:
    start_learner(client)
    response = _log(client, **{field: value})

    assert response.status_code == 422
    assert f"<strong>{named}</strong>" in response.text
    assert client.get("/api/v1/history").json()["sessions"] == []


def test_a_self_check_question_left_unanswered_is_named_and_the_form_kept(
    client: TestClient,
) -> None:
    start_learner(client)
    answers = {"self_check.0": "true", "self_check.2": "false", "note": "stiff after sitting"}
    response = _log(client, **answers)

    assert response.status_code == 422
    assert "<strong>Your form check, question 2</strong>: answer Yes or No." in response.text
    assert 'name="self_check.0" value="true" required checked' in response.text
    assert 'name="self_check.2" value="false" checked' in response.text
    assert 'name="pain_during" value="3" required checked' in response.text
    assert "stiff after sitting</textarea>" in response.text
    assert client.get("/api/v1/history").json()["sessions"] == []


def test_the_json_api_names_the_bad_field_with_its_range(client: TestClient) -> None:
    start_learner(client)
    response = client.post(
        "/api/v1/sessions",
        json={"pain_before": 2, "pain_during": 12, "pain_after": 2, "seconds": [30]},
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["field"], error["received"]) == ("pain_during", 12)
    assert "10" in error["expected"]
    assert client.get("/api/v1/history").json()["sessions"] == []


def test_a_double_submitted_session_form_stores_one_session(client: TestClient) -> None:
    start_learner(client)
    page = client.get("/log").text
    data = {**SESSION, "client_token": form_token(page)}
    first = post_form(client, "/log", data, "/log")
    second = post_form(client, "/log", data, "/log")

    assert first.status_code == 200
    assert second.status_code == 409
    assert "already saved" in second.text
    assert len(client.get("/api/v1/history").json()["sessions"]) == 1


def test_a_next_morning_check_in_judges_the_session(
    client: TestClient, store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    start_learner(client)
    _log(client)
    with make_client(store, catalog, tmp_path, TODAY + timedelta(days=1)) as morning:
        morning.cookies.update(client.cookies)
        response = post_form(morning, "/checkin", {"pain": "8"}, "/checkin")
        assert response.status_code == 200
        assert "Step back" in response.text or "Stay on this step" in response.text
    decision = client.get("/api/v1/history").json()["decisions"][-1]
    assert decision["trigger"] == "checkin"
    assert decision["light"] == "red"


def test_a_weekly_screen_with_a_flag_stops_the_programme(client: TestClient) -> None:
    start_learner(client)
    response = post_form(client, "/screen", {"flags": "S-A5"}, "/screen")

    assert "Get emergency care now" in response.text
    assert client.get("/api/v1/today").json()["stopped"] is True


def test_history_draws_three_charts_as_svg(client: TestClient) -> None:
    start_learner(client)
    _log(client)
    charts = client.get("/api/v1/history").json()["charts"]

    for url in charts.values():
        response = client.get(url)
        assert response.headers["content-type"] == "image/svg+xml"
        assert response.text.startswith("<svg")
        assert 'aria-label="' in response.text
    assert client.get("/charts/other.svg").status_code == 422


def test_the_ladder_page_shows_where_i_am_and_what_unlocks_the_next_step(
    client: TestClient,
) -> None:
    start_learner(client)
    ladder = client.get("/api/v1/ladder").json()

    assert [s["status"] for s in ladder["steps"]][:2] == ["current", "ahead"]
    assert ladder["next"]["step"] == 2
    assert ladder["unlock"]


def test_every_page_has_a_json_twin_with_the_same_data(client: TestClient) -> None:
    start_learner(client)
    pages = [p for p in LEARNER_PAGES if p != "/no-such-page"]
    for path in pages:
        assert client.get(path).status_code == 200, path
        assert client.get(f"/api/v1{path}").headers["content-type"] == "application/json", path


def test_pages_load_nothing_from_other_hosts(client: TestClient) -> None:
    start_learner(client)
    for path in ("/", "/today", "/timer", "/log", "/history", "/ladder", "/me"):
        html = client.get(path).text
        external = re.findall(r'(?:src|href)="(https?:)?//', html)
        assert not external, path
    response = client.get("/today")
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_the_openapi_document_lists_the_api(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    for path in ("/api/v1/today", "/api/v1/sessions", "/api/v1/checkins", "/api/v1/clinic"):
        assert path in paths
    assert "/today" not in paths


def test_a_stop_offers_the_countrys_number_to_tap(client: TestClient) -> None:
    sign_up(client, "ana@example.com", country="GB")
    placed = post_form(client, "/start", START | {"none_of_these": "", "flags": "S-A2"}, "/start")

    assert 'href="tel:999"' in placed.text
    assert 'href="tel:999"' in client.get("/today").text
    assert client.get("/api/v1/today").json()["programme"]["call"]["number"] == "999"


def test_a_learner_reads_no_rule_id_or_engine_word_outside_the_folded_detail(
    client: TestClient,
) -> None:
    start_learner(client)
    pages = {path: client.get(path).text for path in ("/today", "/ladder", "/history")}
    pages["outcome"] = _log(client).text

    for name, html in pages.items():
        shown = re.sub(r"<details class=\"in-detail\">.*?</details>", "", html, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", shown)
        for word in ("PL4", "PL5", "P1", "D1", "M1", "pending", "loaded", "seeds/"):
            assert not re.search(rf"\b{re.escape(word)}", text), (name, word)
    assert "Why, in detail" in pages["/today"]


def test_onboarding_ticks_the_kit_nearly_every_home_has(client: TestClient) -> None:
    sign_up(client, "ana@example.com")
    html = client.get("/start").text

    ticked = set(re.findall(r'name="equipment" value="(\w+)" checked', html))

    assert ticked == {"mat", "wall"}  # the catalog's `usual` kit, not the kettlebell


def test_the_offline_workers_cache_is_named_after_the_static_files(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release that changes a script names a new cache, so phones drop last release's
    copies instead of serving them first."""
    served = client.get("/sw.js").text
    assert f'const CACHE = "{account.worker_cache()}";' in served
    copy = tmp_path / "static"
    shutil.copytree(Path(str(account._STATIC)), copy)
    monkeypatch.setattr(account, "_STATIC", copy)
    same = account.worker_cache()
    (copy / "live_reps.js").write_text("// another release\n", encoding="utf-8")
    assert account.worker_cache() != same
