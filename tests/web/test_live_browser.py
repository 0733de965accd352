"""Live coaching in a real browser: Debian's Chromium with a fake camera fed from a labelled
clip (converted to Y4M: tests/vision/y4m.py), the browser's pose model served by this
server, the live rep count on the page, and the server's report on the keypoints the page
sent. Both counts must match the clip's label, and the video must never leave the page.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from tests.vision.conftest import VIDEOS, shared_or_skip
from tests.vision.y4m import write_y4m

from .test_browser import (
    ARGS,
    PHONE,
    _chromium_or_skip,
    _pain,
    _serving,
    _settings,
    _shot,
    _sign_up,
)

pytestmark = pytest.mark.slow

# A kettlebell deadlift from the side, ten reps, labelled (labels.csv); its eleventh descent
# sets the bell down and is not a rep.
CLIP, EXERCISE, REPS = "idds_0016c_1.mp4", "kb_lift", 10
LEAD, TAIL = 2.0, 8.0  # seconds held still before and after the clip


@pytest.fixture(scope="module")
def camera_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    clip = shared_or_skip(VIDEOS / CLIP)
    out = tmp_path_factory.mktemp("camera") / "clip.y4m"
    return out, write_y4m(clip, out, lead=LEAD, tail=TAIL)


@pytest.fixture
def camera_browser(camera_file: tuple[Path, float]) -> Iterator[object]:
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    fake = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={camera_file[0]}",
    ]
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=[*ARGS, *fake])
        yield chromium
        chromium.close()


def test_live_coaching_counts_the_set_and_the_server_agrees(
    store: Store,
    catalog: Catalog,
    tmp_path: Path,
    camera_browser: object,
    camera_file: tuple[Path, float],
    request: pytest.FixtureRequest,
) -> None:
    settings = _settings(store, tmp_path)
    context = camera_browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)  # type: ignore[attr-defined]
    context.grant_permissions(["camera"])
    page = context.new_page()
    sent: list[tuple[str, int]] = []  # every request the page makes, and its body's size
    page.on("request", lambda r: sent.append((r.url, len(r.post_data_buffer or b""))))
    with _serving(settings, store, catalog) as server:
        _sign_up(page, server, "lia@example.com")
        page.get_by_label("None of these").check()
        _pain(page, "How much pain do you have right now?", 2)
        page.get_by_role("button", name="Find my first step").click()
        page.get_by_role("heading", name="Your first step: step 1").wait_for()
        page.goto(f"{server}/form-checks/live?exercise={EXERCISE}")
        page.get_by_role("button", name="Start the camera").click()
        page.locator("#live[data-state=running]").wait_for(timeout=120_000)
        length = camera_file[1]
        deadline = time.monotonic() + LEAD + length + 3  # well before the camera loops
        while time.monotonic() < deadline:
            time.sleep(0.5)
        live = int(page.locator("#live-reps").inner_text())
        size = page.evaluate(
            "[document.getElementById('live-canvas').width, document.getElementById('live-canvas').height]"
        )
        _shot(page, "phone-live-1-watching", request)
        page.get_by_role("button", name="Finish the set").click()
        page.get_by_text("What the camera saw").wait_for(timeout=60_000)
        _shot(page, "phone-live-2-report", request)
        report = page.locator("p.big").inner_text()
        answer = page.request.get(page.url.replace(server, f"{server}/api/v1"))
        check = answer.json()
    context.close()

    assert size == [270, 480], f"the camera's picture came as {size}"
    assert live == REPS, f"the live count said {live}"
    assert report.startswith(f"{REPS} reps"), report
    assert check["report"]["reps"] == REPS
    assert check["report"]["exercise"]["id"] == EXERCISE
    posted = [(url, size) for url, size in sent if url.endswith("/api/v1/form-checks/live")]
    assert len(posted) == 1
    # Keypoints only: about 2 kB a frame, far under the clip's own frames (270 x 480 each).
    frames = posted[0][1] / 2000
    assert posted[0][1] < 270 * 480 * 1.5 * 30, "more than keypoints was sent"
    assert frames > length * 5, f"the page kept too few frames ({frames:.0f})"
    assert not any("blob:" in url or url.endswith(".y4m") for url, _ in sent)


def test_a_plain_http_address_is_told_it_needs_https(
    store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    """A phone on the clinic's Wi-Fi reaching the app by http://name: not a secure page, so
    the browser will not give it the camera; the page says so instead of failing on a tap."""
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    settings = _settings(store, tmp_path)
    with _serving(settings, store, catalog) as server, sync_playwright() as p:
        port = server.rsplit(":", 1)[1]
        rules = "--host-resolver-rules=MAP hinge.test 127.0.0.1"
        chromium = p.chromium.launch(executable_path=executable, args=[*ARGS, rules])
        page = chromium.new_page(viewport=PHONE)
        base = f"http://hinge.test:{port}"
        _sign_up(page, base, "lia@example.com")
        page.get_by_label("None of these").check()
        _pain(page, "How much pain do you have right now?", 2)
        page.get_by_role("button", name="Find my first step").click()
        page.get_by_role("heading", name="Your first step: step 1").wait_for()
        page.goto(f"{base}/form-checks/live")
        page.locator("#live[data-state=no-camera]").wait_for()
        assert "secure (https) address" in page.locator("#live-status").inner_text()
        assert page.get_by_role("button", name="Start the camera").is_disabled()
        assert page.get_by_role("link", name="Film a clip instead").is_visible()
        chromium.close()
