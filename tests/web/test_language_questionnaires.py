"""Every text of every questionnaire has its Spanish, and the pages show it; so do the words
a score is read in.

The questionnaires (catalog/questionnaires.py) are written in English and put into the
reader's language where their public shapes are built (schemas/outcomes.py): a name, why it
is asked, what is said before the items, each item's label, the ends of a scale and the
choices. A text added in English without its Spanish fails here.
"""

from __future__ import annotations

import pytest

from hingecoach.adapters.locale import translator
from hingecoach.catalog.questionnaires import QUESTIONNAIRES, Questionnaire
from hingecoach.engine.outcomes import Measure
from hingecoach.language import speaking
from hingecoach.schemas.outcomes import _CHANGE_WORDS, _IMPORTANT, QuestionnairePublic, shown

# The ODI's bands, as engine/outcomes.py names them.
ODI_BANDS = ("minimal", "moderate", "severe", "crippled", "bed-bound")

# The published short names the same in both languages (the words of test_language's SAME).
_SAME_WORDS = {"NPRS", "ODI", "RMDQ", "PSFS", "STarT", "Back", "Oswestry", "Roland", "Morris"}


def _texts(q: Questionnaire) -> list[str]:
    found = [q.name, q.why, q.lead]
    for item in q.items:
        found += [item.label, *item.anchors, *item.options]
    return [t for t in found if t]


def _published(text: str) -> bool:
    words = text.replace("(", " ").replace(")", " ").replace("-", " ").split()
    return all(w in _SAME_WORDS for w in words)


@pytest.mark.parametrize("q", list(QUESTIONNAIRES.values()), ids=lambda q: q.measure.value)
def test_every_text_of_a_questionnaire_has_its_spanish(q: Questionnaire) -> None:
    spanish = translator("es")
    missing = [t for t in _texts(q) if spanish.gettext(t) == t]
    assert missing == []
    short = spanish.gettext(q.short)
    assert short != q.short or _published(q.short), q.short


@pytest.mark.parametrize("q", list(QUESTIONNAIRES.values()), ids=lambda q: q.measure.value)
def test_a_questionnaire_is_shown_in_spanish(q: Questionnaire) -> None:
    with speaking(translator("es")):
        shown = QuestionnairePublic.of(q)
    english = set(_texts(q))
    spoken = [shown.name, shown.why, shown.lead]
    for item in shown.items:
        spoken += [item.label, *item.anchors, *item.options]
    assert english.isdisjoint(t for t in spoken if t)
    assert QuestionnairePublic.of(q).name == q.name  # English outside a Spanish request


def test_the_words_of_a_score_have_their_spanish() -> None:
    spanish = translator("es")
    words = [*_CHANGE_WORDS.values(), *_IMPORTANT.values()]
    assert [w for w in words if spanish.gettext(w) == w] == []
    scores = [(Measure.ODI, 35.0, band) for band in ODI_BANDS]
    scores += [(Measure.START_BACK, 5.0, band) for band in ("low", "medium", "high")]
    scores += [(Measure.NPRS, None, ""), (Measure.PSFS, 4.3, "4.3/10")]
    with speaking(spanish):
        in_spanish = [shown(*s) for s in scores]
    assert [w for w, s in zip(in_spanish, scores, strict=True) if w == shown(*s)] == []
