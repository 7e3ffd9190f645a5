// Block 4: the discounted vendor claim beside its slider, recomputed while the slider moves.
// Mirrors targets/economics.py (discounted): claim x (100 - discount) / 100, to 2 places,
// half up, in whole hundredths so no float rounding creeps in. The server computes the same.
(function () {
  "use strict";

  // "36.5" -> 3650 (hundredths); null when not a plain non-negative number with <= 2 places.
  function hundredths(text) {
    var match = /^\s*(\d+)(?:\.(\d{1,2}))?\s*$/.exec(text || "");
    if (!match) { return null; }
    var fraction = (match[2] || "").padEnd(2, "0");
    return parseInt(match[1], 10) * 100 + parseInt(fraction, 10);
  }

  function plain(value) {
    // value in hundredths -> "1,234.5" (like Decimal.normalize() with grouping).
    var whole = Math.floor(value / 100);
    var fraction = String(value % 100).padStart(2, "0").replace(/0+$/, "");
    var grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return fraction ? grouped + "." + fraction : grouped;
  }

  function discounted(claim, discount) {
    // Both in hundredths; result in hundredths, rounded half up.
    var product = claim * (10000 - discount);
    return Math.floor((product + 5000) / 10000);
  }

  function update(row) {
    var slider = row.querySelector("input[type=range]");
    var shown = row.querySelector("[data-discount-value]");
    var out = row.querySelector("[data-discounted]");
    if (!slider || !out) { return; }
    var discount = hundredths(slider.value);
    if (shown && discount !== null) { shown.textContent = plain(discount) + " %"; }
    var input = row.querySelector("[data-claim-input]");
    var claim = hundredths(input ? input.value : row.getAttribute("data-claim"));
    out.textContent = claim === null || discount === null ? "\u2014" : plain(discounted(claim, discount));
  }

  function updateAll() {
    document.querySelectorAll("[data-discount]").forEach(update);
  }

  document.addEventListener("input", function (event) {
    var row = event.target.closest("[data-discount]");
    if (row) { update(row); }
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches("[data-select-on-focus]")) { event.target.select(); }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateAll);
  } else {
    updateAll();
  }
})();
