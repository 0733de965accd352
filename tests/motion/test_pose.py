"""`PoseSequence` is checked on creation and says what shape it wanted and what it got."""

from __future__ import annotations

import numpy as np
import pytest

from hingecoach.errors import ValidationError
from hingecoach.motion.pose import LANDMARKS, Landmark, PoseSequence

FRAMES = 5


def arrays(frames: int = FRAMES) -> dict[str, np.ndarray]:
    return {
        "image": np.full((frames, LANDMARKS, 3), 0.5),
        "visibility": np.full((frames, LANDMARKS), 0.9),
        "times": np.arange(frames) / 30.0,
    }


def make(**changes: object) -> PoseSequence:
    fields: dict[str, object] = {**arrays(), "width": 640, "height": 480, **changes}
    return PoseSequence(**fields)  # type: ignore[arg-type]


def test_landmark_indices_follow_blazepose() -> None:
    assert len(Landmark) == LANDMARKS == 33
    assert (Landmark.LEFT_SHOULDER, Landmark.RIGHT_HIP, Landmark.RIGHT_FOOT_INDEX) == (11, 24, 32)


def test_a_well_formed_sequence_is_accepted() -> None:
    pose = make()
    assert (pose.frames, pose.duration, pose.fps) == (FRAMES, pytest.approx(4 / 30), 30.0)


@pytest.mark.parametrize(
    ("field", "bad", "expected"),
    [
        ("image", np.zeros((FRAMES, LANDMARKS, 2)), f"({FRAMES}, 33, 3)"),
        ("image", np.zeros((FRAMES, 17, 3)), f"({FRAMES}, 33, 3)"),
        ("image", np.zeros((FRAMES + 1, LANDMARKS, 3)), f"({FRAMES}, 33, 3)"),
        ("visibility", np.zeros((FRAMES, LANDMARKS, 1)), f"({FRAMES}, 33)"),
        ("world", np.zeros((FRAMES, LANDMARKS, 2)), f"({FRAMES}, 33, 3)"),
        ("times", np.zeros((FRAMES, 1)), "(frames,)"),
    ],
    ids=[
        "image-xy-only",
        "image-17-points",
        "image-extra-frame",
        "visibility-3d",
        "world-xy-only",
        "times-2d",
    ],
)
def test_a_wrong_shape_is_refused_naming_the_field_and_both_shapes(
    field: str, bad: np.ndarray, expected: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        make(**{field: bad})
    error = caught.value
    assert error.field == field
    assert expected in error.expected
    assert str(bad.shape) in str(error.received)
    assert field in str(error)
    assert expected in str(error)
    assert str(bad.shape) in str(error)


@pytest.mark.parametrize(
    "times", [[0.0, 0.1, 0.1, 0.2, 0.3], [0.0, 0.2, 0.1, 0.3, 0.4]], ids=["repeat", "step-back"]
)
def test_times_that_do_not_strictly_increase_are_refused(times: list[float]) -> None:
    with pytest.raises(ValidationError) as caught:
        make(times=np.array(times))
    assert caught.value.field == "times"


@pytest.mark.parametrize(("width", "height"), [(0, 480), (-640, 480), (640, 0)])
def test_a_frame_without_positive_size_is_refused(width: int, height: int) -> None:
    with pytest.raises(ValidationError, match="width and height") as caught:
        make(width=width, height=height)
    assert caught.value.received == (width, height)


def test_pixels_scale_x_by_width_and_y_by_height() -> None:
    image = np.full((FRAMES, LANDMARKS, 3), np.nan)
    image[:, Landmark.NOSE] = (0.5, 0.25, -0.1)
    px = make(image=image).pixels()
    assert px.shape == (FRAMES, LANDMARKS, 2)
    np.testing.assert_allclose(px[:, Landmark.NOSE], np.tile([320.0, 120.0], (FRAMES, 1)))
    assert np.isnan(px[:, Landmark.LEFT_HIP]).all()


def test_frames_with_no_landmark_are_not_tracked() -> None:
    image = np.full((FRAMES, LANDMARKS, 3), 0.5)
    image[1] = np.nan
    image[3, 1:] = np.nan  # one landmark left: still a person
    assert make(image=image).tracked().tolist() == [True, False, True, True, True]


def test_a_slice_keeps_frame_size_model_and_metadata() -> None:
    world = np.random.default_rng(0).normal(size=(FRAMES, LANDMARKS, 3))
    pose = make(world=world, model="blazepose-full", meta={"source": "clip.mp4"})
    part = pose.slice(1, 4)
    assert (part.frames, part.width, part.height, part.model) == (3, 640, 480, "blazepose-full")
    assert part.meta == {"source": "clip.mp4"}
    np.testing.assert_array_equal(part.times, pose.times[1:4])
    np.testing.assert_array_equal(part.image, pose.image[1:4])
    np.testing.assert_array_equal(part.visibility, pose.visibility[1:4])
    assert part.world is not None
    np.testing.assert_array_equal(part.world, world[1:4])


def test_a_slice_without_world_coordinates_has_none() -> None:
    assert make().slice(0, 2).world is None
