"""Every labelled clip, judged from its committed keypoints exactly as `hinge analyze` would.

Counts, partial reps and the hinge-or-squat pattern must match the labels, the labelled
faults must be found, and no clip labelled without a fault may carry a trunk-line or
knee-dominant fault.
"""

from __future__ import annotations

import pytest

from hingecoach.catalog import Catalog
from hingecoach.services.analysis import analyse_keypoints
from tests.vision.conftest import EXERCISE_OF, FAULT_CODE, FIXTURES, labelled_clips

CLIPS = labelled_clips()


def test_the_labels_are_there_to_check_against() -> None:
    from tests.vision.conftest import VIDEOS, shared_or_skip

    shared_or_skip(VIDEOS / "labels.csv")
    assert len(CLIPS) == 15


@pytest.mark.parametrize("row", CLIPS, ids=[r["file"] for r in CLIPS])
def test_labelled_clip_gets_the_right_count_pattern_and_faults(
    row: dict[str, str], catalog: Catalog
) -> None:
    fixture = FIXTURES / row["file"].replace(".mp4", ".npz")
    result = analyse_keypoints(catalog, EXERCISE_OF[row["exercise"]], fixture)
    report = result.report
    assert report.judged, report.refusal
    assert len(report.reps) == int(row["reps"])
    assert report.partial_reps == int(row["partial_reps"] or 0)
    assert report.pattern == row["pattern"]
    found = {f.code for f in report.faults}
    if row["fault"] in FAULT_CODE:
        assert FAULT_CODE[row["fault"]] in found
    else:
        assert not found & set(FAULT_CODE.values()), found
