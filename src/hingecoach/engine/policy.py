"""Every threshold the engine uses, in one object a clinician can adjust per learner.

Defaults come from ../shared/domain-rules.md; the comment beside each field names the rule
and the source. [D] marks a design choice with no direct evidence: keep those easy to change.
Every number a learner reads in a reason, a prescription or a guide is formatted from the
learner's own Policy (tests/engine/test_policy_texts.py changes each field and checks).
What each field means to a clinician (label, unit, allowed range, help) is in
engine/policy_fields.py; `adjusted` enforces the ranges written there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

from hingecoach.engine.policy_fields import POLICY_FIELDS
from hingecoach.engine.texts import N_
from hingecoach.errors import ValidationError

__all__ = ["DEFAULT_POLICY", "Policy"]

_PHONE = re.compile(r"^\+?[0-9]{2,15}$")


@dataclass(frozen=True)
class Policy:
    # Pain monitoring (Thomee 1997, Silbernagel 2007) [X]
    pain_during_max: int = 5  # P1/P3: during <= 5 is acceptable, > 5 is red
    pain_after_max: int = 5  # P1: after <= 5
    morning_amber_margin: int = 1  # P2: next morning up to 1 above baseline is amber
    baseline_days: int = 7  # baseline = mean morning pain over the last 7 days
    weekly_rise_margin: float = 0.5  # P3: a weekly mean counts as rising by >= 0.5 point [D]
    flare_days: int = 7  # P4: a flare lasting > 7 days asks for review [D]
    regress_hold_days: int = 7  # P3: stay at least a week at the lower step
    first_step_volume_factor: float = 0.6  # P3: on the first step, cut volume 30-50 % [D]
    deload_reds: int = 2  # D6: two reds within 7 days -> deload [D]
    deload_window_days: int = 7
    deload_factor: float = 0.5  # D6: one week at 50 % volume [D]
    deload_days: int = 7
    # P6: severe pain (7-10 on the 0-10 scale) every morning for a week, whatever the
    # baseline, asks for a review: a baseline that starts high never flags itself [D].
    high_pain_min: int = 7
    high_pain_days: int = 7
    # Symptoms (domain-rules.md, pain monitoring) [D]
    burning_fade_minutes: int = 2  # SX3: burning that fades within 1-2 min of rest is fatigue
    persistent_burning_sessions: int = 3  # SX6: burning that never fades, sessions running [D]
    # Dosing (ACSM 2011, Jay 2011, NSCA) [E/C]
    patterning_gap_days: int = 1  # D1: daily or >= 5 days a week
    patterning_days_per_week: int = 5  # D1: the adherence floor for unloaded steps
    loaded_gap_days: int = 2  # D2-D5: >= 48 h between loaded sessions
    loaded_days_per_week: int = 2  # D2-D5: 2-3 days a week; the floor
    preferred_pain_max: int = 3  # D1: pain <= 3 preferred, <= 5 allowed
    dose_step_up_sessions: int = 2  # D1-D5: green sessions at the low end before the high end [D]
    # Mastery (Winstein 1991, Luomajoki 2007) [C/D]
    mastery_sessions: int = 2  # M: two sessions on different days
    max_faults_per_10: float = 1.0  # M4: at most 1 fault per 10 reps or per minute
    # Loaded progression (NSCA 2-for-2, ACSM 2009)
    two_for_two_sessions: int = 2  # L1: top of the range two sessions running
    # Placement (Berglund 2015: loaded steps gated on lower pain) [C/D]
    placement_pain_unloaded_max: int = 3  # PL3: current pain above 3 -> unloaded steps only
    placement_pain_first_rung: int = 6  # PL3: pain 6 or more -> start at the first step
    # Outcomes [E]: < 30 % better by about 6 weeks -> suggest review (S-C2, run by itself)
    review_weeks: int = 6
    review_improvement: float = 0.30
    review_pain_min: int = 3  # S-C2: below 3/10 at the start there is little to improve [D]
    # H1: the engine judges the last 90 days; older sessions and check-ins are history, not
    # evidence (the flare rule looks back 60 days, weekly trends 21), so a decision costs the
    # same at two years as at one week. Warning signs not yet cleared count whatever their
    # age [D].
    horizon_days: int = 90
    # The clinic's view [D]: the article ladders expect a step to take one to three weeks.
    stuck_days: int = 28  # on one step this long, with sessions logged: "stuck"
    regress_window_days: int = 14  # a step back within this many days: "stepping back"
    # Where to get help is per country (catalog/data/countries.toml sets these per learner);
    # the defaults name the common numbers. The numbers make the tap-to-call links. The
    # lines are said in the reader's language where they are read (screening.py).
    emergency_line: str = N_(
        "Call your local emergency number (999 in the UK, 112 in the EU, 911 in the US)"
    )
    urgent_line: str = N_(
        "call your doctor's surgery, or an urgent advice line such as 111 in the UK"
    )
    emergency_number: str = "112"
    urgent_number: str = ""

    def adjusted(self, **changes: Any) -> Policy:
        """Return a copy with some thresholds changed; unknown names and bad types refused."""
        known = {f.name: f for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                allowed = ", ".join(known)
                raise ValidationError("policy field", N_("one of {allowed}"), name, allowed=allowed)
            _check_value(name, getattr(self, name), value)
        return replace(self, **changes)

    def restored(self, **stored: Any) -> Policy:
        """A learner's thresholds as they were stored: a name this version no longer has is
        dropped, and a value set before its range was narrowed is kept as it was (the
        clinician sees it and can change it) rather than making the learner unreadable."""
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in stored.items() if k in known})


def _check_value(name: str, current: object, value: object) -> None:
    if name.endswith("_number"):
        if not isinstance(value, str) or not (value == "" or _PHONE.match(value)):
            raise ValidationError(name, N_("a phone number of digits (or empty)"), value)
    elif isinstance(current, str):
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(name, N_("non-empty text"), value)
    elif (
        not isinstance(value, (int, float))
        or isinstance(value, bool)
        or not POLICY_FIELDS[name].allows(value)
    ):
        info = POLICY_FIELDS[name]
        low, high = f"{info.low or 0:g}", None if info.high is None else f"{info.high:g}"
        if high is None:
            raise ValidationError(name, N_("a number {low} or more"), value, low=low)
        raise ValidationError(name, N_("a number {low}-{high}"), value, low=low, high=high)


DEFAULT_POLICY = Policy()
