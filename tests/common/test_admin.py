"""The admin follows the text rule too: every registered admin of the project, and its
inlines, found from the admin site, so a new admin class without the rule fails here."""

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory

from common.admin import TextRulesAdminMixin
from tests import factories

APPS = {"agents", "foundation", "kpis", "targets", "workshops"}
BELL_MESSAGE = "This text contains a control character (U+0007) at position 2; remove it."
ZWSP_MESSAGE = (
    "This text contains an invisible formatting character (U+200B, zero width space) at "
    "position 2, which can make one name look like another; remove it."
)

ADMINS = sorted(
    (model_admin for model, model_admin in admin.site._registry.items()
     if model._meta.app_label in APPS),
    key=lambda model_admin: str(model_admin),
)  # fmt: skip


@pytest.fixture
def admin_request(db):
    request = RequestFactory().get("/admin/")
    request.user = factories.make_user(superuser=True)
    return request


def _form_classes(model_admin, request) -> list[type]:
    classes = [model_admin.get_form(request)]
    for inline in model_admin.get_inline_instances(request):
        classes.append(inline.get_formset(request).form)
    return classes


def test_admin_walk_finds_the_project_admins():
    names = {type(model_admin).__name__ for model_admin in ADMINS}
    assert {"AgentAdmin", "WorkshopAdmin", "LLMModelAdmin", "FinanceSignOffAdmin"} <= names


@pytest.mark.parametrize("model_admin", ADMINS, ids=str)
def test_every_admin_text_field_refuses_a_control_character(model_admin, admin_request):
    assert isinstance(model_admin, TextRulesAdminMixin), f"{model_admin}: use common.admin"
    for form_class in _form_classes(model_admin, admin_request):
        for name, field in form_class.base_fields.items():
            # A JSON field refuses raw control characters as invalid JSON before any rule.
            if not isinstance(field, forms.CharField) or isinstance(field, forms.JSONField):
                continue
            form = form_class(data={name: "a\x07b"})
            assert form.is_valid() is False
            assert BELL_MESSAGE in form.errors.get(name, []), (form_class, name)


def test_admin_name_fields_refuse_a_zero_width_space(admin_request):
    from agents.admin import AgentAdmin
    from agents.models import Agent

    form_class = AgentAdmin(Agent, admin.site).get_form(admin_request)
    form = form_class(data={"name": "S\u200bam", "description": "S\u200bam"})
    assert form.is_valid() is False
    assert form.errors["name"] == [ZWSP_MESSAGE]
    assert "description" not in form.errors
