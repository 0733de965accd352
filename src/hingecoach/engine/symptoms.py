"""What a symptom means: a stretch, a tired muscle, spreading pain or a nerve (rules SX1-SX6).

The questions a learner answers (where, what it felt like, whether it faded within a couple
of minutes of rest) are what separate the cases, after domain-rules.md [C/D]:

- SX1 red: pain that spreads from the back into the buttock, thigh or leg, whatever the
  number (centralisation research: Aina 2004, May 2012) [E].
- SX2 nerve: pins and needles or numbness; burning below the knee, or burning into the
  buttock or thigh that does not fade; weakness in a leg that does not fade [C/D].
- SX3 fatigue: burning only in the working muscles that fades within 1-2 minutes of rest;
  burning that does not fade (in the back) is amber [D].
- SX5 expected: a stretch or pull in the muscle is what the hinge should feel like; the
  dowel hinge's own cue says to stop at the hamstring stretch [D].
- SX6 review: burning that never fades, session after session (progression.py) [D].

A symptom in the leg stored without any description counts as spreading pain (SX1): the
safe reading of a record made before descriptions were asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from hingecoach.engine.model import Light, Quality, SymptomArea
from hingecoach.engine.policy import Policy
from hingecoach.engine.texts import N_, minutes
from hingecoach.language import _

__all__ = [
    "LEG",
    "Finding",
    "morning_findings",
    "nerve_signs",
    "nerve_words",
    "session_findings",
    "spreading",
]

LEG = frozenset({SymptomArea.BUTTOCK_THIGH, SymptomArea.BELOW_KNEE})
_NERVE_ALWAYS = frozenset({Quality.TINGLING, Quality.NUMBNESS})


@dataclass(frozen=True)
class Finding:
    """One rule a symptom triggered: GREEN is a note, AMBER holds, RED is a red light."""

    rule: str
    light: Light
    text: str


def spreading(area: SymptomArea) -> bool:
    return area in LEG


def _nerve_signs(area: SymptomArea, qualities: frozenset[Quality], faded: bool) -> list[str]:
    """The signs, in English (marked for translation): `nerve_words` says them."""
    words = []
    if Quality.TINGLING in qualities:
        words.append(N_("pins and needles"))
    if Quality.NUMBNESS in qualities:
        words.append(N_("numbness"))
    if Quality.BURNING in qualities and (
        area is SymptomArea.BELOW_KNEE or (area in LEG and not faded)
    ):
        words.append(
            N_("burning below the knee")
            if area is SymptomArea.BELOW_KNEE
            else N_("burning into the leg")
        )
    if Quality.WEAKNESS in qualities and area in LEG and not faded:
        words.append(N_("weakness in the leg"))
    return words


def nerve_words(area: SymptomArea, qualities: frozenset[Quality], faded: bool) -> list[str]:
    """The nerve signs of one description, in the reader's language."""
    return [_(w) for w in _nerve_signs(area, qualities, faded)]


def nerve_signs(area: SymptomArea, qualities: frozenset[Quality], faded: bool = False) -> bool:
    """Rule SX2: the descriptions that may come from an irritated nerve."""
    return bool(_nerve_signs(area, qualities, faded))


def _spreads(area: SymptomArea, qualities: frozenset[Quality]) -> bool:
    return area in LEG and (Quality.PAIN in qualities or not qualities)


def _nerve(area: SymptomArea, qualities: frozenset[Quality], faded: bool) -> Finding | None:
    words = nerve_words(area, qualities, faded)
    if not words:
        return None
    said = ", ".join(words)
    return Finding(
        "SX2",
        Light.RED,
        _("{signs} can come from an irritated nerve, not a tired muscle").format(signs=said),
    )


def _burning(area: SymptomArea, faded: bool, policy: Policy) -> Finding:
    within = minutes(policy.burning_fade_minutes)
    if faded:
        return Finding(
            "SX3",
            Light.GREEN,
            _(
                "burning in the working muscles that faded within {minutes} of rest is most "
                "likely fatigue"
            ).format(minutes=within),
        )
    return Finding(
        "SX3",
        Light.AMBER,
        _(
            "burning that did not fade within {minutes} of rest: note it, and stop the set if it "
            "runs into your leg"
        ).format(minutes=within),
    )


def session_findings(
    area: SymptomArea, qualities: frozenset[Quality], faded: bool, policy: Policy
) -> tuple[Finding, ...]:
    """Every rule the symptoms of one session trigger, most serious first."""
    if area is SymptomArea.NONE and not qualities:
        return ()  # nothing felt, nothing found (most sessions: keep it cheap)
    found: list[Finding] = []
    nerve = _nerve(area, qualities, faded)
    if nerve is not None:
        found.append(nerve)
    if _spreads(area, qualities):
        found.append(
            Finding(
                "SX1",
                Light.RED,
                _(
                    "pain spreading away from the back into the buttock, thigh or leg counts as "
                    "red whatever the number"
                ),
            )
        )
    if Quality.BURNING in qualities and nerve is None:
        found.append(_burning(area, faded, policy))
    if Quality.STRETCH in qualities:
        found.append(
            Finding(
                "SX5",
                Light.GREEN,
                _(
                    "a stretch in the muscles at the back of the thigh is what the hinge should "
                    "feel like: stop the movement there"
                ),
            )
        )
    return tuple(found)


def morning_findings(
    area: SymptomArea, qualities: frozenset[Quality], soreness: bool
) -> tuple[Finding, ...]:
    """The next morning's spreading pain is red unless marked as soreness (SX1, SX4).

    Nerve signs in a check-in stop the programme through the nerve rule (SX2) itself.
    """
    if not _spreads(area, qualities) or soreness:
        return ()
    return (
        Finding(
            "SX1",
            Light.RED,
            _(
                "the next morning, pain spread away from the back into the buttock, thigh or "
                "leg, which counts as red whatever the number"
            ),
        ),
    )
