// Block 2: the economic thesis preview. Mirrors agents/classification.py (thesis_preview), so
// the sentence shown while typing is the one the server saves and the projector shows.
(function () {
  "use strict";

  var VERBS = { bottom_line: "reduce cost", top_line: "generate revenue" };
  var VERBS_PREVIEW = { bottom_line: "reduce the cost of", top_line: "generate revenue from" };
  var PLACEHOLDER = "\u2026";
  var NAMES_COST = /^(?:the\s+)?costs?\b|\bcosts?$/i;
  var NAMES_REVENUE = /^(?:new\s+|more\s+|additional\s+)?revenues?\b|\brevenues?$/i;
  var LEADING_VERB = {
    bottom_line: /^(?:reduce|reducing|cut|cutting|lower|lowering)\s+/i,
    top_line: /^(?:generate|generating)\s+/i
  };
  var LEADING_JOIN = {
    bottom_line: /^(?:the\s+)?cost\s+of\s+/i,
    top_line: /^revenue\s+from\s+|^from\s+/i
  };

  function normalisePart(text) {
    text = (text || "").replace(/\s+/g, " ").trim();
    return text.replace(/[ .]+$/, "").trim();
  }

  function normaliseMechanism(text) {
    return normalisePart(text).replace(/^by(?:\s+|$)/i, "").trim();
  }

  function verbBase(word, verbs) {
    var lower = word.toLowerCase();
    if (verbs[lower]) { return lower; }
    var candidates = [];
    if (/ies$/.test(lower)) { candidates.push(lower.slice(0, -3) + "y"); }
    if (/es$/.test(lower)) { candidates.push(lower.slice(0, -2)); }
    if (/s$/.test(lower)) { candidates.push(lower.slice(0, -1)); }
    for (var i = 0; i < candidates.length; i++) {
      if (verbs[candidates[i]]) { return candidates[i]; }
    }
    return null;
  }

  function gerund(verb) {
    if (/ie$/.test(verb)) { return verb.slice(0, -2) + "ying"; }
    if (/e$/.test(verb) && !/(ee|ye|oe)$/.test(verb)) { return verb.slice(0, -1) + "ing"; }
    var groups = verb.match(/[aeiou]+/g) || [];
    if (groups.length === 1 && /[^aeiou][aeiou][^aeiouwxy]$/.test(verb)) {
      return verb + verb.slice(-1) + "ing";
    }
    return verb + "ing";
  }

  function mechanismPhrase(mechanism, verbs) {
    mechanism = normaliseMechanism(mechanism);
    var space = mechanism.indexOf(" ");
    var first = space < 0 ? mechanism : mechanism.slice(0, space);
    var rest = space < 0 ? "" : mechanism.slice(space + 1);
    var base = verbBase(first, verbs);
    if (base === null) { return mechanism; }
    // "classifies claims and routes them": a second verb after "and" follows the first.
    rest = (" " + rest + " ").replace(/ and (\w+) (?=\w)/g, function (whole, word) {
      var second = verbBase(word, verbs);
      return second && word.toLowerCase() !== second ? " and " + gerund(second) + " " : whole;
    }).trim();
    return (gerund(base) + " " + rest).trim();
  }

  function objectivePhrase(economicClass, subject) {
    subject = normalisePart(subject).replace(LEADING_VERB[economicClass], "").trim();
    if (economicClass === "bottom_line") {
      if (NAMES_COST.test(subject)) { return "reduce " + subject; }
      return "reduce the cost of " + subject.replace(LEADING_JOIN.bottom_line, "");
    }
    if (NAMES_REVENUE.test(subject)) { return "generate " + subject; }
    return "generate revenue from " + subject.replace(LEADING_JOIN.top_line, "");
  }

  function preview(economicClass, subject, mechanism, verbs) {
    var known = Object.prototype.hasOwnProperty.call(VERBS, economicClass);
    subject = normalisePart(subject);
    var hasMechanism = normaliseMechanism(mechanism) !== "";
    var objective;
    if (known) {
      objective = subject ? objectivePhrase(economicClass, subject) : VERBS_PREVIEW[economicClass] + " " + PLACEHOLDER;
    } else {
      objective = "reduce the cost of / generate revenue from " + (subject || PLACEHOLDER);
    }
    var how = hasMechanism ? mechanismPhrase(mechanism, verbs) : PLACEHOLDER;
    return {
      text: "This agent exists to " + objective + " by " + how + ".",
      complete: known && subject !== "" && hasMechanism
    };
  }

  function verbsOf(form) {
    var verbs = {};
    (form.getAttribute("data-mechanism-verbs") || "").split(" ").forEach(function (verb) {
      if (verb) { verbs[verb] = true; }
    });
    return verbs;
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
      var result = preview(economicClass, subjectInput.value, mechanismInput.value, verbsOf(form));
      output.textContent = result.text;
      output.classList.toggle("incomplete", !result.complete);
    }
    var verb = form.querySelector("[data-thesis-verb]");
    if (verb) {
      verb.textContent = VERBS_PREVIEW[economicClass] || "reduce the cost of / generate revenue from";
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
