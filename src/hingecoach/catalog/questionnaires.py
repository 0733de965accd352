"""The outcome questionnaires as a learner sees them: a name, why it is asked, and each item.

ODI, RMDQ and STarT Back item wording is copyrighted (domain-rules.md, Outcome measures):
the items here are short labels of our own that name what each item is about, with the
scoring of the published instrument (engine/outcomes.py). NPRS and PSFS are free.
"""

from __future__ import annotations

from dataclasses import dataclass

from hingecoach.engine.outcomes import Measure

__all__ = ["QUESTIONNAIRES", "Item", "Questionnaire", "questionnaire"]


@dataclass(frozen=True)
class Item:
    """One question. `kind`: `scale` (choose a number `low`-`high`, `anchors` naming the
    ends), `yesno`, `agree` (agree / disagree) or `choice` (one of `options`, scored by index)."""

    label: str
    kind: str
    low: int = 0
    high: int = 0
    anchors: tuple[str, str] = ("", "")
    options: tuple[str, ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class Questionnaire:
    measure: Measure
    name: str
    short: str  # the published name, as a clinician knows it
    why: str
    lead: str  # said before the items
    items: tuple[Item, ...] = ()
    activities: bool = False  # PSFS: the learner names 3-5 activities and rates each 0-10
    minutes: int = 2


_ODI_ENDS = ("no trouble", "cannot do it at all")
_ODI = (
    "How bad your pain is",
    "Looking after yourself (washing, dressing)",
    "Lifting",
    "Walking",
    "Sitting",
    "Standing",
    "Sleeping",
    "Sex life",
    "Social life",
    "Travelling",
)
_RMDQ = (
    "I stay at home more",
    "I change position often to get comfortable",
    "I walk more slowly",
    "I do fewer jobs around the house",
    "I use a handrail on the stairs",
    "I lie down to rest more often",
    "I hold on to something to get out of a chair",
    "I ask others to do things for me",
    "I dress more slowly",
    "I stand for short times only",
    "I try not to bend or kneel",
    "Getting out of a chair is hard",
    "My back hurts almost all the time",
    "Turning over in bed is hard",
    "I do not feel like eating",
    "Putting on socks or tights is hard",
    "I walk short distances only",
    "I sleep less well",
    "I get dressed with help",
    "I sit down most of the day",
    "I avoid heavy jobs",
    "I am more irritable with people",
    "I go upstairs more slowly",
    "I stay in bed most of the time",
)
_START = (
    "My back pain has spread down a leg at some time in the last 2 weeks",
    "I have had pain in the shoulder or neck too in the last 2 weeks",
    "I have walked only short distances because of my back pain",
    "I have dressed more slowly than usual because of my back pain",
    "It is not really safe for a person like me to be physically active",
    "Worrying thoughts have been going through my mind a lot of the time",
    "I feel my back pain is terrible and will never get any better",
    "In general I have not enjoyed the things I usually enjoy",
)
_BOTHER = ("Not at all", "Slightly", "Moderately", "Very much", "Extremely")

QUESTIONNAIRES: dict[Measure, Questionnaire] = {
    q.measure: q
    for q in (
        Questionnaire(
            Measure.NPRS,
            "Your pain right now",
            "NPRS",
            "The simplest measure of how your back is doing.",
            "",
            (Item("Your back pain right now", "scale", 0, 10, ("no pain", "worst imaginable")),),
            minutes=1,
        ),
        Questionnaire(
            Measure.ODI,
            "How your back affects daily life",
            "Oswestry (ODI)",
            "It shows your clinician how much your back gets in the way of everyday things, "
            "and whether that changes over the weeks.",
            "For each, choose how much your back troubles you today: 0 is no trouble, 5 is "
            "that you cannot do it at all. Leave out one that does not apply to you.",
            tuple(Item(label, "scale", 0, 5, _ODI_ENDS, optional=True) for label in _ODI),
            minutes=4,
        ),
        Questionnaire(
            Measure.RMDQ,
            "What your back stops you doing",
            "Roland-Morris (RMDQ)",
            "It counts the everyday things your back is changing for you today.",
            "Because of your back, today:",
            tuple(Item(label, "yesno") for label in _RMDQ),
            minutes=4,
        ),
        Questionnaire(
            Measure.PSFS,
            "Activities that matter to you",
            "Patient-Specific Functional Scale (PSFS)",
            "You name what you want to get back to, and rate how well you can do it now.",
            "Name 3 to 5 activities you find hard because of your back (for example: lifting "
            "my child, gardening, sitting through a film) and rate each: 0 is unable to do "
            "it, 10 is able to do it as before.",
            activities=True,
            minutes=3,
        ),
        Questionnaire(
            Measure.START_BACK,
            "Your back pain: the last 2 weeks",
            "STarT Back",
            "It helps your clinician decide how much support to give alongside the exercises.",
            "Thinking about the last 2 weeks, do you agree or disagree?",
            (
                *(Item(label, "agree") for label in _START),
                Item(
                    "Overall, how bothersome has your back pain been in the last 2 weeks?",
                    "choice",
                    options=_BOTHER,
                ),
            ),
            minutes=2,
        ),
    )
}


def questionnaire(measure: Measure) -> Questionnaire:
    return QUESTIONNAIRES[measure]
