"""Accounts: sign-up, sign-in, throttling, sign-out, password change, CSRF and who sees what."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from hingecoach.adapters.db.store import Store
from hingecoach.services.accounts import Accounts
from hingecoach.services.uow import sql
from hingecoach.settings import load_settings, web_secret

from .conftest import PASSWORD, csrf, post_form, sign_up, start_learner


def test_a_new_learner_signs_up_and_lands_on_the_safety_screen(client: TestClient) -> None:
    response = sign_up(client, "ana@example.com")

    assert response.headers["location"] == "/start"
    assert "Do you have any of these right now?" in client.get("/start").text


def test_a_page_without_a_session_redirects_to_sign_in(client: TestClient) -> None:
    response = client.get("/today")

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/today"


def test_the_api_without_a_session_answers_401(client: TestClient) -> None:
    response = client.get("/api/v1/today")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_signed_in"


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(
    client: TestClient, other: TestClient
) -> None:
    start_learner(client)
    token = csrf(other)
    good = other.post(
        "/login?next=/history",
        data={"email": "ana@example.com", "password": PASSWORD, "csrf_token": token},
    )
    assert good.headers["location"] == "/history"
    other.cookies.clear()
    token = csrf(other)
    evil = other.post(
        "/login?next=//evil.example/x",
        data={"email": "ana@example.com", "password": PASSWORD, "csrf_token": token},
    )
    assert evil.headers["location"] == "/today"


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(client: TestClient) -> None:
    response = client.post(
        "/signup", data={"email": "x@example.com", "password": PASSWORD, "name": "X"}
    )

    assert response.status_code == 403
    assert (
        client.post(
            "/api/v1/login", json={"email": "x@example.com", "password": PASSWORD}
        ).status_code
        == 401
    )


def test_five_wrong_passwords_lock_the_address_for_a_while(
    client: TestClient, other: TestClient
) -> None:
    sign_up(client, "ana@example.com")
    for _ in range(5):
        wrong = other.post(
            "/api/v1/login", json={"email": "ana@example.com", "password": "wrong password"}
        )
        assert wrong.status_code == 401
    locked = other.post("/api/v1/login", json={"email": "ana@example.com", "password": PASSWORD})

    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "too_many_attempts"


def test_a_wrong_password_on_the_sign_in_page_says_so_without_naming_which(
    client: TestClient,
) -> None:
    response = post_form(
        client, "/login", {"email": "nobody@example.com", "password": "whatever123"}
    )

    assert response.status_code == 401
    assert "the email or the password is wrong" in response.text


def test_signing_out_ends_the_session(client: TestClient) -> None:
    start_learner(client)
    post_form(client, "/logout", {}, "/me")

    assert client.get("/api/v1/today").status_code == 401


def test_a_password_change_ends_every_other_session(client: TestClient, other: TestClient) -> None:
    start_learner(client)
    assert (
        other.post(
            "/api/v1/login", json={"email": "ana@example.com", "password": PASSWORD}
        ).status_code
        == 200
    )
    response = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        "/me",
    )

    assert response.status_code == 303
    assert client.get("/api/v1/today").status_code == 200
    assert other.get("/api/v1/today").status_code == 401


def test_a_short_password_is_refused_naming_the_field_and_the_range(client: TestClient) -> None:
    response = client.post(
        "/api/v1/signup", json={"email": "b@example.com", "password": "short", "name": "B"}
    )

    error = response.json()["error"]
    assert response.status_code == 422
    assert (error["field"], error["expected"]) == ("password", "10-128 characters")


def test_the_same_email_cannot_sign_up_twice(client: TestClient, other: TestClient) -> None:
    sign_up(client, "ana@example.com")
    response = other.post(
        "/api/v1/signup", json={"email": "ANA@example.com", "password": PASSWORD, "name": "Ana"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "email"


def test_a_learner_cannot_open_clinician_pages(client: TestClient) -> None:
    start_learner(client)

    assert client.get("/clinic").status_code == 403
    assert client.get("/api/v1/clinic").status_code == 403


def test_a_clinician_sees_only_their_own_clinics_learners(
    client: TestClient, other: TestClient
) -> None:
    start_learner(client)
    learner_id = client.get("/api/v1/me").json()
    sign_up(other, "dr.lee@example.com", role="clinician")
    roster = other.get("/api/v1/clinic").json()

    assert roster["learners"] == []
    assert learner_id["has_programme"]
    for url in (
        "/clinic/learners/1",
        "/api/v1/clinic/learners/1",
        "/clinic/learners/1/charts/pain.svg",
    ):
        assert other.get(url).status_code == 404, url
    response = other.post("/api/v1/clinic/learners/1/step", json={"step": 5, "reason": "test"})
    assert response.status_code == 404


def test_an_invited_learner_joins_the_clinic_and_the_clinician_sees_them(
    client: TestClient, other: TestClient
) -> None:
    sign_up(other, "dr.lee@example.com", role="clinician")
    invite = other.post("/api/v1/clinic/invites", json={"role": "learner"}).json()
    assert invite["link"].endswith(f"/signup?invite={invite['code']}")
    start_learner(client, invite_code=invite["code"])

    roster = other.get("/api/v1/clinic").json()["learners"]
    assert [r["name"] for r in roster] == ["Ana"]
    page = other.get(roster[0]["url"])
    assert page.status_code == 200
    assert "Set the step" in page.text


def test_an_invite_code_works_once(client: TestClient, other: TestClient, store: object) -> None:
    sign_up(other, "dr.lee@example.com", role="clinician")
    code = other.post("/api/v1/clinic/invites", json={"role": "learner"}).json()["code"]
    sign_up(client, "ana@example.com", invite_code=code)
    client.cookies.clear()
    again = client.post(
        "/api/v1/signup",
        json={"email": "ben@example.com", "password": PASSWORD, "name": "Ben", "invite_code": code},
    )

    assert again.status_code == 422
    assert again.json()["error"]["field"] == "invite_code"


def test_deleting_my_account_removes_me_and_my_programme(
    client: TestClient, other: TestClient
) -> None:
    start_learner(client)
    response = post_form(client, "/me/delete", {"password": PASSWORD}, "/me")

    assert response.status_code == 200
    assert "Your account is deleted" in response.text
    assert client.get("/api/v1/today").status_code == 401
    sign_in = other.post("/api/v1/login", json={"email": "ana@example.com", "password": PASSWORD})
    assert sign_in.status_code == 401


def test_my_data_exports_as_json_and_csv(client: TestClient) -> None:
    start_learner(client)
    client.post(
        "/api/v1/sessions",
        json={"pain_before": 2, "pain_during": 3, "pain_after": 2, "seconds": [30, 30]},
    )
    exported = client.get("/me/export.json").json()
    table = client.get("/me/export.csv").text.splitlines()

    assert exported["account"]["email"] == "ana@example.com"
    assert len(exported["sessions"]) == 1
    assert table[0].startswith("date,step,exercise")
    assert len(table) == 3  # a header and one row per set


def test_an_admin_sees_the_learners_of_every_clinic(
    client: TestClient, other: TestClient, store: Store
) -> None:
    sign_up(other, "dr.lee@example.com", role="clinician")
    code = other.post("/api/v1/clinic/invites", json={"role": "learner"}).json()["code"]
    start_learner(client, invite_code=code)
    Accounts(sql(store)).make_admin("boss@example.com", PASSWORD, "Boss", "Head office")
    other.post("/api/v1/logout")
    other.post("/api/v1/login", json={"email": "boss@example.com", "password": PASSWORD})

    names = [r["name"] for r in other.get("/api/v1/clinic").json()["learners"]]
    assert names == ["Ana"]


def test_an_unknown_country_is_refused_naming_the_known_ones(client: TestClient) -> None:
    response = client.post(
        "/api/v1/signup",
        json={"email": "a@example.com", "password": PASSWORD, "name": "A", "country": "XX"},
    )

    error = response.json()["error"]
    assert (response.status_code, error["field"]) == (422, "country")
    assert "GB" in error["expected"]


def test_the_generated_secret_key_is_kept_owner_only_and_reused(tmp_path: Path) -> None:
    settings = load_settings(env={"HINGE_DATA_DIR": str(tmp_path)})
    first, second = web_secret(settings), web_secret(settings)

    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_copied_cookie_stops_working_once_the_owner_signs_out(
    client: TestClient, other: TestClient
) -> None:
    start_learner(client)
    other.cookies.update(client.cookies)  # someone copied the session cookie
    assert other.get("/api/v1/today").status_code == 200

    client.post("/api/v1/logout")

    assert other.get("/api/v1/today").status_code == 401


def test_a_lock_says_when_it_ends_and_the_owners_own_browser_still_gets_in(
    client: TestClient, other: TestClient
) -> None:
    sign_up(client, "ana@example.com")  # the owner's browser, remembered at sign-up
    client.post("/api/v1/logout")
    for _ in range(6):  # a stranger hammers the address
        other.post("/api/v1/login", json={"email": "ana@example.com", "password": "guess guess"})
    locked = other.post("/api/v1/login", json={"email": "ana@example.com", "password": PASSWORD})

    assert locked.status_code == 429
    assert "try again after" in locked.json()["error"]["message"]
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    owner = client.post("/api/v1/login", json={"email": "ana@example.com", "password": PASSWORD})
    assert owner.status_code == 200


def test_one_client_trying_many_addresses_is_held_too(client: TestClient) -> None:
    answers = [
        client.post(
            "/api/v1/login", json={"email": f"user{n}@example.com", "password": "guess guess"}
        ).status_code
        for n in range(32)
    ]

    assert answers[:30] == [401] * 30
    assert answers[30:] == [429, 429]


def test_many_people_signing_in_from_one_network_are_not_held(client: TestClient) -> None:
    """Only failures count against a client: a clinic's Wi-Fi, or a phone carrier's shared
    address, carries many people who sign in correctly."""
    for n in range(35):
        sign_up(client, f"user{n}@example.com")
        client.post("/api/v1/logout")
    answers = [
        client.post(
            "/api/v1/login", json={"email": f"user{n}@example.com", "password": PASSWORD}
        ).status_code
        for n in range(35)
    ]
    guesses = [
        client.post(
            "/api/v1/login", json={"email": f"user{n}@example.com", "password": "guess guess"}
        ).status_code
        for n in range(31)
    ]

    assert answers == [200] * 35
    assert guesses == [401] * 30 + [429]
