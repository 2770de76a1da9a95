// A step page's heartbeat (studytime). While the page is visible and the person was active
// recently (a key, the pointer, scrolling, a playing video), it tells the server every
// `interval` seconds; the server decides what that earns, on its own clock. A page that was hidden
// or idle says so ("fresh"), so the gap earns nothing.
(function () {
  const element = document.querySelector("[data-study-beat]");
  if (!element) return;
  const interval = Number(element.dataset.interval) * 1000;
  const idleAfter = Number(element.dataset.idle) * 1000;
  let lastActivity = Date.now();
  let seq = 0;
  let fresh = true;
  let stopped = false;
  let timer = null;
  let lastSent = 0;

  const activity = () => { lastActivity = Date.now(); };
  ["keydown", "pointerdown", "pointermove", "wheel", "scroll", "touchstart"].forEach((type) => {
    window.addEventListener(type, activity, { capture: true, passive: true });
  });
  // The step's videos in body order (the server numbers them the same way). What each has played
  // (its `played` ranges: seeking adds nothing) goes with the next beat, less what was sent.
  const videos = Array.from(document.querySelectorAll(".block-video video"));
  const sent = videos.map(() => []);
  videos.forEach((video) => {
    video.addEventListener("timeupdate", () => { if (!video.paused) activity(); });
  });

  function subtract(ranges, taken) {
    let pieces = ranges;
    taken.forEach(([cutStart, cutEnd]) => {
      pieces = pieces.flatMap(([start, end]) => {
        if (cutEnd <= start || cutStart >= end) return [[start, end]];
        const left = cutStart > start ? [[start, cutStart]] : [];
        const right = cutEnd < end ? [[cutEnd, end]] : [];
        return left.concat(right);
      });
    });
    return pieces.filter(([start, end]) => end - start >= 0.1);
  }

  function playedSinceSent() {
    const report = [];
    videos.forEach((video, index) => {
      const played = [];
      for (let i = 0; i < video.played.length; i += 1) played.push([video.played.start(i), video.played.end(i)]);
      subtract(played, sent[index]).forEach(([start, end]) => {
        report.push([index, Math.round(start * 10) / 10, Math.round(end * 10) / 10]);
      });
    });
    return report;
  }

  const active = () => document.visibilityState === "visible" && Date.now() - lastActivity <= idleAfter;

  async function beat() {
    if (stopped) return;
    if (!active()) {
      fresh = true;
      return;
    }
    seq += 1;
    lastSent = Date.now();
    const sentFresh = fresh;
    fresh = false;
    const video = playedSinceSent();
    try {
      const response = await fetch(element.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": element.dataset.csrf, Accept: "application/json" },
        body: JSON.stringify({ token: element.dataset.token, step: Number(element.dataset.step), seq, fresh: sentFresh, video }),
      });
      // 403: the token expired or the person signed out; a reload brings a new one.
      if (response.status === 403) stopped = true;
      else if (!response.ok) fresh = true;
      else {
        // A beat that earned time kept what could have played in it; one that earned none kept
        // nothing, so the ranges go again with the next beat.
        const answer = await response.json();
        if (answer.credited_ms > 0) video.forEach(([index, start, end]) => { sent[index].push([start, end]); });
      }
    } catch (error) {
      fresh = true; // offline: the time until the next beat that arrives is not known to be active
    }
  }

  // Beat now, or as soon as a whole interval has passed since the last beat (the server refuses
  // beats faster than that), then about every interval: each wait is the interval ±10 % at random,
  // so an honest page's beats are not machine-regular (the heads' integrity report looks for
  // those); the server accepts beats from 0.8 to 1.5 intervals apart.
  const jittered = () => interval * (0.9 + 0.2 * Math.random());
  function next() {
    timer = setTimeout(() => {
      beat();
      next();
    }, jittered());
  }
  function start() {
    stop();
    timer = setTimeout(() => {
      beat();
      next();
    }, Math.max(0, interval - (Date.now() - lastSent)));
  }
  function stop() {
    if (timer !== null) {
      clearTimeout(timer);
    }
    timer = null;
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      fresh = true;
      stop();
    } else {
      activity();
      start();
    }
  });
  if (document.visibilityState === "visible") start();
})();
