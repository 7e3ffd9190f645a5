// Small behaviours the pages share. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // Buttons and links with data-confirm ask before acting.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-confirm]") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  }, true);
})();

// Nothing typed is lost when the Wi-Fi drops. A save that cannot reach the server says so in
// the form, keeps the text and is sent again by itself when the connection is back (the
// server answers a save it already stored as saved, not as a conflict). The header says when
// this screen is offline. Leaving a page with unsaved changes asks first.
(function () {
  "use strict";

  var RETRY_MS = 5000;
  var NOT_SAVED = "Not saved: no connection. Your text is kept; it will be saved when the connection is back.";
  var unsent = new Set(); // the URLs of the saves waiting for the connection
  var retrying = null;

  function banner() {
    return document.getElementById("connection-status");
  }

  function showOffline(offline) {
    var el = banner();
    if (!el) {
      return;
    }
    if (offline) {
      el.textContent = "Offline: what you type is kept on this screen and saved when the connection is back.";
      el.className = "connection-status offline";
      el.hidden = false;
    } else if (el.classList.contains("offline")) {
      el.hidden = true;
      el.className = "connection-status";
    }
  }

  function announce(text) {
    var el = banner();
    if (!el) {
      return;
    }
    el.textContent = text;
    el.className = "connection-status back";
    el.hidden = false;
  }

  function statusIn(form) {
    var el = form.querySelector("[data-save-status]");
    if (!el) {
      el = document.createElement("p");
      el.setAttribute("data-save-status", "");
      el.setAttribute("role", "alert");
      el.className = "message error save-status";
      // Beside the button that was pressed, where the person is looking.
      var buttons = form.querySelectorAll("button[type=submit], button:not([type])");
      var button = buttons[buttons.length - 1];
      if (button) {
        button.parentNode.insertBefore(el, button);
      } else {
        form.appendChild(el);
      }
    }
    return el;
  }

  function saveUrl(elt) {
    if (!elt || elt.tagName !== "FORM") {
      return null;
    }
    return elt.getAttribute("hx-post") || elt.getAttribute("hx-put");
  }

  function formFor(url) {
    var found = null;
    document.querySelectorAll("form[hx-post], form[hx-put]").forEach(function (form) {
      if (saveUrl(form) === url) {
        found = form;
      }
    });
    return found;
  }

  function retry() {
    if (!navigator.onLine) {
      return;
    }
    unsent.forEach(function (url) {
      var form = formFor(url);
      if (form) {
        form.requestSubmit();
      } else {
        unsent.delete(url); // the form left the page
      }
    });
    if (!unsent.size && retrying) {
      clearInterval(retrying);
      retrying = null;
    }
  }

  function time() {
    var now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }

  document.addEventListener("htmx:sendError", function (event) {
    showOffline(true);
    var form = event.detail.elt;
    var url = saveUrl(form);
    if (!url) {
      return; // a live region: it polls again by itself
    }
    statusIn(form).textContent = NOT_SAVED;
    unsent.add(url);
    if (!retrying) {
      retrying = setInterval(retry, RETRY_MS);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || !xhr.status) {
      return;
    }
    showOffline(false);
    var config = event.detail.requestConfig || {};
    var url = saveUrl(config.elt);
    var ok = xhr.status >= 200 && xhr.status < 300;
    if (url && unsent.has(url)) {
      unsent.delete(url);
      if (ok) {
        announce("Saved at " + time() + ", after the connection came back.");
      }
    }
    if (ok && config.elt && config.elt.tagName === "FORM") {
      config.elt.removeAttribute("data-dirty");
    }
  });

  window.addEventListener("offline", function () { showOffline(true); });
  window.addEventListener("online", function () {
    showOffline(false);
    retry();
  });

  // Unsaved changes: a form someone typed into and did not save (or could not).
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && (form.method || "").toLowerCase() === "post" && !form.hasAttribute("data-no-unsaved")) {
      form.setAttribute("data-dirty", "");
    }
  });
  document.addEventListener("submit", function (event) {
    if (!isSave(event.target)) {
      event.target.removeAttribute("data-dirty"); // a plain form leaves the page to save
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsent.size || document.querySelector("form[data-dirty]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

// Focus stays where it was across swaps: a live region that re-renders keeps the focused link
// or field focused (found again by id, or by its link and text), and a saved form moves focus
// to its status message, so a keyboard user is never dropped to the top of the page.
(function () {
  "use strict";

  var remembered = null;

  function describe(el) {
    if (!el || el === document.body) {
      return null;
    }
    return {
      id: el.id,
      tag: el.tagName,
      href: el.getAttribute("href"),
      name: el.getAttribute("name"),
      text: (el.textContent || "").trim(),
      form: el.form ? el.form.getAttribute("hx-post") : null,
      submit: el.type === "submit"
    };
  }

  function find(seen, root) {
    if (seen.id) {
      var byId = document.getElementById(seen.id);
      if (byId) {
        return byId;
      }
    }
    var scope = root && root.isConnected ? root : document;
    var candidates = Array.prototype.slice.call(scope.querySelectorAll(seen.tag.toLowerCase()));
    var text = function (el) { return (el.textContent || "").trim(); };
    if (seen.href) {
      var links = candidates.filter(function (el) { return el.getAttribute("href") === seen.href; });
      return links.filter(function (el) { return text(el) === seen.text; })[0] || links[0] || null;
    }
    if (seen.name && !seen.submit) {
      return candidates.filter(function (el) { return el.getAttribute("name") === seen.name; })[0] || null;
    }
    return null;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var active = document.activeElement;
    remembered = target && active && target.contains(active) ? describe(active) : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var seen = remembered;
    remembered = null;
    if (!seen || (document.activeElement && document.activeElement !== document.body)) {
      return;
    }
    if (seen.submit && seen.form) {
      var form = null;
      document.querySelectorAll("form[hx-post]").forEach(function (f) {
        if (f.getAttribute("hx-post") === seen.form) {
          form = f;
        }
      });
      var message = form && form.querySelector("[role=status], [role=alert]");
      if (message) {
        message.setAttribute("tabindex", "-1");
        message.focus({ preventScroll: true });
        return;
      }
    }
    var el = find(seen, event.detail.elt);
    if (el) {
      el.focus({ preventScroll: true });
    }
  });
})();

// A region that scrolls (a wide table on a phone) can be reached and scrolled with the
// keyboard: when it holds nothing focusable it takes focus itself, named after its caption or
// the nearest heading before it. A table keeps its table role (screen readers still read it
// as a table); other boxes become named regions.
(function () {
  "use strict";

  // What a keyboard reaches inside it: a disabled field (a signed-off agent's) is not.
  var FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

  function scrolls(el) {
    var style = window.getComputedStyle(el);
    var sideways = /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    var down = /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    return sideways || down;
  }

  function headingBefore(el) {
    for (var node = el; node && node.tagName !== "MAIN"; node = node.parentElement) {
      var before = node.previousElementSibling;
      while (before) {
        if (/^H[1-6]$/.test(before.tagName)) {
          return before;
        }
        before = before.previousElementSibling;
      }
    }
    return null;
  }

  function name(el) {
    var caption = el.querySelector("caption");
    if (caption) {
      return caption.textContent.trim();
    }
    var heading = headingBefore(el);
    return heading ? heading.textContent.trim() : "Scrollable table";
  }

  function mark() {
    document.querySelectorAll("main table, main .table-scroll, main pre").forEach(function (el) {
      if (el.hasAttribute("data-scroll-focus")) {
        // No longer scrolls, or now holds a field of its own (enabled by a live update).
        if (!scrolls(el) || el.querySelector(FOCUSABLE)) {
          el.removeAttribute("tabindex");
          el.removeAttribute("role");
          el.removeAttribute("aria-label");
          el.removeAttribute("data-scroll-focus");
        }
        return;
      }
      if (el.hasAttribute("tabindex") || !scrolls(el) || el.querySelector(FOCUSABLE)) {
        return;
      }
      el.setAttribute("tabindex", "0");
      if (el.tagName !== "TABLE") {
        el.setAttribute("role", "region");
      }
      el.setAttribute("aria-label", name(el));
      el.setAttribute("data-scroll-focus", "");
    });
  }

  var pending = null;
  function soon() {
    clearTimeout(pending);
    pending = setTimeout(mark, 150);
  }
  document.addEventListener("DOMContentLoaded", mark);
  document.addEventListener("htmx:afterSettle", soon);
  window.addEventListener("resize", soon);
})();

// Phones: the header's links open from the Menu button (the stylesheet hides them only when
// this script runs, so without it they stay shown).
(function () {
  "use strict";

  document.documentElement.classList.add("js");
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".menu-toggle");
    if (!button) {
      return;
    }
    var header = button.closest(".site-header");
    var open = header.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();

// A new workshop's time zone starts as this browser's (the facilitator's laptop is usually at
// the venue); the server's zone stays chosen when the browser's is not in the list.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return;
    }
    document.querySelectorAll("select[data-browser-zone]").forEach(function (select) {
      var known = Array.prototype.some.call(select.options, function (option) {
        return option.value === zone;
      });
      if (known) {
        select.value = zone;
      }
    });
  });
})();
