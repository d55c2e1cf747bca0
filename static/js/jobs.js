// A job's page (templates/jobs/detail.html): ask the server how far the job got every second and
// move the bar; reload the page when it has finished, to show its result or its problems.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-progress");
  var text = document.getElementById("job-progress-text");
  var label = box.querySelector("[data-job-label]");
  var failures = 0;

  function show(state) {
    if (state.percent === null) {
      bar.removeAttribute("value");  // amount of work not known yet: an indeterminate bar
    } else {
      bar.value = state.percent;
      bar.textContent = state.percent + "%";
    }
    text.textContent = state.text;
    if (label) {
      label.textContent = state.label;
      label.className = "badge job-" + state.status;
    }
  }

  function poll() {
    fetch(url, {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        show(state);
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        failures += 1;  // the server restarting, a dropped connection: keep trying, more slowly
        window.setTimeout(poll, Math.min(1000 * (failures + 1), 10000));
      });
  }

  window.setTimeout(poll, 1000);
}());
