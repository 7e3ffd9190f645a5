"""Every form of the project follows the text rule: found by walking the code, so a new form
that does not (a plain django.forms.Form) fails here."""

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms

from common.forms import Form, ModelForm, TextRulesMixin
from kpis.models import KpiDefinition
from tests import factories

APPS = ("agents", "bundles", "common", "finops_workshop", "foundation", "kpis", "reports")
APPS += ("targets", "workshops")
BELL = "a\x07b"
BELL_MESSAGE = "This text contains a control character (U+0007) at position 2; remove it."
RLO_MESSAGE = (
    "This text contains an invisible formatting character (U+202E, right-to-left override) "
    "at position 2, which can make one name look like another; remove it."
)


def _project_modules():
    for app in APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            yield importlib.import_module(info.name)


def project_form_classes() -> list[type]:
    found = {}
    for module in _project_modules():
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, forms.BaseForm)
                and value.__module__.split(".")[0] in APPS
                and value not in (Form, ModelForm)
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


FORM_CLASSES = project_form_classes()


def test_form_walk_finds_the_forms_people_type_into():
    names = {cls.__name__ for cls in FORM_CLASSES}
    assert {"AgentForm", "AgentKpiForm", "JoinForm", "InviteForm", "BundleUploadForm"} <= names
    assert {"CatalogueUploadForm", "ClassificationForm", "WorkshopForm", "ActionForm"} <= names
    assert len(FORM_CLASSES) >= 30


@pytest.fixture
def form_kwargs(db):
    """A value for every keyword a project form's __init__ takes, by its name."""
    workshop = factories.make_workshop()
    table = factories.make_table(workshop=workshop)
    agent = factories.make_agent(workshop=workshop, table=table)
    kpi = factories.make_agent_kpi(agent=agent)
    return {
        "workshop": workshop,
        "table": table,
        "tables": [table],
        "agent": agent,
        "agents": [agent],
        "kpi": kpi,
        "definition": KpiDefinition.objects.first(),
        "question": None,
        "editing": True,
        "currency": "EUR",
        "workload_known": False,
        "too_large": False,
        "body_too_large": False,
        "today": datetime.date(2026, 12, 7),
        "number_format": "point-comma",
    }


def _bound(form_class, data: dict, known: dict):
    parameters = inspect.signature(form_class.__init__).parameters.values()
    kwargs = {}
    for parameter in parameters:
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            continue
        if parameter.name in known:
            kwargs[parameter.name] = known[parameter.name]
        else:
            assert parameter.default is not inspect.Parameter.empty, (
                f"{form_class.__name__} needs “{parameter.name}”: add it to form_kwargs"
            )
    return form_class(data=data, files={}, **kwargs)


def _text_fields(form) -> list[str]:
    return [name for name, field in form.fields.items() if isinstance(field, forms.CharField)]


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: cls.__qualname__)
def test_every_text_field_of_every_form_refuses_a_control_character(form_class, form_kwargs):
    assert issubclass(form_class, TextRulesMixin), f"{form_class.__name__}: use common.forms.Form"
    fields = _text_fields(_bound(form_class, {}, form_kwargs))
    for name in fields:
        form = _bound(form_class, {name: BELL}, form_kwargs)
        assert form.is_valid() is False
        assert BELL_MESSAGE in form.errors.get(name, []), (name, form.errors.get(name))


NAMED = [
    (form_class, name)
    for form_class in FORM_CLASSES
    for name in getattr(form_class, "NAME_FIELDS", ())
]


@pytest.mark.parametrize(("form_class", "name"), NAMED, ids=lambda v: getattr(v, "__qualname__", v))
def test_every_name_field_refuses_a_bidi_override(form_class, name, form_kwargs):
    form = _bound(form_class, {name: "S\u202eam"}, form_kwargs)
    assert name in form.fields, f"{form_class.__name__}.NAME_FIELDS names no field “{name}”"
    assert form.is_valid() is False
    assert form.errors[name] == [RLO_MESSAGE]


def test_names_are_marked_where_a_person_or_thing_is_named():
    by_name = {cls.__name__: set(getattr(cls, "NAME_FIELDS", ())) for cls in FORM_CLASSES}
    assert by_name["AgentForm"] == {"name", "owner_name"}
    assert by_name["TableForm"] == {"name"}
    assert by_name["JoinForm"] == {"display_name"}
    assert by_name["AgentKpiForm"] == {"name"}
    assert by_name["InviteForm"] == {"name", "title"}
    assert by_name["SignOffForm"] == {"title"}
    assert by_name["WorkshopForm"] == {"client_organisation", "title"}
    assert by_name["ReviewerCreateForm"] == {"username", "full_name"}


def test_free_text_keeps_bidi_and_stores_crlf_as_lf(form_kwargs):
    from workshops.forms import AgendaItemForm

    form = AgendaItemForm(
        data={"planned_minutes": "15", "facilitator_notes": "First\r\nsecond \u202eRTL"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["facilitator_notes"] == "First\nsecond \u202eRTL"


def test_nul_gets_the_text_rule_message_only(form_kwargs):
    from workshops.forms import TableForm

    form = TableForm(data={"name": "Table\x00"}, workshop=form_kwargs["workshop"])
    assert form.is_valid() is False
    assert form.errors["name"] == [
        "This text contains a control character (U+0000) at position 6; remove it."
    ]


def test_form_walk_catches_a_form_without_the_rule():
    """Positive control: a plain Django form takes the bell, so the walk above would fail."""

    class PlainForm(forms.Form):
        note = forms.CharField()

    form = PlainForm(data={"note": BELL})
    assert form.is_valid() is True
    assert issubclass(PlainForm, TextRulesMixin) is False
