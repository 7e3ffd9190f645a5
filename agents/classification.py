"""Block 2 rules: the two economic archetypes, their value drivers, and the economic thesis.

"This agent exists to [reduce cost X / generate revenue Y] by [specific mechanism]."

Pure functions, no Django: the form, the model's `thesis` property and the tests share them, and
static/js/thesis.js mirrors `normalise_part`, `normalise_mechanism` and `thesis_sentence` for the
live preview.
"""

import re

BOTTOM_LINE = "bottom_line"
TOP_LINE = "top_line"

ECONOMIC_CLASS_CHOICES = [
    (BOTTOM_LINE, "Bottom line (cost reduction)"),
    (TOP_LINE, "Top line (revenue generation)"),
]

OTHER_DRIVER = "other"

BOTTOM_LINE_DRIVERS = [
    ("labour_savings", "Labour savings"),
    ("error_reduction", "Error reduction"),
    ("cycle_time", "Cycle time"),
]
TOP_LINE_DRIVERS = [
    ("new_capacity", "New capacity"),
    ("conversion", "Conversion"),
    ("speed_to_market", "Speed-to-market"),
]
VALUE_DRIVER_CHOICES = [
    *BOTTOM_LINE_DRIVERS,
    *TOP_LINE_DRIVERS,
    (OTHER_DRIVER, "Other (name it)"),
]
DRIVERS_BY_CLASS = {
    BOTTOM_LINE: [key for key, _ in BOTTOM_LINE_DRIVERS] + [OTHER_DRIVER],
    TOP_LINE: [key for key, _ in TOP_LINE_DRIVERS] + [OTHER_DRIVER],
}
CLASS_LABELS = dict(ECONOMIC_CLASS_CHOICES)
DRIVER_LABELS = dict(VALUE_DRIVER_CHOICES)

# The sentence's fixed words, per archetype.
VERBS = {BOTTOM_LINE: "reduce cost", TOP_LINE: "generate revenue"}
VERBS_PREVIEW = {BOTTOM_LINE: "reduce the cost of", TOP_LINE: "generate revenue from"}

MAX_PART_LENGTH = 200
MAX_OTHER_DRIVER_LENGTH = 80

SUBJECT_EXAMPLES = {
    BOTTOM_LINE: "manual invoice matching hours in accounts payable",
    TOP_LINE: "premium-tier upgrades sold to existing freight customers",
}
MECHANISM_EXAMPLE = (
    "matching invoices to purchase orders and routing only the exceptions to a clerk"
)

# Words that say nothing specific about what is reduced or generated, or how. A part must keep
# at least MIN_SPECIFIC_WORDS words after these are removed.
VAGUE_WORDS = frozenset(  # a word list reads best as words
    """
    a an and the of to in on for with by from at as or our we us it its this that these those
    be being been is are was were more less most least much many lot lots some any all every
    thing things stuff everything anything something general overall various whole improve
    improved improves improving improvement improvements better best good great efficiency
    efficient efficiently productivity productive performance effectiveness effective optimise
    optimize optimised optimized optimising optimizing optimisation optimization streamline
    streamlined streamlining enhance enhanced enhancing boost boosting drive driving increase
    increased increasing increases reduce reduced reducing reduction decrease lower save
    saving savings money cost costs spend spending expense expenses revenue revenues income
    profit profits sales growth grow growing value business company organisation organization
    process processes operations operational work working help helping make making use using
    used leverage leveraging ai genai agent agents automation automate automated automating
    tool tools technology technologies digital smart smarter faster quicker cheaper time new
    """.split()  # noqa: SIM905
)
MIN_SPECIFIC_WORDS = 2

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_SPACE = re.compile(r"\s+")
_LEADING_BY = re.compile(r"^by(?:\s+|$)", re.IGNORECASE)
PLACEHOLDER = "…"


def normalise_part(text: str) -> str:
    """Collapse whitespace and drop the trailing full stop, so the part fits the sentence."""
    text = _SPACE.sub(" ", text or "").strip()
    return text.rstrip(" .").strip()


def normalise_mechanism(text: str) -> str:
    """As normalise_part, and drop a leading "by " the sentence already supplies."""
    return _LEADING_BY.sub("", normalise_part(text)).strip()


# Verbs a mechanism often starts with; "by" needs their -ing form ("by matching", not
# "by matches"). Kept as data: static/js/thesis.js reads the same list from the form.
MECHANISM_VERBS = (  # noqa: SIM905 (a word list reads best as words)
    "analyse analyze answer approve assess assign automate build calculate categorise "
    "categorize check classify compare compile compute create detect draft estimate extract "
    "fill find flag forecast generate handle identify draw match monitor notify offer plan "
    "predict prepare price prioritise prioritize process produce propose quote rank read "
    "recommend reconcile reply report resolve review route scan schedule score screen send "
    "sort spot suggest summarise summarize tag track translate triage update validate verify "
    "write"
).split()
_VERB_SET = frozenset(MECHANISM_VERBS)
# Subjects already naming the cost or revenue; the sentence does not say it twice.
_NAMES_COST = re.compile(r"^(?:the\s+)?costs?\b|\bcosts?$", re.IGNORECASE)
_NAMES_REVENUE = re.compile(
    r"^(?:new\s+|more\s+|additional\s+)?revenues?\b|\brevenues?$", re.IGNORECASE
)
_AND_VERB = re.compile(r" and (\w+) (?=\w)")
_LEADING_VERB = {
    BOTTOM_LINE: re.compile(r"^(?:reduce|reducing|cut|cutting|lower|lowering)\s+", re.I),
    TOP_LINE: re.compile(r"^(?:generate|generating)\s+", re.I),
}
_LEADING_JOIN = {
    BOTTOM_LINE: re.compile(r"^(?:the\s+)?cost\s+of\s+", re.IGNORECASE),
    TOP_LINE: re.compile(r"^revenue\s+from\s+|^from\s+", re.IGNORECASE),
}


def _verb_base(word: str) -> str | None:
    """The base form of a mechanism verb ("matches" -> "match"), or None if not one."""
    lower = word.lower()
    if lower in _VERB_SET:
        return lower
    candidates = []
    if lower.endswith("ies"):
        candidates.append(lower[:-3] + "y")
    if lower.endswith("es"):
        candidates.append(lower[:-2])
    if lower.endswith("s"):
        candidates.append(lower[:-1])
    return next((c for c in candidates if c in _VERB_SET), None)


def gerund(verb: str) -> str:
    """The -ing form of a base verb: match -> matching, propose -> proposing, flag -> flagging."""
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    vowel_groups = re.findall(r"[aeiou]+", verb)
    if len(vowel_groups) == 1 and re.search(r"[^aeiou][aeiou][^aeiouwxy]$", verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def mechanism_phrase(mechanism: str) -> str:
    """The mechanism as it reads after "by": a leading verb turned into its -ing form."""
    mechanism = normalise_mechanism(mechanism)
    first, _, rest = mechanism.partition(" ")
    base = _verb_base(first)
    if base is None:
        return mechanism
    # "classifies claims and routes them": a second verb after "and" follows the first.
    rest = _AND_VERB.sub(
        lambda m: (
            f" and {gerund(_verb_base(m[1]))} "
            if _verb_base(m[1]) and m[1].lower() != _verb_base(m[1])
            else m[0]
        ),
        f" {rest} ",
    ).strip()
    return f"{gerund(base)} {rest}".strip()


def objective_phrase(economic_class: str, subject: str) -> str:
    """What the agent exists to do: "reduce the cost of <subject>" or "generate revenue from
    <subject>", without repeating words the subject already has."""
    subject = _LEADING_VERB[economic_class].sub("", normalise_part(subject)).strip()
    if economic_class == BOTTOM_LINE:
        if _NAMES_COST.search(subject):
            return f"reduce {subject}"
        return f"reduce the cost of {_LEADING_JOIN[BOTTOM_LINE].sub('', subject)}"
    if _NAMES_REVENUE.search(subject):
        return f"generate {subject}"
    return f"generate revenue from {_LEADING_JOIN[TOP_LINE].sub('', subject)}"


def thesis_sentence(economic_class: str, subject: str, mechanism: str) -> str:
    """The exact thesis sentence, or "" until the archetype and both parts are there."""
    subject = normalise_part(subject)
    mechanism = normalise_mechanism(mechanism)
    if not (economic_class in VERBS and subject and mechanism):
        return ""
    objective = objective_phrase(economic_class, subject)
    return f"This agent exists to {objective} by {mechanism_phrase(mechanism)}."


def thesis_preview(economic_class: str, subject: str, mechanism: str) -> tuple[str, bool]:
    """(sentence, complete): the thesis as typed so far, with the missing parts shown as
    "…" and the archetype choice spelled out until it is made."""
    sentence = thesis_sentence(economic_class, subject, mechanism)
    if sentence:
        return sentence, True
    subject = normalise_part(subject)
    if economic_class in VERBS:
        objective = (
            objective_phrase(economic_class, subject)
            if subject
            else f"{VERBS_PREVIEW[economic_class]} {PLACEHOLDER}"
        )
    else:
        objective = f"reduce the cost of / generate revenue from {subject or PLACEHOLDER}"
    mechanism = mechanism_phrase(mechanism) if normalise_mechanism(mechanism) else PLACEHOLDER
    return f"This agent exists to {objective} by {mechanism}.", False


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def specific_words(text: str) -> list[str]:
    """The words left after removing the vague ones (and bare numbers)."""
    return [w for w in words(text) if w not in VAGUE_WORDS and not w.isdigit()]


def is_vague(text: str) -> bool:
    return len(specific_words(text)) < MIN_SPECIFIC_WORDS


def _too_long(text: str) -> str | None:
    if len(text) > MAX_PART_LENGTH:
        return (
            f"Keep it to one short phrase: at most {MAX_PART_LENGTH} characters "
            f"(this has {len(text)})."
        )
    return None


def class_error(economic_class: str) -> str | None:
    if economic_class not in CLASS_LABELS:
        return (
            "Choose bottom line (the agent reduces cost) or top line (the agent generates revenue)."
        )
    return None


def driver_error(economic_class: str, value_driver: str) -> str | None:
    """Is `value_driver` one of the archetype's drivers (or "other")?"""
    allowed = DRIVERS_BY_CLASS.get(economic_class)
    if allowed is None:
        return None  # the archetype's own message says what to do first
    if not value_driver:
        return "Choose the agent's primary value driver."
    if value_driver not in DRIVER_LABELS:
        return "Choose one of the value drivers listed."
    if value_driver not in allowed:
        other_class = TOP_LINE if economic_class == BOTTOM_LINE else BOTTOM_LINE
        names = ", ".join(DRIVER_LABELS[key].lower() for key in allowed[:-1])
        return (
            f"{DRIVER_LABELS[value_driver]} is a {_class_word(other_class)} driver. "
            f"For a {_class_word(economic_class)} agent choose {names}, or other."
        )
    return None


def other_driver_error(value_driver: str, other: str) -> str | None:
    if value_driver != OTHER_DRIVER:
        return None
    other = normalise_part(other)
    if not other:
        return "Name the other value driver, e.g. 'working capital released'."
    if len(other) > MAX_OTHER_DRIVER_LENGTH:
        return (
            f"Keep the value driver's name short: at most {MAX_OTHER_DRIVER_LENGTH} characters "
            f"(this has {len(other)})."
        )
    if not specific_words(other) and not any(w.isdigit() for w in words(other)):
        return f"'{other}' does not name a value driver. Say what drives the value."
    return None


def subject_error(economic_class: str, subject: str) -> str | None:
    """Says what is missing when the cost reduced / revenue generated is not specific."""
    if economic_class not in CLASS_LABELS:
        return None
    subject = normalise_part(subject)
    what = "cost is reduced" if economic_class == BOTTOM_LINE else "revenue is generated"
    example = SUBJECT_EXAMPLES[economic_class]
    if not subject:
        return f"Say what {what}, e.g. '{example}'."
    if too_long := _too_long(subject):
        return too_long
    if is_vague(subject):
        return (
            f"'{subject}' is too vague. Say which {what} and where, e.g. '{example}'."
            if len(words(subject)) > 1
            else f"One word is not enough. Say which {what} and where, e.g. '{example}'."
        )
    return None


def mechanism_error(mechanism: str) -> str | None:
    """Says what is missing when the mechanism does not say how the agent creates the value."""
    mechanism = normalise_mechanism(mechanism)
    if not mechanism:
        return f"Say how the agent does it (the mechanism), e.g. '{MECHANISM_EXAMPLE}'."
    if too_long := _too_long(mechanism):
        return too_long
    if is_vague(mechanism):
        return (
            f"'{mechanism}' is too vague. Say what the agent actually does, "
            f"e.g. '{MECHANISM_EXAMPLE}'."
            if len(words(mechanism)) > 1
            else f"One word is not enough. Say what the agent actually does, "
            f"e.g. '{MECHANISM_EXAMPLE}'."
        )
    return None


def classification_errors(
    *,
    economic_class: str,
    value_driver: str,
    value_driver_other: str,
    subject: str,
    mechanism: str,
) -> dict[str, str]:
    """Every problem with a classification, by field name; empty when it can be saved."""
    checks = {
        "economic_class": class_error(economic_class),
        "value_driver": driver_error(economic_class, value_driver),
        "value_driver_other": other_driver_error(value_driver, value_driver_other),
        "thesis_subject": subject_error(economic_class, subject),
        "thesis_mechanism": mechanism_error(mechanism),
    }
    return {field: message for field, message in checks.items() if message}


def driver_label(value_driver: str, value_driver_other: str = "") -> str:
    if value_driver == OTHER_DRIVER:
        return normalise_part(value_driver_other) or "Other"
    return DRIVER_LABELS.get(value_driver, "")


def _class_word(economic_class: str) -> str:
    return "bottom-line" if economic_class == BOTTOM_LINE else "top-line"
