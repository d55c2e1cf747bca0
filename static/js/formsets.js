// Rows of a formset (plans/projects/_formset.html) added and removed on the page: "เพิ่มแถว" copies
// the empty row kept in the <template> and raises the formset's TOTAL_FORMS; "ลบแถว" ticks the row's
// "ลบ" box (sent with the form, so the server drops the row on saving) and hides the row. Rows are
// numbered again each time (steps as 1, 1.1, 2 from their levels, as plans/sheet_layout.py does).
// Without JavaScript the page works as before: empty rows come ready, a ticked "ลบ" drops a row.
(function () {
  "use strict";
  var MAX_LEVEL = 3;

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function enhance(root) {
    each(root.querySelectorAll("[data-js]"), function (el) { el.hidden = false; });
    each(root.querySelectorAll("[data-nojs]"), function (el) { el.hidden = true; });
  }

  function numbers(levels) {
    var counters = [0, 0, 0], depth = 0;
    return levels.map(function (level) {
      level = Math.max(1, Math.min(MAX_LEVEL, level || 1, depth + 1));
      counters[level - 1] += 1;
      for (var i = level; i < MAX_LEVEL; i += 1) { counters[i] = 0; }
      depth = level;
      return counters.slice(0, level).join(".");
    });
  }

  function setup(box) {
    var prefix = box.getAttribute("data-formset");
    var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = box.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var body = box.querySelector("tbody");
    var template = box.querySelector("template");
    var add = box.querySelector("[data-add-row]");
    var status = box.querySelector("[data-status]");
    if (!total || !body || !template || !add) { return; }

    function rows() {
      return Array.prototype.filter.call(body.querySelectorAll("tr[data-row]"), function (row) { return !row.hidden; });
    }

    function renumber() {
      var live = rows();
      var levels = live.map(function (row) {
        var select = row.querySelector("select[name$='-level']");
        return select ? parseInt(select.value, 10) : 1;
      });
      var shown = box.hasAttribute("data-nested") ? numbers(levels) : live.map(function (_, i) { return String(i + 1); });
      live.forEach(function (row, i) {
        each(row.querySelectorAll("[data-number]"), function (el) { el.textContent = shown[i]; });
        for (var level = 1; level <= MAX_LEVEL; level += 1) {
          row.classList.toggle("nest-" + level, shown[i].split(".").length === level);
        }
      });
      var full = max && parseInt(total.value, 10) >= parseInt(max.value, 10);
      add.disabled = !!full;
    }

    function say(text) { status.textContent = text; }

    function nameOf(row) {
      var label = row.querySelector("label.row-label");
      return label ? label.textContent.trim() : "";
    }

    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) { say("ครบจำนวนแถวสูงสุดแล้ว"); return; }
      var holder = document.createElement("tbody");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.querySelector("tr[data-row]");
      enhance(row);
      body.appendChild(row);
      total.value = String(index + 1);
      renumber();
      var first = row.querySelector("textarea, input:not([type=checkbox]), select");
      if (first) { first.focus(); }
      say("เพิ่ม" + nameOf(row) + " แล้ว");
    });

    body.addEventListener("click", function (event) {
      var button = event.target.closest("[data-delete-row]");
      if (!button) { return; }
      var row = button.closest("tr[data-row]");
      var live = rows();
      var at = live.indexOf(row);
      var name = nameOf(row);
      var tick = row.querySelector("input[type=checkbox][name$='-DELETE']");
      if (tick) { tick.checked = true; }
      row.hidden = true;
      var errors = row.nextElementSibling;
      if (errors && errors.classList.contains("row-errors")) { errors.hidden = true; }
      renumber();
      live = rows();
      var next = live[at] || live[at - 1];
      (next ? next.querySelector("[data-delete-row]") : add).focus();
      say("ลบ" + name + " แล้ว (จะหายจากรายละเอียดเมื่อบันทึก)");
    });

    body.addEventListener("change", function (event) {
      if (event.target.matches("select[name$='-level']")) { renumber(); }
    });

    // The empty rows the server adds for typing without JavaScript: "เพิ่มแถว" does that here, and a
    // row added after them would be numbered as if they counted. Trailing ones go (one stays on an
    // empty list), and the count with them; rows from the sheet or typed into stay.
    var initial = box.querySelector("input[name='" + prefix + "-INITIAL_FORMS']");
    var kept = initial ? parseInt(initial.value, 10) : 0;
    var all = body.querySelectorAll("tr[data-row]");
    for (var i = all.length - 1; i >= Math.max(kept, 1); i -= 1) {
      var typed = Array.prototype.some.call(all[i].querySelectorAll("textarea, input[type=text], input:not([type])"),
        function (field) { return field.value.trim() !== ""; });
      if (typed) { break; }
      var after = all[i].nextElementSibling;
      if (after && after.classList.contains("row-errors")) { after.remove(); }
      all[i].remove();
      total.value = String(i);
    }

    // A form shown again after an error: a row ticked for removal stays out of sight.
    each(body.querySelectorAll("tr[data-row]"), function (row) {
      var tick = row.querySelector("input[type=checkbox][name$='-DELETE']");
      if (tick && tick.checked) { row.hidden = true; }
    });
    enhance(box);
    renumber();
  }

  function start() { each(document.querySelectorAll("[data-formset]"), setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
