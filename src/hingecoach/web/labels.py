"""The words a form shows beside each field, for its error message: a learner reads "Worst
pain during the exercise", never `pain_during`, in the reader's language (the Spanish is in
locale/es/LC_MESSAGES/learner.po). The API keeps the field's own name."""

from __future__ import annotations

import re

from hingecoach.engine.language import _

__all__ = ["on_screen"]

# Field names as the models and services call them -> the label on the page.
_LABELS = {
    "pain_before": "Pain before you started",
    "pain_during": "Worst pain during the exercise",
    "pain_after": "Pain just after",
    "pain": "Pain",
    "pain_now": "How much pain do you have right now?",
    "reps": "Reps in each set",
    "seconds": "Seconds of each set",
    "load": "Load",
    "rpe": "Effort",
    "self_check": "Your form check",
    "first_set_uncued": "First set done without the cues",
    "qualities": "What did it feel like?",
    "area": "Where did you feel it?",
    "note": "Note",
    "day": "Date",
    "date": "Date",
    "sets": "Your sets",
    "age": "Your age",
    "email": "Email",
    "password": "Password",
    "current_password": "Current password",
    "new_password": "New password",
    "name": "Your name",
    "invite_code": "Invite code",
    "clinic_name": "Clinic name",
    "flags": "Warning signs",
    "equipment": "What you have at home",
    "video": "Your clip",
    "comment": "Comment for the learner",
    "body": "Note",
    "reason": "Why",
    "examined_on": "Examined on",
}
# What an item of a list is called on the page, when it has a name of its own: the label
# and the item's number, as one sentence to translate.
_ITEMS = {
    "reps": "%(label)s, set %(number)s",
    "seconds": "%(label)s, set %(number)s",
    "sets": "%(label)s, set %(number)s",
    "self_check": "%(label)s, question %(number)s",
}
_ITEM_OF_A_LIST = "%(label)s, item %(number)s"
_ITEM = re.compile(r"^(\w+) \((?:item|set) (\d+)\)$")


def on_screen(field: str) -> str:
    """The label of `field` on the page ("reps (item 2)" -> "Reps in each set, set 2")."""
    item = _ITEM.match(field)
    name, number = (item.group(1), item.group(2)) if item else (field, None)
    known = _LABELS.get(name)
    label = _(known) if known else name.replace("_", " ").capitalize()
    if number is None:
        return label
    return _(_ITEMS.get(name, _ITEM_OF_A_LIST)) % {"label": label, "number": number}
