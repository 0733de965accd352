"""The words a form shows beside each field, for its error message: a learner reads "Worst
pain during the exercise", never `pain_during`, in the reader's language (the Spanish is in
locale/es/LC_MESSAGES/learner.po and errors.po). The API keeps the field's own name."""

from __future__ import annotations

import re

from hingecoach.engine.texts import N_
from hingecoach.language import _

__all__ = ["on_screen"]

# Field names as the models and services call them -> the label on the page.
_LABELS = {
    "pain_before": N_("Pain before you started"),
    "pain_during": N_("Worst pain during the exercise"),
    "pain_after": N_("Pain just after"),
    "pain": N_("Pain"),
    "pain_now": N_("How much pain do you have right now?"),
    "reps": N_("Reps in each set"),
    "seconds": N_("Seconds of each set"),
    "load": N_("Load"),
    "rpe": N_("Effort"),
    "self_check": N_("Your form check"),
    "first_set_uncued": N_("First set done without the cues"),
    "qualities": N_("What did it feel like?"),
    "area": N_("Where did you feel it?"),
    "note": N_("Note"),
    "day": N_("Date"),
    "date": N_("Date"),
    "sets": N_("Your sets"),
    "age": N_("Your age"),
    "email": N_("Email"),
    "password": N_("Password"),
    "current_password": N_("Current password"),
    "new_password": N_("New password"),
    "name": N_("Your name"),
    "invite_code": N_("Invite code"),
    "clinic_name": N_("Clinic name"),
    "flags": N_("Warning signs"),
    "equipment": N_("What you have at home"),
    "video": N_("Your clip"),
    "comment": N_("Comment for the learner"),
    "body": N_("Note"),
    "reason": N_("Why"),
    "examined_on": N_("Examined on"),
    # as the services name them, and the clinician's and the questionnaires' forms
    "examined on": N_("Examined on"),
    "another_today": N_("Yes, I did another session today"),
    "what it felt like": N_("What did it feel like?"),
    "by": N_("Examined by"),
    "step": N_("Step"),
    "steps": N_("Steps"),
    "ladder": N_("Ladder"),
    "exercise": N_("Exercise"),
    "field": N_("Threshold"),
    "value": N_("New value"),
    "toml": N_("Ladder (TOML)"),
    "id": N_("Id"),
    "description": N_("Description"),
    "language": N_("Language"),
    "country": N_("Where you live"),
    "role": N_("Account type"),
    "flag": N_("Warning signs"),
    "measure": N_("Questionnaire"),
    "values": N_("Your answers"),
    "activities": N_("Activities"),
    "names": N_("Activities"),
}
# What an item of a list is called on the page, when it has a name of its own: the label
# and the item's number, as one sentence to translate.
_ITEMS = {
    "reps": N_("%(label)s, set %(number)s"),
    "seconds": N_("%(label)s, set %(number)s"),
    "sets": N_("%(label)s, set %(number)s"),
    "self_check": N_("%(label)s, question %(number)s"),
    "values": N_("%(label)s, question %(number)s"),
}
# Fields the questionnaires name by their number alone ("question 3", "activity 2").
_NUMBERED = {"question": N_("Question %(number)s"), "activity": N_("Activity %(number)s")}
_ITEM_OF_A_LIST = N_("%(label)s, item %(number)s")
_ITEM = re.compile(r"^(\w+) \((?:item|set) (\d+)\)$")
_NUMBER = re.compile(r"^(question|activity) (\d+)$")


def on_screen(field: str) -> str:
    """The label of `field` on the page ("reps (item 2)" -> "Reps in each set, set 2")."""
    numbered = _NUMBER.match(field)
    if numbered:
        return _(_NUMBERED[numbered.group(1)]) % {"number": numbered.group(2)}
    item = _ITEM.match(field)
    name, number = (item.group(1), item.group(2)) if item else (field, None)
    known = _LABELS.get(name)
    label = _(known) if known else name.replace("_", " ").capitalize()
    if number is None:
        return label
    return _(_ITEMS.get(name, _ITEM_OF_A_LIST)) % {"label": label, "number": number}
