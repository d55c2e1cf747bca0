// Every POST form: after the first submit its buttons are disabled and the one clicked reads
// "กำลังบันทึก…", so a second click on a slow link does not send the form again. The server refuses
// a repeat anyway (lao_integrity/submissions); without JavaScript the forms work as before.
// A form marked data-long (sign, approve, import: seconds of work) also shows "กำลังดำเนินการ…"
// with a spinner beside its button until the answer comes.
(function () {
  "use strict";
  var BUSY = "กำลังบันทึก…";
  var LONG = "กำลังดำเนินการ… โปรดรอสักครู่";
  var RELEASE_MS = 10000;  // a form whose answer is a download leaves the page as it was

  function buttons(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }

  function release(form) {
    form.removeAttribute("data-submitting");
    Array.prototype.forEach.call(form.querySelectorAll(".busy"), function (note) { note.remove(); });
    Array.prototype.forEach.call(buttons(form), function (button) {
      if (!button.hasAttribute("data-was-enabled")) { return; }
      button.removeAttribute("data-was-enabled");
      button.disabled = false;
      if (button.hasAttribute("data-label")) {
        if (button.tagName === "INPUT") { button.value = button.getAttribute("data-label"); }
        else { button.textContent = button.getAttribute("data-label"); }
        button.removeAttribute("data-label");
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.getAttribute("method") || "").toLowerCase() !== "post") {
      return;
    }
    if (form.hasAttribute("data-submitting")) {
      event.preventDefault();  // sent already: wait for its answer
      return;
    }
    if (event.defaultPrevented) { return; }  // a confirm() answered "cancel": nothing was sent
    form.setAttribute("data-submitting", "");
    var clicked = event.submitter;
    // After this event: a button disabled now would leave its name and value out of the form.
    window.setTimeout(function () {
      Array.prototype.forEach.call(buttons(form), function (button) {
        if (button.disabled) { return; }
        button.setAttribute("data-was-enabled", "");
        button.disabled = true;
        if (button === clicked) {
          button.setAttribute("data-label", button.tagName === "INPUT" ? button.value : button.textContent);
          if (button.tagName === "INPUT") { button.value = BUSY; } else { button.textContent = BUSY; }
        }
      });
      if (form.hasAttribute("data-long")) {
        var note = document.createElement("span");
        note.className = "busy";
        note.setAttribute("role", "status");
        note.textContent = LONG;
        form.appendChild(note);
      }
    }, 0);
    window.setTimeout(function () { release(form); }, RELEASE_MS);
  });

  // Back to a page the browser kept: its forms may be used again (the server still decides).
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-submitting]"), release);
  });
}());
