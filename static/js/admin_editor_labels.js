// Wagtail admin editor: a rich-text editor (Draftail) is a textbox without an accessible name when
// it is a block of its own in a StreamField, so screen readers announce "edit text" and nothing
// more. Name each such textbox after its field label, or else after its block's heading.
(function () {
  "use strict";
  var counter = 0;

  function idOf(element) {
    if (!element.id) {
      counter += 1;
      element.id = "editor-label-" + counter;
    }
    return element.id;
  }

  function nameTextboxes(root) {
    root.querySelectorAll('[role="textbox"][contenteditable="true"]').forEach(function (box) {
      if (box.getAttribute("aria-label") || box.getAttribute("aria-labelledby")) return;
      var field = box.closest(".w-field");
      var label = field && field.querySelector(".w-field__label, label");
      if (!label) {
        var section = box.closest("section[aria-labelledby]");
        label = section && document.getElementById(section.getAttribute("aria-labelledby"));
      }
      if (label) box.setAttribute("aria-labelledby", idOf(label));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameTextboxes(document);
    new MutationObserver(function () {
      nameTextboxes(document);
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
