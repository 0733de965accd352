// Live coaching: the camera preview with the tracked joints drawn over it, the rep count,
// and one cue at a time, from the browser's pose model (@mediapipe/pose, served by this
// server from /pose/). The video never leaves the phone: each frame is looked at here and
// dropped; only the joints' positions are kept, and sent when the learner finishes the set,
// so the server can give the same report as for an uploaded clip (services/form_checks.py).
// Cues are spoken where the device has a voice, and beeped otherwise. Every word comes from
// the page (data-words, in the reader's language).
"use strict";
(() => {
  const root = document.getElementById("live");
  if (!root || !window.HingeLive || !window.HingeSound) return;
  const $ = (id) => document.getElementById(id);
  const words = JSON.parse(root.dataset.words);
  const fill = (text, values) =>
    text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  const video = $("live-video"), canvas = $("live-canvas"), paint = canvas.getContext("2d");
  const MAX_SECONDS = Number(root.dataset.maxSeconds);
  const FPS_MOST = 30; // keypoints kept per second, at most (the server's clips are 30 fps)
  const CUE_GAP = 3.5; // seconds between two spoken cues, so one is heard at a time
  const HINGE = root.dataset.pattern === "hinge";

  let pose = null, stream = null, running = false, started = 0, lastKept = -1;
  let frames = [], counter = null, lastCue = { text: "", at: -99 };
  let bottom = null; // the deepest frame of the rep under way, for the hips-back cue

  // -- what the device can do --------------------------------------------------------------
  // A browser with only a software renderer (no GPU: a headless test browser, some old
  // laptops) runs the model far faster on the CPU than through its emulated WebGL.
  function softwareOnly() {
    try {
      const gl = document.createElement("canvas").getContext("webgl");
      if (!gl) return true;
      const info = gl.getExtension("WEBGL_debug_renderer_info");
      const name = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : "";
      return /swiftshader|llvmpipe|software/i.test(String(name));
    } catch (e) {
      return true;
    }
  }

  function beep(frequency, ms) {
    if ($("live-sound").checked) HingeSound.beep(frequency, ms);
  }

  // One cue at a time: shown, then spoken (or beeped twice), never two within CUE_GAP.
  function cue(text, now, urgent) {
    if (text === lastCue.text && now - lastCue.at < 3 * CUE_GAP) return;
    if (!urgent && now - lastCue.at < CUE_GAP) return;
    lastCue = { text, at: now };
    $("live-cue").textContent = text;
    if ($("live-sound").checked && HingeSound.say(text)) return;
    beep(660, 120);
    setTimeout(() => beep(660, 120), 200);
  }

  function countRep(rep, now) {
    $("live-reps").textContent = String(rep);
    $("live-reps-said").textContent = String(rep);
    const target = Number(root.dataset.target || 0);
    const said = target && rep === target ? fill(words.target_done, { n: rep }) : String(rep);
    if ($("live-sound").checked && HingeSound.hasVoice()) cue(said, now, true);
    else beep(880, 150);
  }

  // -- drawing -----------------------------------------------------------------------------
  const BONES = [[11, 12], [11, 23], [12, 24], [23, 24], [11, 13], [13, 15], [12, 14], [14, 16],
    [23, 25], [25, 27], [24, 26], [26, 28], [27, 31], [28, 32], [27, 29], [28, 30]];

  function draw(image, landmarks) {
    const w = canvas.width, h = canvas.height;
    paint.drawImage(image, 0, 0, w, h);
    if (!landmarks) return;
    paint.lineWidth = Math.max(2, w / 160);
    paint.strokeStyle = "#ffd400";
    for (const [a, b] of BONES) {
      const p = landmarks[a], q = landmarks[b];
      if (p.visibility < 0.3 || q.visibility < 0.3) continue;
      paint.beginPath();
      paint.moveTo(p.x * w, p.y * h);
      paint.lineTo(q.x * w, q.y * h);
      paint.stroke();
    }
    paint.fillStyle = "#0a66c2";
    for (const id of [11, 12, 23, 24, 25, 26, 27, 28]) {
      const p = landmarks[id];
      if (p.visibility < 0.3) continue;
      paint.beginPath();
      paint.arc(p.x * w, p.y * h, paint.lineWidth * 1.6, 0, 2 * Math.PI);
      paint.fill();
    }
  }

  // -- the hips-back cue -------------------------------------------------------------------
  // At the bottom of a hinge rep, the knees' bend and the trunk's lean (3-D, from the world
  // landmarks, so any camera angle) read as a squat by the server's own line (data-pattern-
  // line: motion/metrics.py `classify`): the one form cue said live. The report judges more.
  const LINE = JSON.parse(root.dataset.patternLine);
  const COUNTING = JSON.parse(root.dataset.counting);

  // -- the loop ----------------------------------------------------------------------------
  function onResults(results) {
    if (!running) return;
    const now = performance.now() / 1000 - started;
    draw(results.image, results.poseLandmarks);
    const framing = HingeLive.framing(results.poseLandmarks, COUNTING.seen_min);
    if (framing !== "ok") cue(words["framing_" + framing], now, false);
    if (now - lastKept >= 1 / FPS_MOST - 0.002) {
      lastKept = now;
      frames.push({
        t: Math.round(now * 1000) / 1000,
        image: results.poseLandmarks ? flat(results.poseLandmarks, true) : null,
        world: results.poseWorldLandmarks ? flat(results.poseWorldLandmarks, false) : null,
      });
    }
    const world = results.poseWorldLandmarks || null;
    const rep = counter.add(now, world);
    if (HINGE && world && counter.down) {
      if (!bottom || counter.depth > bottom.depth) bottom = { depth: counter.depth, ...HingeLive.bottomOf(world) };
    }
    if (rep) {
      countRep(rep.rep, now);
      if (HINGE && bottom && HingeLive.squatted(bottom, LINE)) cue(words.hips_back, now, false);
      bottom = null;
    }
    if (now >= MAX_SECONDS) finish();
  }

  function flat(points, withVisibility) {
    const out = [];
    for (const p of points) {
      out.push(round(p.x), round(p.y), round(p.z));
      if (withVisibility) out.push(Math.round((p.visibility || 0) * 1000) / 1000);
    }
    return out;
  }
  const round = (v) => Math.round(v * 10000) / 10000;

  async function loop() {
    while (running) {
      if (video.readyState >= 2) {
        try {
          await pose.send({ image: video });
        } catch (e) {
          stop();
          status(words.failed);
          root.dataset.state = "stopped";
          $("live-finish").disabled = true;
          $("live-start").disabled = false;
          return;
        }
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  function status(text) {
    $("live-status").textContent = text;
  }

  async function start() {
    $("live-start").disabled = true;
    status(words.loading);
    if (!pose) {
      pose = new Pose({ locateFile: (file) => "/pose/" + file });
      pose.setOptions({
        modelComplexity: Number(root.dataset.model),
        smoothLandmarks: true,
        minDetectionConfidence: 0.5,
        minTrackingConfidence: 0.5,
        useCpuInference: softwareOnly(),
      });
      pose.onResults(onResults);
      await pose.initialize();
    }
    status(words.camera);
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: $("live-facing").value, width: { ideal: 640 }, height: { ideal: 480 } },
      });
    } catch (e) {
      status(words.no_camera);
      $("live-start").disabled = false;
      return;
    }
    video.srcObject = stream;
    await video.play();
    canvas.width = video.videoWidth || 640;
    canvas.height = video.videoHeight || 480;
    // The front camera's picture as a mirror, the way people expect to see themselves.
    canvas.style.transform = $("live-facing").value === "user" ? "scaleX(-1)" : "";
    frames = [];
    counter = HingeLive.counter(COUNTING);
    $("live-reps").textContent = "0";
    started = performance.now() / 1000;
    lastKept = -1;
    running = true;
    status(words.running);
    $("live-finish").disabled = false;
    root.dataset.state = "running";
    loop();
  }

  function stop() {
    running = false;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
  }

  async function finish() {
    if (!running) return;
    stop();
    $("live-finish").disabled = true;
    if (!frames.some((frame) => frame.image)) {
      status(words.framing_find); // nobody was seen: nothing worth sending
      root.dataset.state = "stopped";
      $("live-start").disabled = false;
      return;
    }
    root.dataset.state = "sending";
    status(words.sending);
    const body = {
      exercise: root.dataset.exercise,
      model: Number(root.dataset.model),
      width: canvas.width,
      height: canvas.height,
      frames,
    };
    try {
      const answer = await fetch(root.dataset.post, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        credentials: "same-origin",
        body: JSON.stringify(body),
      });
      const data = await answer.json();
      if (answer.ok) {
        root.dataset.state = "sent";
        window.location.assign("/form-checks/" + data.id);
        return;
      }
      status((data.error && data.error.message) || words.failed);
    } catch (e) {
      status(words.offline);
    }
    root.dataset.state = "stopped";
    $("live-start").disabled = false;
  }

  // A browser gives the camera only to a secure page (https, or this computer itself): on a
  // phone reaching the app by a plain http address, say so at once, not after a tap.
  if (!window.isSecureContext || !navigator.mediaDevices) {
    status(words.insecure);
    $("live-start").disabled = true;
    root.dataset.state = "no-camera";
    return;
  }
  $("live-start").addEventListener("click", start);
  $("live-finish").addEventListener("click", finish);
  window.addEventListener("pagehide", stop);
})();
