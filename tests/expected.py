"""Hard-coded expectations from the source articles, shared by the tests that check them."""

from __future__ import annotations

# Article 000 (Solving Pain With Strength), steps 1-10 in the article's order.
SOLVING_PAIN_ORDER = (
    "hero_squat",
    "butt_taps",
    "dowel_hinge",
    "hinge_to_squat",
    "banded_hinge",
    "weighted_hinge",
    "elevated_kb_lift",
    "kb_lift",
    "banded_pull_through",
    "kb_swing",
)

# Article 004 (Evolve Performance Healthcare), steps 1-10 in the article's order.
EVOLVE_ORDER = (
    "hero_squat",
    "butt_taps",
    "dowel_hinge",
    "banded_hinge",
    "weighted_hinge",
    "kb_lift",
    "hinge_to_squat",
    "banded_pull_through",
    "kb_swing",
    "clean",
)
