// Progressive enhancement only: every form works without this file.
(function () {
  // How long a form stays locked after it was sent. A download (an export) leaves the page where it
  // is, so the lock must lift by itself; a real navigation replaces the page long before this.
  const RELOCK_AFTER_MS = 8000;

  function unlock(form) {
    delete form.dataset.submitting;
    form.querySelectorAll("input[data-submitter-copy]").forEach((copy) => copy.remove());
    form.querySelectorAll("button[data-locked], input[data-locked]").forEach((button) => {
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
    form.querySelectorAll("button[type='submit'], button:not([type]), input[type='submit']").forEach((button) => {
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

  document.addEventListener("DOMContentLoaded", () => {
    // The language menu submits itself on change; its button stays for keyboard and no-JS users.
    document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
      select.addEventListener("change", () => select.form.requestSubmit());
    });
  });
})();
