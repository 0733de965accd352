"""One learner's record as a FHIR R4 Bundle a clinic's record system can import.

docs/fhir.md lists every resource, code and field. The models are fhir.resources' R4B ones,
which check every element as it is built; R4B (4.3.0) and R4 (4.0.1) define Patient,
Observation, CarePlan and Bundle alike, so the JSON is R4 as well (the tests read it back
with an independent R4 parser). This module takes plain values: a StatusView is a service
type, which an adapter may not import (pyproject.toml, the layer contract).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Protocol
from uuid import uuid4

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.careplan import CarePlan, CarePlanActivity, CarePlanActivityDetail
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource

from hingecoach.catalog import Ladder
from hingecoach.engine.model import CheckIn, Rung, Session

__all__ = [
    "EXERCISE_THERAPY",
    "LEARNER_SYSTEM",
    "PAIN_SEVERITY",
    "PAIN_TIMING_SYSTEM",
    "QUESTIONNAIRE_CODES",
    "LearnerExport",
    "ScoredQuestionnaire",
    "Timing",
    "bundle_json",
    "empty_bundle",
    "learner_bundle",
    "questionnaire_entries",
]

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
LEARNER_SYSTEM = "urn:hingecoach:learner"
PAIN_TIMING_SYSTEM = "urn:hingecoach:pain-timing"
LADDER_PREFIX = "urn:hingecoach:ladder:"
PAIN_SEVERITY = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
EXERCISE_THERAPY = ("229065009", "Exercise therapy")


class Timing(StrEnum):
    """When a pain reading was felt: a second coding beside LOINC 72514-3 (docs/fhir.md)."""

    BEFORE = "before-session"
    DURING = "during-session"
    AFTER = "after-session"
    MORNING = "next-morning"


_SAID = {
    Timing.BEFORE: "Pain before the exercise session",
    Timing.DURING: "Pain during the exercise session",
    Timing.AFTER: "Pain after the exercise session",
    Timing.MORNING: "Pain at the morning check-in",
}


@dataclass(frozen=True)
class LearnerExport:
    """What the export needs of one learner; `rung` indexes `rungs` (the current step)."""

    learner_id: int
    name: str
    ladder: Ladder
    rungs: tuple[Rung, ...]
    rung: int
    stopped: bool
    stop_reason: str
    sessions: Sequence[Session]
    checkins: Sequence[CheckIn]


class ScoredQuestionnaire(Protocol):
    """A filled, scored questionnaire as the export reads it (a QuestionnaireRecord):
    `answers` is `{"values": [...]}` per question, or `{"activities": [{name, score}]}`."""

    @property
    def measure(self) -> str: ...

    @property
    def day(self) -> date: ...

    @property
    def score(self) -> float | None: ...

    @property
    def answers(self) -> dict[str, Any] | None: ...


QUESTIONNAIRE_SYSTEM = "urn:hingecoach:questionnaire"
# Each measure's response (the panel) and its score, as (system, code, display) (docs/fhir.md).
QUESTIONNAIRE_CODES: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "odi": (
        (LOINC, "97908-8", "Oswestry Disability Index panel"),
        (LOINC, "97909-6", "Oswestry Disability Index score"),
    ),
    "start-back": (
        (LOINC, "91349-1", "STarT Back Screening Tool panel"),
        (LOINC, "91351-7", "STarT Back Screening Tool total score"),
    ),
    "psfs": (
        (QUESTIONNAIRE_SYSTEM, "psfs", "Patient-Specific Functional Scale"),
        (QUESTIONNAIRE_SYSTEM, "psfs-score", "Patient-Specific Functional Scale mean score"),
    ),
    "rmdq": (
        (QUESTIONNAIRE_SYSTEM, "rmdq", "Roland-Morris Disability Questionnaire"),
        (QUESTIONNAIRE_SYSTEM, "rmdq-score", "Roland-Morris Disability Questionnaire score"),
    ),
    "nprs": (
        (QUESTIONNAIRE_SYSTEM, "nprs", "Numeric pain rating"),
        (LOINC, *PAIN_SEVERITY),
    ),
}


@dataclass(frozen=True)
class _Reading:
    timing: Timing
    day: date
    pain: int


def learner_bundle(
    export: LearnerExport, questionnaires: Sequence[ScoredQuestionnaire] = ()
) -> Bundle:
    """Patient, CarePlan, then one Observation per pain reading, in the order logged."""
    patient = _entry(_patient(_uid(), export))
    subject = Reference(reference=patient.fullUrl)
    plan = _entry(_care_plan(_uid(), export, subject))
    pains = [_entry(_pain(_uid(), r, subject)) for r in _readings(export)]
    more = questionnaire_entries(questionnaires, subject)
    return Bundle(type="collection", entry=[patient, plan, *pains, *more])


def empty_bundle() -> Bundle:
    """The export of an account with no programme (a clinician's own): valid, no entries."""
    return Bundle(type="collection")


def bundle_json(bundle: Bundle) -> str:
    return bundle.model_dump_json(indent=2, exclude_comments=True)


def questionnaire_entries(
    scored: Sequence[ScoredQuestionnaire], subject: Reference
) -> list[BundleEntry]:
    """Each filled questionnaire as a QuestionnaireResponse (its answers, one item per
    question), then its score as an Observation derived from it (docs/fhir.md)."""
    entries: list[BundleEntry] = []
    for q in scored:
        response = _entry(_response(_uid(), q, subject))
        entries.append(response)
        if q.score is not None:
            source = Reference(reference=response.fullUrl)
            entries.append(_entry(_score(_uid(), q, subject, source)))
    return entries


def _response(uid: str, q: ScoredQuestionnaire, subject: Reference) -> QuestionnaireResponse:
    panel = QUESTIONNAIRE_CODES[q.measure][0]
    answers = q.answers or {}
    if "activities" in answers:
        items = [
            QuestionnaireResponseItem(
                linkId=f"activity-{n}",
                text=str(a["name"]),
                answer=[QuestionnaireResponseItemAnswer(valueInteger=int(a["score"]))],
            )
            for n, a in enumerate(answers["activities"], start=1)
        ]
    else:
        items = [
            QuestionnaireResponseItem(
                linkId=f"question-{n}",
                answer=[QuestionnaireResponseItemAnswer(valueInteger=v)] if v is not None else None,
            )
            for n, v in enumerate(answers.get("values", []), start=1)
        ]
    return QuestionnaireResponse(
        id=uid,
        status="completed",
        questionnaire=f"{panel[0]}/q/{panel[1]}" if panel[0] == LOINC else f"{panel[0]}:{panel[1]}",
        subject=subject,
        authored=q.day,
        author=subject,
        item=items or None,
    )


def _score(uid: str, q: ScoredQuestionnaire, subject: Reference, source: Reference) -> Observation:
    system, code, display = QUESTIONNAIRE_CODES[q.measure][1]
    return Observation(
        id=uid,
        status="final",
        category=[_concept(OBSERVATION_CATEGORY, "survey", "Survey")],
        code=_concept(system, code, display),
        subject=subject,
        effectiveDateTime=q.day,
        valueQuantity=Quantity(value=q.score),
        derivedFrom=[source],
    )


def _uid() -> str:
    """A random id for each resource of each download. An id made from the learner id would
    be the same for learner 1 of every HingeCoach server: a system importing files from two
    of them would take one person's readings for another's."""
    return str(uuid4())


def _entry(resource: Resource) -> BundleEntry:
    """An entry whose fullUrl is its resource's id as a URN, so references resolve inside
    the Bundle without a server's address."""
    return BundleEntry(fullUrl=f"urn:uuid:{resource.id}", resource=resource)


def _concept(system: str, code: str, display: str) -> CodeableConcept:
    return CodeableConcept(coding=[Coding(system=system, code=code, display=display)])


def _patient(uid: str, export: LearnerExport) -> Patient:
    return Patient(
        id=uid,
        identifier=[Identifier(system=LEARNER_SYSTEM, value=str(export.learner_id))],
        name=[HumanName(text=export.name)],
    )


def _care_plan(uid: str, export: LearnerExport, subject: Reference) -> CarePlan:
    """The ladder and its current step. A stop waits for a clinician's clearance and then
    resumes, which FHIR calls on-hold (revoked would mean no further activity)."""
    step = f"Step {export.rung + 1} of {len(export.rungs)}: {export.rungs[export.rung].name}"
    why = CodeableConcept(text=export.stop_reason) if export.stopped else None
    detail = CarePlanActivityDetail(
        code=_concept(SNOMED, *EXERCISE_THERAPY),
        status="on-hold" if export.stopped else "in-progress",
        statusReason=why,
        description=step,
    )
    return CarePlan(
        id=uid,
        status="on-hold" if export.stopped else "active",
        intent="plan",
        title=export.ladder.name,
        description=export.ladder.description,
        instantiatesUri=[LADDER_PREFIX + export.ladder.id],
        subject=subject,
        activity=[CarePlanActivity(detail=detail)],
    )


def _readings(export: LearnerExport) -> list[_Reading]:
    """Three readings per session (before, during, after), then one per morning check-in."""
    found: list[_Reading] = []
    for s in export.sessions:
        found.append(_Reading(Timing.BEFORE, s.day, s.pain_before))
        found.append(_Reading(Timing.DURING, s.day, s.pain_during))
        found.append(_Reading(Timing.AFTER, s.day, s.pain_after))
    found.extend(_Reading(Timing.MORNING, c.day, c.pain) for c in export.checkins)
    return found


def _pain(uid: str, reading: _Reading, subject: Reference) -> Observation:
    said = _SAID[reading.timing]
    code = CodeableConcept(
        coding=[
            Coding(system=LOINC, code=PAIN_SEVERITY[0], display=PAIN_SEVERITY[1]),
            Coding(system=PAIN_TIMING_SYSTEM, code=reading.timing.value, display=said),
        ],
        text=said,
    )
    return Observation(
        id=uid,
        status="final",
        category=[_concept(OBSERVATION_CATEGORY, "survey", "Survey")],
        code=code,
        subject=subject,
        effectiveDateTime=reading.day,
        performer=[subject],  # reported by the learner
        valueInteger=reading.pain,
    )
