"""Requests at once, on SQLite and PostgreSQL: the limits and unique keys hold, and every
refusal is the answer the rules give (never a database error)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.engine.model import Experience
from hingecoach.errors import AuthError, DuplicateError, ThrottledError, ValidationError
from hingecoach.services.accounts import MAX_FAILURES, Accounts, SignUp
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import LogInput, StartInput
from hingecoach.services.uow import sql

DAY = date(2026, 3, 2)
PASSWORD = "correct horse battery"


def _outcomes(calls: list[object], workers: int = 8) -> list[str]:
    def run(call: object) -> str:
        try:
            call()  # type: ignore[operator]
        except Exception as exc:
            return type(exc).__name__
        return "ok"

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(run, calls))


def test_wrong_passwords_at_once_never_get_past_the_limit(store: Store) -> None:
    accounts = Accounts(sql(store))
    accounts.sign_up(SignUp("ana@example.com", PASSWORD, "Ana"))
    guess = lambda: accounts.sign_in("ana@example.com", "a wrong guess")  # noqa: E731

    found = _outcomes([guess] * 12)

    assert found.count(AuthError.__name__) == MAX_FAILURES
    assert found.count(ThrottledError.__name__) == 12 - MAX_FAILURES


def test_one_form_sent_at_once_is_stored_once(store: Store, catalog: Catalog) -> None:
    coach = Coach(sql(store), catalog, DAY)
    coach.start(StartInput("Sam", "solving-pain", Experience.NEW, 2, frozenset(), age=40))
    data = LogInput(DAY, 1, 2, 1, [(None, 30)], client_token="tap", another_today=True)

    found = _outcomes([lambda: coach.log(data)] * 6)

    assert found.count("ok") == 1
    assert found.count(DuplicateError.__name__) == 5
    assert len(coach.status().sessions) == 1


def test_sessions_of_one_learner_at_once_are_each_stored_and_decided_once(
    store: Store, catalog: Catalog
) -> None:
    """Each log plans without the lock and stores only if nothing changed meanwhile; the
    ones that lose the race plan again, so none is lost and none decides on stale data."""
    Coach(sql(store), catalog, DAY).start(
        StartInput("Sam", "solving-pain", Experience.NEW, 2, frozenset(), age=40)
    )
    coach = Coach(sql(store), catalog, DAY, learner_id=1)
    logs = [
        lambda n=n: coach.log(
            LogInput(DAY, 1, 2, 1, [(None, 30)], client_token=f"t{n}", another_today=True)
        )
        for n in range(6)
    ]

    found = _outcomes(logs)

    assert found == ["ok"] * 6
    assert len(coach.status().sessions) == 6
    with sql(store)() as uow:
        made = uow.programme.decisions(1)
    assert [d.trigger for d in made].count("session") == 6


def test_one_address_signed_up_at_once_gets_one_account(store: Store) -> None:
    accounts = Accounts(sql(store))
    sign_up = lambda: accounts.sign_up(SignUp("ana@example.com", PASSWORD, "Ana"))  # noqa: E731

    found = _outcomes([sign_up] * 6)

    assert found.count("ok") == 1
    assert found.count(ValidationError.__name__) == 5
