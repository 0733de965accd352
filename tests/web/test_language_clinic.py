"""The clinician's words built in Python have their Spanish: each threshold's label, unit and
help (engine/policy_fields.py) and each alert's title (schemas/clinic.py), and they are
shown in the reader's language while their English stays as it was."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hingecoach.adapters.db.records import ChangeRecord
from hingecoach.adapters.locale import translator
from hingecoach.engine.attention import Alert, AlertKind
from hingecoach.engine.policy import DEFAULT_POLICY
from hingecoach.engine.policy_fields import POLICY_FIELDS
from hingecoach.language import speaking
from hingecoach.schemas.clinic import (
    ALERT_TITLES,
    AlertPublic,
    PolicyValue,
    change_words,
)

SPANISH = translator("es")


@pytest.mark.parametrize("name", sorted(POLICY_FIELDS))
def test_every_threshold_has_its_spanish(name: str) -> None:
    info = POLICY_FIELDS[name]
    missing = [w for w in (info.label, info.unit, info.help) if SPANISH.gettext(w) == w]
    assert missing == []


@pytest.mark.parametrize("kind", list(ALERT_TITLES))
def test_every_alert_title_has_its_spanish(kind: AlertKind) -> None:
    assert SPANISH.gettext(ALERT_TITLES[kind]) != ALERT_TITLES[kind]


def test_a_threshold_is_shown_in_the_readers_language() -> None:
    english = PolicyValue.of(DEFAULT_POLICY, "pain_during_max", adjusted=False)
    assert (english.label, english.unit) == ("Pain-during limit", "points on the 0-10 pain scale")
    with speaking(SPANISH):
        spanish = PolicyValue.of(DEFAULT_POLICY, "pain_during_max", adjusted=False)
        days = PolicyValue.of(DEFAULT_POLICY, "baseline_days", adjusted=False)
    assert spanish.label == "Límite de dolor durante la sesión"
    assert (spanish.field, spanish.value, spanish.allowed) == ("pain_during_max", 5, "0-10")
    assert days.allowed == "0 o más"


def test_an_alert_and_a_change_are_written_in_the_readers_language() -> None:
    alert = next(iter(AlertKind))
    with speaking(SPANISH):
        title = AlertPublic.of(Alert(alert, "x", date(2026, 3, 2))).title
    assert title == SPANISH.gettext(ALERT_TITLES[alert])
    change = ChangeRecord(
        by="Dr Lee",
        kind="policy",
        detail={"pain_during_max": [5, 4]},
        reason="flares easily",
        created_at=datetime(2026, 11, 30, 14, 16, tzinfo=UTC),
    )
    said = "Pain-during limit 5 → 4, by Dr Lee, 30 Nov 2026 14:16 UTC: flares easily"
    assert change_words(change) == said
    with speaking(SPANISH):
        dicho = change_words(change)
    assert dicho == (
        "Límite de dolor durante la sesión 5 → 4, por Dr Lee, 30 nov 2026 14:16 UTC: flares easily"
    )
