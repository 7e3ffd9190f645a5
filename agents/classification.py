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

MAX_PART_LENGTH = 200
MAX_OTHER_DRIVER_LENGTH = 80

SUBJECT_EXAMPLES = {
    BOTTOM_LINE: "manual invoice matching hours in accounts payable",
    TOP_LINE: "premium-tier upgrades from existing freight customers",
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


def thesis_sentence(economic_class: str, subject: str, mechanism: str) -> str:
    """The exact thesis sentence, or "" until the archetype and both parts are there."""
    verb = VERBS.get(economic_class)
    subject = normalise_part(subject)
    mechanism = normalise_mechanism(mechanism)
    if not (verb and subject and mechanism):
        return ""
    return f"This agent exists to {verb} {subject} by {mechanism}."


def thesis_preview(economic_class: str, subject: str, mechanism: str) -> tuple[str, bool]:
    """(sentence, complete): the thesis as typed so far, with the missing parts shown as
    "…" and the archetype choice spelled out until it is made."""
    sentence = thesis_sentence(economic_class, subject, mechanism)
    if sentence:
        return sentence, True
    verb = VERBS.get(economic_class, "reduce cost / generate revenue")
    subject = normalise_part(subject) or PLACEHOLDER
    mechanism = normalise_mechanism(mechanism) or PLACEHOLDER
    return f"This agent exists to {verb} {subject} by {mechanism}.", False


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
