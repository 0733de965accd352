// Beeps and a voice, shared by the timer (timer.js) and live coaching (live.js): a beep
// where the device allows sound, the device's speech synthesis where it has a voice. Each
// page decides when (its own switches); this only makes the sound.
"use strict";
(() => {
  let audio = null;

  function beep(frequency, ms) {
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

  function hasVoice() {
    return Boolean(window.speechSynthesis && speechSynthesis.getVoices().length);
  }

  // Say `text` in the page's language; false when it could not be said (no voice).
  function say(text) {
    if (!hasVoice()) return false;
    try {
      if (speechSynthesis.speaking) speechSynthesis.cancel(); // the newest cue matters most
      const line = new SpeechSynthesisUtterance(text);
      line.lang = document.documentElement.lang || "en";
      speechSynthesis.speak(line);
      return true;
    } catch (e) {
      return false;
    }
  }

  window.HingeSound = { beep, hasVoice, say };
})();
