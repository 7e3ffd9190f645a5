// Facilitator console: a "tick all" box for the agent list. Without JS the box stays hidden
// and each agent is ticked on its own.
(function () {
  "use strict";

  function setUp() {
    document.querySelectorAll("[data-tick-all]").forEach(function (box) {
      var name = box.getAttribute("data-tick-all");
      var boxes = function () {
        return document.querySelectorAll('input[type=checkbox][name="' + name + '"]');
      };
      box.hidden = false;
      box.addEventListener("change", function () {
        boxes().forEach(function (each) { each.checked = box.checked; });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
