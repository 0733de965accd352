"""The services' own logic on the hand-written fakes (tests/fakes.py): no database, so these
run in milliseconds. The same use cases run on SQLite and PostgreSQL in test_services.py."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hingecoach.catalog import Catalog
from hingecoach.engine.model import Experience, Light
from hingecoach.errors import (
    AlreadyLoggedTodayError,
    CatalogError,
    ProgrammeStoppedError,
    ThrottledError,
    ValidationError,
)
from hingecoach.services.accounts import Accounts, Role, SignUp
from hingecoach.services.clinic import ClinicService
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import LogInput, StartInput
from tests.fakes import FakeStore

DAY = date(2026, 3, 2)
PASSWORD = "correct horse battery"


def _started(fake: FakeStore, catalog: Catalog, day: date = DAY) -> Coach:
    coach = Coach(fake, catalog, day)
    coach.start(StartInput("Sam", "solving-pain", Experience.NEW, 2, frozenset(), age=40))
    return coach


def _log(day: date = DAY, **changes: object) -> LogInput:
    data = LogInput(day, 1, 2, 1, [(None, 30), (None, 30)])
    return LogInput(**{**data.__dict__, **changes})  # type: ignore[arg-type]


def test_a_stopped_programme_refuses_a_session_and_commits_nothing(catalog: Catalog) -> None:
    fake = FakeStore()
    coach = _started(fake, catalog)
    coach.rescreen(frozenset({"S-A1"}))
    commits = fake.commits

    with pytest.raises(ProgrammeStoppedError) as refused:
        coach.log(_log())

    assert "saddle" in refused.value.reason
    assert fake.commits == commits
    assert fake.data.sessions == []


def test_a_second_session_the_same_day_needs_a_yes(catalog: Catalog) -> None:
    fake = FakeStore()
    coach = _started(fake, catalog)
    coach.log(_log())

    with pytest.raises(AlreadyLoggedTodayError):
        coach.log(_log())
    coach.log(_log(another_today=True))

    assert len(fake.data.sessions) == 2


def test_the_outcome_of_a_log_is_the_light_of_that_session(catalog: Catalog) -> None:
    coach = _started(FakeStore(), catalog)

    outcome = coach.log(_log(pain_during=7))

    assert outcome.session is not None
    assert outcome.session.light is Light.RED
    assert "P3" in outcome.session.rules


def test_a_clearance_names_who_examined_and_when(catalog: Catalog) -> None:
    fake = FakeStore()
    coach = _started(fake, catalog, DAY)
    later = Coach(fake, catalog, DAY + timedelta(days=1))
    later.rescreen(frozenset({"S-B2"}))

    with pytest.raises(ValidationError, match="by"):
        later.clear("myself", "", DAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="examined on"):
        later.clear("Dr Lee", "", DAY)
    assert later.programme().stopped
    later.clear("Dr Lee", "bloods normal", DAY + timedelta(days=1))
    assert not later.programme().stopped
    assert coach.today_view().prescription is not None


def test_five_wrong_passwords_lock_the_address(catalog: Catalog) -> None:
    accounts = Accounts(FakeStore())
    accounts.sign_up(SignUp("ana@example.com", PASSWORD, "Ana"))

    for _ in range(5):
        with pytest.raises(Exception, match="wrong"):
            accounts.sign_in("ana@example.com", "not the password")

    with pytest.raises(ThrottledError):
        accounts.sign_in("ana@example.com", PASSWORD)


def test_an_invite_works_once(catalog: Catalog) -> None:
    accounts = Accounts(FakeStore())
    lee = accounts.sign_up(
        SignUp("lee@example.com", PASSWORD, "Lee", Role.CLINICIAN, clinic_name="Riverside")
    )
    code = accounts.invite(lee).code

    first = accounts.sign_up(SignUp("ana@example.com", PASSWORD, "Ana", invite_code=code))

    assert first.clinic_id == lee.clinic_id
    with pytest.raises(ValidationError, match="invite_code"):
        accounts.sign_up(SignUp("ben@example.com", PASSWORD, "Ben", invite_code=code))


def test_a_clinic_ladder_keeps_its_id_and_never_takes_a_built_in_one(catalog: Catalog) -> None:
    clinic = ClinicService(FakeStore(), catalog, DAY)
    text = '[[ladder]]\nid = "gentle"\nname = "Gentle"\nsource = "Us"\n\n[[ladder.steps]]\nexercise = "hero_squat"\n'

    clinic.save_ladder(1, text, "Dr Lee")

    with pytest.raises(CatalogError, match="built-in"):
        clinic.save_ladder(1, text.replace("gentle", "evolve"), "Dr Lee")
    with pytest.raises(CatalogError, match="cannot change"):
        clinic.save_ladder(1, text.replace('"gentle"', '"other"'), "Dr Lee", replacing="gentle")
    assert [lad.id for lad, _ in clinic.custom_ladders(1)] == ["gentle"]
