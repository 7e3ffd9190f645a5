"""The Block 1 catalogues are editable in the admin."""

import pytest
from django.urls import reverse

from foundation.models import GlossaryTerm, LLMModel, Question
from tests import factories

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.mark.parametrize(
    "model", ["glossaryterm", "llmmodel", "pricepoint", "question", "quizround", "answer"]
)
def test_admin_changelists_open(client, model):
    client.force_login(factories.make_user(superuser=True))
    assert client.get(reverse(f"admin:foundation_{model}_changelist")).status_code == 200


def test_admin_edit_pages_open(client):
    client.force_login(factories.make_user(superuser=True))
    for model, obj in [
        ("glossaryterm", GlossaryTerm.objects.first()),
        ("llmmodel", LLMModel.objects.first()),
        ("question", Question.objects.first()),
    ]:
        url = reverse(f"admin:foundation_{model}_change", args=[obj.pk])
        assert client.get(url).status_code == 200
