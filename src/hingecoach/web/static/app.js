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
});
