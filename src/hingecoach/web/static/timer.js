// The interval timer: plays the phases the server computed (engine/timer.py). Each change is
// spoken where the device has a voice, and beeps and buzzes where it allows them (the only
// signal when there is no voice). The screen is kept awake while it runs. Stop asks first,
// and an early stop says where it stopped rather than "well done". Every word it shows or
// says comes from the page (data-words, in the reader's language), with {set}, {of} and the
// like filled in here.
"use strict";
(() => {
  const root = document.getElementById("timer");
  if (!root) return;
  const phases = JSON.parse(root.dataset.phases);
  const $ = (id) => document.getElementById(id);
  const ask = $("confirm-stop");
  // A timer page kept offline from before the page gave its words still runs, in English.
  const english = {
    ready: "Get ready", work: "Work", rest: "Rest",
    set: "Set {set} of {of}", next_set: "Next: set {set} of {of}",
    spoken_work: "Set {set} of {of}: work",
    announce_one: "{what}, {n} second. {cue}", announce_many: "{what}, {n} seconds. {cue}",
    paused: "Paused", resumed: "Resumed", pause: "Pause", resume: "Resume",
    paused_cue: "Take your time. Tap Resume to carry on.",
    done: "Done", done_told: "Done. Log this session.",
    well_done: "Well done. Log it while it is fresh.",
    stopped: "Stopped", stopped_early: "Stopped early",
    stopped_before: "You stopped before set 1.",
    stopped_after: "You stopped after set {set} of {of}.",
    stopped_in: "You stopped in set {set} of {of}.",
    stopped_told: "{where} Log what you did.",
    no_wake: "Your browser may let the screen sleep: tap it now and then.",
  };
  const words = { ...english, ...JSON.parse(root.dataset.words || "{}") };
  const fill = (text, values) =>
    text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  // state: "idle", "running", "paused" or "over"
  let state = "idle", index = -1, left = 0, ticker = null, wakeLock = null;

  const clock = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;

  // -- beeps, buzzes and a voice --------------------------------------------------------
  function beep(frequency, ms) {
    if ($("sound").checked) HingeSound.beep(frequency, ms);
  }
  function buzz(pattern) {
    if ($("buzz").checked && navigator.vibrate) navigator.vibrate(pattern);
  }
  const hasVoice = () => HingeSound.hasVoice();
  function say(text) {
    if ($("voice").checked) HingeSound.say(text); // the beeps play whether it speaks or not
  }
  function offerVoice() { $("voice-choice").hidden = !hasVoice(); }
  function tell(spoken, announced) {
    say(spoken);
    $("announce").textContent = announced || spoken;
  }

  // -- the screen stays on ---------------------------------------------------------------
  async function keepAwake() {
    try {
      if (!("wakeLock" in navigator)) return;
      wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", () => { wakeLock = null; });  // e.g. the tab hid
    } catch (e) { $("wake").textContent = words.no_wake; }
  }
  function release() { if (wakeLock) { wakeLock.release(); wakeLock = null; } }

  // -- what the screen shows ---------------------------------------------------------------
  function setLine(p) {
    if (p.kind === "ready") return "";
    if (p.kind === "rest") return fill(words.next_set, { set: p.set + 1, of: p.of });
    return fill(words.set, { set: p.set, of: p.of });
  }
  function show() {
    const p = phases[index], paused = state === "paused";
    root.dataset.kind = p.kind;
    root.toggleAttribute("data-paused", paused);
    $("phase").textContent = paused ? words.paused : words[p.kind];
    $("clock").textContent = clock(left);
    $("setcount").textContent = setLine(p);
    $("cue").textContent = paused ? words.paused_cue : p.cue;
  }
  function spoken(p) {
    return p.kind === "work" ? fill(words.spoken_work, { set: p.set, of: p.of }) : words[p.kind];
  }

  // -- running through the phases ------------------------------------------------------------
  function enter(i) {
    index = i;
    if (index >= phases.length) return finish();
    const p = phases[index];
    left = p.seconds;
    beep(p.kind === "work" ? 880 : 440, 250);
    buzz(p.kind === "work" ? [200, 100, 200] : 300);
    const line = left === 1 ? words.announce_one : words.announce_many;
    tell(spoken(p), fill(line, { what: spoken(p), n: left, cue: p.cue }));
    show();
  }
  function tick() {
    left -= 1;
    if (left <= 0) return enter(index + 1);
    if (left <= 3) beep(660, 100);
    show();
  }
  function run() {
    state = "running";
    ticker = setInterval(tick, 1000);
  }
  function hold() {
    clearInterval(ticker);
    ticker = null;
  }
  function end(phase, focus) {
    hold();
    release();
    state = "over";
    closeAsk();
    delete root.dataset.kind;
    root.removeAttribute("data-paused");
    $("phase").textContent = phase;
    $("setcount").textContent = $("cue").textContent = "";
    $("pause").hidden = $("stop").hidden = true;
    focus.hidden = false;
    focus.focus();
  }
  function finish() {
    beep(990, 600);
    buzz([300, 100, 300, 100, 300]);
    tell(words.done, words.done_told);
    end(words.done, $("done"));
    $("clock").textContent = "✓";
    $("cue").textContent = words.well_done;
  }
  function whereStopped(p) {
    if (p.kind === "ready") return words.stopped_before;
    if (p.kind === "rest") return fill(words.stopped_after, { set: p.set, of: p.of });
    return fill(words.stopped_in, { set: p.set, of: p.of });
  }
  function stopEarly() {
    const p = phases[index], began = p.kind !== "ready";
    $("stopped-where").textContent = whereStopped(p);
    $("stopped-log").hidden = $("stopped-log-link").hidden = !began;
    if (began) $("stopped-log-link").href = `/log?sets_done=${p.set}`; // only the sets begun
    const where = whereStopped(p);
    tell(words.stopped, began ? fill(words.stopped_told, { where }) : where);
    end(words.stopped_early, $("stopped"));
    // the time left in a stopped set means nothing now
    $("clock").hidden = $("setcount").hidden = $("cue").hidden = true;
  }

  // -- the confirm step before stopping (a dialog where the browser has one) -------------
  function openAsk() {
    ask.hidden = false;
    if (typeof ask.showModal === "function") ask.showModal();
    else ask.setAttribute("open", "");
    $("keep-going").focus();
  }
  function closeAsk() {
    if (typeof ask.close === "function" && ask.open) ask.close();
    ask.removeAttribute("open");
    ask.hidden = true;
  }

  // -- the buttons ------------------------------------------------------------------------------
  $("start").addEventListener("click", () => {
    $("start").hidden = true;
    if ($("start-hint")) $("start-hint").hidden = true;
    $("pause").hidden = $("stop").hidden = false;
    keepAwake();
    enter(0);
    run();
  });
  $("pause").addEventListener("click", () => {
    if (state === "running") {
      hold();
      state = "paused";
      tell(words.paused);
    } else if (state === "paused") {
      run();
      tell(words.resumed);
    }
    $("pause").textContent = state === "paused" ? words.resume : words.pause;
    show();
  });
  $("stop").addEventListener("click", openAsk);
  $("keep-going").addEventListener("click", closeAsk);
  $("stop-now").addEventListener("click", () => { if (state !== "over") stopEarly(); });
  ask.addEventListener("close", () => { ask.hidden = true; });  // Escape keeps going too
  document.addEventListener("visibilitychange", () => {
    const on = state === "running" || state === "paused";
    if (document.visibilityState === "visible" && on && !wakeLock) keepAwake();
  });
  offerVoice();
  if (window.speechSynthesis) speechSynthesis.addEventListener("voiceschanged", offerVoice);
})();
