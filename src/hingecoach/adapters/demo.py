"""The demonstration figure: an exercise's kinematic model (catalog Demo) drawn as SVG.

A stick figure, side on, facing right: the foot (or, kneeling, the knee) stays on the floor
and the shin, thigh, trunk and arm turn by the catalog's angles, so every segment keeps its
length in every pose. One SVG holds both the moving figure (SMIL, a rep over the demo's
seconds, repeating) and the still of the key pose with its cue; the page shows the still
instead when the reader asks for reduced motion (app.css). Nothing is copied from a video
or a picture: the poses are numbers in the catalog. The figure's text alternative is in the
reader's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from hingecoach.catalog.model import Demo, Exercise
from hingecoach.language import _

__all__ = ["Joints", "demo_svg", "joints_of"]

# Segment lengths as parts of a body about 1.75 units tall (Winter's anthropometric ratios,
# rounded: shin 0.246 H, thigh 0.245 H, trunk 0.288 H, arm 0.44 H).
_SHIN, _THIGH, _TRUNK, _NECK, _ARM, _HEAD = 0.43, 0.43, 0.50, 0.08, 0.60, 0.11
_WIDTH, _HEIGHT, _SCALE = 240, 200, 100  # picture units; metres -> picture units
_FLOOR = 190


@dataclass(frozen=True)
class Joints:
    """Where each joint is, in metres: x forward, y up, the floor at 0."""

    foot: tuple[float, float]
    knee: tuple[float, float]
    hip: tuple[float, float]
    shoulder: tuple[float, float]
    head: tuple[float, float]
    hand: tuple[float, float]


def _step(start: tuple[float, float], length: float, tilt: float) -> tuple[float, float]:
    """The far end of a segment `length` long leaning `tilt` degrees forward of vertical."""
    rad = math.radians(tilt)
    return start[0] + length * math.sin(rad), start[1] + length * math.cos(rad)


def joints_of(demo: Demo, pose: tuple[float, float, float, float]) -> Joints:
    """The figure in one pose. Kneeling, the knee is on the floor and the foot behind it."""
    shin, thigh, trunk, arm = pose
    if demo.base == "kneeling":
        knee = (0.0, 0.0)
        foot = (-_SHIN, 0.0)
    else:
        foot = (0.0, 0.0)
        knee = _step(foot, _SHIN, shin)
    hip = _step(knee, _THIGH, thigh)
    shoulder = _step(hip, _TRUNK, trunk)
    head = _step(shoulder, _NECK + _HEAD, trunk)
    hand = _step(shoulder, -_ARM, -arm)  # the arm hangs down from the shoulder
    return Joints(foot, knee, hip, shoulder, head, hand)


def _xy(point: tuple[float, float]) -> tuple[float, float]:
    """Metres to picture units: the figure stands on the floor line, a little left of centre."""
    return round(90 + point[0] * _SCALE, 1), round(_FLOOR - point[1] * _SCALE, 1)


_BONES = (("foot", "knee"), ("knee", "hip"), ("hip", "shoulder"), ("shoulder", "hand"))


def _segments(demo: Demo, joints: Joints) -> dict[str, tuple[float, float, float, float]]:
    lines = {}
    for a, b in _BONES:
        (x1, y1), (x2, y2) = _xy(getattr(joints, a)), _xy(getattr(joints, b))
        lines[f"{a}-{b}"] = (x1, y1, x2, y2)
    if demo.prop == "dowel":  # along the back, from behind the head to the tailbone
        (x1, y1), (x2, y2) = _xy(joints.head), _xy(joints.hip)
        lines["dowel"] = (x1 - 6, y1, x2 - 6, y2 + 6)
    return lines


def _figure(demo: Demo, joints: Joints, animate: list[Joints] | None) -> str:
    """The figure's lines and head; with `animate`, each moves through those poses."""
    parts = []
    frames = [_segments(demo, j) for j in animate] if animate else []
    times = ";".join(f"{i / (len(frames) - 1):.3f}" for i in range(len(frames))) if frames else ""
    for name, (x1, y1, x2, y2) in _segments(demo, joints).items():
        moves = ""
        if frames:
            for k, attr in enumerate(("x1", "y1", "x2", "y2")):
                values = ";".join(str(f[name][k]) for f in frames)
                moves += _animate(attr, values, times, demo.seconds)
        kind = "prop" if name == "dowel" else "bone"
        parts.append(f'<line class="{kind}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}">{moves}</line>')
    hx, hy = _xy(joints.head)
    head_moves = ""
    if animate:
        heads = [_xy(j.head) for j in animate]
        head_moves = _animate("cx", ";".join(str(h[0]) for h in heads), times, demo.seconds)
        head_moves += _animate("cy", ";".join(str(h[1]) for h in heads), times, demo.seconds)
    parts.append(
        f'<circle class="head" cx="{hx}" cy="{hy}" r="{_HEAD * _SCALE}">{head_moves}</circle>'
    )
    parts.append(_prop_at_hand(demo, joints, animate, times))
    return "".join(parts)


def _prop_at_hand(demo: Demo, joints: Joints, animate: list[Joints] | None, times: str) -> str:
    if demo.prop != "kettlebell":
        return ""
    x, y = _xy(joints.hand)
    moves = ""
    if animate:
        hands = [_xy(j.hand) for j in animate]
        moves = _animate("cx", ";".join(str(h[0]) for h in hands), times, demo.seconds)
        moves += _animate("cy", ";".join(str(h[1] + 8) for h in hands), times, demo.seconds)
    return f'<circle class="bell" cx="{x}" cy="{y + 8}" r="8">{moves}</circle>'


def _animate(attr: str, values: str, times: str, seconds: float) -> str:
    return (
        f'<animate attributeName="{attr}" values="{values}" keyTimes="{times}" '
        f'dur="{seconds:g}s" repeatCount="indefinite" calcMode="spline" '
        f'keySplines="{";".join(["0.45 0 0.55 1"] * (len(times.split(";")) - 1))}"/>'
    )


def _frame(poses: list[Joints]) -> str:
    """The viewBox around every pose of the rep (and a little floor), so each figure fills
    its picture whether it kneels or stands."""
    points = [_xy(getattr(j, name)) for j in poses for name in Joints.__dataclass_fields__]
    pad = _HEAD * _SCALE + 10
    left = min(x for x, _ in points) - pad
    right = max(x for x, _ in points) + pad
    top = min(y for _, y in points) - pad
    width, height = right - left, _FLOOR + 6 - top
    side = max(width, height)  # square: the same size on the page for every exercise
    left -= (side - width) / 2
    top -= side - height
    return f"{left:.0f} {top:.0f} {side:.0f} {side:.0f}"


def demo_svg(exercise: Exercise, ident: str = "demo") -> str:
    """The exercise's demonstration: the moving figure, and the key pose as a still with its
    cue (for reduced motion and for print). `ident` keeps ids unique on a page."""
    demo = exercise.demo
    poses = [joints_of(demo, p) for p in demo.poses]
    key = poses[demo.key]
    title = escape(
        _("{name}: a figure shows one rep, side on. {cue}").format(
            name=_(exercise.name), cue=_(demo.cue)
        )
    )
    floor = f'<line class="floor" x1="-200" y1="{_FLOOR}" x2="{_WIDTH + 200}" y2="{_FLOOR}"/>'
    band = ""
    if demo.prop == "band":  # anchored behind, at hip height
        hx, hy = _xy(key.hip)
        band = f'<line class="band" x1="{hx - 70}" y1="{hy}" x2="{hx}" y2="{hy}"/>'
    return (
        f'<svg class="demo" viewBox="{_frame(poses)}" role="img" '
        f'aria-labelledby="{ident}-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-title">{title}</title>{floor}{band}'
        f'<g class="moving">{_figure(demo, poses[0], poses)}</g>'
        f'<g class="still">{_figure(demo, key, None)}</g>'
        "</svg>"
    )
