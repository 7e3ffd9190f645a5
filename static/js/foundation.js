// Block 1 tools: small behaviours. No inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  // The cost evolution window slider shows its value as it moves.
  document.addEventListener("input", function (event) {
    if (event.target.id === "id_months") {
      var output = document.getElementById("months-output");
      if (output) { output.textContent = event.target.value; }
    }
  });
})();
