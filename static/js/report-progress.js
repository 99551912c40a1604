// Follows a report being generated: polls its status and reloads the page when it is done.
(function () {
  "use strict";
  var box = document.getElementById("report-progress");
  if (!box) { return; }
  var fill = document.getElementById("report-progressbar-fill");
  var bar = document.getElementById("report-progressbar");
  function show(progress) {
    if (fill) { fill.style.width = progress + "%"; }
    if (bar) { bar.setAttribute("aria-valuenow", String(progress)); }
  }
  if (fill) { show(parseInt(fill.dataset.progress || "0", 10)); }
  var status = box.dataset.status;
  if (status !== "queued" && status !== "running") { return; }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        show(data.progress);
        document.getElementById("report-status-text").textContent = data.status_display;
        document.getElementById("report-message").textContent = data.message;
        if (data.status === "done" || data.status === "failed") { window.location.reload(); return; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
