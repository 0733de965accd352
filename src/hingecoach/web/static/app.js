// Small progressive enhancements; every page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // A form marked data-once is sent once: the button locks after the first submit.
  // (The server refuses a second copy anyway, by the form's one-time token.)
  for (const form of document.querySelectorAll("form[data-once]")) {
    form.addEventListener("submit", () => {
      for (const button of form.querySelectorAll("button[type=submit]")) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      }
    });
  }
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  offline();
});

// Offline (sw.js): keep today, the timer, the log and the check-in on this phone, and send
// what was logged with no network once it returns, saying what the server made of it.
function offline() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js").catch(() => {});
  const learner = document.body.dataset.learner === "true";
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (!event.data || !event.data.sent) return;
    const main = document.getElementById("main");
    const told = document.createElement("p");
    told.className = "note sent";
    told.setAttribute("role", "status");
    told.textContent = event.data.sent;
    main.prepend(told);
  });
  navigator.serviceWorker.ready.then((ready) => {
    const ask = (what) => (navigator.serviceWorker.controller || ready.active)?.postMessage(what);
    if (learner) ask("warm");
    ask("flush");
    window.addEventListener("online", () => ask("flush"));
  });
}
