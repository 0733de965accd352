// Live rep counting and cues for the live coaching page (live.js), frame by frame as the
// browser's pose model gives them. Plain functions with no page in them, so the same file is
// tested in Node on the labelled clips' keypoints (tests/web/test_live_counter.py).
//
// The signal is the one the server counts with (motion/reps.py): how far the shoulders
// have dropped below standing, in body lengths, from the world landmarks (metres, so the
// camera's distance and angle do not change it): 1 - (shoulder height above the ankles) /
// (trunk + thigh + shin). A rep is a dip past `enter` below the standing level and a
// return within `leave` of it (two thresholds, so a wobble at either is not a rep), lasting
// `min_seconds` to `max_seconds` and at least `min_depth` deep. Every number comes with the page
// (its data-counting: schemas/live.py `Counting`, from motion/thresholds.py), so the live
// count and the server's gates use the same numbers; the live one finds standing as it
// goes (the highest level of the last few seconds). The server's count from the same
// keypoints is the one the report keeps; this one is what the learner sees and hears while
// they move.
(function (root) {
  "use strict";

  const SHOULDERS = [11, 12], HIPS = [23, 24], KNEES = [25, 26], ANKLES = [27, 28];
  const FIRST_DIP = 0.25; // the typical dip before any rep is known, body lengths
  const SMOOTH_SECONDS = 0.1; // the signal's time constant: about the server's 6 Hz low-pass
  const STANDING_SECONDS = 8; // the standing level is the highest position this recently

  function mean(points, ids, axis, seenMin) {
    let sum = 0, n = 0;
    for (const id of ids) {
      const p = points[id];
      if (p && p.visibility >= seenMin) { sum += p[axis]; n += 1; }
    }
    return n ? sum / n : null;
  }

  function pairLength(points, a, b, seenMin) {
    let sum = 0, n = 0;
    for (let side = 0; side < 2; side += 1) {
      const p = points[a[side]], q = points[b[side]];
      if (p && q && p.visibility >= seenMin && q.visibility >= seenMin) {
        sum += Math.hypot(p.x - q.x, p.y - q.y, p.z - q.z);
        n += 1;
      }
    }
    return n ? sum / n : null;
  }

  // The shoulder drop of one frame of world landmarks ({x, y, z, visibility}, y down), or
  // null when the shoulders or the ankles are not seen (under `seenMin` visibility).
  function drop(world, seenMin) {
    const shoulder = mean(world, SHOULDERS, "y", seenMin);
    const ankle = mean(world, ANKLES, "y", seenMin);
    const trunk = pairLength(world, SHOULDERS, HIPS, seenMin);
    const thigh = pairLength(world, HIPS, KNEES, seenMin);
    const shin = pairLength(world, KNEES, ANKLES, seenMin);
    if (shoulder === null || ankle === null || !trunk || !thigh || !shin) return null;
    return 1 - (ankle - shoulder) / (trunk + thigh + shin);
  }

  // What the camera needs of the picture (normalised landmarks): the whole body in view.
  function framing(image, seenMin) {
    if (!image) return "find";
    const seen = (ids) => ids.some((id) => image[id] && image[id].visibility >= seenMin &&
      image[id].x >= 0 && image[id].x <= 1 && image[id].y >= 0 && image[id].y <= 1);
    if (!seen(SHOULDERS)) return "shoulders";
    if (!seen(ANKLES)) return "feet";
    return "ok";
  }

  function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  // A counter: feed it (seconds, world landmarks) frame by frame; it says when a rep ends.
  // `counting` is the page's data-counting (the server's gates, motion/reps.py). For lifts,
  // `set_up_free`: the time held at the bottom before the pull does not count toward
  // `max_seconds`. For swings, `max_rise_seconds` and `max_bottom_seconds`: a dip whose rise
  // from its bottom is slower, or that stays in its bottom (`bottom_zone` of the dip) longer,
  // is a pick-up or a park, not a swing.
  function counter(counting) {
    const c = counting;
    let level = null, last = null;
    let recent = []; // [seconds, level] of the last STANDING_SECONDS
    let down = false, began = 0, deepest = 0, bottomAt = 0;
    let dip = []; // [seconds, depth] since the dip left standing; `bottom` indexes its deepest
    let bottom = 0;
    const dips = [];
    const state = { reps: 0, depth: 0, standing: null, down: false };

    function typical() {
      return dips.length ? Math.min(median(dips.slice(-5)), FIRST_DIP) : FIRST_DIP;
    }

    state.add = function (seconds, world) {
      const raw = world ? drop(world, c.seen_min) : null;
      if (raw === null || !Number.isFinite(raw)) return null;
      const dt = last === null ? 0 : Math.max(seconds - last, 0);
      last = seconds;
      level = level === null ? raw : level + (raw - level) * (1 - Math.exp(-dt / SMOOTH_SECONDS));
      if (!down) {
        // Standing is read while up: a set-up held at the floor must not become it.
        recent.push([seconds, level]);
        recent = recent.filter(([t]) => t >= seconds - STANDING_SECONDS);
      }
      const standing = Math.min(...recent.map(([, v]) => v));
      const depth = level - standing;
      state.standing = standing;
      state.depth = depth;
      const size = typical();
      if (!down && depth <= c.leave * size) {
        began = seconds; // the rep starts where it leaves standing, not where it passes `enter`
        dip = [[seconds, depth]];
      } else if (!down && depth >= Math.max(c.enter * size, c.min_depth)) {
        down = true;
        dip.push([seconds, depth]);
        deepest = depth;
        bottomAt = seconds;
        bottom = dip.length - 1;
      } else if (!down) {
        dip.push([seconds, depth]);
      } else {
        dip.push([seconds, depth]);
        if (depth > deepest) {
          deepest = depth;
          bottomAt = seconds;
          bottom = dip.length - 1;
        }
        // Back within `leave` of the dip: the typical one's, or this one's when it is deeper
        // (a first rep deeper than the guess, a wide sumo lockout standing a little low).
        if (depth <= c.leave * Math.max(size, deepest)) {
          down = false;
          const lasted = seconds - began;
          const pull = c.set_up_free ? seconds - leftBottomAt() : lasted;
          const timed = lasted >= c.min_seconds && pull <= c.max_seconds;
          if (timed && deepest >= c.min_depth && swung(seconds)) {
            dips.push(deepest);
            state.reps += 1;
            state.down = false;
            return { rep: state.reps, depth: deepest, seconds: seconds - began };
          }
        }
      }
      state.down = down;
      return null;
    };

    // A swing rises fast from its bottom and does not stay there (the server's swing gates).
    function swung(seconds) {
      if (c.max_rise_seconds != null && seconds - bottomAt > c.max_rise_seconds) return false;
      return c.max_bottom_seconds == null || secondsAtBottom() <= c.max_bottom_seconds;
    }

    // The dip's bottom: within `bottom_zone` of its depth (from its shallowest point) of its
    // deepest point, as motion/reps.py `_bottom_level`.
    function bottomLevel() {
      const shallowest = Math.min(...dip.map(([, d]) => d));
      return deepest - c.bottom_zone * (deepest - shallowest);
    }

    // Lifts: when the pull left the bottom, however long the set-up held there.
    function leftBottomAt() {
      const level = bottomLevel();
      let at = dip.length - 1;
      while (at > bottom && !(dip[at][1] >= level)) at -= 1;
      return dip[at][0];
    }

    // Seconds the dip stays at its bottom around its deepest point (`_time_at_bottom`).
    function secondsAtBottom() {
      const level = bottomLevel();
      let first = bottom, lastLow = bottom;
      while (first > 0 && dip[first - 1][1] >= level) first -= 1;
      while (lastLow < dip.length - 1 && dip[lastLow + 1][1] >= level) lastLow += 1;
      return dip[lastLow][0] - dip[first][0];
    }
    return state;
  }

  // The knees' bend and the trunk's lean from vertical (degrees, 3-D from the world
  // landmarks, so any camera angle) of one frame, on the side the model sees better.
  function angle(a, b, c) {
    const u = [a.x - b.x, a.y - b.y, a.z - b.z], v = [c.x - b.x, c.y - b.y, c.z - b.z];
    const norm = Math.hypot(...u) * Math.hypot(...v);
    const cos = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / norm;
    return norm ? (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI : NaN;
  }

  function bottomOf(world) {
    const seen = (id) => world[id].visibility;
    const side = seen(23) + seen(25) + seen(27) >= seen(24) + seen(26) + seen(28) ? 0 : 1;
    const [shoulder, hip, knee, ankle] = [11, 23, 25, 27].map((id) => world[id + side]);
    const up = { x: hip.x, y: hip.y - 1, z: hip.z }; // world y points down
    return { knee: 180 - angle(hip, knee, ankle), trunk: angle(up, hip, shoulder) };
  }

  // A rep's bottom reads as a squat by the server's line between the two bands (`line`:
  // the page's data-pattern-line, from motion/thresholds.py; motion/metrics.py `classify`).
  function squatted(bottom, line) {
    const [sk, st] = line.squat_centre, [lk, lt] = line.lift_centre;
    const dk = sk - lk, dt = st - lt;
    const side = ((bottom.knee - (sk + lk) / 2) * dk + (bottom.trunk - (st + lt) / 2) * dt) /
      Math.hypot(dk, dt);
    return bottom.trunk < line.hinge_trunk_min && side >= line.margin;
  }

  const api = { counter, drop, framing, bottomOf, squatted };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.HingeLive = api;
})(typeof self !== "undefined" ? self : this);
