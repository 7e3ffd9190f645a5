// The projector's boards page instead of shrinking: type keeps its size (room.css), and what
// does not fit one screen is laid out on pages that turn by themselves every 10 seconds and with
// the arrow keys (or Page Up / Page Down) on the projector window.
//
// A paged board ([data-pager]) carries its content in reading order in [data-pager-flow],
// shown as one column without this script: sections (data-flow="section", each starts a new
// column), groups (data-flow="group", a table's heading) and items (data-flow="item"). The
// script moves the entries into columns and pages, as many columns per page as the page's
// grid has (the stylesheet decides). A group or section that continues in the next column or
// page repeats its heading there with its data-cont text ("Table A (cont.)"), leaving out
// the parts marked data-flow-once, such as a count; a heading never ends a column.
//
// The live poll replaces the board every time something changes; the page shown is kept by
// view here, outside the swapped region, so the room does not jump back to page 1.
(function () {
  "use strict";

  var TURN_MS = 10000;
  var shown = { view: null, page: 0, turnedAt: Date.now() };

  function isHeading(el) {
    var kind = el.getAttribute("data-flow");
    return kind === "section" || kind === "group";
  }

  function overflows(box) {
    return box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1;
  }

  function continued(heading) {
    var copy = heading.cloneNode(true);
    copy.removeAttribute("id");
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    copy.classList.add("pj-cont");
    copy.querySelectorAll("[data-flow-once]").forEach(function (el) { el.remove(); });
    var title = copy.querySelector("[data-flow-title]") || copy;
    title.textContent = heading.getAttribute("data-cont");
    return copy;
  }

  function element(className) {
    var el = document.createElement("div");
    el.className = className;
    return el;
  }

  function columnsPerPage(page) {
    var tracks = getComputedStyle(page).gridTemplateColumns.trim().split(/\s+/);
    return Math.max(1, tracks.length);
  }

  function layout(pager) {
    var flow = pager.querySelector("[data-pager-flow]");
    var pages = pager.querySelector("[data-pager-pages]");
    if (!pages) {
      pages = pager.appendChild(element("pj-pages"));
      pages.setAttribute("data-pager-pages", "");
      var counter = pager.appendChild(document.createElement("p"));
      counter.className = "pj-page-count";
      counter.setAttribute("data-pager-count", "");
      counter.hidden = true;
    }
    // Entries come back from the pages on a re-layout (a resize); the flow keeps their order.
    var entries = pager.entries || Array.prototype.slice.call(flow.children);
    pager.entries = entries;
    pages.textContent = "";
    flow.hidden = true;

    var page = pages.appendChild(element("pj-page"));
    var perPage = columnsPerPage(page);
    var column = page.appendChild(element("pj-column"));
    var section = null;
    var group = null;

    function nextColumn() {
      if (page.children.length >= perPage) {
        page = pages.appendChild(element("pj-page"));
      }
      column = page.appendChild(element("pj-column"));
    }

    entries.forEach(function (entry) {
      var kind = entry.getAttribute("data-flow");
      if (kind === "section") {
        section = entry;
        group = null;
        if (column.children.length) {
          nextColumn();
        }
      } else if (kind === "group") {
        group = entry;
      }
      column.appendChild(entry);
      if (!overflows(column)) {
        return;
      }
      var before = Array.prototype.slice.call(column.children, 0, -1);
      if (before.every(isHeading)) {
        return; // taller than a whole column: moving it would not help
      }
      column.removeChild(entry);
      var carried = [];
      while (column.lastElementChild && isHeading(column.lastElementChild)) {
        carried.unshift(column.removeChild(column.lastElementChild));
      }
      nextColumn();
      var heads = carried.concat([entry]).filter(isHeading);
      var hasSection = heads.some(function (el) { return el.getAttribute("data-flow") === "section"; });
      var hasGroup = hasSection || heads.some(function (el) { return el.getAttribute("data-flow") === "group"; });
      if (section && !hasSection) {
        column.appendChild(continued(section));
      }
      if (group && !hasGroup) {
        column.appendChild(continued(group));
      }
      carried.forEach(function (el) { column.appendChild(el); });
      column.appendChild(entry);
    });
    return pages.children.length;
  }

  function pagerIn(root) {
    return (root || document).querySelector("[data-pager]");
  }

  function show(pager, index, turned) {
    var pages = pager.querySelector("[data-pager-pages]").children;
    var count = pages.length;
    index = ((index % count) + count) % count;
    for (var i = 0; i < count; i++) {
      pages[i].hidden = i !== index;
      pages[i].classList.toggle("pj-turned", Boolean(turned) && i === index);
    }
    pager.setAttribute("data-page", String(index + 1));
    pager.setAttribute("data-pages", String(count));
    var counter = pager.querySelector("[data-pager-count]");
    counter.textContent = "Page " + (index + 1) + " of " + count;
    counter.hidden = count < 2;
    shown.page = index;
  }

  // The presenter's page turns: the projector turns by the difference since it last looked.
  var turnsSeen = null;
  function presenterTurns(root) {
    var holder = (root || document).querySelector("[data-turns]") ||
      (root && root.closest ? root.closest("[data-turns]") : null);
    if (!holder) {
      return 0;
    }
    var turns = Number(holder.getAttribute("data-turns"));
    var step = turnsSeen === null ? 0 : turns - turnsSeen;
    turnsSeen = turns;
    return step;
  }

  function setUp(root) {
    var step = presenterTurns(root);
    var pager = pagerIn(root);
    if (!pager) {
      return;
    }
    var holder = pager.closest("[data-view]");
    var view = holder ? holder.getAttribute("data-view") : "";
    if (view !== shown.view) {
      shown = { view: view, page: 0, turnedAt: Date.now() };
    }
    var count = layout(pager);
    show(pager, Math.min(shown.page, count - 1), false);
    if (step && count > 1) {
      shown.turnedAt = Date.now();
      show(pager, shown.page + step, true);
    }
  }

  function turn(step) {
    var pager = pagerIn(document);
    if (!pager || Number(pager.getAttribute("data-pages")) < 2) {
      return;
    }
    shown.turnedAt = Date.now();
    show(pager, shown.page + step, true);
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:load", function (event) { setUp(event.target); });
  window.addEventListener("resize", function () { setUp(document); });
  if (document.fonts) {
    document.fonts.ready.then(function () { setUp(document); }); // type measured in its own font
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (event.key === "ArrowRight" || event.key === "ArrowDown" || event.key === "PageDown") {
      event.preventDefault();
      turn(1);
    } else if (event.key === "ArrowLeft" || event.key === "ArrowUp" || event.key === "PageUp") {
      event.preventDefault();
      turn(-1);
    }
  });
  setInterval(function () {
    if (Date.now() - shown.turnedAt >= TURN_MS) {
      turn(1);
      shown.turnedAt = Date.now();
    }
  }, 500);
})();
