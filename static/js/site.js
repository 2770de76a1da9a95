// Progressive enhancement only: every form works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // The language menu submits itself on change; its button stays for keyboard and no-JS users.
  document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // A "mark as done" form is sent once, even when clicked twice.
  document.querySelectorAll("form[method='post']").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("button[type='submit']").forEach((button) => { button.disabled = true; });
    });
  });
});
