// Block 2: the economic thesis preview. Mirrors agents/classification.py (thesis_preview), so
// the sentence shown while typing is the one the server saves and the projector shows.
(function () {
  "use strict";

  var VERBS = { bottom_line: "reduce cost", top_line: "generate revenue" };
  var PLACEHOLDER = "\u2026";

  function normalisePart(text) {
    text = (text || "").replace(/\s+/g, " ").trim();
    return text.replace(/[ .]+$/, "").trim();
  }

  function normaliseMechanism(text) {
    return normalisePart(text).replace(/^by(?:\s+|$)/i, "").trim();
  }

  function preview(economicClass, subject, mechanism) {
    var verb = VERBS[economicClass];
    subject = normalisePart(subject);
    mechanism = normaliseMechanism(mechanism);
    if (verb && subject && mechanism) {
      return { text: "This agent exists to " + verb + " " + subject + " by " + mechanism + ".", complete: true };
    }
    return {
      text: "This agent exists to " + (verb || "reduce cost / generate revenue") + " " +
        (subject || PLACEHOLDER) + " by " + (mechanism || PLACEHOLDER) + ".",
      complete: false
    };
  }

  function checkedValue(form, name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : "";
  }

  function update(form) {
    var economicClass = checkedValue(form, "economic_class");
    var subjectInput = form.querySelector('[name="thesis_subject"]');
    var mechanismInput = form.querySelector('[name="thesis_mechanism"]');
    var output = form.querySelector("[data-thesis-preview]");
    if (output && subjectInput && mechanismInput) {
      var result = preview(economicClass, subjectInput.value, mechanismInput.value);
      output.textContent = result.text;
      output.classList.toggle("incomplete", !result.complete);
    }
    var verb = form.querySelector("[data-thesis-verb]");
    if (verb) {
      verb.textContent = VERBS[economicClass] || "reduce cost / generate revenue";
    }
    if (subjectInput && economicClass) {
      var example = subjectInput.getAttribute("data-example-" + economicClass);
      if (example) { subjectInput.placeholder = example; }
    }
    // Offer only the chosen archetype's drivers; without a choice (or without JS) show all.
    form.querySelectorAll("[data-driver-group]").forEach(function (group) {
      var hide = economicClass !== "" && group.getAttribute("data-driver-group") !== economicClass;
      group.hidden = hide;
      if (hide) {
        group.querySelectorAll("input:checked").forEach(function (input) { input.checked = false; });
      }
    });
    var other = form.querySelector("[data-other-driver]");
    if (other) {
      other.hidden = checkedValue(form, "value_driver") !== "other";
    }
  }

  function init(root) {
    root.querySelectorAll("form[data-thesis-form]").forEach(update);
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-thesis-form]");
    if (form) { update(form); }
  });
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-thesis-form]");
    if (form) { update(form); }
  });
  document.addEventListener("htmx:afterSwap", function () { init(document); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
