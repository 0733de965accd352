"""Pain monitoring: the light of one session (rules P1-P3, SX1-SX5).

After the pain-monitoring model of Thomee 1997 and Silbernagel 2007 [X]; symptoms that
spread away from the spine are red whatever the number (Aina 2004, May 2012) [E].
Same-day readings are folded with `max`, so the order readings arrive in never matters.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from hingecoach.engine.model import CheckIn, Light, Session
from hingecoach.engine.policy import Policy
from hingecoach.engine.symptoms import Finding, morning_findings, nerve_signs, session_findings
from hingecoach.engine.texts import days as n_days
from hingecoach.engine.texts import mornings as n_mornings
from hingecoach.engine.texts import num, pain, points
from hingecoach.language import _

__all__ = [
    "CheckInIndex",
    "LightVerdict",
    "Mornings",
    "baseline",
    "flare_days",
    "high_pain_mornings",
    "is_red",
    "morning_by_day",
    "nerve_signs",
    "session_light",
    "weekly_rising_runs",
]


# A reason as written, or as a function that writes it: a decision judges every session of
# its window (about 90 at two years) and reads the reasons of only a few, so a green or
# amber light's reasons are written when first read (bench/engine.py).
Reason = str | Callable[[], str]


@dataclass(frozen=True)
class LightVerdict:
    light: Light
    rules: tuple[str, ...]
    said: tuple[Reason, ...] = field(default=(), compare=False, repr=False)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Each reason in the reader's language (lights are kept per language)."""
        return tuple(_written(reason) for reason in self.said)


def _written(reason: Reason) -> str:
    return reason if isinstance(reason, str) else reason()


_DAY = timedelta(days=1)


class Mornings(dict[date, int]):
    """Worst morning pain per day, indexed for the windows the rules read.

    A decision judges every session of its window and each reads a few means, so means come
    from running sums over day numbers (ordinals): no list, no date arithmetic per read.
    """

    def __init__(self, by_day: Mapping[date, int]) -> None:
        super().__init__(by_day)
        self.days = sorted(by_day)
        self._ordinals = [d.toordinal() for d in self.days]
        self._values = [by_day[d] for d in self.days]
        self._sums = list(itertools.accumulate(self._values, initial=0))

    def count_before(self, day: date) -> int:
        return bisect_left(self.days, day)

    def _span(self, last: date, days: int, back: int) -> tuple[int, int]:
        end = last.toordinal() - back
        return bisect_left(self._ordinals, end - days + 1), bisect_right(self._ordinals, end)

    def readings(self, last: date, days: int, back: int = 0) -> list[int]:
        """The readings of the `days` days ending `back` days before `last`, oldest first."""
        lo, hi = self._span(last, days, back)
        return self._values[lo:hi]

    def mean(self, last: date, days: int, back: int = 0) -> float | None:
        """The mean reading of the `days` days ending `back` days before `last` (None when
        none of them has a reading)."""
        lo, hi = self._span(last, days, back)
        return (self._sums[hi] - self._sums[lo]) / (hi - lo) if hi > lo else None


def morning_by_day(checkins: Iterable[CheckIn]) -> Mornings:
    """One reading per day: the worst, so duplicate or reordered readings agree."""
    days: dict[date, int] = {}
    for c in checkins:
        days[c.day] = max(days.get(c.day, 0), c.pain)
    return Mornings(days)


def _as_mornings(mornings: Mapping[date, int]) -> Mornings:
    return mornings if isinstance(mornings, Mornings) else Mornings(mornings)


def baseline(
    mornings: Mapping[date, int], onboarding_pain: int, before: date, policy: Policy
) -> float:
    """Mean morning pain over the last `baseline_days` before `before`.

    Until that many mornings exist, the onboarding pain stands in (domain-rules.md).
    """
    log = _as_mornings(mornings)
    if log.count_before(before) < policy.baseline_days:
        return float(onboarding_pain)
    mean = log.mean(before, policy.baseline_days, back=1)
    return float(onboarding_pain) if mean is None else mean


def weekly_rising_runs(mornings: Mapping[date, int], today: date, policy: Policy) -> int:
    """How many weeks running (0, 1 or 2) the weekly mean morning pain has risen."""
    log = _as_mornings(mornings)
    runs, newer = 0, log.mean(today, 7)
    for weeks_back in (1, 2):  # an older week is read only when the newer one rose
        older = log.mean(today, 7, back=7 * weeks_back)
        if newer is None or older is None or newer - older < policy.weekly_rise_margin:
            break
        runs, newer = runs + 1, older
    return runs


def high_pain_mornings(mornings: Mapping[date, int], end: date, policy: Policy) -> list[int]:
    """Rule P6: the mornings of the last `high_pain_days` when every one is severe.

    Severe is `high_pain_min` or more, whatever the baseline: a learner who starts at 9/10 and
    stays there never rises above their own baseline, so the relative lights alone would call
    every morning green. At least half the days need a reading; else nothing (empty list).
    """
    log = _as_mornings(mornings)
    readings = log.readings(end, policy.high_pain_days)
    enough = len(readings) * 2 >= policy.high_pain_days
    if enough and min(readings) >= policy.high_pain_min:
        return readings
    return []


_FLARE_LOOKBACK_DAYS = 60


def flare_days(
    mornings: Mapping[date, int], onboarding_pain: int, today: date, policy: Policy
) -> int:
    """Length of the longest run of mornings, ending today, above its pre-flare baseline.

    Each candidate run is judged against the baseline from before the run starts, so a long
    flare cannot raise its own baseline and hide itself (rule P4). Shorter runs sit on a
    baseline made of flare mornings and fail, so every length is tried, not only the first.
    """
    longest, lowest, start = 0, float("inf"), today
    for length in range(1, _FLARE_LOOKBACK_DAYS + 1):
        if start not in mornings:
            break
        lowest = min(lowest, mornings[start])  # the run's lowest morning, today back to start
        limit = baseline(mornings, onboarding_pain, start, policy) + policy.morning_amber_margin
        if lowest > limit:
            longest = length
        start -= _DAY
    return longest


def _red_reasons(session: Session, policy: Policy) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if session.pain_during > policy.pain_during_max:
        found.append(
            (
                "P3",
                _("pain during the session was {during}, above {limit}").format(
                    during=pain(session.pain_during), limit=pain(policy.pain_during_max)
                ),
            )
        )
    found += [(f.rule, f.text) for f in _symptoms(session, policy) if f.light is Light.RED]
    return found


def _symptoms(session: Session, policy: Policy) -> tuple[Finding, ...]:
    return session_findings(session.area, session.qualities, session.faded_with_rest, policy)


def _usual(mornings: Mapping[date, int], base: float, day: date, policy: Policy) -> str:
    """Where the baseline comes from: the mornings, or the pain given at the start."""
    if _as_mornings(mornings).count_before(day) < policy.baseline_days:
        return _("your pain when you started ({pain})").format(pain=pain(base))
    return _("your usual {usual} (the mean of your last {mornings})").format(
        usual=num(round(base, 1)), mornings=n_mornings(policy.baseline_days)
    )


def _morning_verdict(
    session: Session, mornings: Mapping[date, int], onboarding: int, soreness: bool, policy: Policy
) -> tuple[Light, str, Reason]:
    next_day = session.day + _DAY
    base = baseline(mornings, onboarding, session.day, policy)
    if next_day not in mornings:
        return (
            Light.PENDING,
            "P1",
            lambda: _("waiting for the next-morning check-in before judging this session"),
        )
    rise = mornings[next_day] - base
    worst = mornings[next_day]

    def usual() -> str:
        return _usual(mornings, base, session.day, policy)

    if rise <= 0:
        return (
            Light.GREEN,
            "P1",
            lambda: _("next-morning pain {pain} was no higher than {usual}").format(
                pain=pain(worst), usual=usual()
            ),
        )
    if rise > policy.morning_amber_margin and soreness:
        return (
            Light.AMBER,
            "SX4",
            lambda: _(
                "the next morning was worse, but you marked it as muscle soreness in the worked muscles, which is expected after new work and is not a flare"
            ),
        )
    if rise > policy.morning_amber_margin:
        return (
            Light.RED,
            "P3",
            _("next-morning pain {pain} was more than {margin} above {usual}").format(
                pain=pain(worst), margin=points(policy.morning_amber_margin), usual=usual()
            ),
        )
    after = next_day + _DAY
    settled = after in mornings and mornings[after] <= base

    def amber() -> str:
        if settled:
            said = _("next-morning pain was up to {margin} above {usual} and settled the day after")
        else:
            said = _(
                "next-morning pain was up to {margin} above {usual} (check it settles by tomorrow)"
            )
        return said.format(margin=points(policy.morning_amber_margin), usual=usual())

    return Light.AMBER, "P2", amber


@dataclass(frozen=True)
class CheckInIndex:
    """Check-ins up to a day, indexed once so many sessions can be judged cheaply."""

    mornings: Mornings
    by_day: Mapping[date, tuple[CheckIn, ...]]

    @classmethod
    def of(cls, checkins: Iterable[CheckIn], today: date) -> CheckInIndex:
        known = [c for c in checkins if c.day <= today]
        grouped: dict[date, list[CheckIn]] = {}
        for c in known:
            grouped.setdefault(c.day, []).append(c)
        return cls(morning_by_day(known), {d: tuple(cs) for d, cs in grouped.items()})


def session_light(
    session: Session,
    checkins: Iterable[CheckIn],
    onboarding_pain: int,
    policy: Policy,
    today: date,
    index: CheckInIndex | None = None,
) -> LightVerdict:
    """The light of one session as of `today` (later readings cannot be known yet).

    `index`, built once from the same check-ins and `today`, saves re-reading every
    check-in when many sessions of one history are judged.
    """
    if index is None:
        index = CheckInIndex.of(checkins, today)
    reds, morning, end, rising = _red_part(session, onboarding_pain, policy, today, index)
    if reds:
        unique = dict.fromkeys(reds)
        return LightVerdict(Light.RED, tuple(r for r, _t in unique), tuple(t for _r, t in unique))
    return _non_red(session, morning, (index.mornings, end, rising), policy)


def is_red(
    session: Session, onboarding_pain: int, policy: Policy, today: date, index: CheckInIndex
) -> bool:
    """Whether `session_light` would be red, from the red rules alone: a decision asks
    this of every session of its window (a red is never lost), and the rest of a light
    (amber or green, and why) of a few (issue 9: a third of a decision's time)."""
    return bool(_red_part(session, onboarding_pain, policy, today, index)[0])


def _red_part(
    session: Session, onboarding_pain: int, policy: Policy, today: date, index: CheckInIndex
) -> tuple[list[tuple[str, str]], tuple[Light, str, Reason], date, int]:
    """What makes a session red (rule, reason), with what the other lights read after it:
    the morning's verdict, the last day judged, and the weeks of rising pain up to it."""
    mornings = index.mornings
    reds = _red_reasons(session, policy)
    next_day = session.day + _DAY
    next_readings = index.by_day.get(next_day, ())
    # Same-day readings count as their worst: soreness only if every reading says so.
    soreness = bool(next_readings) and all(c.soreness for c in next_readings)
    for reading in next_readings:
        reds += [
            (f.rule, f.text)
            for f in morning_findings(reading.area, reading.qualities, reading.soreness)
        ]
    morning = _morning_verdict(session, mornings, onboarding_pain, soreness, policy)
    if morning[0] is Light.RED:
        reds.append((morning[1], _written(morning[2])))
    end = min(today, next_day)
    rising = weekly_rising_runs(mornings, end, policy)
    if rising >= 2:
        reds.append(
            (
                "P3",
                _(
                    "your weekly mean morning pain has risen two weeks running (by {margin} or "
                    "more each week)"
                ).format(margin=points(policy.weekly_rise_margin)),
            )
        )
    return reds, morning, end, rising


def _non_red(
    session: Session,
    morning: tuple[Light, str, Reason],
    weeks: tuple[Mapping[date, int], date, int],
    policy: Policy,
) -> LightVerdict:
    """Green, amber or pending: the morning's verdict, then what can turn green to amber.
    `weeks` is the mornings, the last day judged, and the weeks of rising pain up to it."""
    light, rule, reason = morning
    mornings, end, rising = weeks
    rules: list[str] = [rule]
    reasons: list[Reason] = [reason]
    if session.pain_after > policy.pain_after_max:
        light = Light.AMBER if light is not Light.PENDING else light
        rules.append("P2")
        reasons.append(
            lambda: _("pain right after was {after}, above {limit}").format(
                after=pain(session.pain_after), limit=pain(policy.pain_after_max)
            )
        )
    if rising == 1 and light is Light.GREEN:
        light = Light.AMBER
        rules.append("P2")
        reasons.append(
            lambda: _("your weekly mean morning pain rose this week (by {margin} or more)").format(
                margin=points(policy.weekly_rise_margin)
            )
        )
    if light is Light.GREEN and high_pain_mornings(mornings, end, policy):
        light = Light.AMBER
        rules.append("P6")
        reasons.append(
            lambda: _(
                "your mornings have been at {pain} or more for {days}, which is not a pain to "
                "progress on"
            ).format(pain=pain(policy.high_pain_min), days=n_days(policy.high_pain_days))
        )
    for finding in _symptoms(session, policy):
        rules.append(finding.rule)
        reasons.append(finding.text)
        if finding.light is Light.AMBER and light is Light.GREEN:
            light = Light.AMBER
    return LightVerdict(light, tuple(rules), tuple(reasons))
