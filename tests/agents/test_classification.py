"""Block 2 rules: archetypes, value drivers and the economic thesis (pure, no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agents import classification as c

SUBJECT = "manual invoice matching hours in accounts payable"
MECHANISM = "matching invoices to purchase orders and routing exceptions to a clerk"


# --- The sentence -----------------------------------------------------------------------------
def test_thesis_sentence_bottom_line():
    assert c.thesis_sentence("bottom_line", SUBJECT, MECHANISM) == (
        "This agent exists to reduce the cost of manual invoice matching hours in accounts "
        "payable by matching invoices to purchase orders and routing exceptions to a clerk."
    )


def test_thesis_sentence_top_line():
    assert c.thesis_sentence(
        "top_line", "from premium-tier upgrades", "spotting growing accounts"
    ) == (
        "This agent exists to generate revenue from premium-tier upgrades by spotting growing "
        "accounts."
    )


def test_thesis_sentence_drops_duplicate_by_and_full_stop():
    assert c.thesis_sentence("bottom_line", "  AP clerk hours. ", "By   matching invoices.") == (
        "This agent exists to reduce the cost of AP clerk hours by matching invoices."
    )


@pytest.mark.parametrize(
    ("economic_class", "subject", "mechanism"),
    [("", SUBJECT, MECHANISM), ("bottom_line", "", MECHANISM), ("top_line", SUBJECT, "  ")],
)
def test_thesis_sentence_empty_until_complete(economic_class, subject, mechanism):
    assert c.thesis_sentence(economic_class, subject, mechanism) == ""


def test_thesis_preview_shows_missing_parts():
    assert c.thesis_preview("", "", "") == (
        "This agent exists to reduce the cost of / generate revenue from \u2026 by \u2026.",
        False,
    )
    assert c.thesis_preview("top_line", "upsell revenue", "") == (
        "This agent exists to generate upsell revenue by \u2026.",
        False,
    )


@pytest.mark.parametrize(
    ("economic_class", "subject", "mechanism", "sentence"),
    [
        ("bottom_line", "the hours accounts payable clerks spend", "proposes matches",
         "This agent exists to reduce the cost of the hours accounts payable clerks spend by "
         "proposing matches."),
        ("bottom_line", "cost of customs filing errors", "checks declarations",
         "This agent exists to reduce cost of customs filing errors by checking declarations."),
        ("bottom_line", "the costs of late payments", "flags overdue invoices",
         "This agent exists to reduce the costs of late payments by flagging overdue invoices."),
        ("bottom_line", "reduce the cost of manual keying", "reads invoices",
         "This agent exists to reduce the cost of manual keying by reading invoices."),
        ("bottom_line", "the cost of manual keying", "by extracting fields",
         "This agent exists to reduce the cost of manual keying by extracting fields."),
        ("bottom_line", "picker walking time", "Suggests slot changes",
         "This agent exists to reduce the cost of picker walking time by suggesting slot "
         "changes."),
        ("bottom_line", "claims handling hours", "classifies claims and routes them",
         "This agent exists to reduce the cost of claims handling hours by classifying claims "
         "and routing them."),
        ("bottom_line", "planner hours", "plans routes",
         "This agent exists to reduce the cost of planner hours by planning routes."),
        ("bottom_line", "review hours", "a nightly reconciliation of the ledgers",
         "This agent exists to reduce the cost of review hours by a nightly reconciliation of "
         "the ledgers."),
        ("top_line", "premium-tier upgrades", "finds growing accounts",
         "This agent exists to generate revenue from premium-tier upgrades by finding growing "
         "accounts."),
        ("top_line", "from premium-tier upgrades", "spots growing accounts",
         "This agent exists to generate revenue from premium-tier upgrades by spotting growing "
         "accounts."),
        ("top_line", "revenue from lost quotes", "prices requests within minutes",
         "This agent exists to generate revenue from lost quotes by pricing requests within "
         "minutes."),
        ("top_line", "new revenue in the SME segment", "drafts offers",
         "This agent exists to generate new revenue in the SME segment by drafting offers."),
        ("top_line", "generate revenue from renewals", "scans contracts",
         "This agent exists to generate revenue from renewals by scanning contracts."),
        ("bottom_line", "AP processing costs", "reads invoices",
         "This agent exists to reduce AP processing costs by reading invoices."),
        ("top_line", "cross-sell to freight customers", "matches offers to shipments",
         "This agent exists to generate revenue from cross-sell to freight customers by "
         "matching offers to shipments."),
    ],
)  # fmt: skip
def test_thesis_sentence_joins_read_as_english(economic_class, subject, mechanism, sentence):
    assert c.thesis_sentence(economic_class, subject, mechanism) == sentence


@pytest.mark.parametrize(
    ("verb", "ing"),
    [("match", "matching"), ("propose", "proposing"), ("flag", "flagging"), ("find", "finding"),
     ("plan", "planning"), ("scan", "scanning"), ("visit", "visiting"), ("see", "seeing"),
     ("tie", "tying"), ("draw", "drawing"), ("fix", "fixing"), ("open", "opening")],
)  # fmt: skip
def test_gerund(verb, ing):
    assert c.gerund(verb) == ing


def test_demo_theses_read_as_english():
    from workshops.demo import DEMO_THESES

    sentences = [
        c.thesis_sentence(economic_class, subject, mechanism)
        for economic_class, _driver, subject, mechanism in DEMO_THESES.values()
    ]
    assert sentences[4] == (
        "This agent exists to reduce the cost of the planner hours spent re-routing delayed "
        "shipments by proposing a new route when a delay is detected and notifying the customer."
    )
    for economic_class, driver, subject, mechanism in DEMO_THESES.values():
        assert (
            c.classification_errors(
                economic_class=economic_class,
                value_driver=driver,
                value_driver_other="",
                subject=subject,
                mechanism=mechanism,
            )
            == {}
        )
    for sentence in sentences:
        assert " by proposes " not in sentence and " by finds " not in sentence


def test_thesis_preview_complete_is_the_sentence():
    assert c.thesis_preview("bottom_line", SUBJECT, MECHANISM) == (
        c.thesis_sentence("bottom_line", SUBJECT, MECHANISM),
        True,
    )


def test_normalise_part_collapses_whitespace_and_unicode_spaces():
    assert c.normalise_part("\u00a0invoice\t\tmatching \n hours...") == "invoice matching hours"


def test_normalise_mechanism_keeps_words_starting_with_by():
    assert c.normalise_mechanism("bypassing manual re-keying") == "bypassing manual re-keying"


@given(
    st.sampled_from(["bottom_line", "top_line"]),
    st.text(min_size=1, max_size=80),
    st.text(min_size=1, max_size=80),
)
def test_thesis_sentence_is_one_sentence_or_empty(economic_class, subject, mechanism):
    sentence = c.thesis_sentence(economic_class, subject, mechanism)
    if sentence:
        assert sentence.startswith("This agent exists to ")
        assert sentence.endswith(".")
        assert "\n" not in sentence


# --- Archetype and driver ---------------------------------------------------------------------
def test_class_error_missing():
    assert c.class_error("") == (
        "Choose bottom line (the agent reduces cost) or top line (the agent generates revenue)."
    )


def test_class_error_unknown_value():
    assert c.class_error("sideways") == c.class_error("")


@pytest.mark.parametrize("economic_class", ["bottom_line", "top_line"])
def test_class_error_none_for_the_two_archetypes(economic_class):
    assert c.class_error(economic_class) is None


@pytest.mark.parametrize("driver", ["labour_savings", "error_reduction", "cycle_time", "other"])
def test_driver_bottom_line_allows_its_drivers(driver):
    assert c.driver_error("bottom_line", driver) is None


@pytest.mark.parametrize("driver", ["new_capacity", "conversion", "speed_to_market", "other"])
def test_driver_top_line_allows_its_drivers(driver):
    assert c.driver_error("top_line", driver) is None


def test_driver_from_the_other_archetype_refused():
    assert c.driver_error("bottom_line", "conversion") == (
        "Conversion is a top-line driver. For a bottom-line agent choose labour savings, "
        "error reduction, cycle time, or other."
    )
    assert c.driver_error("top_line", "cycle_time") == (
        "Cycle time is a bottom-line driver. For a top-line agent choose new capacity, "
        "conversion, speed-to-market, or other."
    )


def test_driver_missing():
    assert c.driver_error("top_line", "") == "Choose the agent's primary value driver."


def test_driver_unknown():
    assert c.driver_error("top_line", "<script>") == "Choose one of the value drivers listed."


def test_driver_not_checked_without_archetype():
    assert c.driver_error("", "") is None


def test_other_driver_needs_a_name():
    assert c.other_driver_error("other", "  ") == (
        "Name the other value driver, e.g. 'working capital released'."
    )


def test_other_driver_name_too_long():
    assert c.other_driver_error("other", "x" * 81) == (
        "Keep the value driver's name short: at most 80 characters (this has 81)."
    )


def test_other_driver_name_of_vague_words_refused():
    assert c.other_driver_error("other", "more value") == (
        "'more value' does not name a value driver. Say what drives the value."
    )


def test_other_driver_accepted():
    assert c.other_driver_error("other", "Working capital released") is None
    assert c.other_driver_error("other", "Compliance") is None


def test_other_driver_ignored_for_listed_driver():
    assert c.other_driver_error("conversion", "") is None


def test_driver_label():
    assert c.driver_label("cycle_time") == "Cycle time"
    assert c.driver_label("other", " Working capital ") == "Working capital"
    assert c.driver_label("") == ""


# --- What is reduced / generated --------------------------------------------------------------
def test_subject_empty_bottom_line():
    assert c.subject_error("bottom_line", "") == (
        "Say what cost is reduced, e.g. 'manual invoice matching hours in accounts payable'."
    )


def test_subject_empty_top_line():
    assert c.subject_error("top_line", "   ") == (
        "Say what revenue is generated, e.g. 'premium-tier upgrades sold to existing freight "
        "customers'."
    )


def test_subject_one_word_refused():
    assert c.subject_error("bottom_line", "efficiency") == (
        "One word is not enough. Say which cost is reduced and where, e.g. 'manual invoice "
        "matching hours in accounts payable'."
    )


@pytest.mark.parametrize(
    "vague",
    [
        "improve things",
        "be more efficient",
        "save money",
        "increase revenue",
        "costs in our business",
        "operational costs",
        "more sales",
        "overall efficiency improvements",
        "time and money",
    ],
)
def test_subject_vague_phrases_refused(vague):
    assert c.subject_error("bottom_line", vague) == (
        f"'{vague}' is too vague. Say which cost is reduced and where, e.g. 'manual invoice "
        "matching hours in accounts payable'."
    )


def test_subject_vague_top_line_message():
    assert c.subject_error("top_line", "increase revenue") == (
        "'increase revenue' is too vague. Say which revenue is generated and where, e.g. "
        "'premium-tier upgrades sold to existing freight customers'."
    )


@pytest.mark.parametrize(
    "specific",
    [
        SUBJECT,
        "AP clerk overtime",
        "customs broker fees on rejected declarations",
        "Rechnungsprüfung im Einkauf",
        "from premium-tier upgrades",
    ],
)
def test_subject_specific_accepted(specific):
    assert c.subject_error("bottom_line", specific) is None


def test_subject_too_long():
    text = "invoice " * 30  # 239 characters before the trailing space is dropped
    assert c.subject_error("bottom_line", text) == (
        "Keep it to one short phrase: at most 200 characters (this has 239)."
    )


def test_subject_not_checked_without_archetype():
    assert c.subject_error("", "") is None


# --- The mechanism ----------------------------------------------------------------------------
def test_mechanism_empty():
    assert c.mechanism_error("") == (
        "Say how the agent does it (the mechanism), e.g. 'matching invoices to purchase orders "
        "and routing only the exceptions to a clerk'."
    )


def test_mechanism_only_by():
    assert c.mechanism_error("by ") == c.mechanism_error("")


def test_mechanism_one_word():
    assert c.mechanism_error("automation") == (
        "One word is not enough. Say what the agent actually does, e.g. 'matching invoices to "
        "purchase orders and routing only the exceptions to a clerk'."
    )


@pytest.mark.parametrize(
    "vague", ["using AI", "being more efficient", "improving things", "automating the process"]
)
def test_mechanism_vague_refused(vague):
    assert c.mechanism_error(vague) == (
        f"'{vague}' is too vague. Say what the agent actually does, e.g. 'matching invoices to "
        "purchase orders and routing only the exceptions to a clerk'."
    )


@pytest.mark.parametrize(
    "specific",
    [MECHANISM, "by drafting replies to shipment enquiries", "pricing ad-hoc lanes from history"],
)
def test_mechanism_specific_accepted(specific):
    assert c.mechanism_error(specific) is None


def test_mechanism_too_long():
    assert c.mechanism_error("routing " * 30) == (
        "Keep it to one short phrase: at most 200 characters (this has 239)."
    )


# --- Everything together ----------------------------------------------------------------------
def test_classification_errors_none_when_complete():
    assert (
        c.classification_errors(
            economic_class="bottom_line",
            value_driver="labour_savings",
            value_driver_other="",
            subject=SUBJECT,
            mechanism=MECHANISM,
        )
        == {}
    )


def test_classification_errors_all_missing():
    assert c.classification_errors(
        economic_class="", value_driver="", value_driver_other="", subject="", mechanism=""
    ) == {
        "economic_class": c.class_error(""),
        "thesis_mechanism": c.mechanism_error(""),
    }


def test_classification_errors_by_field():
    errors = c.classification_errors(
        economic_class="top_line",
        value_driver="other",
        value_driver_other="",
        subject="save money",
        mechanism="AI",
    )
    assert sorted(errors) == ["thesis_mechanism", "thesis_subject", "value_driver_other"]


def test_drivers_by_class_cover_every_driver_once_plus_other():
    bottom = set(c.DRIVERS_BY_CLASS["bottom_line"])
    top = set(c.DRIVERS_BY_CLASS["top_line"])
    assert bottom & top == {"other"}
    assert bottom | top == set(c.DRIVER_LABELS)
