"""A form check's texts in the reader's language, said when its page is drawn.

A check is stored as the API gives it (`hinge analyze --json`), in English: each text a whole
message written by motion (REASONS, DEFAULT_ADVICE, WHY_NOT, and how sure each fault is and
what to film next time: CONFIDENCE, FILM_TIPS), the catalog (a fault's fix, a self-check
item, the exercise's name), the schema (its note) or the job (FAILED, STOPPED).
So a report made in English reads in Spanish later, and the API keeps its English. A text
without values is said through `_`; one made from a template with values (the clip's
length, the views) is matched back to its template, which `_` says and its values fill in
(a view by its words in VIEWS, a number as the reader's language writes it). Their Spanish
is in locale/es/LC_MESSAGES/formcheck.po, the catalog's names and items in catalog.po.

A clip the decoder refused (a `VideoError`) has an adapter's message naming the file and its
numbers; a reader of another language reads its fault code's own sentence (VIDEO) instead.
"""

from __future__ import annotations

import re
import string
from typing import Any

from hingecoach.engine.texts import N_, num
from hingecoach.language import _
from hingecoach.motion.analysis import REASONS
from hingecoach.motion.checks import WHY_NOT
from hingecoach.motion.honesty import CONFIDENCE, FILM_TIPS
from hingecoach.services.form_checks import FAILED, STOPPED

__all__ = ["PLAIN", "TEMPLATES", "VIDEO", "VIEWS", "said", "said_error", "said_report"]

# The texts with values a stored check can hold, as they were filled in.
TEMPLATES = (*REASONS.values(), *WHY_NOT.values(), FAILED, STOPPED)
# Texts without values a report carries besides the catalog's: how sure each fault is, and
# what to film differently next time (motion/honesty.py).
PLAIN = (*CONFIDENCE.values(), *FILM_TIPS.values())
# The views a template names (motion/kinematics.py), as the sentence around them needs them.
VIEWS = {"side": N_("a side view"), "front": N_("a front view"), "oblique": N_("an oblique view")}
_WORDS = {"needed": VIEWS, "seen": VIEWS}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")

# Each video fault code (errors.VIDEO_FAULTS) said to a learner, with what to do.
VIDEO = {
    "not_a_video": N_(
        "This file is not a video. Record an MP4 or MOV with the phone's camera app."
    ),
    "truncated_video": N_(
        "The clip is cut short: the recording or the upload stopped part way. Send it again."
    ),
    "unreadable_video": N_(
        "No picture could be read from this clip; the file may be damaged. Record it again."
    ),
    "picture_too_small": N_(
        "The picture is too small to see a body in. Record with the phone's camera app."
    ),
    "picture_too_large": N_(
        "The picture is larger than 4K. Record at 4K or lower (1080p is plenty)."
    ),
    "video_too_large": N_("The clip is over the size limit. Trim it to one set."),
    "video_too_long": N_("The clip is over the length limit. Record one set at a time."),
    "vision_missing": N_(
        "Form checks cannot be analysed on this server just now. Try again later."
    ),
}


def _pattern(template: str) -> re.Pattern[str]:
    """The template as a pattern that finds its values again in the text it filled."""
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(f"(?P<{field}>.+?)")
    return re.compile("".join(parts))


_PATTERNS = [(template, _pattern(template)) for template in TEMPLATES]


def said(text: str) -> str:
    """A stored English text in the reader's language; the text as stored when the
    reader's language has no other words for it (English, or a text no one wrote for it)."""
    if not text:
        return text  # gettext's '' is its header
    translated = _(text)
    if translated != text:
        return translated
    for template, pattern in _PATTERNS:
        found = pattern.fullmatch(text)
        if found is not None:
            return _filled(template, found.groupdict(), text)
    return text


def _filled(template: str, values: dict[str, str], text: str) -> str:
    translated = _(template)
    if translated == template:
        return text
    return translated.format(**{name: _value(name, v) for name, v in values.items()})


def _value(name: str, value: str) -> str:
    words = _WORDS.get(name, {})
    if value in words:
        return _(words[value])
    return num(float(value)) if _NUMBER.fullmatch(value) else value


def said_error(code: str, message: str) -> str:
    """Why a check was refused or stopped: its message said, else its video fault code's
    sentence when the reader's language has one, else the message as stored."""
    shown = said(message)
    if shown == message and code in VIDEO and _(VIDEO[code]) != VIDEO[code]:
        return _(VIDEO[code])
    return shown


def said_report(report: dict[str, Any]) -> dict[str, Any]:
    """A report (the `hinge analyze --json` shape) with every text a page shows said."""
    refusal = report.get("refusal")
    return report | {
        "exercise": report["exercise"] | {"name": said(report["exercise"]["name"])},
        "refusal": refusal and refusal | {"reason": said(refusal["reason"])},
        "faults": [_said_fault(f) for f in report["faults"]],
        "not_judged": [n | {"why": said(n["why"])} for n in report["not_judged"]],
        "mastery": [m | {"item": said(m["item"])} for m in report["mastery"]],
        "note": said(report["note"]),
        "film_next_time": [said(tip) for tip in report.get("film_next_time", [])],
    }


def _said_fault(fault: dict[str, Any]) -> dict[str, Any]:
    sure = fault.get("confidence")
    if sure:
        sure = sure | {"reasons": [said(reason) for reason in sure["reasons"]]}
    return fault | {"advice": said(fault["advice"]), "confidence": sure}
