"""Accounts as JSON: who is signed in, and everything kept about them (the export)."""

from __future__ import annotations

from typing import Self

from pydantic import Field

from hingecoach.catalog import country
from hingecoach.engine.screening import DISCLAIMER
from hingecoach.language import _
from hingecoach.schemas.base import Public
from hingecoach.schemas.pages import CountryPublic
from hingecoach.schemas.programme import (
    CheckInPublic,
    DecisionRecordPublic,
    HistoryPublic,
    SessionPublic,
    TodayPublic,
)
from hingecoach.services.accounts import Actor
from hingecoach.services.results import StatusView

__all__ = ["AccountPublic", "ExportPublic", "LoginPage", "SignUpPage"]


class ExportLinks(Public):
    json_file: str = Field(serialization_alias="json")
    csv: str


class AccountPublic(Public):
    email: str
    name: str
    role: str
    clinic: str | None
    country: str
    has_programme: bool
    exports: ExportLinks
    language: str | None = None  # the account's choice (en, es); None follows the browser

    @classmethod
    def of(cls, actor: Actor, clinic: str | None) -> Self:
        return cls(
            email=actor.email,
            name=actor.name,
            role=actor.role.value,
            clinic=clinic,
            country=country(actor.country).name,
            has_programme=actor.learner_id is not None,
            exports=ExportLinks(json_file="/me/export.json", csv="/me/export.csv"),
            language=actor.language,
        )


class Who(Public):
    email: str
    name: str
    role: str


class ExportPublic(Public):
    """Everything kept about me: the account and, for a learner, the whole programme."""

    account: Who
    programme: TodayPublic | None = None
    sessions: list[SessionPublic] = Field(default_factory=list)
    checkins: list[CheckInPublic] = Field(default_factory=list)
    decisions: list[DecisionRecordPublic] = Field(default_factory=list)
    # Said when the export is made, in the reader's language (a class default would be the
    # English of import time).
    disclaimer: str = Field(default_factory=lambda: _(DISCLAIMER))

    @classmethod
    def of(cls, actor: Actor, status: StatusView | None) -> Self:
        who = Who(email=actor.email, name=actor.name, role=actor.role.value)
        if status is None:
            return cls(account=who)
        history = HistoryPublic.of(status)
        return cls(
            account=who,
            programme=TodayPublic.of(status.today),
            sessions=history.sessions,
            checkins=history.checkins,
            decisions=history.decisions,
        )


class SignUpPage(Public):
    countries: list[CountryPublic]
    invite_code: str


class LoginPage(Public):
    next: str
