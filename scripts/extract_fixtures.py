"""Extract keypoints from the labelled clips in ../shared/videos into committed fixtures.

The clips themselves may not be copied into the repository; their keypoints may. Run with
`.venv/bin/python scripts/extract_fixtures.py [CLIP ...]` after a pose-model change.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from hingecoach.adapters.keypoints import write_keypoints
from hingecoach.adapters.pose import estimate
from hingecoach.adapters.video import probe

ROOT = Path(__file__).resolve().parents[1]
VIDEOS = ROOT.parent / "shared" / "videos"
OUT = ROOT / "tests" / "fixtures" / "keypoints"


def main(names: list[str]) -> None:
    clips = [VIDEOS / n for n in names] if names else sorted(VIDEOS.glob("*.mp4"))
    for clip in clips:
        t0 = time.perf_counter()
        pose = estimate(probe(clip))
        write_keypoints(pose, OUT / f"{clip.stem}.npz")
        took = time.perf_counter() - t0
        print(
            f"{clip.name}: {pose.frames} frames in {took:.1f} s ({pose.frames / took:.0f} fps)",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
