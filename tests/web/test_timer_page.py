"""The timer page in a real Chromium at phone size, with the page's clock driven by the test.

Step 1 of the default ladder gives two sets of 30 s with 60 s rest, after 5 s to get ready:
work starts at 5 s, rest at 35 s, the second set at 95 s, and it is done at 125 s. The
device's voice is replaced before the page loads, so the spoken cues can be read back from
`window.__spoken`; beeps are counted in `window.__beeps`. Screenshots (idle, paused, the
confirm step, stopped early) go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from . import test_browser as journeys
from .test_browser import PHONE, _pain, _shot, _sign_up

pytestmark = pytest.mark.slow
browser, server = journeys.browser, journeys.server  # their fixtures, requested by name below

# Runs before any page script: a fake voice that writes down what it is asked to say, and a
# counter on every beep's oscillator.
_DEVICE = """
window.__spoken = [];
window.__beeps = 0;
const voices = %s;
speechSynthesis.speak = (line) => { window.__spoken.push(line.text); };
speechSynthesis.getVoices = () => voices;
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) {
  window.__beeps += 1;
  return start.apply(this, args);
};
"""
_A_VOICE = (
    '[{name: "Test voice", lang: "en-GB", voiceURI: "test", default: true, localService: true}]'
)


def _timer(browser: Any, server: str, voices: str = _A_VOICE) -> Any:
    """A new learner at step 1, on the timer page, with the page's clock held by the test."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)
    page = context.new_page()
    page.clock.install()
    page.add_init_script(_DEVICE % voices)
    _sign_up(page, server, "ana@example.com")
    page.wait_for_url(f"{server}/start")
    page.get_by_label("None of these").check()
    _pain(page, "How much pain do you have right now?", 3)
    page.get_by_role("button", name="Find my first step").click()
    page.get_by_role("heading", name="Your first step: step 1").wait_for()
    page.goto(f"{server}/timer")
    return page


def _start_and_work_three_seconds(page: Any) -> None:
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(8000)
    assert page.locator("#phase").inner_text() == "Work"
    assert page.locator("#clock").inner_text() == "0:27"


def _gap(a: dict[str, float], b: dict[str, float]) -> float:
    """The shortest distance between two boxes' edges (0 when they touch or overlap)."""
    dx = max(0.0, b["x"] - (a["x"] + a["width"]), a["x"] - (b["x"] + b["width"]))
    dy = max(0.0, b["y"] - (a["y"] + a["height"]), a["y"] - (b["y"] + b["height"]))
    return math.hypot(dx, dy)


def test_the_idle_timer_shows_the_first_sets_time(
    server: str, browser: Any, request: pytest.FixtureRequest
) -> None:
    page = _timer(browser, server)

    assert page.locator("#clock").inner_text() == "0:30"
    assert page.locator("#setcount").inner_text() == "Set 1 of 2"
    assert page.get_by_role("button", name="Start").is_visible()
    _shot(page, "phone-timer-1-idle", request)


def test_pause_shows_paused_and_holds_the_clock_until_resume(
    server: str, browser: Any, request: pytest.FixtureRequest
) -> None:
    page = _timer(browser, server)
    _start_and_work_three_seconds(page)

    page.get_by_role("button", name="Pause").click()
    page.clock.run_for(10_000)
    assert page.locator("#phase").inner_text() == "Paused"
    assert page.locator("#phase").is_visible()
    assert page.locator("#clock").inner_text() == "0:27"
    assert page.evaluate("window.__spoken").count("Paused") == 1
    _shot(page, "phone-timer-2-paused", request)

    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(2000)
    assert page.locator("#phase").inner_text() == "Work"
    assert page.locator("#clock").inner_text() == "0:25"
    assert page.get_by_role("button", name="Pause").is_visible()


def test_stop_asks_first_and_keep_going_keeps_it_running(
    server: str, browser: Any, request: pytest.FixtureRequest
) -> None:
    page = _timer(browser, server)
    _start_and_work_three_seconds(page)

    page.get_by_role("button", name="Stop").click()
    ask = page.get_by_role("dialog", name="Stop the timer?")
    assert ask.is_visible()
    keep, stop_now = (
        ask.get_by_role("button", name="Keep going"),
        ask.get_by_role("button", name="Stop now"),
    )
    assert keep.evaluate("button => button === document.activeElement")  # the safe choice
    assert _gap(keep.bounding_box(), stop_now.bounding_box()) >= 16
    _shot(page, "phone-timer-3-confirm", request)
    page.clock.run_for(2000)
    assert page.locator("#clock").inner_text() == "0:25"  # still running while it asks

    keep.click()
    page.clock.run_for(1000)
    assert not ask.is_visible()
    assert page.locator("#phase").inner_text() == "Work"
    assert page.locator("#clock").inner_text() == "0:24"


def test_stopping_in_set_one_names_the_set_and_offers_the_log_never_well_done(
    server: str, browser: Any, request: pytest.FixtureRequest
) -> None:
    page = _timer(browser, server)
    _start_and_work_three_seconds(page)

    page.get_by_role("button", name="Stop").click()
    page.get_by_role("dialog", name="Stop the timer?").get_by_role(
        "button", name="Stop now"
    ).click()
    assert page.locator("#phase").inner_text() == "Stopped early"
    assert "You stopped in set 1 of 2." in page.locator("#stopped").inner_text()
    log_link = page.get_by_role("link", name="Log what you did")
    assert log_link.get_attribute("href") == "/log?sets_done=1"
    assert not page.get_by_role("button", name="Pause").is_visible()
    assert page.evaluate("window.__spoken")[-1] == "Stopped"
    _shot(page, "phone-timer-4-stopped-early", request)

    page.clock.run_for(200_000)  # long past the end of the schedule: it stays stopped
    body = page.locator("body").inner_text()
    assert "Well done" not in body
    assert not page.locator("#done").is_visible()
    assert "Done" not in page.evaluate("window.__spoken")

    page.get_by_role("link", name="Log what you did").click()
    page.get_by_role("heading", name="Log a session").wait_for()
    seconds = [box.input_value() for box in page.locator("input[name=seconds]").all()]
    assert seconds == ["30", ""]  # the set begun, and none for the one not done


@pytest.mark.parametrize(
    ("after_ms", "said", "offers_log"),
    [
        (2000, "You stopped before set 1.", False),  # still getting ready
        (8000, "You stopped in set 1 of 2.", True),
        (40_000, "You stopped after set 1 of 2.", True),  # resting after set 1
    ],
)
def test_an_early_stop_says_where_it_stopped(
    server: str, browser: Any, after_ms: int, said: str, offers_log: bool
) -> None:
    page = _timer(browser, server)
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(after_ms)

    page.get_by_role("button", name="Stop").click()
    page.get_by_role("button", name="Stop now").click()
    assert page.locator("#stopped-where").inner_text() == said
    assert page.get_by_role("link", name="Log what you did").is_visible() == offers_log
    assert page.get_by_role("link", name="Start again").is_visible()


def test_finishing_every_set_says_done_and_speaks_each_change(
    server: str, browser: Any, request: pytest.FixtureRequest
) -> None:
    page = _timer(browser, server)
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(126_000)

    assert page.locator("#phase").inner_text() == "Done"
    assert page.locator("#done").is_visible()
    assert "Well done" in page.locator("#cue").inner_text()
    assert not page.locator("#stopped").is_visible()
    spoken = page.evaluate("window.__spoken")
    assert spoken == ["Get ready", "Set 1 of 2: work", "Rest", "Set 2 of 2: work", "Done"]
    assert page.evaluate("window.__beeps") > 0  # a voice adds to the beeps, not instead
    _shot(page, "phone-timer-5-done", request)


def test_a_phone_without_a_voice_beeps_and_says_nothing(server: str, browser: Any) -> None:
    page = _timer(browser, server, voices="[]")
    assert not page.get_by_label("Spoken cues").is_visible()

    page.get_by_role("button", name="Start").click()
    page.clock.run_for(8000)
    assert page.evaluate("window.__spoken") == []
    assert page.evaluate("window.__beeps") >= 2  # get ready, then work


def test_pause_and_stop_are_large_and_far_apart_on_a_phone(server: str, browser: Any) -> None:
    page = _timer(browser, server)
    page.get_by_role("button", name="Start").click()

    pause = page.get_by_role("button", name="Pause").bounding_box()
    stop = page.get_by_role("button", name="Stop").bounding_box()
    for box in (pause, stop):
        assert box["height"] >= 44
        assert box["width"] >= 44
    assert _gap(pause, stop) >= 16
