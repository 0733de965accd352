// A form check's progress, read every second while its job runs; the page reloads once the
// job ends, to show the report. Without script the page says to reload.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("progress");
  if (!box) return;
  const bar = box.querySelector("progress");
  const text = document.getElementById("progress-text");
  const title = box.querySelector("h2");
  const look = async () => {
    try {
      const answer = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (!answer.ok) return;
      const check = await answer.json();
      if (check.status !== "queued" && check.status !== "running") {
        window.location.assign(box.dataset.page);
        return;
      }
      bar.value = check.progress;
      // the words come from the page, in the reader's language
      const words = box.dataset;
      title.textContent = check.status === "queued" ? words.queued : words.running;
      const said = check.seconds_left ? words.doneLeft : words.done;
      text.textContent = said
        .replace("{percent}", String(Math.round(check.progress * 100)))
        .replace("{seconds}", String(Math.round(check.seconds_left || 0)));
    } catch (_) {
      // no network for a moment: look again next time
    }
  };
  window.setInterval(look, 1000);
});
