"""Placement on the ladder (PL1-PL5) and the equipment notes."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from hingecoach.engine.model import Experience, Rung, Urgency
from hingecoach.engine.placement import Answers, KitNote, Placement, kit_notes, place
from hingecoach.engine.policy import DEFAULT_POLICY
from hingecoach.engine.screening import screen_verdict

from .builders import day, screen

ALL_KIT = frozenset(
    {"mat", "wall", "dowel", "band", "anchor", "dumbbell_or_kettlebell", "box", "kettlebell"}
)
ALTERNATIVES: Mapping[str, str | None] = {
    "band": "A light backpack held in your hands.",
    "anchor": "A door anchor in a closed door.",
    "kettlebell": None,
}


def _place(
    rungs: tuple[Rung, ...],
    experience: Experience,
    pain: int = 2,
    *flags: str,
    have: frozenset[str] = ALL_KIT,
) -> Placement:
    verdict = screen_verdict([screen(0, *flags)], DEFAULT_POLICY, day(0))
    return place(rungs, Answers(experience, pain, have), verdict, ALTERNATIVES, DEFAULT_POLICY)


@pytest.mark.parametrize(
    ("experience", "rung"),
    [(Experience.NEW, 0), (Experience.SOME, 2), (Experience.LIFTER, 4)],
    ids=["new starts at hero squat", "some starts at dowel hinge", "lifter at banded hinge"],
)
def test_experience_sets_the_starting_step(
    solving_pain: tuple[Rung, ...], experience: Experience, rung: int
) -> None:
    placement = _place(solving_pain, experience)

    assert placement.rung == rung
    assert placement.rules == ("PL4",)
    assert placement.urgency is Urgency.NONE


def test_experience_places_by_stage_on_the_evolve_ladder_too(evolve: tuple[Rung, ...]) -> None:
    assert _place(evolve, Experience.SOME).rung == 2
    assert _place(evolve, Experience.LIFTER).rung == 3


@pytest.mark.parametrize(
    ("pain", "rung", "rules"),
    [(3, 4, ("PL4",)), (4, 3, ("PL4", "PL3")), (5, 3, ("PL4", "PL3")), (6, 0, ("PL4", "PL3"))],
    ids=["pain 3 may load", "pain 4 stays unloaded", "pain 5 stays unloaded", "pain 6 first step"],
)
def test_pain_now_lowers_a_lifters_start(
    solving_pain: tuple[Rung, ...], pain: int, rung: int, rules: tuple[str, ...]
) -> None:
    placement = _place(solving_pain, Experience.LIFTER, pain)

    assert (placement.rung, placement.rules) == (rung, rules)


def test_high_pain_on_the_first_step_already_adds_no_rule(solving_pain: tuple[Rung, ...]) -> None:
    placement = _place(solving_pain, Experience.NEW, 8)

    assert (placement.rung, placement.rules) == (0, ("PL4",))


def test_an_urgent_flag_gives_no_placement_and_no_kit_list(
    solving_pain: tuple[Rung, ...],
) -> None:
    placement = _place(solving_pain, Experience.LIFTER, 2, "S-B6", have=frozenset())

    assert placement.rung is None
    assert placement.rules == ("PL1", "S-B6", "P5")
    assert placement.urgency is Urgency.URGENT
    assert placement.kit == ()


def test_an_s_c_flag_keeps_a_lifter_unloaded_and_cites_the_flag(
    solving_pain: tuple[Rung, ...],
) -> None:
    placement = _place(solving_pain, Experience.LIFTER, 2, "S-C3")

    assert placement.rung == 3
    assert placement.rules == ("PL4", "PL2", "S-C3")
    assert placement.unloaded_only
    assert placement.urgency is Urgency.ROUTINE


def test_an_s_c_flag_leaves_an_unloaded_start_where_it_is(solving_pain: tuple[Rung, ...]) -> None:
    placement = _place(solving_pain, Experience.SOME, 2, "S-C1")

    assert placement.rung == 2
    assert "PL2" not in placement.rules
    assert placement.unloaded_only


# --- equipment (PL5) ------------------------------------------------------------------------


def test_every_step_from_the_start_with_missing_kit_is_listed(
    solving_pain: tuple[Rung, ...],
) -> None:
    notes = kit_notes(solving_pain, 4, ALL_KIT - {"band"}, ALTERNATIVES)

    assert notes == (
        KitNote(4, "band", "A light backpack held in your hands."),
        KitNote(8, "band", "A light backpack held in your hands."),
    )


def test_steps_below_the_start_are_not_listed(solving_pain: tuple[Rung, ...]) -> None:
    assert kit_notes(solving_pain, 3, ALL_KIT - {"mat", "dowel"}, ALTERNATIVES) == ()


def test_a_kit_note_with_an_alternative_says_what_to_use_instead(
    solving_pain: tuple[Rung, ...],
) -> None:
    note = KitNote(4, "anchor", "A door anchor in a closed door.")

    assert note.text(solving_pain) == (
        "Banded hip hinge uses an anchor, which you do not have. "
        "Instead: A door anchor in a closed door."
    )


def test_a_kit_note_without_an_alternative_says_to_get_one(
    solving_pain: tuple[Rung, ...],
) -> None:
    note = KitNote(9, "kettlebell", None)

    assert note.text(solving_pain) == (
        "Kettlebell swing needs a kettlebell, which you do not have and nothing safely "
        "replaces; get one before this step."
    )


def test_missing_kit_is_flagged_not_skipped(solving_pain: tuple[Rung, ...]) -> None:
    placement = _place(solving_pain, Experience.LIFTER, have=ALL_KIT - {"band", "kettlebell"})

    assert placement.rung == 4
    assert placement.rules == ("PL4", "PL5")
    assert [(n.rung, n.kit) for n in placement.kit] == [(4, "band"), (8, "band"), (9, "kettlebell")]
    assert placement.reasons[-1].startswith("Banded hip hinge uses a band")
    assert len(placement.reasons) == 2  # only the starting step's note is spelled out
