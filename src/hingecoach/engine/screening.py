"""Red-flag safety screen (rules S-A, S-B, S-C and P5).

Sources: ACP/APS 2007 (Chou), IFOMPT 2020 (Finucane), Downie 2013, UK cauda equina
criteria 2018, NICE NG59. Single flags predict poorly, so the screen is a safety net: a flag
given anywhere (onboarding, weekly re-screen, a session or check-in) stays active until a
clinician clears it, and a later "none of these" never hides it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from hingecoach.engine.model import ScreenResult, Urgency
from hingecoach.engine.policy import Policy
from hingecoach.errors import ValidationError

__all__ = ["FLAGS", "RedFlag", "ScreenVerdict", "check_flag_ids", "screen_verdict"]


@dataclass(frozen=True)
class RedFlag:
    id: str
    urgency: Urgency
    question: str


FLAGS: tuple[RedFlag, ...] = (
    RedFlag("S-A1", Urgency.EMERGENCY, "New numbness or pins and needles between your legs or around your back passage (where you would sit on a saddle)?"),
    RedFlag("S-A2", Urgency.EMERGENCY, "New trouble starting to pass urine, or you can no longer feel when you need to go?"),
    RedFlag("S-A3", Urgency.EMERGENCY, "New loss of control of your bowels?"),
    RedFlag("S-A4", Urgency.EMERGENCY, "New numbness of your genitals or loss of sexual sensation?"),
    RedFlag("S-A5", Urgency.EMERGENCY, "Pain, numbness or weakness in BOTH legs?"),
    RedFlag("S-A6", Urgency.EMERGENCY, "Leg weakness that is getting worse quickly (foot slapping or dragging, tripping, knee giving way)?"),
    RedFlag("S-B1", Urgency.URGENT, "Weakness or numbness in one leg that is getting worse?"),
    RedFlag("S-B2", Urgency.URGENT, "Have you ever had cancer, and is this back pain new?"),
    RedFlag("S-B3", Urgency.URGENT, "Fever or chills with your back pain, or do you inject drugs, take medicines that lower your immunity, or have you had a recent infection?"),
    RedFlag("S-B4", Urgency.URGENT, "Have you lost weight recently without trying?"),
    RedFlag("S-B5", Urgency.URGENT, "Did the pain start after a bad fall or accident, or after a small one if you have thin bones (osteoporosis), take steroid tablets long-term, or are 65 or older?"),
    RedFlag("S-B6", Urgency.URGENT, "Severe pain that is there all night and does not ease whatever position you lie in?"),
    RedFlag("S-C1", Urgency.ROUTINE, "Are you under 45 with back stiffness each morning that lasts over 30 minutes and eases once you move about?"),
    RedFlag("S-C2", Urgency.ROUTINE, "Has your pain failed to improve at all over the last 4 to 6 weeks?"),
    RedFlag("S-C3", Urgency.ROUTINE, "Has a clinician or the STarT Back questionnaire placed you at high risk?"),
)  # fmt: skip

_BY_ID = {flag.id: flag for flag in FLAGS}
_ORDER = [Urgency.NONE, Urgency.ROUTINE, Urgency.URGENT, Urgency.EMERGENCY]

_ADVICE = {
    Urgency.EMERGENCY: "Stop the programme and get emergency care today: {line}. "
    "These signs can mean pressure on the nerves at the base of the spine, "
    "which needs checking within hours.",
    Urgency.URGENT: "Stop the programme and see a doctor or physiotherapist within a day "
    "({urgent}). "
    "Do not restart until a clinician has cleared you.",
    Urgency.ROUTINE: "Book a routine review with a clinician. Until then, keep to the "
    "unloaded steps (no bands or weights).",
    Urgency.NONE: "No warning signs reported. Keep answering honestly each week.",
}

DISCLAIMER = (
    "HingeCoach is a coaching aid, not a diagnosis. If you are worried, contact a clinician."
)


@dataclass(frozen=True)
class ScreenVerdict:
    urgency: Urgency
    flags: tuple[str, ...]
    rules: tuple[str, ...]
    message: str

    @property
    def stops(self) -> bool:
        return self.urgency in (Urgency.URGENT, Urgency.EMERGENCY)


def check_flag_ids(ids: Iterable[str]) -> frozenset[str]:
    """Refuse an unknown flag id, naming the allowed ones."""
    given = frozenset(i.strip().upper() for i in ids)
    for flag_id in sorted(given):
        if flag_id not in _BY_ID:
            raise ValidationError("flag", f"one of {', '.join(_BY_ID)}", flag_id)
    return given


def _active_flags(
    screens: Iterable[ScreenResult], cleared_on: date | None, today: date
) -> frozenset[str]:
    active: set[str] = set()
    for screen in screens:
        if screen.day > today:
            continue
        if cleared_on is not None and screen.day <= cleared_on:
            continue
        active |= screen.flags
    return frozenset(active)


def screen_verdict(
    screens: Iterable[ScreenResult],
    policy: Policy,
    today: date,
    cleared_on: date | None = None,
) -> ScreenVerdict:
    """Combine every flag given so far (minus any a clinician cleared) into one urgency."""
    flags = tuple(sorted(_active_flags(screens, cleared_on, today)))
    urgency = max((_BY_ID[f].urgency for f in flags), key=_ORDER.index, default=Urgency.NONE)
    rules = flags + (("P5",) if urgency in (Urgency.URGENT, Urgency.EMERGENCY) else ())
    message = _ADVICE[urgency].format(line=policy.emergency_line, urgent=policy.urgent_line)
    return ScreenVerdict(urgency, flags, rules, message)
