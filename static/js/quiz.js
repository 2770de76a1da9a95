// Quiz attempt page: autosave each change (debounced) and show the server-decided time left.
// Without JavaScript the page still works: "Save" and "Submit" are ordinary form posts.
(function () {
  const root = document.querySelector("[data-autosave-url]");
  if (!root) return;
  const form = root.querySelector("[data-quiz-form]");
  const state = root.querySelector("[data-save-state]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const lang = document.documentElement.lang || "en";
  const zh = lang.startsWith("zh");
  const text = {
    saving: zh ? "正在保存……" : "Saving…",
    saved: zh ? "已保存" : "Saved",
    failed: zh ? "未能保存：" : "Not saved: ",
    offline: zh ? "网络中断，答案尚未保存，恢复后会自动重试。" : "Connection lost; your answers will be saved when it returns.",
    timeUp: zh ? "时间到，正在提交……" : "Time is up; submitting…",
  };
  let timer = null;
  let dirty = new Set();

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

  async function save() {
    if (!dirty.size) return;
    const answers = {};
    dirty.forEach((fieldset) => {
      const answer = answerOf(fieldset);
      if (answer !== null) answers[fieldset.dataset.position] = answer;
    });
    const sent = dirty;
    dirty = new Set();
    if (!Object.keys(answers).length) return;
    state.textContent = text.saving;
    try {
      const response = await fetch(root.dataset.autosaveUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ answers: answers }),
        credentials: "same-origin",
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        const at = new Date(body.saved_at);
        state.textContent = text.saved + " " + at.toLocaleTimeString(lang);
      } else {
        state.textContent = text.failed + (body.error || response.status);
        if (response.status !== 409) sent.forEach((f) => dirty.add(f));
      }
    } catch (error) {
      state.textContent = text.offline;
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
  form.querySelectorAll("[data-final-submit]").forEach((button) => {
    button.addEventListener("click", () => {
      const action = form.querySelector("[data-action-field]");
      if (action) action.value = "submit";
    });
  });

  const clock = root.querySelector("[data-timer]");
  if (clock && root.dataset.secondsLeft !== undefined) {
    const end = Date.now() + Number(root.dataset.secondsLeft) * 1000;
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      const minutes = Math.floor(left / 60);
      const seconds = String(left % 60).padStart(2, "0");
      clock.textContent = minutes + ":" + seconds;
      if (left === 0) {
        state.textContent = text.timeUp;
        const action = form.querySelector("[data-action-field]");
        if (action) action.value = "submit";
        const submit = document.createElement("input");
        submit.type = "hidden"; submit.name = "action"; submit.value = "submit";
        form.appendChild(submit);
        form.submit();
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
