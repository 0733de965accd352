"""Every threshold a clinician may adjust is described once, beside the Policy: a label, a
unit, the range `Policy.adjusted` enforces, the rule it serves and one line of help."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from hingecoach.engine.policy import DEFAULT_POLICY, Policy
from hingecoach.engine.policy_fields import POLICY_FIELDS, FieldInfo
from hingecoach.errors import ValidationError

RULES_DOC = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text("utf-8")
NAMES = [f.name for f in fields(Policy)]
NUMBERS = [n for n in NAMES if not isinstance(getattr(DEFAULT_POLICY, n), str)]


def test_every_policy_field_has_an_entry_and_every_entry_names_a_field() -> None:
    assert sorted(POLICY_FIELDS) == sorted(NAMES)


def test_labels_are_distinct_and_help_is_one_line() -> None:
    labels = [info.label for info in POLICY_FIELDS.values()]
    assert len(labels) == len(set(labels))
    for name, info in POLICY_FIELDS.items():
        assert info.label, name
        assert info.unit, name
        assert "\n" not in info.help, name
        assert len(info.help) <= 110, name
        assert "_" not in info.label, f"{name}: a label is words, not the field's name"


def _ids(rule: str) -> list[str]:
    """'P1/P3' -> P1, P3; 'D2-D5' -> D2, D5; 'S-C2' stays whole."""
    found: list[str] = []
    for part in rule.split("/"):
        span = re.fullmatch(r"([A-Z]+\d+)-([A-Z]+\d+)", part)
        found += [span.group(1), span.group(2)] if span else [part]
    return found


@pytest.mark.parametrize("name", NAMES)
def test_each_rule_id_is_one_docs_rules_md_lists(name: str) -> None:
    rule = POLICY_FIELDS[name].rule
    for rule_id in _ids(rule) if rule else []:
        assert re.search(rf"^\| {re.escape(rule_id)} \|", RULES_DOC, re.MULTILINE), rule_id


@pytest.mark.parametrize("name", NUMBERS)
def test_the_default_lies_in_the_range_and_adjusted_enforces_that_range(name: str) -> None:
    info = POLICY_FIELDS[name]
    assert info.low is not None, f"{name} is a number: it needs a range"
    assert info.allows(getattr(DEFAULT_POLICY, name))
    assert getattr(DEFAULT_POLICY.adjusted(**{name: info.low}), name) == info.low

    with pytest.raises(ValidationError) as below:
        DEFAULT_POLICY.adjusted(**{name: info.low - 0.5})
    assert (below.value.field, below.value.expected) == (name, f"a number {info.allowed}")
    if info.high is not None:
        with pytest.raises(ValidationError):
            DEFAULT_POLICY.adjusted(**{name: info.high + 0.5})


def test_a_range_reads_in_words() -> None:
    assert FieldInfo("Pain", "points", "P1", "help", low=0).allowed == "0 or more"
    assert FieldInfo("Pain", "points", "P1", "help", low=0, high=10).allowed == "0-10"
    assert FieldInfo("Line", "text", "P5", "help", low=None).allowed == ""
    bounded = FieldInfo("Share", "share", "D6", "help", low=0, high=1)
    assert (bounded.allows(1), bounded.allows(1.5), bounded.allows(-0.1)) == (True, False, False)


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("pain_during_max", 10, True),
        ("pain_during_max", 11, False),  # the pain scale ends at 10
        ("review_improvement", 1, True),
        ("review_improvement", 1.5, False),  # a share ends at 1
        ("pain_during_max", -1, False),
    ],
)
def test_each_threshold_is_held_to_its_units_range(field: str, value: float, allowed: bool) -> None:
    if allowed:
        assert getattr(DEFAULT_POLICY.adjusted(**{field: value}), field) == value
    else:
        with pytest.raises(ValidationError):
            DEFAULT_POLICY.adjusted(**{field: value})


def test_a_value_stored_before_its_range_existed_is_kept_and_an_old_name_dropped() -> None:
    restored = DEFAULT_POLICY.restored(pain_during_max=12, a_threshold_long_gone=3)

    assert restored.pain_during_max == 12
    assert not hasattr(restored, "a_threshold_long_gone")
