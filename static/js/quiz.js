// Quiz attempt page: autosave each change (debounced), confirm before submitting (naming how many
// questions are unanswered) and show the server-decided time left. Without JavaScript the page still
// works: every button is an ordinary form post that names its action.
(function () {
  const root = document.querySelector("[data-autosave-url]");
  if (!root) return;
  const form = root.querySelector("[data-quiz-form]");
  const state = root.querySelector("[data-save-state]");
  let csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const lang = document.documentElement.lang || "en";
  // gettext and friends come from Django's JavaScript catalogue (loaded before this file); the
  // names stay gettext/ngettext so makemessages -d djangojs finds the strings.
  const gettext = window.gettext || ((s) => s);
  const ngettext = window.ngettext || ((one, other, n) => (n === 1 ? one : other));
  const pgettext = window.pgettext || ((_context, s) => s);
  const fmt = window.interpolate || ((s, values) => s.replace(/%\((\w+)\)s/g, (_m, key) => values[key]));
  let timer = null;
  let dirty = new Set();
  // Set once the form is really sent: its post carries every answer, and an autosave arriving
  // after the submit would only meet a closed attempt.
  let leaving = false;

  function answerOf(fieldset) {
    const position = fieldset.dataset.position;
    const qtype = fieldset.dataset.qtype;
    const name = "q" + position;
    if (qtype === "single" || qtype === "truefalse") {
      const checked = fieldset.querySelector("input[name='" + name + "']:checked");
      return checked ? { choice: checked.value } : {};
    }
    if (qtype === "multiple") {
      return { choices: Array.from(fieldset.querySelectorAll("input[name='" + name + "']:checked")).map((i) => i.value) };
    }
    if (qtype === "fillblank" || qtype === "numerical") {
      return { text: fieldset.querySelector("input[name='" + name + "']").value };
    }
    if (qtype === "essay") {
      return { text: fieldset.querySelector("textarea[name='" + name + "']").value };
    }
    if (qtype === "ordering") {
      const items = Array.from(fieldset.querySelectorAll("select[data-order-key]"));
      const positions = items.map((s) => Number(s.value));
      if (new Set(positions).size !== items.length) return null; // not a valid order yet: do not send
      return { order: items.slice().sort((a, b) => Number(a.value) - Number(b.value)).map((s) => s.dataset.orderKey) };
    }
    if (qtype === "matching") {
      const matches = {};
      fieldset.querySelectorAll("select[data-match-key]").forEach((s) => { matches[s.dataset.matchKey] = s.value; });
      return { matches: matches };
    }
    return {};
  }

  function isAnswered(answer) {
    if (!answer) return false;
    if (answer.matches) return Object.values(answer.matches).some(Boolean);
    return Boolean(answer.choice || (answer.choices && answer.choices.length) || (answer.text && answer.text.trim()) || answer.order);
  }

  // Questions answered: what the server knew when the page was drawn, updated for those on this page.
  function unansweredPositions() {
    const answered = new Set((root.dataset.answered || "").split(",").filter(Boolean).map(Number));
    // Descriptions (text only) have nothing to answer, so they are never missing.
    (root.dataset.descriptions || "").split(",").filter(Boolean).forEach((position) => answered.add(Number(position)));
    form.querySelectorAll("fieldset[data-position]").forEach((fieldset) => {
      const position = Number(fieldset.dataset.position);
      const answer = answerOf(fieldset);
      // An ordering question always shows some order; it counts once the learner saved one.
      if (fieldset.dataset.qtype === "ordering") return;
      if (isAnswered(answer)) answered.add(position);
      else answered.delete(position);
    });
    const missing = [];
    for (let position = 1; position <= Number(root.dataset.questionCount); position += 1) {
      if (!answered.has(position)) missing.push(position);
    }
    return missing;
  }

  // Saving. The page says "Saved" only when the server answered this request with its JSON
  // success (a session that ended is answered with a redirect to the login page, which fetch
  // would follow to a 200 HTML page). Anything else keeps the answers in the page, says so, and
  // tries again with a growing pause (and at once when the network or the learner comes back).
  const versionInput = form.querySelector("[data-answers-version]");
  const loginUrl = root.dataset.loginUrl || "/accounts/login/";
  const RETRY_SECONDS = [1, 2, 4, 8, 15, 30];
  let retries = 0;
  let inFlight = false;
  let again = false;
  let signedOut = false;

  function scheduleRetry() {
    const seconds = RETRY_SECONDS[Math.min(retries, RETRY_SECONDS.length - 1)];
    retries += 1;
    clearTimeout(timer);
    timer = setTimeout(save, seconds * 1000);
    return seconds;
  }

  function showSignedOut() {
    const link = document.createElement("a");
    link.href = loginUrl;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = gettext("Sign in again (opens a new tab)");
    state.textContent = gettext(
      "Not saved: you are signed out. Your answers are kept on this page; sign in again and come back to this tab, and they will be saved."
    ) + " ";
    state.append(link);
  }

  // After signing in again the CSRF token has changed: take the new one from a fresh copy of this page.
  async function refreshToken() {
    try {
      const response = await fetch(window.location.href, { redirect: "manual", credentials: "same-origin" });
      if (!response.ok || !(response.headers.get("content-type") || "").includes("text/html")) return false;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      const token = fresh.querySelector("input[name=csrfmiddlewaretoken]");
      if (!token) return false;
      csrf = token.value;
      form.querySelector("input[name=csrfmiddlewaretoken]").value = csrf;
      return true;
    } catch (error) {
      return false;
    }
  }

  async function save() {
    if (leaving || !dirty.size) return;
    if (inFlight) {
      again = true; // one request at a time: answers arrive in the order they were given
      return;
    }
    clearTimeout(timer);
    const answers = {};
    dirty.forEach((fieldset) => {
      const answer = answerOf(fieldset);
      if (answer !== null) answers[fieldset.dataset.position] = answer;
    });
    const sent = dirty;
    dirty = new Set();
    if (!Object.keys(answers).length) return;
    inFlight = true;
    const keep = () => sent.forEach((f) => dirty.add(f));
    try {
      if (signedOut && !(await refreshToken())) {
        keep();
        showSignedOut();
        scheduleRetry();
        return;
      }
      signedOut = false;
      state.textContent = gettext("Saving…");
      let response = null;
      let body = null;
      try {
        response = await fetch(root.dataset.autosaveUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
          body: JSON.stringify({ answers: answers }),
          credentials: "same-origin",
          redirect: "manual",
        });
        if ((response.headers.get("content-type") || "").includes("application/json")) {
          body = await response.json().catch(() => null);
        }
      } catch (error) {
        response = null; // the network: nothing reached the server, or its answer did not come back
      }
      if (response && response.ok && body && typeof body.saved_at === "string") {
        retries = 0;
        document.dispatchEvent(new CustomEvent("session:activity"));
        // The form's version moves on only if nothing was saved elsewhere (another tab) meanwhile.
        if (versionInput && String(body.previous_version) === versionInput.value) versionInput.value = String(body.version);
        const at = new Date(body.saved_at);
        state.textContent = fmt(gettext("Saved at %(time)s"), { time: at.toLocaleTimeString(lang) }, true);
        return;
      }
      keep();
      if (response && (response.type === "opaqueredirect" || response.status === 401 || response.status === 403 || (response.ok && !body))) {
        signedOut = true;
        showSignedOut();
        scheduleRetry();
      } else if (response && body && (response.status === 400 || response.status === 409)) {
        // Refused for a reason retrying cannot change (an invalid answer, a closed attempt).
        state.textContent = fmt(gettext("Not saved: %(reason)s"), { reason: body.error || response.status }, true);
        if (response.status === 409) dirty = new Set();
      } else {
        const seconds = scheduleRetry();
        state.textContent = fmt(
          ngettext(
            "Not saved: the connection or the server failed. Trying again in %(seconds)s second; your answers are kept on this page.",
            "Not saved: the connection or the server failed. Trying again in %(seconds)s seconds; your answers are kept on this page.",
            seconds
          ),
          { seconds: seconds },
          true
        );
      }
    } finally {
      inFlight = false;
      // Changes made meanwhile go now, unless a retry is already waiting (it takes them too).
      if (again) {
        again = false;
        if (retries === 0) save();
      }
    }
  }

  // Back online, or back to this tab (after signing in again in another): try at once.
  function retryNow() {
    if (dirty.size && !leaving) {
      clearTimeout(timer);
      save();
    }
  }
  window.addEventListener("online", retryNow);
  window.addEventListener("focus", retryNow);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") retryNow();
  });

  form.addEventListener("change", (event) => {
    const fieldset = event.target.closest("fieldset[data-position]");
    if (!fieldset) return;
    dirty.add(fieldset);
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  });
  form.addEventListener("input", (event) => {
    if (event.target.type !== "text" && event.target.type !== "textarea") return;
    dirty.add(event.target.closest("fieldset[data-position]"));
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
  // Enter in a text answer saves it; it never sends the form (the browser would press the first button).
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.target.type !== "text") return;
    event.preventDefault();
    dirty.add(event.target.closest("fieldset[data-position]"));
    clearTimeout(timer);
    save();
  });

  // "Submit all answers" asks first, naming how many questions have no answer.
  const dialog = root.querySelector("[data-submit-dialog]");
  const submitButton = form.querySelector("[data-final-submit]");
  let confirmed = false;
  form.addEventListener("submit", (event) => {
    if (event.submitter !== submitButton || confirmed || !dialog || typeof dialog.showModal !== "function") return;
    event.preventDefault();
    const missing = unansweredPositions();
    dialog.querySelector("[data-unanswered-message]").textContent = missing.length
      ? fmt(
          ngettext(
            "%(count)s question has no answer: %(list)s.",
            "%(count)s questions have no answer: %(list)s.",
            missing.length
          ),
          { count: missing.length, list: missing.join(pgettext("list separator", ", ")) },
          true
        )
      : gettext("Every question has an answer.");
    dialog.querySelectorAll("[data-unanswered-item]").forEach((item) => {
      item.hidden = !missing.includes(Number(item.dataset.unansweredItem));
    });
    dialog.showModal();
  });
  // Back to this page from the browser's cache: it is live again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) leaving = false;
  });
  // Registered after the confirmation: runs for every submit, and knows whether it was stopped.
  form.addEventListener("submit", (event) => {
    if (event.defaultPrevented) return;
    leaving = true;
    clearTimeout(timer);
  });
  if (dialog) {
    dialog.querySelector("[data-confirm-submit]").addEventListener("click", () => {
      confirmed = true;
      dialog.close();
      form.requestSubmit(submitButton);
    });
    dialog.querySelector("[data-cancel-submit]").addEventListener("click", () => dialog.close());
    // A link to an unanswered question on this page: close the dialog and go there.
    dialog.querySelectorAll("[data-jump]").forEach((link) => link.addEventListener("click", () => dialog.close()));
  }

  // The clock: the visible one ticks every second; screen readers hear it at these moments only.
  const ANNOUNCE_AT_SECONDS = [10 * 60, 5 * 60, 60];
  const clock = root.querySelector("[data-timer]");
  const announcer = root.querySelector("[data-timer-announcer]");
  if (clock && root.dataset.secondsLeft !== undefined) {
    const end = Date.now() + Number(root.dataset.secondsLeft) * 1000;
    let previous = null;
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      const minutes = Math.floor(left / 60);
      const seconds = String(left % 60).padStart(2, "0");
      clock.textContent = minutes + ":" + seconds;
      // Announce when the clock crosses a moment (not on load: the page itself says the time left).
      const moment = ANNOUNCE_AT_SECONDS.find((at) => previous !== null && previous > at && left <= at);
      previous = left;
      if (announcer && moment !== undefined && left > 0) {
        const wholeMinutes = Math.round(moment / 60);
        announcer.textContent = fmt(
          ngettext("%(minutes)s minute left.", "%(minutes)s minutes left.", wholeMinutes),
          { minutes: wholeMinutes },
          true
        );
      }
      if (left === 0) {
        state.textContent = gettext("Time is up; submitting…");
        if (dialog && dialog.open) dialog.close();
        const action = document.createElement("input");
        action.type = "hidden";
        action.name = "action";
        action.value = "timeout"; // the server closes it at the deadline: the quiz's time-out policy applies
        form.appendChild(action);
        leaving = true;
        clearTimeout(timer);
        form.submit(); // no submit event: nothing asks, nothing is locked, the action is explicit
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
