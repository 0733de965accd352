"""axe-core (from npm, installed by the Makefile) on every page, in a real Chromium at
phone and desktop sizes, as a learner and as a clinician: any violation fails, whatever its
impact. axe is injected by the test (the pages' own policy allows no inline script, so the
test's browser context bypasses it); nothing of axe is served by the app."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from .conftest import LEARNER_PAGES
from .test_browser import DESKTOP, PHONE, _pain, _sign_up
from .test_browser import browser as browser  # the fixtures, shared
from .test_browser import server as server

pytestmark = pytest.mark.slow

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LEARNER = LEARNER_PAGES
CLINICIAN = ("/clinic", "/clinic/ladders", "/me")
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def _axe_or_skip() -> str:
    if AXE.exists():
        return AXE.read_text(encoding="utf-8")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but axe-core is not at {AXE}: `make test` installs it (npm ci)")
    pytest.skip(f"axe-core not installed at {AXE} (`make test` installs it)")


def _violations(page: Any, axe: str) -> list[tuple[str, str, str]]:
    page.evaluate(axe)
    found = page.evaluate(
        "axe.run(document).then(r => r.violations.map("
        "v => [v.id, v.impact, v.nodes.map(n => n.target.join(' ')).join(' | ')]))"
    )
    return [tuple(v) for v in found]


@pytest.mark.parametrize("size", VIEWPORTS)
def test_no_page_has_an_accessibility_violation(server: str, browser: Any, size: str) -> None:
    axe = _axe_or_skip()
    context = browser.new_context(viewport=VIEWPORTS[size], bypass_csp=True)
    page = context.new_page()
    for path in ("/login", "/signup"):
        page.goto(server + path)
        assert _violations(page, axe) == [], path
    _sign_up(page, server, "dr.lee@example.com", role="clinician")
    page.wait_for_url(f"{server}/clinic")
    page.get_by_role("button", name="Make an invite code").click()
    code = page.locator("#invite-code").inner_text()
    for path in CLINICIAN:
        page.goto(server + path)
        assert _violations(page, axe) == [], path

    learner = browser.new_context(viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    _sign_up(learner, server, "ana@example.com", invite=code)
    learner.wait_for_url(f"{server}/start")
    assert _violations(learner, axe) == [], "/start"
    learner.get_by_label("None of these").check()
    _pain(learner, "How much pain do you have right now?", 3)
    learner.get_by_role("button", name="Find my first step").click()
    learner.get_by_role("heading", name="Your first step: step 1").wait_for()
    assert _violations(learner, axe) == [], "the first step"
    for path in LEARNER:
        learner.goto(server + path)
        assert _violations(learner, axe) == [], path

    page.goto(f"{server}/clinic")
    page.get_by_role("link", name="Ana").click()
    assert _violations(page, axe) == [], "the learner's record"
    context.close()
