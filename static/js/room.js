// The live room's countdowns. No inline scripts: the Content-Security-Policy forbids them.
//
// A countdown element carries the server's clock at render time (data-server-now, ms) and
// either the moment the activity ends on the server's clock (data-ends-at, ms; running) or
// the frozen seconds left (data-remaining; paused). The offset between the server's clock and
// this browser's is measured when the element arrives, so every screen shows the same second
// whatever its own clock says, and a reload loses nothing.
(function () {
  "use strict";

  var offsets = new WeakMap();

  function format(seconds) {
    var sign = seconds < 0 ? "-" : "";
    var s = Math.abs(seconds);
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var rest = s % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return sign + (h ? h + ":" : "") + mm + ":" + String(rest).padStart(2, "0");
  }

  function remainingSeconds(el) {
    if (!el.hasAttribute("data-ends-at")) {
      return Number(el.getAttribute("data-remaining"));
    }
    if (!offsets.has(el)) {
      offsets.set(el, Number(el.getAttribute("data-server-now")) - Date.now());
    }
    var serverNow = Date.now() + offsets.get(el);
    return Math.ceil((Number(el.getAttribute("data-ends-at")) - serverNow) / 1000);
  }

  function draw(el) {
    var seconds = remainingSeconds(el);
    if (isNaN(seconds)) {
      return;
    }
    var text = format(seconds);
    if (el.textContent !== text) {
      el.textContent = text;
    }
    el.setAttribute("data-seconds", String(seconds));
    el.classList.toggle("over", seconds < 0);
  }

  function drawAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("[data-countdown]")) {
      draw(scope);
    }
    scope.querySelectorAll("[data-countdown]").forEach(draw);
  }

  // New content (first load or an htmx swap) is measured at once, before the next tick.
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
  setInterval(function () { drawAll(document); }, 200);
})();
