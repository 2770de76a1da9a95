// Quiz attempt page: autosave each change (debounced), confirm before submitting (naming how many
// questions are unanswered) and show the server-decided time left. Without JavaScript the page still
// works: every button is an ordinary form post that names its action.
(function () {
  const root = document.querySelector("[data-autosave-url]");
  if (!root) return;
  const form = root.querySelector("[data-quiz-form]");
  const state = root.querySelector("[data-save-state]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
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
    if (qtype === "fillblank") {
      return { text: fieldset.querySelector("input[name='" + name + "']").value };
    }
    if (qtype === "ordering") {
      const items = Array.from(fieldset.querySelectorAll("select[data-order-key]"));
      const positions = items.map((s) => Number(s.value));
      if (new Set(positions).size !== items.length) return null; // not a valid order yet: do not send
      return { order: items.slice().sort((a, b) => Number(a.value) - Number(b.value)).map((s) => s.dataset.orderKey) };
    }
    return {};
  }

  function isAnswered(answer) {
    if (!answer) return false;
    return Boolean(answer.choice || (answer.choices && answer.choices.length) || (answer.text && answer.text.trim()) || answer.order);
  }

  // Questions answered: what the server knew when the page was drawn, updated for those on this page.
  function unansweredPositions() {
    const answered = new Set((root.dataset.answered || "").split(",").filter(Boolean).map(Number));
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

  async function save() {
    if (leaving || !dirty.size) return;
    const answers = {};
    dirty.forEach((fieldset) => {
      const answer = answerOf(fieldset);
      if (answer !== null) answers[fieldset.dataset.position] = answer;
    });
    const sent = dirty;
    dirty = new Set();
    if (!Object.keys(answers).length) return;
    state.textContent = gettext("Saving…");
    try {
      const response = await fetch(root.dataset.autosaveUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ answers: answers }),
        credentials: "same-origin",
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        document.dispatchEvent(new CustomEvent("session:activity"));
        const at = new Date(body.saved_at);
        state.textContent = fmt(gettext("Saved at %(time)s"), { time: at.toLocaleTimeString(lang) }, true);
      } else {
        state.textContent = fmt(gettext("Not saved: %(reason)s"), { reason: body.error || response.status }, true);
        if (response.status !== 409) sent.forEach((f) => dirty.add(f));
      }
    } catch (error) {
      state.textContent = gettext("Connection lost; your answers will be saved when it returns.");
      sent.forEach((f) => dirty.add(f));
      clearTimeout(timer);
      timer = setTimeout(save, 5000);
    }
  }

  form.addEventListener("change", (event) => {
    const fieldset = event.target.closest("fieldset[data-position]");
    if (!fieldset) return;
    dirty.add(fieldset);
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  });
  form.addEventListener("input", (event) => {
    if (event.target.type !== "text") return;
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
        action.value = "submit";
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
