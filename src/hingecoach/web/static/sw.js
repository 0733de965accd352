// The offline part of HingeCoach: today, the timer, the session log and the check-in keep
// working with no network. Served at /sw.js so it covers every page.
//
// - Static files: from the cache, refreshed from the network when it answers.
// - The four pages a learner trains with: from the network when it answers (a copy is
//   kept), else the copy. The pages ask for the copies once each time they load ("warm").
// - A session or check-in posted with no network waits on this phone (IndexedDB), with its
//   one-time token, and is sent when the network returns (the pages ask on load and when
//   the browser says it is online). The server keeps it once whatever happens: a copy it
//   has seen is refused as already saved. What the server decided is told to the page.
// - Its notes are in the reader's language: the learner's pages carry their words
//   (templates/offline_words.html), and the worker reads them from the copies it keeps.
"use strict";

const CACHE = "hingecoach-v1"; // named after the static files when served (web/account.py)
const SHELL = [
  "/static/app.css",
  "/static/app.js",
  "/static/sound.js",
  "/static/timer.js",
  "/static/framing.svg",
  "/static/icon.svg",
  "/static/manifest.webmanifest",
];
const PAGES = ["/today", "/timer", "/log", "/checkin"];
const QUEUED = ["/log", "/checkin"];
// The notes' words until a kept page gives the reader's (the same keys as offline_words.html).
const ENGLISH = {
  lang: "en",
  offline: "You are offline",
  offlineText: "This page was not opened on this phone before the network went. Today, the timer, the log and the check-in work offline once opened.",
  keptSession: "Your session is saved on this phone",
  keptCheckin: "Your check-in is saved on this phone",
  keptText: "There is no network just now. It will be sent as soon as there is, and you will see what comes next then. Nothing more to do. If anything new worries you, such as numbness or weakness, do not wait for the network: contact a clinician.",
  sentSession: "Your session saved on this phone has been sent.",
  sentCheckin: "Your check-in saved on this phone has been sent.",
  next: "Next: {next}.",
  againSession: "A session sent from this page had already reached us, so this copy was not kept again.",
  againCheckin: "A check-in sent from this page had already reached us, so this copy was not kept again.",
  heldSession: "Your session saved on this phone was not kept: your programme is on hold. Open today's page to see what to do.",
  heldCheckin: "Your check-in saved on this phone was not kept: your programme is on hold. Open today's page to see what to do.",
  lostSession: "Your session saved on this phone could not be saved: please log it again.",
  lostCheckin: "Your check-in saved on this phone could not be saved: please log it again.",
  warned: "You ticked a warning sign: stop the exercises",
  warnedText: "Some of these signs need a clinician today, and some need emergency care now: new numbness between the legs, new trouble passing urine or controlling your bowels, or weakness in both legs. If you have any of those, call your emergency number now. Otherwise, contact a clinician today.",
  warnedSession: "Your session is saved on this phone and will be sent when there is a network.",
  warnedCheckin: "Your check-in is saved on this phone and will be sent when there is a network.",
  call: "Call {number}",
  back: "Back to today",
  alreadySaved: "Already saved",
};
const WORDS = /<script type="application\/json" id="offline-words">([^<]*)<\/script>/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  if (event.request.method === "POST" && QUEUED.includes(url.pathname)) {
    event.respondWith(postOrKeep(event.request));
  } else if (event.request.method !== "GET") {
    return;
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(fromCacheFirst(event.request));
  } else if (PAGES.includes(url.pathname)) {
    event.respondWith(fromNetworkFirst(event.request));
  }
});

self.addEventListener("message", (event) => {
  if (event.data === "warm") event.waitUntil(warm());
  if (event.data === "flush") event.waitUntil(flushOnce());
});

async function fromCacheFirst(request) {
  const kept = await caches.match(request);
  const fresh = fetch(request).then(async (answer) => {
    if (answer.ok) await (await caches.open(CACHE)).put(request, answer.clone());
    return answer;
  });
  return kept || fresh;
}

async function fromNetworkFirst(request) {
  try {
    const answer = await fetch(request);
    if (answer.ok && !answer.redirected) {
      await (await caches.open(CACHE)).put(request.url, answer.clone());
    }
    return answer;
  } catch (_) {
    const kept = await caches.match(request.url);
    if (kept && QUEUED.includes(new URL(request.url).pathname)) return withFreshToken(kept);
    if (kept) return kept;
    const w = await words();
    return note(w, w.offline, w.offlineText);
  }
}

// The kept copy of a form holds the one-time token of the visit it was kept from. Each
// visit with no network is a new form, so it gets its own token: two sessions logged
// offline are two sessions, while the same form sent twice is still one.
async function withFreshToken(kept) {
  const html = (await kept.text()).replace(
    /(name="client_token" value=")[^"]*(")/,
    `$1offline-${crypto.randomUUID()}$2`,
  );
  return new Response(html, { status: kept.status, headers: kept.headers });
}

async function warm() {
  const cache = await caches.open(CACHE);
  for (const page of PAGES) {
    try {
      const answer = await fetch(page, { credentials: "same-origin" });
      if (answer.ok && !answer.redirected) await cache.put(new URL(page, self.location).href, answer);
    } catch (_) {
      return; // offline: keep what is there
    }
  }
}

// -- posts kept while offline ------------------------------------------------------------

async function postOrKeep(request) {
  const body = await request.clone().text();
  try {
    return await fetch(request);
  } catch (_) {
    const path = new URL(request.url).pathname;
    await keep({ path, body, type: request.headers.get("Content-Type"), at: Date.now() });
    const what = path === "/log" ? "Session" : "Checkin";
    if (new URLSearchParams(body).getAll("flags").length) return warned(path, what);
    const w = await words();
    return note(w, w[`kept${what}`], w.keptText);
  }
}

let flushing = null;
function flushOnce() {
  // one round at a time: the page asks on load and again when it comes online
  if (!flushing) flushing = flush().finally(() => (flushing = null));
  return flushing;
}

async function flush() {
  const items = await all();
  const w = await words();
  for (const item of items) {
    let answer;
    try {
      answer = await fetch(item.path, {
        method: "POST",
        body: item.body,
        headers: { "Content-Type": item.type },
        credentials: "same-origin",
        redirect: "follow",
      });
    } catch (_) {
      return; // still offline: try again later
    }
    await drop(item.id);
    const text = await answer.text();
    const found = /<h2 id="decision-title">([^<]+)<\/h2>/.exec(text);
    const what = item.path === "/log" ? "Session" : "Checkin";
    // the server answers in the reader's language too: its marks are read either way
    const again = text.includes(w.alreadySaved) || /already saved|already_saved/i.test(text);
    let said;
    if (answer.status === 409 && again) said = w[`again${what}`];
    else if (answer.ok) said = w[`sent${what}`] + (found ? " " + w.next.replace("{next}", found[1]) : "");
    else if (/id="programme-title"|programme_stopped|programme_restricted|see a clinician/i.test(text)) said = w[`held${what}`];
    else said = w[`lost${what}`];
    for (const client of await self.clients.matchAll()) client.postMessage({ sent: said });
  }
}

// A warning sign ticked with no network: the server cannot judge it yet, so the phone says
// at once what any of them means (stop, get checked), with the emergency number of the
// learner's country taken from the page they filled in.
async function warned(path, what) {
  const page = await caches.match(new URL(path, self.location).href);
  const html = page ? await page.text() : "";
  const number = /href="tel:([0-9+]+)"/.exec(html);
  const w = await words();
  const call = number ? `<p><a class="button call" href="tel:${number[1]}">${escaped(w.call.replace("{number}", number[1]))}</a></p>` : "";
  return note(w, w.warned, `${w.warnedText} ${w[`warned${what}`]}`, call);
}

// The notes' words in the reader's language, from a kept page; English if none is kept.
async function words() {
  for (const page of PAGES) {
    const kept = await caches.match(new URL(page, self.location).href);
    const found = kept ? WORDS.exec(await kept.text()) : null;
    if (found) {
      try {
        return { ...ENGLISH, ...JSON.parse(found[1]) };
      } catch (_) {
        // a page cut short: try the next one
      }
    }
  }
  return ENGLISH;
}

function escaped(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

function note(w, title, text, extra = "") {
  const [lang, head, said, back] = [w.lang, title, text, w.back].map(escaped);
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${head} · HingeCoach</title><link rel="stylesheet" href="/static/app.css"></head><body><main id="main"><h1>${head}</h1><p>${said}</p>${extra}<p class="actions"><a class="button primary" href="/today">${back}</a></p></main></body></html>`;
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// -- a small IndexedDB store of kept posts -----------------------------------------------------

function db() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open("hingecoach", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("posts", { keyPath: "id", autoIncrement: true });
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
}

async function store(mode, act) {
  const base = await db();
  return new Promise((resolve, reject) => {
    const tx = base.transaction("posts", mode);
    const request = act(tx.objectStore("posts"));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
  });
}

const keep = (item) => store("readwrite", (posts) => posts.add(item));
const all = () => store("readonly", (posts) => posts.getAll());
const drop = (id) => store("readwrite", (posts) => posts.delete(id));
