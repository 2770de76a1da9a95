// People import status page (Wagtail admin): polls the JSON status while the import runs,
// updates the <progress> bar and counts, and reloads the page to show every row's result.
(function () {
  "use strict";
  var box = document.querySelector("[data-people-import-status]");
  if (!box || box.dataset.finished === "true") {
    return;
  }
  var url = box.dataset.peopleImportStatus;
  var bar = box.querySelector("progress");

  function show(status) {
    bar.max = Math.max(status.total, 1);
    bar.value = status.done;
    bar.textContent = status.done + " / " + status.total;
    ["done", "total", "created", "updated", "unchanged", "failed"].forEach(function (name) {
      var field = box.querySelector('[data-field="' + name + '"]');
      if (field) {
        field.textContent = status[name];
      }
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 10000);
      });
  }

  window.setTimeout(poll, 1000);
})();
