"""What each threshold of `Policy` means, for the clinician who adjusts it: a label, a unit,
the allowed range, the rule it serves and one line of help from domain-rules.md.

Pure data beside the Policy. The range is the one `Policy.adjusted` enforces: it reads it
from here, so a range lives in one place, and every door that changes a policy (form, API,
CLI) refuses a value outside it. Every number is 0 or more; pain scores stop at 10, shares
at 1 and days a week at 7 (the table at the end). A value stored before a bound existed is
kept as set (`Policy.restored`), for the clinician to see and change. tests/engine/test_policy_fields.py
fails when a Policy field has no entry here, or an entry names no field.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from hingecoach.engine.texts import num

__all__ = ["POLICY_FIELDS", "FieldInfo"]


@dataclass(frozen=True)
class FieldInfo:
    label: str
    unit: str
    rule: str | None  # the rule id in docs/rules.md it serves; None for the clinic's own
    help: str
    low: float | None = 0  # None for text
    high: float | None = None

    def allows(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    @property
    def allowed(self) -> str:
        """The range in words: '0 or more', '0-10'; empty for text."""
        if self.low is None:
            return ""
        if self.high is None:
            return f"{num(self.low)} or more"
        return f"{num(self.low)}-{num(self.high)}"


_PAIN = "points on the 0-10 pain scale"
_SHARE = "share (0.5 = 50 %)"
_TEXT = "text"

POLICY_FIELDS: dict[str, FieldInfo] = {
    # Pain monitoring (Thomee 1997, Silbernagel 2007) [X]
    "pain_during_max": FieldInfo(
        "Pain-during limit",
        _PAIN,
        "P1/P3",
        "Peak pain during a session up to this can be green; above it is red.",
    ),
    "pain_after_max": FieldInfo(
        "Pain-after limit",
        _PAIN,
        "P1/P2",
        "Pain just after a session up to this can be green; above it is amber.",
    ),
    "morning_amber_margin": FieldInfo(
        "Next-morning margin",
        "points of pain",
        "P2/P3",
        "Next-morning pain up to this far above baseline is amber (hold); further is red.",
    ),
    "baseline_days": FieldInfo(
        "Baseline window",
        "days",
        "P1",
        "Baseline is the mean morning pain over this many days (onboarding pain until then).",
    ),
    "weekly_rise_margin": FieldInfo(
        "Weekly rise",
        "points of pain",
        "P3",
        "A weekly mean pain up by this much is rising; rising two weeks running is red [D].",
    ),
    "flare_days": FieldInfo(
        "Flare length for review",
        "days",
        "P4",
        "A flare above baseline lasting longer than this asks for a clinician's review [D].",
    ),
    "regress_hold_days": FieldInfo(
        "Hold after stepping back",
        "days",
        "P3",
        "After a red step back, the learner stays at least this long on the lower step.",
    ),
    "first_step_volume_factor": FieldInfo(
        "Volume after red on step 1",
        _SHARE,
        "P3",
        "On the first step there is no step back: volume is cut to this share (30-50 % less) [D].",
    ),
    "deload_reds": FieldInfo(
        "Reds before a deload",
        "red sessions",
        "D6",
        "This many red sessions within the deload window start a deload week [D].",
    ),
    "deload_window_days": FieldInfo(
        "Deload window",
        "days",
        "D6",
        "Red sessions are counted over this many days for a deload [D].",
    ),
    "deload_factor": FieldInfo(
        "Deload volume",
        _SHARE,
        "D6",
        "During a deload, volume is cut to this share (one week at 50 %) [D].",
    ),
    "deload_days": FieldInfo("Deload length", "days", "D6", "How long a deload lasts [D]."),
    "high_pain_min": FieldInfo(
        "Severe morning pain",
        _PAIN,
        "P6",
        "Morning pain this high every morning of the window asks for a review, whatever the baseline [D].",
    ),
    "high_pain_days": FieldInfo(
        "Severe pain window",
        "days",
        "P6",
        "Severe morning pain over this many days running asks for a review [D].",
    ),
    # Symptoms [D]
    "burning_fade_minutes": FieldInfo(
        "Burning fade time",
        "minutes",
        "SX3",
        "Burning only in the working muscles that fades within this long of rest is fatigue [D].",
    ),
    "persistent_burning_sessions": FieldInfo(
        "Burning that persists",
        "session days",
        "SX6",
        "Burning that does not fade on this many session days running asks for a review [D].",
    ),
    # Dosing (ACSM 2011, Jay 2011, NSCA) [E/C]
    "patterning_gap_days": FieldInfo(
        "Gap between unloaded sessions",
        "days",
        "D1",
        "Unloaded patterning may be done daily: this many days apart at least.",
    ),
    "patterning_days_per_week": FieldInfo(
        "Unloaded sessions a week",
        "days a week",
        "D1",
        "The adherence target on unloaded steps (daily, or at least 5 days a week).",
    ),
    "loaded_gap_days": FieldInfo(
        "Gap between loaded sessions",
        "days",
        "D2-D5",
        "Loaded sessions need at least this many days between them (48 h, ACSM 2011).",
    ),
    "loaded_days_per_week": FieldInfo(
        "Loaded sessions a week",
        "days a week",
        "D2-D5",
        "The adherence target on loaded steps (2-3 days a week; this is the floor).",
    ),
    "preferred_pain_max": FieldInfo(
        "Preferred pain in patterning",
        _PAIN,
        "D1",
        "Pain up to this during unloaded work is preferred; up to the pain-during limit is allowed.",
    ),
    "dose_step_up_sessions": FieldInfo(
        "Green days before a bigger dose",
        "session days",
        "D1-D5",
        "A step starts at the low end of each range and moves up after this many green days [D].",
    ),
    # Mastery (Winstein 1991, Luomajoki 2007) [C/D]
    "mastery_sessions": FieldInfo(
        "Sessions to master a step",
        "session days",
        "M6",
        "Mastery needs this many green sessions on different days, the first set without cues.",
    ),
    "max_faults_per_10": FieldInfo(
        "Faults allowed",
        "faults per 10 reps or per minute",
        "M4",
        "A mastered set has at most this many faults per 10 reps or per minute.",
    ),
    # Loaded progression (NSCA 2-for-2, ACSM 2009)
    "two_for_two_sessions": FieldInfo(
        "Top-of-range sessions before more load",
        "sessions",
        "L1",
        "The top of the range on every set this many sessions running, 48 h apart, adds load.",
    ),
    # Placement (Berglund 2015) [C/D]
    "placement_pain_unloaded_max": FieldInfo(
        "Placement: loaded steps up to",
        _PAIN,
        "PL3",
        "Pain now above this when placed rules out loaded steps (Berglund 2015).",
    ),
    "placement_pain_first_rung": FieldInfo(
        "Placement: step 1 from",
        _PAIN,
        "PL3",
        "Pain now this high or more when placed starts the learner on the first step.",
    ),
    # Outcomes [E]
    "review_weeks": FieldInfo(
        "Weeks before the progress review",
        "weeks",
        "S-C2",
        "After this many weeks, too little improvement in pain suggests a review.",
    ),
    "review_improvement": FieldInfo(
        "Improvement expected",
        _SHARE,
        "S-C2",
        "Morning pain less than this share better by the review week suggests a review (30 %, Ostelo 2008).",
    ),
    "review_pain_min": FieldInfo(
        "Starting pain for the review",
        _PAIN,
        "S-C2",
        "The progress review runs only when pain at the start was at least this [D].",
    ),
    # The horizon [D]
    "horizon_days": FieldInfo(
        "Decision horizon",
        "days",
        "H1",
        "Decisions read this many days of sessions and check-ins; open warning signs count at any age [D].",
    ),
    # The clinic's view [D]
    "stuck_days": FieldInfo(
        "Stuck after",
        "days",
        None,
        "On one step this long with sessions logged, the roster calls the learner stuck [D].",
    ),
    "regress_window_days": FieldInfo(
        "Stepping-back window",
        "days",
        None,
        "A step back within this many days shows as 'stepping back' on the roster [D].",
    ),
    # Where to get help, per country (catalog/data/countries.toml)
    "emergency_line": FieldInfo(
        "Emergency advice",
        _TEXT,
        "P5",
        "What an emergency stop (S-A signs) tells the learner to do, in their country's words.",
        low=None,
    ),
    "urgent_line": FieldInfo(
        "Urgent advice",
        _TEXT,
        "P5",
        "What an urgent stop (S-B signs) tells the learner to do within a day.",
        low=None,
    ),
    "emergency_number": FieldInfo(
        "Emergency number",
        "phone number",
        "P5",
        "The number an emergency stop offers to call with one tap.",
        low=None,
    ),
    "urgent_number": FieldInfo(
        "Urgent advice number",
        "phone number",
        "P5",
        "The number an urgent stop offers to call (may be empty).",
        low=None,
    ),
}

# Upper bounds that follow from the unit: a pain score is 0-10 (NPRS, rule O1), a share
# 0-1, and a week has 7 days.
_UNIT_HIGH: dict[str, float] = {_PAIN: 10, _SHARE: 1, "days a week": 7}
POLICY_FIELDS = {
    name: replace(info, high=_UNIT_HIGH.get(info.unit, info.high))
    for name, info in POLICY_FIELDS.items()
}
