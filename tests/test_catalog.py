"""The built-in exercise catalog and ladders, and the errors a custom ladder file can raise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hingecoach.catalog.loader import (
    Catalog,
    builtin_catalog,
    load_ladders,
    parse_ladders,
)
from hingecoach.errors import CatalogError
from tests.expected import EVOLVE_ORDER, SOLVING_PAIN_ORDER

# The eleven catalog entries: every step of both articles (two titles are one movement).
EXPECTED_IDS = set(SOLVING_PAIN_ORDER) | set(EVOLVE_ORDER)

LOADED_IDS = {
    "banded_hinge",
    "weighted_hinge",
    "elevated_kb_lift",
    "kb_lift",
    "banded_pull_through",
    "kb_swing",
    "clean",
}

# Words that point attention at the body instead of at an outside target (Wulf 2013).
INWARD_FOCUS = re.compile(
    r"\b(squeeze|squeezing|contract|contracting|engage|engaging|activate|activating"
    r"|clench|clenching|tighten|tightening|brace|bracing|tuck your pelvis)\b",
    re.IGNORECASE,
)

SOURCE = "custom-ladders.toml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return builtin_catalog()


def ladder_toml(ladder_id: str, *exercises: str) -> str:
    steps = "".join(f'\n[[ladder.steps]]\nexercise = "{ex}"\n' for ex in exercises)
    return f'[[ladder]]\nid = "{ladder_id}"\nname = "My ladder"\nsource = "clinic"\n{steps}'


# --- the built-in catalog ----------------------------------------------------------------


def test_builtin_catalog_loads_with_exercises_equipment_and_ladders(
    catalog: Catalog,
) -> None:
    assert catalog.exercises
    assert catalog.equipment
    assert set(catalog.ladders) == {"solving-pain", "evolve"}


def test_catalog_holds_exactly_the_eleven_exercise_ids(catalog: Catalog) -> None:
    assert set(catalog.exercises) == EXPECTED_IDS
    assert len(catalog.exercises) == 11


def test_solving_pain_ladder_follows_article_000_order(catalog: Catalog) -> None:
    ladder = catalog.ladder("solving-pain")
    assert [step.exercise for step in ladder.steps] == list(SOLVING_PAIN_ORDER)
    assert ladder.steps[2].label == "The Hip Hinge"


def test_evolve_ladder_follows_article_004_order(catalog: Catalog) -> None:
    ladder = catalog.ladder("evolve")
    assert [step.exercise for step in ladder.steps] == list(EVOLVE_ORDER)
    assert ladder.steps[2].label == "Three Point Contact Hinge"


def test_every_ladder_step_carries_the_articles_title_and_every_ladder_a_description(
    catalog: Catalog,
) -> None:
    for ladder in catalog.ladders.values():
        assert ladder.description
        assert all(step.label for step in ladder.steps), ladder.id


def test_dowel_hinge_carries_the_three_point_contact_variant(catalog: Catalog) -> None:
    dowel = catalog.exercise("dowel_hinge")
    assert [v.id for v in dowel.variants] == ["three_point_contact"]
    assert "dowel" in dowel.equipment


def test_every_exercise_has_three_to_five_self_checks_and_at_least_two_cues(
    catalog: Catalog,
) -> None:
    for ex in catalog.exercises.values():
        assert 3 <= len(ex.self_check) <= 5, ex.id
        assert 2 <= len(ex.cues) <= 5, ex.id
        assert all(q.endswith("?") for q in ex.self_check), ex.id


def test_exactly_the_loaded_exercises_have_an_ordered_load_scheme(
    catalog: Catalog,
) -> None:
    assert {ex.id for ex in catalog.exercises.values() if ex.loaded} == LOADED_IDS
    for ex_id in LOADED_IDS:
        load = catalog.exercises[ex_id].load
        assert load is not None, ex_id
        assert load.start <= load.target <= load.cap, ex_id
        assert 2 <= load.step_percent <= 10, ex_id


def test_only_the_swing_and_the_clean_are_ballistic(catalog: Catalog) -> None:
    ballistic = {ex.id for ex in catalog.exercises.values() if ex.ballistic}
    assert ballistic == {"kb_swing", "clean"}


def test_every_equipment_id_an_exercise_names_exists(catalog: Catalog) -> None:
    for ex in catalog.exercises.values():
        for kit in ex.equipment:
            assert kit in catalog.equipment, f"{ex.id} needs unknown equipment {kit!r}"
    for kit in catalog.equipment.values():
        if kit.alternative_equipment is not None:
            assert kit.alternative_equipment in catalog.equipment, kit.id


def test_kettlebell_has_no_home_alternative_so_the_app_says_it_is_needed(
    catalog: Catalog,
) -> None:
    kettlebell = catalog.equipment["kettlebell"]
    assert kettlebell.alternative is None
    assert kettlebell.alternative_equipment is None


def test_regression_and_progression_are_each_others_mirror(catalog: Catalog) -> None:
    exercises = catalog.exercises
    assert exercises["hero_squat"].regression is None
    assert exercises["clean"].progression is None
    assert exercises["clean"].regression == "kb_swing"
    for ex in exercises.values():
        if ex.progression is not None:
            assert exercises[ex.progression].regression == ex.id, ex.id
        if ex.regression is not None:
            assert exercises[ex.regression].progression == ex.id, ex.id


def test_article_titles_resolve_to_exercises_by_alias(catalog: Catalog) -> None:
    assert catalog.exercise("Three Point Contact Hinge").id == "dowel_hinge"
    assert catalog.exercise("The Hip Hinge").id == "dowel_hinge"
    assert catalog.exercise("KB Lift").id == "kb_lift"
    assert catalog.exercise("Kettlebell Deadlift").id == "kb_lift"
    assert catalog.exercise("Hero Squats").id == "hero_squat"


def test_no_alias_points_at_two_exercises(catalog: Catalog) -> None:
    owner: dict[str, str] = {}
    for ex in catalog.exercises.values():
        for name in {ex.id, ex.name.lower(), *(a.lower() for a in ex.aliases)}:
            assert owner.setdefault(name, ex.id) == ex.id, f"{name!r} names two exercises"


def test_cues_name_an_outside_target_not_a_muscle_to_squeeze(catalog: Catalog) -> None:
    for ex in catalog.exercises.values():
        for cue in ex.cues:
            assert not INWARD_FOCUS.search(cue), f"{ex.id}: inward cue {cue!r}"


# --- custom ladder files: every error names the file and the field or step --------------


def test_a_ladder_with_an_unknown_exercise_is_refused(catalog: Catalog) -> None:
    text = ladder_toml("mine", "hero_squat", "deadlift_machine")
    with pytest.raises(
        CatalogError,
        match=rf"^{re.escape(SOURCE)}: ladder 'mine' step 2\.exercise: "
        r"unknown exercise 'deadlift_machine'",
    ):
        parse_ladders(text, SOURCE, catalog.exercises)


def test_a_ladder_that_repeats_an_exercise_is_refused(catalog: Catalog) -> None:
    text = ladder_toml("mine", "hero_squat", "butt_taps", "hero_squat")
    with pytest.raises(
        CatalogError,
        match=rf"^{re.escape(SOURCE)}: ladder 'mine' step 3\.exercise: "
        r"'hero_squat' appears twice",
    ):
        parse_ladders(text, SOURCE, catalog.exercises)


def test_an_empty_ladder_is_refused(catalog: Catalog) -> None:
    text = '[[ladder]]\nid = "mine"\nname = "My ladder"\nsource = "clinic"\nsteps = []\n'
    with pytest.raises(
        CatalogError,
        match=rf"^{re.escape(SOURCE)}: ladder\[1\] \(mine\)\.steps: .*empty ladder",
    ):
        parse_ladders(text, SOURCE, catalog.exercises)


def test_a_toml_syntax_error_names_the_file_and_the_line(catalog: Catalog) -> None:
    text = '[[ladder]]\nid = "mine"\nname = "My ladder\n'
    with pytest.raises(CatalogError, match=rf"^{re.escape(SOURCE)}: TOML syntax error: .*line 3"):
        parse_ladders(text, SOURCE, catalog.exercises)


def test_two_ladders_with_the_same_id_are_refused(catalog: Catalog) -> None:
    text = ladder_toml("mine", "hero_squat") + "\n" + ladder_toml("mine", "butt_taps")
    with pytest.raises(CatalogError, match=rf"^{re.escape(SOURCE)}: ladder: duplicate id 'mine'"):
        parse_ladders(text, SOURCE, catalog.exercises)


def test_a_missing_ladder_file_is_refused_naming_the_path(catalog: Catalog, tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(
        CatalogError, match=rf"^{re.escape(str(missing))}: cannot read the ladder file"
    ):
        load_ladders(missing, catalog.exercises)


def test_a_valid_custom_ladder_file_loads_and_joins_the_catalog(
    catalog: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "gentle.toml"
    path.write_text(ladder_toml("gentle", "hero_squat", "butt_taps", "dowel_hinge"))
    ladders = load_ladders(path, catalog.exercises)
    assert [step.exercise for step in ladders[0].steps] == [
        "hero_squat",
        "butt_taps",
        "dowel_hinge",
    ]
    assert "gentle" in catalog.with_ladders(ladders).ladders


def test_every_load_cap_says_why_it_sits_where_it_does(catalog: Catalog) -> None:
    loaded = [ex for ex in catalog.exercises.values() if ex.load is not None]

    assert loaded
    for ex in loaded:
        assert ex.load is not None
        assert len(ex.load.cap_reason) > 40, ex.id
