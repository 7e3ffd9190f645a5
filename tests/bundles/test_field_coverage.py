"""Every field of the workshop's data travels in a bundle or is left behind on purpose.

A field added to a model of the apps a bundle carries fails here until it is given a key in its
section (bundles/sections.py, written by bundles/export.py, read by bundles/builder.py) or an
entry in SKIP below with the reason it stays on this server.
"""

from django.apps import apps

from bundles import sections

# The apps whose models hold a workshop's data.
APPS = ("workshops", "agents", "kpis", "targets", "foundation")

# The model whose rows each section holds.
SECTION_MODELS = {
    "workshop": "workshops.Workshop",
    "narrative": "workshops.Narrative",
    "tables": "workshops.BreakoutTable",
    "participants": "workshops.Participant",
    "agenda_items": "workshops.AgendaItem",
    "prework_items": "workshops.PreworkItem",
    "agents": "agents.Agent",
    "kpis": "kpis.AgentKpi",
    "benchmarks": "targets.BenchmarkEvidence",
    "no_evidence": "targets.NoComparableEvidence",
    "constraint_analyses": "targets.ConstraintAnalysis",
    "value_targets": "targets.ValueTarget",
    "agent_economics": "targets.AgentEconomics",
    "finance_invites": "targets.FinanceInvite",
    "change_requests": "targets.FinanceChangeRequest",
    "signoffs": "targets.FinanceSignOff",
    "actions": "workshops.ActionItem",
    "quiz": "foundation.QuizRound",
    "question_runs": "foundation.QuestionRun",
    "answers": "foundation.Answer",
}

# Bundle keys named otherwise than the field they carry.
KEY_FIELDS = {
    # The SHA-256 of the signed values; the importer computes it again over its own ids.
    ("signoffs", "signed_values_sha256"): "values_sha256",
}
# Bundle keys that carry no field of their own.
DERIVED_KEYS = {
    # The KPI a baseline or instrumentation task's origin_key points at (the key holds an id).
    ("actions", "kpi"): "names the KPI behind origin_key, which is rebuilt on import",
}

# Models that are no workshop's data.
SKIP_MODELS = {
    "foundation.LLMModel": "catalogue: every server loads its own (bundles name models by key)",
    "foundation.PricePoint": "catalogue: every server loads its own price list",
    "foundation.Question": "catalogue: every server loads its own quiz questions",
    "foundation.GlossaryTerm": "catalogue: every server loads its own glossary",
    "kpis.KpiDefinition": "catalogue: every server loads its own (bundles name them by key)",
    "targets.FinancePresence": "who has the finance page open right now on this server",
}

THE_WORKSHOP = "the bundle is one workshop's: its rows hang off the workshop it imports as"
LIVE_COUNTER = "a counter of this server's live screens"
EDIT_VERSION = "an edit version of this server's forms (optimistic locking)"
ROW_ID = "a row id of this server: the importing server numbers its own rows"
ACCOUNT = "an account of this server: people travel as names"

# Fields of bundled models that stay on this server.
SKIP = {
    ("workshops.Workshop", "id"): ROW_ID,
    ("workshops.Workshop", "revision"): LIVE_COUNTER,
    ("workshops.Workshop", "room_revision"): LIVE_COUNTER,
    ("workshops.Workshop", "board_revision"): LIVE_COUNTER,
    ("workshops.Workshop", "work_revision"): LIVE_COUNTER,
    ("workshops.Workshop", "projector_turns"): LIVE_COUNTER,
    ("workshops.Narrative", "id"): ROW_ID,
    ("workshops.Narrative", "workshop"): THE_WORKSHOP,
    ("workshops.Narrative", "size"): "the length of the content, counted again on import",
    ("workshops.BreakoutTable", "workshop"): THE_WORKSHOP,
    ("workshops.BreakoutTable", "join_code"): "a secret of this server: the importer makes its own",
    ("workshops.BreakoutTable", "revision"): LIVE_COUNTER,
    ("workshops.BreakoutTable", "summary_revision"): LIVE_COUNTER,
    ("workshops.BreakoutTable", "summary_digest"): "a digest of the table's live summary screen",
    ("workshops.Participant", "token"): "a session secret of this server",
    ("workshops.AgendaItem", "workshop"): THE_WORKSHOP,
    ("workshops.PreworkItem", "workshop"): THE_WORKSHOP,
    ("workshops.ActionItem", "workshop"): THE_WORKSHOP,
    ("workshops.ActionItem", "version"): EDIT_VERSION,
    ("agents.Agent", "workshop"): THE_WORKSHOP,
    ("agents.Agent", "version"): EDIT_VERSION,
    ("kpis.AgentKpi", "version"): EDIT_VERSION,
    ("targets.BenchmarkEvidence", "version"): EDIT_VERSION,
    ("targets.NoComparableEvidence", "id"): ROW_ID,
    ("targets.NoComparableEvidence", "version"): EDIT_VERSION,
    ("targets.ConstraintAnalysis", "id"): ROW_ID,
    ("targets.ConstraintAnalysis", "version"): EDIT_VERSION,
    ("targets.ValueTarget", "id"): ROW_ID,
    ("targets.ValueTarget", "version"): EDIT_VERSION,
    ("targets.AgentEconomics", "id"): ROW_ID,
    ("targets.AgentEconomics", "version"): EDIT_VERSION,
    ("targets.FinanceInvite", "workshop"): THE_WORKSHOP,
    ("targets.FinanceInvite", "token_hash"): "a secret of this server: invite links do not travel",
    ("targets.FinanceInvite", "created_by"): ACCOUNT,
    ("targets.FinanceChangeRequest", "reviewer_user"): ACCOUNT,
    ("targets.FinanceSignOff", "signer_user"): ACCOUNT,
    ("targets.FinanceSignOff", "voided_by"): ACCOUNT,
    ("foundation.QuizRound", "id"): ROW_ID,
    ("foundation.QuizRound", "workshop"): THE_WORKSHOP,
    ("foundation.QuestionRun", "round"): "a workshop has one quiz round: the bundle's quiz",
    ("foundation.Answer", "id"): ROW_ID,
}

# Workshop data that a bundle does not carry yet and should: the import loses it.
NOT_YET_CARRIED = {
    "foundation.ToolInputs": "the Block 1 tools' projector inputs (calculator, window, "
    "break-even); an imported workshop shows the tools' defaults",
}

SECTIONS = {section.name: section for section in sections.SECTIONS}


def _label(model) -> str:
    return model._meta.label


def _bundled_fields() -> set[tuple[str, str]]:
    """(model label, field name) of every field a section carries."""
    bundled = set()
    for name, section in SECTIONS.items():
        model = apps.get_model(SECTION_MODELS[name])
        for key in section.fields:
            if (name, key) in DERIVED_KEYS:
                continue
            field = model._meta.pk.name if key == "ref" else KEY_FIELDS.get((name, key), key)
            bundled.add((_label(model), field))
    return bundled


def _workshop_models() -> list:
    return [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if _label(model) not in SKIP_MODELS and _label(model) not in NOT_YET_CARRIED
    ]


def test_field_coverage_every_field_bundled_or_skipped():
    bundled = _bundled_fields()
    missing = [
        f"{_label(model)}.{field.name}"
        for model in _workshop_models()
        for field in model._meta.concrete_fields
        if (_label(model), field.name) not in bundled and (_label(model), field.name) not in SKIP
    ]

    assert missing == [], (
        f"{', '.join(missing)}: neither in a bundle nor on the skip list. Give each a key in "
        "its section in bundles/sections.py (export.py writes it, builder.py reads it) or an "
        "entry in SKIP in tests/bundles/test_field_coverage.py with the reason it stays behind."
    )


def test_field_coverage_every_section_key_names_a_field():
    unknown = []
    for name, section in SECTIONS.items():
        model = apps.get_model(SECTION_MODELS[name])
        names = {field.name for field in model._meta.concrete_fields}
        for key in section.fields:
            field = model._meta.pk.name if key == "ref" else KEY_FIELDS.get((name, key), key)
            if (name, key) not in DERIVED_KEYS and field not in names:
                unknown.append(f"{name}.{key}")

    assert unknown == []


def test_field_coverage_every_section_has_its_model():
    assert set(SECTION_MODELS) == set(sections.SECTION_NAMES)


def test_field_coverage_skip_list_names_real_unbundled_fields():
    bundled = _bundled_fields()
    stale = [
        f"{label}.{name}"
        for label, name in SKIP
        if name not in {f.name for f in apps.get_model(label)._meta.concrete_fields}
        or (label, name) in bundled
    ]

    assert stale == []


def test_field_coverage_every_model_of_the_apps_is_accounted_for():
    labels = {_label(model) for label in APPS for model in apps.get_app_config(label).get_models()}
    bundled = set(SECTION_MODELS.values())

    assert labels - bundled - set(SKIP_MODELS) - set(NOT_YET_CARRIED) == set()
    assert (set(SKIP_MODELS) | set(NOT_YET_CARRIED)) - labels == set()
