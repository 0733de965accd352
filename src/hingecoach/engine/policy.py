"""Every threshold the engine uses, in one object a clinician can adjust per learner.

Defaults come from ../shared/domain-rules.md; the comment beside each field names the rule
and the source. [D] marks a design choice with no direct evidence: keep those easy to change.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from hingecoach.errors import ValidationError

__all__ = ["DEFAULT_POLICY", "Policy"]


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
    # Dosing (ACSM 2011, Jay 2011, NSCA) [E/C]
    patterning_gap_days: int = 1  # D1: daily or >= 5 days a week
    loaded_gap_days: int = 2  # D2-D5: >= 48 h between loaded sessions
    preferred_pain_max: int = 3  # D1: pain <= 3 preferred, <= 5 allowed
    # Mastery (Winstein 1991, Luomajoki 2007) [C/D]
    mastery_sessions: int = 2  # M: two sessions on different days
    max_faults_per_10: float = 1.0  # M4: at most 1 fault per 10 reps or per minute
    # Loaded progression (NSCA 2-for-2, ACSM 2009)
    two_for_two_sessions: int = 2  # L1: top of the range two sessions running
    # Placement (Berglund 2015: loaded steps gated on lower pain) [C/D]
    placement_pain_unloaded_max: int = 3  # PL3: current pain above 3 -> unloaded steps only
    placement_pain_first_rung: int = 6  # PL3: pain 6 or more -> start at the first step
    # Outcomes [E]
    review_weeks: int = 6  # O: < 30 % better by about 6 weeks -> suggest review
    review_improvement: float = 0.30
    # Where to get help is per country (catalog/data/countries.toml sets both per learner);
    # these defaults name the common numbers.
    emergency_line: str = (
        "Call your local emergency number (999 in the UK, 112 in the EU, 911 in the US)"
    )
    urgent_line: str = "call your doctor's surgery, or an urgent advice line such as 111 in the UK"

    def adjusted(self, **changes: Any) -> Policy:
        """Return a copy with some thresholds changed; unknown names and bad types refused."""
        known = {f.name: f for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValidationError("policy field", f"one of {', '.join(known)}", name)
            if isinstance(getattr(self, name), str):
                if not isinstance(value, str) or not value.strip():
                    raise ValidationError(name, "non-empty text", value)
            elif not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ValidationError(name, "a number >= 0", value)
        return replace(self, **changes)


DEFAULT_POLICY = Policy()
