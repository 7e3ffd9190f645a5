// The projector's boards fit the 16:9 screen: while something would be cut off, the type steps
// down one level (class fit-1 .. fit-7 on the view; the stylesheet scales the boards' type from
// it). A few agents read large from the back of the room; a full workshop still fits.
(function () {
  "use strict";

  var LEVELS = 7;
  var CLIPPED = ".portfolio-column, .feasibility-column, .pj-finance-agents, .board-table";
  var lastLevel = 0;

  function overflowing(view) {
    if (view.scrollHeight > view.clientHeight + 1) {
      return true;
    }
    var boxes = view.querySelectorAll(CLIPPED);
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].scrollHeight > boxes[i].clientHeight + 1) {
        return true;
      }
    }
    return false;
  }

  function setLevel(view, level) {
    for (var i = 1; i <= LEVELS; i++) {
      view.classList.toggle("fit-" + i, i === level);
    }
  }

  function fit(view) {
    // Start where the last screen ended, so a refresh does not flash the larger type.
    var level = lastLevel;
    setLevel(view, level);
    while (level > 0) {
      setLevel(view, level - 1);
      if (overflowing(view)) {
        setLevel(view, level);
        break;
      }
      level -= 1;
    }
    while (level < LEVELS && overflowing(view)) {
      level += 1;
      setLevel(view, level);
    }
    lastLevel = level;
  }

  function fitAll() {
    document.querySelectorAll(".projector-view").forEach(fit);
  }

  document.addEventListener("DOMContentLoaded", fitAll);
  document.addEventListener("htmx:load", fitAll);
  window.addEventListener("resize", fitAll);
})();
