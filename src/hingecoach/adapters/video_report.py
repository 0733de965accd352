"""A self-contained HTML form report: key frames with the skeleton drawn at each rep's bottom
and top, and angle-over-time charts. Images are inlined (base64 JPEG, inline SVG): the file
opens offline and can be sent as one attachment.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

import numpy as np

from hingecoach.adapters.vision_extra import require_cv2
from hingecoach.motion.kinematics import kinematics
from hingecoach.motion.pose import Landmark, PoseSequence

__all__ = ["angle_chart", "key_frames", "write_html_report"]

L = Landmark
_BONES = [
    (L.LEFT_EAR, L.LEFT_SHOULDER), (L.RIGHT_EAR, L.RIGHT_SHOULDER),
    (L.LEFT_SHOULDER, L.RIGHT_SHOULDER), (L.LEFT_HIP, L.RIGHT_HIP),
    (L.LEFT_SHOULDER, L.LEFT_HIP), (L.RIGHT_SHOULDER, L.RIGHT_HIP),
    (L.LEFT_SHOULDER, L.LEFT_ELBOW), (L.LEFT_ELBOW, L.LEFT_WRIST),
    (L.RIGHT_SHOULDER, L.RIGHT_ELBOW), (L.RIGHT_ELBOW, L.RIGHT_WRIST),
    (L.LEFT_HIP, L.LEFT_KNEE), (L.LEFT_KNEE, L.LEFT_ANKLE), (L.LEFT_ANKLE, L.LEFT_HEEL),
    (L.LEFT_HEEL, L.LEFT_FOOT_INDEX), (L.RIGHT_HIP, L.RIGHT_KNEE), (L.RIGHT_KNEE, L.RIGHT_ANKLE),
    (L.RIGHT_ANKLE, L.RIGHT_HEEL), (L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX),
]  # fmt: skip


def _frame_at(video: Path | None, pose: PoseSequence, index: int) -> Any:
    cv2 = require_cv2()
    if video is not None:
        cap = cv2.VideoCapture(str(video))
        try:
            cap.set(cv2.CAP_PROP_POS_FRAMES, index)
            ok, bgr = cap.read()
        finally:
            cap.release()
        if ok and bgr is not None:
            return bgr
    return np.full((pose.height, pose.width, 3), 255, dtype=np.uint8)


def _draw(image: Any, pose: PoseSequence, index: int) -> Any:
    cv2 = require_cv2()
    px = pose.pixels()[index]
    scale = max(1, round(max(image.shape[:2]) / 400))
    for a, b in _BONES:
        pa, pb = px[a], px[b]
        if np.all(np.isfinite([*pa, *pb])):
            cv2.line(
                image, (int(pa[0]), int(pa[1])), (int(pb[0]), int(pb[1])), (40, 200, 40), 2 * scale
            )
    for point in px:
        if np.all(np.isfinite(point)):
            cv2.circle(image, (int(point[0]), int(point[1])), 2 * scale, (20, 20, 220), -1)
    return image


def _jpeg(image: Any) -> str:
    cv2 = require_cv2()
    height = image.shape[0]
    if height > 480:
        image = cv2.resize(image, (int(image.shape[1] * 480 / height), 480))
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    return base64.b64encode(buffer.tobytes()).decode("ascii") if ok else ""


def _chart(pose: PoseSequence, events: list[tuple[float, float, float]]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    k = kinematics(pose)
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.plot(k.times, k.hip_flexion, label="hip flexion")
    ax.plot(k.times, k.knee_flexion, label="knee flexion")
    ax.plot(k.times, k.trunk_angle, label="trunk from vertical")
    for start, bottom, end in events:
        ax.axvspan(start, end, color="0.9")
        ax.axvline(bottom, color="0.6", linewidth=0.8)
    ax.set_xlabel("seconds")
    ax.set_ylabel("degrees")
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    svg = out.getvalue()
    return svg[svg.index("<svg") :]


def key_frames(
    pose: PoseSequence, events: list[tuple[int, int, int]], video: Path | None
) -> list[dict[str, Any]]:
    """Each rep's bottom and top, skeleton drawn: {rep, label, time, jpeg (base64)}."""
    found = []
    for number, (_, bottom, end) in enumerate(events, start=1):
        for label, index in (("bottom", bottom), ("top", end)):
            picture = _jpeg(_draw(_frame_at(video, pose, index), pose, index))
            found.append(
                {
                    "rep": number,
                    "label": label,
                    "time": round(float(pose.times[index]), 2),
                    "jpeg": picture,
                }
            )
    return found


def angle_chart(pose: PoseSequence, events: list[tuple[int, int, int]]) -> str:
    """Hip, knee and trunk angles over time as SVG, each rep shaded, its bottom marked."""
    seconds = [
        (float(pose.times[a]), float(pose.times[b]), float(pose.times[c])) for a, b, c in events
    ]
    return _chart(pose, seconds)


def write_html_report(
    data: dict[str, Any],
    pose: PoseSequence,
    events: list[tuple[int, int, int]],
    video: Path | None,
    path: Path,
) -> None:
    """Write the report: `data` is the `--json` shape, `events` frame indices per rep."""
    frames = [
        f'<figure><img alt="rep {f["rep"]} {f["label"]}" src="data:image/jpeg;base64,{f["jpeg"]}"><figcaption>rep {f["rep"]}, {f["label"]} ({f["time"]:.1f} s)</figcaption></figure>'
        for f in key_frames(pose, events, video)
    ]
    faults = (
        "".join(
            f"<li><b>{html.escape(f['code'])}</b>, rep {f['rep']} at {f['time']} s: {f['value']} (expected {html.escape(f['expected'])}). {html.escape(f['advice'])}</li>"
            for f in data["faults"]
        )
        or "<li>No faults found in what the camera could judge.</li>"
    )
    skipped = "".join(
        f"<li>{html.escape(n['check'])}: {html.escape(n['why'])}</li>" for n in data["not_judged"]
    )
    mastery = "".join(
        f"<li>{html.escape(m['status'])}: {html.escape(m['item'])}</li>" for m in data["mastery"]
    )
    title = html.escape(f"{data['exercise']['name']}: form report")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;line-height:1.4}}
figure{{display:inline-block;margin:.3rem;text-align:center}}img{{max-height:240px}}svg{{max-width:100%;height:auto}}</style>
</head><body>
<h1>{title}</h1>
<p><b>{data["reps"]}</b> reps (partial: {data["partial_reps"]}), pattern <b>{data["pattern"]["overall"]}</b>,
view {html.escape(str((data["view"] or {}).get("kind")))}, person tracked in {data["tracking"]["fraction"]:.0%} of frames.</p>
<h2>Faults</h2><ul>{faults}</ul>
<h2>Not judged</h2><ul>{skipped or "<li>Everything this exercise asks for was judged.</li>"}</ul>
<h2>Self-check items</h2><ul>{mastery}</ul>
<h2>Angles over time</h2>{angle_chart(pose, events)}
<h2>Key frames</h2>{"".join(frames)}
<p><small>{html.escape(data["note"])}</small></p>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
