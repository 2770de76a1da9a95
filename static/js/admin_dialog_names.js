// Wagtail admin: the chooser and confirmation dialogs (modal-workflow) are role="dialog" without an
// accessible name, so screen readers announce "dialog" and nothing more. Name each one after the
// heading of its content once the content has arrived (the heading's id is not unique: the page
// behind uses the same one, so the text is copied rather than referenced).
(function () {
  "use strict";

  function nameDialogs() {
    document.querySelectorAll('.modal[role="dialog"]').forEach(function (dialog) {
      var heading = dialog.querySelector(".modal-body h1, .modal-body h2");
      var name = heading ? heading.textContent.trim().replace(/\s+/g, " ") : "";
      if (name && dialog.getAttribute("aria-label") !== name) dialog.setAttribute("aria-label", name);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    new MutationObserver(nameDialogs).observe(document.body, { childList: true, subtree: true });
  });
})();
