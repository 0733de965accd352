"""Vision benchmark: pose-model-only and end-to-end throughput on the same clips, one run.

For the full and the heavy landmark model: frames/s of the pose model alone (one tracker,
frames decoded beforehand, not timed), of the whole analysis as the server runs it (decode
+ pose on both cores + everything after; HINGE_POSE_WORKERS=2), their ratio, and the
multiple of real time; then the time per frame of everything after pose, and the peak
memory of the process.
Targets (issue 12): the full model >= 1.5x real time on a 30 fps clip, the heavy >= 1x,
end-to-end >= 0.9 x the pose model's own throughput; after-pose < 2 ms a frame (issue 4).
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

from hingecoach.adapters.pose import _native_logs_silenced
from hingecoach.adapters.pose_options import COMPLEXITY, PoseOptions
from hingecoach.adapters.video import frames, probe
from hingecoach.adapters.vision_extra import require_mediapipe
from hingecoach.catalog import builtin_catalog, check_spec_for
from hingecoach.motion.analysis import analyze
from hingecoach.services.analysis import analyse_video

VIDEOS = Path(__file__).resolve().parents[2] / "shared" / "videos"
CLIPS = ("kbtrainer_kbsRusso.mp4", "idds_0016c_1.mp4")
TARGETS = {"full": 1.5, "heavy": 1.0}  # times real time


def pose_only_fps(clip: Path, model: str) -> float:
    rgb = [f.rgb for f in frames(probe(clip))]
    mp = require_mediapipe()
    with (
        _native_logs_silenced(),
        mp.solutions.pose.Pose(model_complexity=COMPLEXITY[model]) as pose,
    ):
        t0 = time.perf_counter()
        for image in rgb:
            pose.process(image)
        return len(rgb) / (time.perf_counter() - t0)


def end_to_end(clip: Path, model: str) -> tuple[float, float, float]:
    catalog = builtin_catalog()
    info = probe(clip)
    t0 = time.perf_counter()
    result = analyse_video(catalog, "kb_swing", clip, options=PoseOptions(model=model, workers=2))
    took = time.perf_counter() - t0
    spec = check_spec_for(catalog.exercises["kb_swing"])
    t1 = time.perf_counter()
    for _ in range(5):
        analyze(result.pose, spec)
    after_ms = (time.perf_counter() - t1) / 5 / result.pose.frames * 1000
    return result.pose.frames / took, info.duration / took, after_ms


def main() -> None:
    print("vision: pose-only (one tracker) vs end-to-end (both cores) on the same clips, this run")
    for model in COMPLEXITY:
        for name in CLIPS:
            clip = VIDEOS / name
            if not clip.exists():
                print(f"  {name}: not found beside the checkout, skipped")
                continue
            fps_pose = pose_only_fps(clip, model)
            fps_e2e, realtime, after_ms = end_to_end(clip, model)
            info = probe(clip)
            verdict = "met" if realtime >= TARGETS[model] else "NOT met"
            print(
                f"  {model:5} {name:24} {info.fps:4.0f} fps clip | pose-only {fps_pose:5.1f} f/s | "
                f"end-to-end {fps_e2e:5.1f} f/s | ratio {fps_e2e / fps_pose:4.2f} | "
                f"{realtime:4.2f}x real time (target {TARGETS[model]}x: {verdict}) | "
                f"after pose {after_ms:5.2f} ms/frame"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory (whole process): {peak:.0f} MB")


if __name__ == "__main__":
    main()
