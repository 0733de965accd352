"""Vision benchmark: pose-model-only and end-to-end throughput on the same clips, one run.

Reports frames/s for the pose model alone (frames decoded beforehand, not timed), for the
whole analysis (decode + pose + everything after), their ratio, the multiple of real time,
the time per frame of everything after pose, and the peak memory of the process.
Targets (issue 4): end-to-end >= 0.9 x pose-only, >= 1.5 x real time for a 30 fps clip,
after-pose < 2 ms a frame.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

from hingecoach.adapters.pose import _native_logs_silenced
from hingecoach.adapters.video import frames, probe
from hingecoach.adapters.vision_extra import require_mediapipe
from hingecoach.catalog import builtin_catalog, check_spec_for
from hingecoach.motion.analysis import analyze
from hingecoach.services.analysis import analyse_video

VIDEOS = Path(__file__).resolve().parents[2] / "shared" / "videos"
CLIPS = ("kbtrainer_kbsRusso.mp4", "idds_0016c_1.mp4")


def pose_only_fps(clip: Path) -> float:
    rgb = [f.rgb for f in frames(probe(clip))]
    mp = require_mediapipe()
    with _native_logs_silenced(), mp.solutions.pose.Pose(model_complexity=1) as pose:
        t0 = time.perf_counter()
        for image in rgb:
            pose.process(image)
        return len(rgb) / (time.perf_counter() - t0)


def end_to_end(clip: Path) -> tuple[float, float, float]:
    catalog = builtin_catalog()
    info = probe(clip)
    t0 = time.perf_counter()
    result = analyse_video(catalog, "kb_swing", clip)
    took = time.perf_counter() - t0
    spec = check_spec_for(catalog.exercises["kb_swing"])
    t1 = time.perf_counter()
    for _ in range(5):
        analyze(result.pose, spec)
    after_ms = (time.perf_counter() - t1) / 5 / result.pose.frames * 1000
    return result.pose.frames / took, info.duration / took, after_ms


def main() -> None:
    print("vision: pose-only vs end-to-end on the same clips (this run)")
    for name in CLIPS:
        clip = VIDEOS / name
        if not clip.exists():
            print(f"  {name}: not found beside the checkout, skipped")
            continue
        fps_pose = pose_only_fps(clip)
        fps_e2e, realtime, after_ms = end_to_end(clip)
        info = probe(clip)
        print(
            f"  {name:24} {info.fps:4.0f} fps clip | pose-only {fps_pose:5.1f} f/s | end-to-end "
            f"{fps_e2e:5.1f} f/s | ratio {fps_e2e / fps_pose:4.2f} | {realtime:4.2f}x real time | "
            f"after pose {after_ms:5.2f} ms/frame"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory (whole process): {peak:.0f} MB")
