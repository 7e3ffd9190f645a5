"""The versioned save every editing page shares: saved, invalid (422), conflict (409), gone."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from agents.models import Agent
from workshops import services
from workshops.concurrency import rebase_form_data, save_versioned
from workshops.forms import ActionForm
from workshops.models import ActionItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(workshop):
    return workshop.actions.get(origin_key="guide:register")


def posted(item, **changes) -> dict:
    data = {
        "owner": item.owner,
        "action": item.action,
        "due_date": item.due_date.isoformat(),
        "status": item.status,
        "version": str(item.version),
    }
    data.update(changes)
    return data


def update(item, form):
    return lambda: services.action_update(
        item=item, version=form.cleaned_data["version"], values=form.values()
    )


def save(form, save_callable):
    return save_versioned(
        form,
        save_callable,
        fields=ActionForm.FIELDS,
        rebase=lambda data: ActionForm(data, editing=True),
        gone=ActionItem.DoesNotExist,
    )


def test_save_versioned_valid_form_saves_and_returns_the_record(item):
    form = ActionForm(posted(item, owner="Client IT", due_date="2026-12-14"), editing=True)
    outcome = save(form, update(item, form))
    assert (outcome.status, outcome.gone, outcome.conflict, outcome.current) == (
        200,
        False,
        None,
        None,
    )
    assert outcome.form is form
    assert outcome.saved == item
    assert (outcome.saved.owner, outcome.saved.due_date, outcome.saved.version) == (
        "Client IT",
        datetime.date(2026, 12, 14),
        2,
    )


def test_save_versioned_invalid_form_422_and_nothing_saved(item):
    calls = []
    form = ActionForm(posted(item, due_date="soon", owner="Client IT"), editing=True)
    outcome = save(form, lambda: calls.append("saved"))
    assert (outcome.status, outcome.saved, outcome.conflict) == (422, None, None)
    assert outcome.form is form
    assert list(form.errors) == ["due_date"]
    assert calls == []
    item.refresh_from_db()
    assert (item.owner, item.version) == ("OAIO Team", 1)


def test_save_versioned_service_errors_by_field_go_onto_the_form_422(item):
    def refuse():
        raise ValidationError(
            {
                "owner": "Name the team that owns this action.",
                "__all__": "Finance signed this off.",
                "budget": "Keep the budget under 1,000.",
            }
        )

    form = ActionForm(posted(item), editing=True)
    outcome = save(form, refuse)
    assert (outcome.status, outcome.saved, outcome.conflict) == (422, None, None)
    assert outcome.form is form
    assert form.errors == {
        "owner": ["Name the team that owns this action."],
        "__all__": ["Finance signed this off.", "Keep the budget under 1,000."],
    }


def test_save_versioned_service_error_without_field_goes_above_the_fields_422(item):
    def refuse():
        raise ValidationError("Finance signed this off.")

    form = ActionForm(posted(item), editing=True)
    outcome = save(form, refuse)
    assert outcome.status == 422
    assert form.errors == {"__all__": ["Finance signed this off."]}


def test_save_versioned_stale_version_409_with_both_values_and_rebased_form(item):
    services.action_update(item=item, version=1, values={"owner": "Finance Ops"})
    form = ActionForm(posted(item, owner="Mine Ltd", status="done", version="1"), editing=True)
    outcome = save(form, update(item, form))
    assert (outcome.status, outcome.gone, outcome.saved) == (409, False, None)
    assert outcome.conflict == [
        {"label": "Owner", "theirs": "Finance Ops", "yours": "Mine Ltd"},
        {"label": "Status", "theirs": "open", "yours": "done"},
    ]
    assert (outcome.current.pk, outcome.current.owner, outcome.current.version) == (
        item.pk,
        "Finance Ops",
        2,
    )
    rebased = outcome.form
    assert rebased is not form
    # Already cleaned, so a page can show what the typed values would mean.
    assert (rebased.cleaned_data["owner"], rebased.cleaned_data["version"]) == ("Mine Ltd", 2)
    assert rebased.errors == {}
    item.refresh_from_db()
    assert (item.owner, item.status, item.version) == ("Finance Ops", "open", 2)


def test_save_versioned_keep_mine_after_conflict_saves(item):
    services.action_update(item=item, version=1, values={"owner": "Finance Ops"})
    form = ActionForm(posted(item, owner="Mine Ltd", version="1"), editing=True)
    rebased = save(form, update(item, form)).form
    again = ActionForm(rebased.data, editing=True)
    outcome = save(again, update(item, again))
    assert (outcome.status, outcome.saved.owner, outcome.saved.version) == (200, "Mine Ltd", 3)


def test_save_versioned_deleted_record_is_gone_404(item):
    form = ActionForm(posted(item, owner="Client IT"), editing=True)
    ActionItem.objects.filter(pk=item.pk).delete()
    outcome = save(form, update(item, form))
    assert (outcome.status, outcome.gone, outcome.saved, outcome.conflict) == (
        404,
        True,
        None,
        None,
    )
    assert outcome.form is form


def test_save_versioned_gone_accepts_several_missing_records(item):
    def missing():
        raise Agent.DoesNotExist

    form = ActionForm(posted(item), editing=True)
    outcome = save_versioned(
        form,
        missing,
        fields=ActionForm.FIELDS,
        rebase=lambda data: ActionForm(data, editing=True),
        gone=(ActionItem.DoesNotExist, Agent.DoesNotExist),
    )
    assert (outcome.status, outcome.gone) == (404, True)


def test_save_versioned_other_missing_record_is_not_gone(item):
    def missing():
        raise Agent.DoesNotExist

    form = ActionForm(posted(item), editing=True)
    with pytest.raises(Agent.DoesNotExist):
        save(form, missing)


def test_rebase_form_data_moves_version_and_keeps_typed_text():
    form = ActionForm(QueryDict("owner=Mine+Ltd&status=done&version=1"), editing=True)
    data = rebase_form_data(form, version=4)
    assert data.dict() == {"owner": "Mine Ltd", "status": "done", "version": "4"}
    assert form.data.dict() == {"owner": "Mine Ltd", "status": "done", "version": "1"}


def test_rebase_form_data_prefixed_form_moves_its_own_version():
    form = ActionForm(QueryDict("b7-owner=Mine&b7-version=1"), editing=True, prefix="b7")
    assert rebase_form_data(form, version=3).dict() == {"b7-owner": "Mine", "b7-version": "3"}


def test_conflict_rows_same_number_saved_with_more_decimals_is_no_difference(workshop):
    from decimal import Decimal

    from django import forms

    from workshops.concurrency import conflict_rows

    class RateForm(forms.Form):
        usd_exchange_rate = forms.DecimalField(label="Exchange rate")
        venue = forms.CharField(label="Venue", required=False)

    workshop.usd_exchange_rate = Decimal("0.920000")
    workshop.venue = ""
    form = RateForm({"usd_exchange_rate": "0.92", "venue": ""})
    assert conflict_rows(form=form, current=workshop, fields=["usd_exchange_rate", "venue"]) == []
    form = RateForm({"usd_exchange_rate": "0.95", "venue": "Room 2"})
    assert conflict_rows(form=form, current=workshop, fields=["usd_exchange_rate", "venue"]) == [
        {"label": "Exchange rate", "theirs": Decimal("0.920000"), "yours": Decimal("0.95")},
        {"label": "Venue", "theirs": "", "yours": "Room 2"},
    ]
