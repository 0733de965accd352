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
from hingecoach.engine.texts import N_, shown
from hingecoach.errors import ValidationError
from hingecoach.language import _

__all__ = [
    "BY_WHEN",
    "DISCLAIMER",
    "FLAGS",
    "RedFlag",
    "ScreenVerdict",
    "check_flag_ids",
    "flag_words",
    "for_age",
    "screen_verdict",
]


@dataclass(frozen=True)
class RedFlag:
    id: str
    urgency: Urgency
    question: str  # in English, marked for translation: `_(flag.question)` where it is read
    words: str = ""  # the sign in a few plain words, for the reason a stop gives


FLAGS: tuple[RedFlag, ...] = (
    RedFlag("S-A1", Urgency.EMERGENCY, N_("New numbness or pins and needles between your legs or around your back passage (where you would sit on a saddle)?"), N_("new numbness in the saddle area")),
    RedFlag("S-A2", Urgency.EMERGENCY, N_("New trouble starting to pass urine, or you can no longer feel when you need to go?"), N_("new trouble passing urine")),
    RedFlag("S-A3", Urgency.EMERGENCY, N_("New loss of control of your bowels?"), N_("new loss of bowel control")),
    RedFlag("S-A4", Urgency.EMERGENCY, N_("New numbness of your genitals or loss of sexual sensation?"), N_("new numbness of the genitals")),
    RedFlag("S-A5", Urgency.EMERGENCY, N_("Pain, numbness or weakness in BOTH legs?"), N_("symptoms in both legs")),
    RedFlag("S-A6", Urgency.EMERGENCY, N_("Leg weakness that is getting worse quickly (foot slapping or dragging, tripping, knee giving way)?"), N_("leg weakness getting worse quickly")),
    RedFlag("S-B1", Urgency.URGENT, N_("Weakness or numbness in one leg that is getting worse?"), N_("weakness or numbness in one leg that is getting worse")),
    RedFlag("S-B2", Urgency.URGENT, N_("Have you ever had cancer, and is this back pain new?"), N_("a history of cancer with new back pain")),
    RedFlag("S-B3", Urgency.URGENT, N_("Fever or chills with your back pain, or do you inject drugs, take medicines that lower your immunity, or have you had a recent infection?"), N_("fever, infection or lowered immunity with back pain")),
    RedFlag("S-B4", Urgency.URGENT, N_("Have you lost weight recently without trying?"), N_("weight loss without trying")),
    RedFlag("S-B5", Urgency.URGENT, N_("Did the pain start after a bad fall or accident, or after a small one if you have thin bones (osteoporosis), take steroid tablets long-term, or are 65 or older?"), N_("pain that began after a fall or accident")),
    RedFlag("S-B6", Urgency.URGENT, N_("Severe pain that is there all night and does not ease whatever position you lie in?"), N_("severe pain all night whatever the position")),
    RedFlag("S-C1", Urgency.ROUTINE, N_("Are you under 45 with back stiffness each morning that lasts over 30 minutes and eases once you move about?"), N_("long morning stiffness under age 45")),
    RedFlag("S-C2", Urgency.ROUTINE, N_("Has your pain failed to improve at all over the last 4 to 6 weeks?"), N_("no improvement over several weeks")),
    RedFlag("S-C3", Urgency.ROUTINE, N_("Has a clinician or the STarT Back questionnaire placed you at high risk?"), N_("a high-risk result on the STarT Back questionnaire")),
)  # fmt: skip

_BY_ID = {flag.id: flag for flag in FLAGS}
_ORDER = [Urgency.NONE, Urgency.ROUTINE, Urgency.URGENT, Urgency.EMERGENCY]

# The texts below are built at import, before any reader is known: marked with N_ here,
# said in the reader's language with `_` where they are read (`_(BY_WHEN[u])`, `_(DISCLAIMER)`).
_ADVICE = {
    Urgency.EMERGENCY: N_(
        "Stop the programme and get emergency care today: {line}. "
        "These signs can mean pressure on the nerves at the base of the spine, "
        "which needs checking within hours."
    ),
    Urgency.URGENT: N_(
        "Stop the programme and see a doctor or physiotherapist within a day "
        "({urgent}). "
        "Do not restart until a clinician has cleared you."
    ),
    Urgency.ROUTINE: N_(
        "Book a routine review with a clinician. Until then, keep to the "
        "unloaded steps (no bands or weights)."
    ),
    Urgency.NONE: N_("No warning signs reported. Keep answering honestly each week."),
}

# When the learner must act, said in the stop (the urgency tiers of domain-rules.md).
BY_WHEN = {
    Urgency.EMERGENCY: N_("now, today"),
    Urgency.URGENT: N_("within a day"),
    Urgency.ROUTINE: N_("at a routine appointment; until then, unloaded steps only"),
    Urgency.NONE: "",
}

DISCLAIMER = N_(
    "HingeCoach is a coaching aid, not a diagnosis. If you are worried, contact a clinician."
)


@dataclass(frozen=True)
class ScreenVerdict:
    urgency: Urgency
    flags: tuple[str, ...]
    rules: tuple[str, ...]
    message: str
    since: date | None = None  # the latest day an active flag was given
    automatic: tuple[str, ...] = ()  # flags the engine raised itself (the S-C2 review)

    @property
    def stops(self) -> bool:
        return self.urgency in (Urgency.URGENT, Urgency.EMERGENCY)


def check_flag_ids(ids: Iterable[str]) -> frozenset[str]:
    """Refuse an unknown flag id, naming the allowed ones."""
    given = frozenset(i.strip().upper() for i in ids)
    for flag_id in sorted(given):
        if flag_id not in _BY_ID:
            allowed = ", ".join(_BY_ID)
            raise ValidationError("flag", N_("one of {allowed}"), flag_id, allowed=allowed)
    return given


# S-C1 (an inflammatory pattern) is a sign under age 45 only (domain-rules.md, S-C).
INFLAMMATORY_AGE_MAX = 45


def for_age(flags: frozenset[str], age: int | None) -> frozenset[str]:
    """Drop S-C1 for a learner of 45 or more: morning stiffness is not that sign then."""
    if age is not None and age >= INFLAMMATORY_AGE_MAX:
        return flags - {"S-C1"}
    return flags


def flag_words(flag_ids: Iterable[str]) -> str:
    """'new numbness in the saddle area and symptoms in both legs', in the reader's language."""
    words = [_(_BY_ID[f].words) for f in flag_ids]
    if len(words) == 1:
        return words[0]
    return _("{signs} and {last}").format(signs=", ".join(words[:-1]), last=words[-1])


def _active(
    screens: Iterable[ScreenResult], cleared_on: date | None, today: date
) -> list[ScreenResult]:
    return [
        s
        for s in screens
        if s.flags and s.day <= today and (cleared_on is None or s.day > cleared_on)
    ]


def screen_verdict(
    screens: Iterable[ScreenResult],
    policy: Policy,
    today: date,
    cleared_on: date | None = None,
    automatic: frozenset[str] = frozenset(),
) -> ScreenVerdict:
    """Combine every flag given so far (minus any a clinician cleared) into one urgency.

    `automatic` are S-C flags the engine raised from the learner's own record (no
    improvement over the review window): they count like answered ones.
    """
    active = _active(screens, cleared_on, today)
    given = frozenset(f for s in active for f in s.flags)
    flags = tuple(sorted(given | automatic))
    urgency = max((_BY_ID[f].urgency for f in flags), key=_ORDER.index, default=Urgency.NONE)
    rules = flags + (("P5",) if urgency in (Urgency.URGENT, Urgency.EMERGENCY) else ())
    message = _(_ADVICE[urgency]).format(
        line=shown(policy.emergency_line), urgent=shown(policy.urgent_line)
    )
    since = max((s.day for s in active), default=None)
    return ScreenVerdict(urgency, flags, rules, message, since, tuple(sorted(automatic - given)))
