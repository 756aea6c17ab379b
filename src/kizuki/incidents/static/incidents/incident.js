// The incident page's small enhancements; the page works without them.
// 1. The next status update's countdown ticks every second from the server's now.
// 2. Long texts fold behind "Show more" (without this script they are shown whole).
// 3. Choosing an impact scope and effect shows the severity their score suggests, and
//    preselects it where the form has a severity (without this script, declaring without a
//    severity takes the suggestion on the server).
(function () {
  "use strict";

  var expanded = new Set();  // texts opened by the reader, kept across the header's polls

  function clock(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m)) + ":" + String(s).padStart(2, "0");
    return h ? h + ":" + mm : mm;
  }

  function tick(countdown) {
    var left = Math.round((Number(countdown.dataset.dueMs) - (Date.now() + Number(countdown.dataset.skew))) / 1000);
    var overdue = left <= 0;
    var template = overdue ? countdown.dataset.late : countdown.dataset.left;
    countdown.textContent = template.replace("{time}", clock(Math.abs(left)));
    countdown.classList.toggle("overdue", overdue);
  }

  function startCountdowns(root) {
    root.querySelectorAll("[data-due]").forEach(function (countdown) {
      // The server's now, from the page: the reader's own clock may be off.
      countdown.dataset.skew = String(Date.parse(countdown.dataset.now) - Date.now());
      countdown.dataset.dueMs = String(Date.parse(countdown.dataset.due));
      tick(countdown);
    });
  }

  function fold(root) {
    root.querySelectorAll(".long-text").forEach(function (box) {
      var button = box.querySelector(".show-more");
      if (!button || button.dataset.ready) { return; }
      button.dataset.ready = "1";
      var key = box.dataset.fold;
      var open = expanded.has(key);
      box.classList.toggle("folded", !open);
      button.hidden = open;
      button.addEventListener("click", function () {
        expanded.add(key);
        box.classList.remove("folded");
        button.hidden = true;
      });
    });
  }

  var LEVELS = [10, 6, 3, 1, 0];  // incidents.scoring.LEVELS

  function suggest(line) {
    var form = line.closest("form");
    var scope = form.querySelector("[name=impact_scope]");
    var effect = form.querySelector("[name=impact_effect]");
    var severity = form.querySelector("select[name=severity]");
    var score = scope && effect && scope.value && effect.value ? Number(scope.value) * Number(effect.value) : null;
    var level = score === null ? null : LEVELS.find(function (l) { return score >= l; });
    var suggested = null;
    line.dataset.thresholds.trim().split(/\s+/).forEach(function (pair) {
      var parts = pair.split(":").map(Number);
      // The gravest severity (lowest number) whose lowest impact level is reached.
      if (level !== null && pair && level >= parts[1] && (suggested === null || parts[0] < suggested)) {
        suggested = parts[0];
      }
    });
    line.hidden = suggested === null;
    if (suggested === null) { return; }
    line.textContent = line.dataset.template.replace("{severity}", "SEV" + suggested).replace("{score}", String(score));
    if (severity) { severity.value = String(suggested); }
  }

  function watchScores(root) {
    root.querySelectorAll("[data-suggestion]").forEach(function (line) {
      var form = line.closest("form");
      if (!form || line.dataset.ready) { return; }
      line.dataset.ready = "1";
      form.querySelectorAll("[name=impact_scope], [name=impact_effect]").forEach(function (select) {
        select.addEventListener("change", function () { suggest(line); });
      });
      var severity = form.querySelector("select[name=severity]");
      if (!line.hidden && severity && !severity.value) { suggest(line); }
    });
  }

  function enhance(root) {
    startCountdowns(root);
    fold(root);
    watchScores(root);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  // The header's poll swaps in new parts: enhance them too.
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
  setInterval(function () {
    document.querySelectorAll("[data-due]").forEach(function (countdown) {
      if (countdown.dataset.dueMs) { tick(countdown); }
    });
  }, 1000);
})();
