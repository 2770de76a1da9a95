// Progressive enhancement only: every form works without this file.
(function () {
  // How long a form stays locked after it was sent. A download (an export) leaves the page where it
  // is, so the lock must lift by itself; a real navigation replaces the page long before this.
  const RELOCK_AFTER_MS = 8000;

  // A form's submit buttons, wherever they are: form.elements also holds a button outside the form
  // that names it with form="…" (the question buttons of the quiz's "Submit all" dialog). Left
  // enabled, such a button was sent as well as its copy below, and the server refused the form.
  function submitButtons(form) {
    return Array.from(form.elements).filter(
      (element) => (element.tagName === "BUTTON" || element.tagName === "INPUT") && element.type === "submit"
    );
  }

  function unlock(form) {
    delete form.dataset.submitting;
    form.querySelectorAll("input[data-submitter-copy]").forEach((copy) => copy.remove());
    submitButtons(form).forEach((button) => {
      if (!("locked" in button.dataset)) return;
      button.disabled = false;
      delete button.dataset.locked;
    });
  }

  // A form is sent once, even when its button is pressed twice. A disabled button is left out of the
  // form data, so the pressed button's name and value are copied into a hidden field first: that is
  // how the server tells "save" from "submit", "approve" from "reject".
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || (form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    const submitter = event.submitter;
    form.querySelectorAll("input[data-submitter-copy]").forEach((copy) => copy.remove());
    if (submitter && submitter.name) {
      const copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = submitter.name;
      copy.value = submitter.value;
      copy.dataset.submitterCopy = "";
      form.appendChild(copy);
    }
    submitButtons(form).forEach((button) => {
      if (!button.disabled) {
        button.disabled = true;
        button.dataset.locked = "";
      }
    });
    setTimeout(() => unlock(form), RELOCK_AFTER_MS);
  });

  // Back to a page kept in the browser's cache: its forms must work again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) document.querySelectorAll("form[data-submitting]").forEach(unlock);
  });

  // Before the session ends for idleness, ask whether the person is still there. The server keeps
  // the clock (accounts.middleware); the page knows how many seconds were left when it was drawn,
  // and any request the page makes for the person (autosave) starts the count again.
  function watchIdleSession(dialog) {
    if (typeof dialog.showModal !== "function") return;
    const sessionAge = Number(dialog.dataset.secondsLeft) * 1000;
    const warnBefore = Number(dialog.dataset.warnBefore) * 1000;
    let deadline = Date.now() + sessionAge;
    let ended = false;
    const show = (selector, visible) => { dialog.querySelector(selector).hidden = !visible; };

    function end() {
      ended = true;
      show("[data-idle-soon]", false);
      show("[data-idle-ended]", true);
      show("[data-stay-signed-in]", false);
      show("[data-idle-logout]", false);
      show("[data-sign-in-again]", true);
      if (!dialog.open) dialog.showModal();
    }
    function check() {
      if (ended) return;
      const now = Date.now();
      if (now >= deadline) end();
      else if (now >= deadline - warnBefore && !dialog.open) dialog.showModal();
    }
    document.addEventListener("session:activity", (event) => {
      if (ended) return;
      deadline = Date.now() + ((event.detail && event.detail.secondsLeft) || sessionAge / 1000) * 1000;
    });
    dialog.querySelector("[data-stay-signed-in]").addEventListener("click", async () => {
      const csrf = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
      try {
        const response = await fetch(dialog.dataset.keepaliveUrl, {
          method: "POST",
          headers: { "X-CSRFToken": csrf, Accept: "application/json" },
          credentials: "same-origin",
        });
        const body = await response.json().catch(() => ({}));
        if (response.ok && body.signed_in) {
          deadline = Date.now() + body.seconds_left * 1000;
          dialog.close();
        } else {
          end();
        }
      } catch (error) {
        // Offline for a moment: keep the dialog open, the button can be pressed again.
      }
    });
    setInterval(check, 1000);
  }

  // The header menu folds behind its button on narrow screens (the CSS decides when the button
  // shows; at desktop width the menu is always open). aria-expanded is the one state: the CSS
  // hides the menu from it, so what assistive technology hears is what is shown.
  function foldHeaderMenu(toggle) {
    const menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    const setOpen = (open) => toggle.setAttribute("aria-expanded", open ? "true" : "false");
    const isOpen = () => toggle.getAttribute("aria-expanded") === "true";
    toggle.hidden = false;
    toggle.addEventListener("click", () => setOpen(!isOpen()));
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !isOpen()) return;
      const focusWasInside = menu.contains(document.activeElement) || document.activeElement === toggle;
      setOpen(false);
      if (focusWasInside) toggle.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const menuToggle = document.querySelector("[data-menu-toggle]");
    if (menuToggle) foldHeaderMenu(menuToggle);
    const idleDialog = document.querySelector("[data-idle-warning]");
    if (idleDialog) watchIdleSession(idleDialog);
    // The language menu submits itself on change; its button stays for keyboard and no-JS users.
    document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
      select.addEventListener("change", () => select.form.requestSubmit());
    });
  });
})();
