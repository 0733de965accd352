"""Every threshold the motion code uses, in one frozen object, each with its source or the
measurement it was set from.

[E]/[D] as in domain-rules.md; [M] marks a value measured on the labelled clips in
../shared/videos (the committed keypoint fixtures reproduce it): keep those under review as
more clips are labelled.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["THRESHOLDS", "MotionThresholds"]


@dataclass(frozen=True)
class MotionThresholds:
    # -- hinge or squat at the bottom of a rep ------------------------------------------
    # Centres (knee flexion, trunk from vertical) of two bands of domain-rules.md (after
    # Schellenberg 2013, von Arx 2021, Esola 1996): squat knee 100-130, trunk 20-50; the
    # hinge-to-squat lift from the floor knee 60-110, trunk 30-60 [D]. A rep is told by
    # which side of the line halfway between them it falls (the stiff-leg hinge and hip
    # hinge bands lie far on the lift's side). Read in 3-D where the model gives world
    # landmarks, so the camera's angle does not change it.
    squat_centre: tuple[float, float] = (115.0, 35.0)
    lift_centre: tuple[float, float] = (85.0, 45.0)
    # Within this many degrees of that line the call is "unsure": the bands overlap there,
    # and a phone is off by 6-12 deg at the knee (domain-rules.md) [D].
    pattern_margin: float = 5.0
    # A trunk this far from vertical is past every squat band (20-50) by more than the
    # margin: a hinge, whatever the knees read [D].
    hinge_trunk_min: float = 55.0
    # The pattern is read over the frames of a rep within this fraction of its depth from
    # its deepest point (its bottom, not one frame) [D].
    bottom_zone: float = 0.2

    # -- what a phone camera can see (domain-rules.md, Sage 2025) -----------------------
    # Knees off by 6-12 deg, hips by 11-17: never call a band broken under 10 deg past it [E].
    angle_tolerance: float = 10.0
    # Rep boundaries are known to a few frames (0.25 s is about 7 frames at 30 fps) [M].
    tempo_tolerance: float = 0.25
    # From an oblique view (`side_view_max` to `front_view_min`) the hip angles a side view
    # needs (depth, lockout) are read in 3-D from the world landmarks, whose depth the model
    # guesses from one camera: "the view angle matters" (domain-rules.md). Such a band is
    # called broken only 5 deg further out: the depth 15 deg past it, the top of the 10-15
    # deg under which domain-rules.md never decides and near the top of the hip's 11-17 deg
    # error (Sage 2025) [E/D]. The knee is not read so: its 3-D angle strays 20-45 deg from
    # an oblique view on the labelled clips, past any band (docs/vision.md) [M].
    oblique_tolerance: float = 5.0
    # Within 20 deg of the standing hip angle still counts as standing tall: the camera's
    # hip error plus a soft lockout [D].
    lockout_max: float = 20.0

    # -- the standing posture each clip is compared with (its calibration) --------------
    # Read where the learner stands still: before the first rep, or (a lift filmed from the
    # floor) at the most upright top of a rep, since the lockout is standing too. Either is
    # taken as standing only with the hips and the trunk within 30 deg of straight: a
    # standing hip reads 0 side on, the camera's hip error reaches 17 deg (Sage 2025), plus
    # the 10-deg tolerance, rounded up to the 30 deg the view already calls upright [E/D].
    standing_max: float = 30.0

    # -- hips rising before the shoulders, in a lift from the floor ----------------------
    # From the floor to the knees the trunk keeps its angle while hips and shoulders rise
    # together; hips that rise first tip it further forward (the shoulders stay down while
    # the hips go up) [D, the lift's cue "push the floor away"]. Called when it tips forward
    # by more than 15 deg: a change between two moments of one clip, read through the hip
    # landmark, whose error (11-17 deg, Sage 2025) puts it at the top of the 10-15 deg under
    # which domain-rules.md never decides [E].
    hips_first_min: float = 15.0
    # The pull starts in the rep's bottom (`bottom_zone`: the shoulders hardly move there,
    # the hips may). A pause at the bottom is the set-up, not the pull: the hips moving slower than 0.15
    # leg lengths a second (a pull moves them about 1 a second) for at least 0.3 s; the
    # pull is read from its end, so hips raised into a set-up (a sumo wedge) and held do
    # not count [D].
    still_speed: float = 0.15
    pause_seconds: float = 0.3
    set_up_depth: float = 0.5  # a set-up pause has the shoulders past half the rep's depth [D]
    # The pull has left the floor once the hips have risen this fraction of the way from
    # their lowest to standing: past it the trunk must come up anyway [D].
    pull_rise: float = 0.67

    # -- heels lifting -------------------------------------------------------------------
    # Heels down: the foot's heel-to-toe line keeps its standing slope. A lift worth a cue
    # raises the heel about 3-4 cm, 10 deg on the 20 cm from heel to toe [D]; the foot is the
    # shortest segment the model places, so its angle is the least sure: called only 15 deg
    # past that, the top of the camera's 10-15 deg [E].
    heel_lift_min: float = 10.0
    foot_tolerance: float = 15.0
    # A raised heel turns the foot about its toes within the picture: the toes stay where
    # they stood (within a quarter of a foot length), the foot keeps its length (within
    # 15 %) and the heel-ankle-toe triangle its shape (within 15 deg). A foot that reads
    # otherwise is hidden (behind a plate), turned away from the camera, or guessed, and
    # its slope says nothing [D].
    toe_drift: float = 0.25
    foot_length_change: float = 0.15
    foot_shape_change: float = 15.0
    # A rep's heels are judged only when the foot was read that way in half its frames [D].
    feet_seen_share: float = 0.5

    # -- how sure a fault is (its confidence) ------------------------------------------
    # Joints the model gives at 0.8 visibility or more were seen clearly; under 0.5, hard
    # to see (0.3 is not seen at all, `seen_min`) [D].
    seen_clearly: float = 0.8
    seen_partly: float = 0.5

    # -- counting reps: two thresholds plus gates (Sports2D, kineticstoolkit) ----------
    rep_enter: float = 0.55  # a descent counts once it passes this fraction of the range [M]
    rep_leave: float = 0.25  # and ends when it comes back above this fraction [M]
    rep_min_depth: float = 0.10  # body lengths: smaller dips are fidgets, not reps [M]
    rep_min_seconds: float = 0.4  # faster than any controlled rep [D]
    rep_max_seconds: float = 15.0  # slower is a pause or a set-down, not one rep [D]
    standing_band: float = 0.1  # fraction of the dip still counted as standing [M]
    # A landmark the model gives under this visibility is taken as not seen. Ankles half
    # hidden behind a barbell's plates still come at 0.35-0.5 on the labelled clips, and sit
    # where the feet are; a joint wholly out of sight comes lower [M].
    seen_min: float = 0.3
    # Shoulder-to-ankle height is about 2.7 trunk lengths (shoulder 0.818 H, hip 0.530 H,
    # ankle 0.039 H: Winter 2009, anthropometric table), the scale when the legs are hidden.
    body_per_trunk: float = 2.7
    # Shoulders last seen this close to the top of the picture (a fraction of its height)
    # and lost left it upward: the person is standing tall above the frame [D].
    top_edge: float = 0.1
    # Standing tall, the world landmarks put the shoulders about 3 % of the trunk + thigh +
    # shin below that sum above the ankles (0.01-0.05 on the labelled clips' standing
    # frames, a wide sumo stance 0.10) [M]: the level of shoulders gone above the picture.
    world_standing_drop: float = 0.03
    # A lift from the floor whose clip ends on the way up counts once it has come this
    # fraction of the way from the bottom to standing: more than half way, the lift is made
    # and only its lockout was not filmed [D].
    lift_finish: float = 0.6
    swing_rise_seconds: float = 0.9  # a swing's drive up; a pick-up or park is slower [M]
    # A swing passes through its bottom: the bell's backswing turns back at once, so the
    # shoulders stay within `bottom_zone` of their lowest for 0.10-0.36 s on the labelled
    # swing clips and their shaken variants. A pick-up or a park crouches there with the
    # bell on the floor: 0.53-0.97 s. A dip that stays low longer than halfway between is
    # not a swing [M].
    swing_bottom_seconds: float = 0.45
    top_window_seconds: float = 1.0  # after a rep, where its most upright moment is looked for

    # -- the camera's angle to the person (shoulder width / torso length, standing) ----
    side_view_max: float = 0.35  # shoulders nearly overlap: a side view [M]
    front_view_min: float = 0.65  # shoulders wide apart: a front view [M]

    # -- when a clip can be judged at all ----------------------------------------------
    min_tracked: float = 0.6  # fraction of frames with a person in view [D]
    # The hips moving more than a trunk length (about half a metre) a frame, over 15 m/s at
    # 30 frames a second and 7 at 15: no lifter moves so fast; the model has taken someone
    # else (or the clip cut) [D].
    person_leap: float = 1.0
    # Leaping back within 2 s to where they were, the model followed someone else for a
    # moment (a passer-by) and found the lifter again: those frames are not the lifter's.
    # More than 2 % of frames leaping (and more than one moment away and back), it keeps
    # jumping between people: refused [D].
    switch_max_seconds: float = 2.0
    jumps_max_share: float = 0.02
    # Found first (or last) this close to the side of the picture, the person walked in
    # (or out): the empty frames before (or after) are not tracking lost [D].
    walk_edge: float = 0.05
    # Feet up to a tenth of the picture past its edge still leave most of the shin in view,
    # and the model places them from it: the clip is judged, not refused as cut off [D].
    ankle_margin: float = 0.1
    min_seconds: float = 1.0
    min_frames: int = 15
    gap_fill_seconds: float = 0.3  # bridge a missing joint this long, no longer [D]
    lowpass_hz: float = 6.0  # zero-phase Butterworth for human movement at 30 fps (Winter)

    @property
    def swing_timing_tolerance(self) -> float:
        """Swing timing: the arms' speed peaking before the hips' is called only when it
        comes more than half a period of the low-pass (`lowpass_hz`) first: a peak is not
        placed more finely than that after filtering ("judge timing", domain-rules.md) [D]."""
        return 0.5 / self.lowpass_hz


THRESHOLDS = MotionThresholds()
