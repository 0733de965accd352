"""The engine's decisions: `decide` after each event, `plan_today` for today's page, and the
programme's standing (`programme_status`) that every door enforces.

One module per family of rules: safety (stops, nerve signs, reviews that restrict), red
(red sessions and flares), reviews (severe pain, burning that never fades), mastery
(unloaded steps), loading (loaded steps and the 48 h gap), steps (hold or move up), judge
(the latest day) and decide (the order they are checked in).
"""

from hingecoach.engine.progression.context import canonical, horizon
from hingecoach.engine.progression.decide import (
    TodayPlan,
    decide,
    plan_today,
    programme_status,
    session_notices,
)
from hingecoach.engine.progression.loading import next_load
from hingecoach.engine.progression.mastery import fault_basis
from hingecoach.engine.progression.safety import HelpLine, ProgrammeStatus, Standing

__all__ = [
    "HelpLine",
    "ProgrammeStatus",
    "Standing",
    "TodayPlan",
    "canonical",
    "decide",
    "fault_basis",
    "horizon",
    "next_load",
    "plan_today",
    "programme_status",
    "session_notices",
]
