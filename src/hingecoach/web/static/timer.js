// The interval timer: plays the phases the server computed (engine/timer.py), with a beep
// and a buzz at each change where the device allows, and keeps the screen awake while it runs.
"use strict";
(() => {
  const root = document.getElementById("timer");
  if (!root) return;
  const phases = JSON.parse(root.dataset.phases);
  const $ = (id) => document.getElementById(id);
  const words = { ready: "Get ready", work: "Work", rest: "Rest" };
  let index = -1, left = 0, ticker = null, audio = null, wakeLock = null, paused = false;

  function beep(frequency, ms) {
    if (!$("sound").checked) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = frequency;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + ms / 1000);
    } catch (e) { /* no audio on this device */ }
  }
  function buzz(pattern) {
    if ($("buzz").checked && navigator.vibrate) navigator.vibrate(pattern);
  }
  async function keepAwake() {
    try {
      if ("wakeLock" in navigator) wakeLock = await navigator.wakeLock.request("screen");
    } catch (e) { $("wake").textContent = "Your browser may let the screen sleep: tap it now and then."; }
  }
  function release() { if (wakeLock) { wakeLock.release(); wakeLock = null; } }

  function show() {
    const p = phases[index];
    $("phase").textContent = words[p.kind];
    root.dataset.kind = p.kind;
    $("clock").textContent = String(left);
    $("setcount").textContent = p.kind === "ready" ? "" : `Set ${p.set} of ${p.of}`;
    $("cue").textContent = p.cue;
  }
  function enter(i) {
    index = i;
    if (index >= phases.length) return finish();
    left = phases[index].seconds;
    const p = phases[index];
    beep(p.kind === "work" ? 880 : 440, 250);
    buzz(p.kind === "work" ? [200, 100, 200] : 300);
    $("announce").textContent = `${words[p.kind]}${p.kind === "ready" ? "" : `, set ${p.set} of ${p.of}`}, ${left} seconds. ${p.cue}`;
    show();
  }
  function tick() {
    if (paused) return;
    left -= 1;
    if (left <= 0) return enter(index + 1);
    if (left <= 3) beep(660, 100);
    show();
  }
  function finish() {
    clearInterval(ticker);
    ticker = null;
    release();
    beep(990, 600);
    buzz([300, 100, 300, 100, 300]);
    $("phase").textContent = "Done";
    $("clock").textContent = "✓";
    $("setcount").textContent = "";
    $("cue").textContent = "Well done. Log it while it is fresh.";
    $("announce").textContent = "Done. Log this session.";
    $("pause").hidden = $("stop").hidden = true;
    $("done").hidden = false;
  }
  $("start").addEventListener("click", () => {
    $("start").hidden = true;
    $("pause").hidden = $("stop").hidden = false;
    keepAwake();
    enter(0);
    ticker = setInterval(tick, 1000);
  });
  $("pause").addEventListener("click", () => {
    paused = !paused;
    $("pause").textContent = paused ? "Resume" : "Pause";
    $("announce").textContent = paused ? "Paused" : "Resumed";
  });
  $("stop").addEventListener("click", () => {
    index = phases.length;
    finish();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && ticker && !wakeLock) keepAwake();
  });
})();
