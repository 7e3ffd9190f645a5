"""Finance validation in the browser: the finance page, sign-off and change requests, invite
links, the facilitator's finance status; roles; tamper detection; query counts."""

import datetime
import html
import time

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from targets import selectors, services
from targets.models import FinanceChangeRequest, FinanceInvite, FinanceSignOff, ValueTarget
from targets.permissions import INVITE_SESSION_KEY, FinanceRole
from tests import factories
from tests.live import review_rev
from workshops.models import Workshop


def text(response) -> str:
    return html.unescape(response.content.decode())


def review_url(workshop) -> str:
    return reverse("targets:finance_review", args=[workshop.pk])


def signoff_post(client, workshop, agent, *, title="CFO", sha=None):
    sha = sha or selectors.agent_finance(agent_id=agent.pk).sha256
    return client.post(
        reverse("targets:signoff", args=[workshop.pk, agent.pk]),
        {f"s{agent.pk}-title": title, f"s{agent.pk}-values_sha256": sha},
    )


def changes_post(client, workshop, agent, comment):
    return client.post(
        reverse("targets:request_changes", args=[workshop.pk, agent.pk]),
        {f"c{agent.pk}-comment": comment},
    )


@pytest.fixture
def ready(table):
    return factories.make_ready_agent(table=table, name="Invoice matcher")


# --- The finance page -------------------------------------------------------------------------


def test_finance_page_lists_everything_finance_reviews(finance_client, live_workshop, ready):
    factories.make_benchmark(kpi=ready.kpis.first())
    page = text(finance_client.get(review_url(live_workshop)))
    assert "Finance validation: 0 of 1 agents signed off" in page
    assert ready.thesis in page
    assert "Hours spent matching invoices per week" in page
    assert "October AP report" in page  # baseline source
    assert "Volumes stay at 2026 levels." in page  # assumptions
    assert "1.16×" in page  # ROI at target
    assert "Vendor case study 60 % (vendor, −40 % → 36 %)" in page


def test_finance_page_query_count_does_not_grow(
    finance_client, live_workshop, table, django_assert_num_queries
):
    factories.make_ready_agent(table=table)
    finance_client.get(review_url(live_workshop))  # the first visit notes finance's presence
    # session, user, finance role, workshop, finance's presence, Block 4 reads, baseline tasks
    with django_assert_num_queries(10):
        assert finance_client.get(review_url(live_workshop)).status_code == 200
    for _ in range(5):
        factories.make_ready_agent(table=table, kpis=3)
    with django_assert_num_queries(10):
        assert finance_client.get(review_url(live_workshop)).status_code == 200


def test_finance_status_query_count_does_not_grow(
    facilitator_client, live_workshop, table, django_assert_num_queries
):
    url = reverse("targets:finance_status", args=[live_workshop.pk])
    factories.make_ready_agent(table=table)
    factories.make_finance_invite(workshop=live_workshop)
    with django_assert_num_queries(NUM_STATUS_QUERIES):
        assert facilitator_client.get(url).status_code == 200
    for _ in range(4):
        factories.make_ready_agent(table=table)
        factories.make_finance_invite(workshop=live_workshop)
    with django_assert_num_queries(NUM_STATUS_QUERIES):
        assert facilitator_client.get(url).status_code == 200


NUM_STATUS_QUERIES = 10


def test_finance_page_polls_and_says_when_tables_changed(finance_client, live_workshop, ready):
    rev = review_rev(live_workshop)
    headers = {"HX-Request": "true"}
    unchanged = finance_client.get(review_url(live_workshop), {"rev": rev}, headers=headers)
    assert unchanged.status_code == 204
    Workshop.objects.filter(pk=live_workshop.pk).update(work_revision=F("work_revision") + 1)
    response = finance_client.get(
        review_url(live_workshop), {"rev": rev, "opened": rev}, headers=headers
    )
    assert response.status_code == 200
    assert "Tables changed something since you opened this page." in text(response)


# --- Sign-off and change requests -------------------------------------------------------------


def test_signoff_by_finance_account(finance_client, live_workshop, ready, finance_user):
    response = signoff_post(finance_client, live_workshop, ready, title="Group CFO")
    assert response.status_code == 302
    signoff = FinanceSignOff.objects.get()
    assert (signoff.signer_name, signoff.signer_title, signoff.signer_user, signoff.status) == (
        "Fran Okafor",
        "Group CFO",
        finance_user,
        "valid",
    )
    page = text(finance_client.get(review_url(live_workshop)))
    assert "Finance validation: 1 of 1 agents signed off" in page
    assert f'SHA-256 <span class="code">{signoff.values_sha256[:16]}…</span>' in page


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "Give your role or title, e.g. 'CFO' or 'Finance lead'."),
        ("x" * 121, "Keep the role or title to at most 120 characters."),
        ("CFO\x00", "This text contains a control character (U+0000) at position 4; remove it."),
    ],
)
def test_signoff_bad_title_refused(finance_client, live_workshop, ready, title, message):
    response = signoff_post(finance_client, live_workshop, ready, title=title)
    assert response.status_code == 422
    assert message in text(response)
    assert FinanceSignOff.objects.count() == 0


def test_signoff_title_with_script_is_escaped(finance_client, live_workshop, ready):
    signoff_post(finance_client, live_workshop, ready, title="<script>alert(1)</script> CFO")
    page = finance_client.get(review_url(live_workshop)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; CFO" in page
    assert "<script>alert(1)</script>" not in page


def test_signoff_of_changed_values_refused(finance_client, live_workshop, ready):
    seen = selectors.agent_finance(agent_id=ready.pk).sha256
    ValueTarget.objects.filter(kpi__agent=ready).update(target_12m=79)
    response = signoff_post(finance_client, live_workshop, ready, sha=seen)
    assert response.status_code == 409
    assert services.STALE_VALUES in text(response)
    assert FinanceSignOff.objects.count() == 0


def test_request_changes_appears_on_the_tables_screen(finance_client, live_workshop, ready, table):
    response = changes_post(finance_client, live_workshop, ready, "Stretch is <b>too</b> high")
    assert response.status_code == 302
    assert FinanceChangeRequest.objects.get().comment == "Stretch is <b>too</b> high"
    participant = factories.make_participant(table=table, display_name="Kim")
    from django.test import Client

    table_browser = factories.join_table(Client(), participant)
    for url in [
        reverse("workshops:table_agent", args=[ready.pk]),
        reverse("targets:agent", args=[ready.pk]),
    ]:
        page = table_browser.get(url).content.decode()
        assert "Finance asks for changes" in page
        assert "Stretch is &lt;b&gt;too&lt;/b&gt; high" in page


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("", "Say what the table should change: the comment appears on their screen."),
        ("x" * 2001, "Keep the comment to at most 2000 characters (this has 2001)."),
        ("a\x01b", "This text contains a control character (U+0001) at position 2; remove it."),
    ],
)
def test_request_changes_bad_comment_refused(
    finance_client, live_workshop, ready, comment, message
):
    response = changes_post(finance_client, live_workshop, ready, comment)
    assert response.status_code == 422
    assert message in text(response)
    assert FinanceChangeRequest.objects.count() == 0


# --- Roles ------------------------------------------------------------------------------------


def test_a_table_cannot_sign_off(table_client, live_workshop, ready):
    assert table_client.get(review_url(live_workshop)).status_code == 404
    assert signoff_post(table_client, live_workshop, ready).status_code == 404
    assert changes_post(table_client, live_workshop, ready, "No").status_code == 404
    assert FinanceSignOff.objects.count() == 0
    assert FinanceChangeRequest.objects.count() == 0


def test_a_facilitator_without_finance_role_cannot_sign_off(
    facilitator_client, live_workshop, ready
):
    assert facilitator_client.get(review_url(live_workshop)).status_code == 404
    assert signoff_post(facilitator_client, live_workshop, ready).status_code == 404
    assert FinanceSignOff.objects.count() == 0


def test_anonymous_cannot_sign_off(client, live_workshop, ready):
    assert signoff_post(client, live_workshop, ready).status_code == 404
    assert FinanceSignOff.objects.count() == 0


def test_finance_of_one_workshop_cannot_act_on_another(finance_client, live_workshop, ready):
    other = factories.make_workshop(client_organisation="Beta Logistics")
    other_agent = factories.make_ready_agent(workshop=other)
    # Their own workshop's URL with the other workshop's agent, and the other workshop's URL.
    assert signoff_post(finance_client, live_workshop, other_agent).status_code == 404
    assert signoff_post(finance_client, other, other_agent).status_code == 404
    assert changes_post(finance_client, other, other_agent, "No").status_code == 404
    assert finance_client.get(review_url(other)).status_code == 404
    assert FinanceSignOff.objects.count() == 0
    assert FinanceChangeRequest.objects.count() == 0


def test_invite_of_one_workshop_cannot_act_on_another(client, live_workshop):
    _, token = factories.make_finance_invite(workshop=live_workshop)
    client.post(reverse("targets:invite", args=[token]))
    other = factories.make_workshop(client_organisation="Beta Logistics")
    other_agent = factories.make_ready_agent(workshop=other)
    assert client.get(review_url(live_workshop)).status_code == 200
    assert client.get(review_url(other)).status_code == 404
    assert signoff_post(client, other, other_agent).status_code == 404
    assert FinanceSignOff.objects.count() == 0


# --- Invite links -----------------------------------------------------------------------------


def test_invite_opens_once_and_binds_the_session(client, live_workshop, ready):
    invite, token = factories.make_finance_invite(
        workshop=live_workshop, name="Ana Ruiz", title="FD"
    )
    invite_url = reverse("targets:invite", args=[token])
    landing = client.get(invite_url)
    assert landing.status_code == 200
    assert "This link is for <strong>Ana Ruiz</strong> (FD)" in text(landing)
    assert FinanceInvite.objects.get().used_at is None  # looking does not use it up
    response = client.post(invite_url)
    assert response.status_code == 302
    assert client.session[INVITE_SESSION_KEY] == {str(live_workshop.pk): invite.pk}
    assert signoff_post(client, live_workshop, ready, title="FD").status_code == 302
    signoff = FinanceSignOff.objects.get()
    assert (signoff.signer_name, signoff.invite_id, signoff.signer_user) == (
        "Ana Ruiz",
        invite.pk,
        None,
    )
    # The same browser may open the link again; it goes straight to the review.
    assert client.get(invite_url).url == review_url(live_workshop)


def test_invite_reuse_in_another_browser_refused(client, live_workshop):
    from django.test import Client

    _, token = factories.make_finance_invite(workshop=live_workshop)
    invite_url = reverse("targets:invite", args=[token])
    client.post(invite_url)
    other = Client()
    for response in (other.get(invite_url), other.post(invite_url)):
        assert response.status_code == 403
        assert services.INVITE_USED in text(response)
    assert other.get(review_url(live_workshop)).status_code == 404


def test_invite_expired_refused(client, live_workshop):
    invite, token = factories.make_finance_invite(workshop=live_workshop)
    FinanceInvite.objects.filter(pk=invite.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.post(reverse("targets:invite", args=[token]))
    assert response.status_code == 403
    assert "This finance invite expired on " in text(response)
    assert client.get(review_url(live_workshop)).status_code == 404
    assert FinanceInvite.objects.get().used_at is None


def test_invite_revoked_refused_and_ends_a_bound_session(client, live_workshop):
    invite, token = factories.make_finance_invite(workshop=live_workshop)
    invite_url = reverse("targets:invite", args=[token])
    client.post(invite_url)
    assert client.get(review_url(live_workshop)).status_code == 200
    services.invite_revoke(invite=invite)
    assert client.get(review_url(live_workshop)).status_code == 404
    response = client.get(invite_url)
    assert response.status_code == 403
    assert services.INVITE_REVOKED in text(response)


def test_invite_unknown_token_refused(client, live_workshop):
    response = client.get(reverse("targets:invite", args=["nonsense"]))
    assert response.status_code == 404
    assert services.INVITE_UNKNOWN in text(response)


def test_finance_home_lists_reviewed_workshops(finance_client, live_workshop):
    page = text(finance_client.get(reverse("targets:finance_home")))
    assert "Acme Freight" in page


# --- Facilitator: status, reviewers, invites, reopen ------------------------------------------


def status_url(workshop, name="finance_status", *args):
    return reverse(f"targets:{name}", args=[workshop.pk, *args])


def test_finance_status_page_shows_n_of_m(facilitator_client, live_workshop, table, ready):
    factories.make_agent(table=table, name="Quote drafter")
    services.signoff_record(
        agent=ready,
        role=FinanceRole(workshop=live_workshop, name="Fran Okafor", title="CFO"),
        title="CFO",
        seen_sha256=selectors.agent_finance(agent_id=ready.pk).sha256,
    )
    page = text(facilitator_client.get(status_url(live_workshop)))
    assert "Finance validation: 1 of 2 agents signed off" in page
    assert "Fran Okafor (CFO)" in page


def test_finance_status_hidden_from_other_facilitators(client, live_workshop):
    client.force_login(factories.make_user())
    assert client.get(status_url(live_workshop)).status_code == 404
    response = client.post(
        status_url(live_workshop, "invite_create"), {"name": "X", "title": "Y", "valid_days": "7"}
    )
    assert response.status_code == 404
    assert FinanceInvite.objects.count() == 0


def test_invite_create_shows_link_once(facilitator_client, live_workshop):
    response = facilitator_client.post(
        status_url(live_workshop, "invite_create"),
        {"name": "Ana Ruiz", "title": "Finance director", "valid_days": "3"},
    )
    assert response.status_code == 302
    page = text(facilitator_client.get(status_url(live_workshop)))
    assert "Link for Ana Ruiz" in page
    assert "/targets/finance/invite/" in page
    again = text(facilitator_client.get(status_url(live_workshop)))
    assert "Link for Ana Ruiz" not in again
    invite = FinanceInvite.objects.get()
    assert round((invite.expires_at - invite.created_at).total_seconds() / 86400) == 3


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("name", "", "Give the finance representative's name."),
        ("title", "", "Give their role or title, e.g. 'CFO'."),
        ("valid_days", "abc", "Enter the number of days as a whole number from 1 to 30."),
        ("valid_days", "-1", "The link must work for at least 1 day."),
        ("valid_days", "3650", "A link works for at most 30 days."),
        ("name", "x" * 121, "Keep the name to at most 120 characters."),
        (
            "name",
            "Ana\x00",
            "This text contains a control character (U+0000) at position 4; remove it.",
        ),
    ],
)
def test_invite_create_bad_input_refused(facilitator_client, live_workshop, field, typed, message):
    values = {"name": "Ana Ruiz", "title": "FD", "valid_days": "7", field: typed}
    response = facilitator_client.post(status_url(live_workshop, "invite_create"), values)
    assert response.status_code == 422
    assert message in text(response)
    assert FinanceInvite.objects.count() == 0


def test_invite_revoke(facilitator_client, live_workshop):
    invite, _ = factories.make_finance_invite(workshop=live_workshop)
    facilitator_client.post(status_url(live_workshop, "invite_revoke", invite.pk))
    assert FinanceInvite.objects.get().revoked_at is not None


def test_reviewer_add_existing_account(facilitator_client, live_workshop):
    user = factories.make_user(username="cfo")
    response = facilitator_client.post(
        status_url(live_workshop, "reviewer_add"), {"username": "cfo"}
    )
    assert response.status_code == 302
    assert list(live_workshop.finance_reviewers.all()) == [user]


def test_reviewer_add_unknown_account_refused(facilitator_client, live_workshop):
    response = facilitator_client.post(
        status_url(live_workshop, "reviewer_add"), {"username": "ghost"}
    )
    assert response.status_code == 422
    assert "There is no active account called 'ghost'. Create one below instead." in text(response)
    assert live_workshop.finance_reviewers.count() == 0


def test_reviewer_create_account(facilitator_client, live_workshop, client):
    response = facilitator_client.post(
        status_url(live_workshop, "reviewer_create"),
        {
            "username": "ana",
            "full_name": "Ana Ruiz",
            "email": "ana@example.com",
            "password": "a-long-finance-passphrase",
        },
    )
    assert response.status_code == 302
    user = live_workshop.finance_reviewers.get()
    assert (user.username, user.get_full_name()) == ("ana", "Ana Ruiz")
    client.force_login(user)
    assert client.get(review_url(live_workshop)).status_code == 200


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("password", "123", "This password is too short."),
        ("username", "facilitator", "An account called 'facilitator' exists already."),
        ("username", "a b<script>", "Use only letters, digits and @ . + - _ in the username."),
        ("email", "not-an-email", "Enter a valid email address, e.g. jane@example.com."),
        ("full_name", "", "Give the finance representative's name."),
    ],
)
def test_reviewer_create_bad_input_refused(
    facilitator_client, live_workshop, field, typed, message
):
    values = {
        "username": "ana",
        "full_name": "Ana Ruiz",
        "email": "",
        "password": "a-long-finance-passphrase",
        field: typed,
    }
    response = facilitator_client.post(status_url(live_workshop, "reviewer_create"), values)
    assert response.status_code == 422
    assert message in text(response)
    assert live_workshop.finance_reviewers.count() == 0


def test_reviewer_remove(facilitator_client, live_workshop, finance_user):
    facilitator_client.post(status_url(live_workshop, "reviewer_remove", finance_user.pk))
    assert live_workshop.finance_reviewers.count() == 0


def test_reopen_voids_with_reason(facilitator_client, finance_client, live_workshop, ready):
    from django.test import Client

    finance = Client()
    finance.force_login(live_workshop.finance_reviewers.get())
    signoff_post(finance, live_workshop, ready)
    response = facilitator_client.post(
        status_url(live_workshop, "reopen", ready.pk), {f"r{ready.pk}-reason": "Volumes revised"}
    )
    assert response.status_code == 302
    signoff = FinanceSignOff.objects.get()
    assert (signoff.status, signoff.void_reason) == ("void", "Volumes revised")
    page = text(facilitator_client.get(status_url(live_workshop)))
    assert "Reopened" in page and "Volumes revised" in page


def test_reopen_without_reason_refused(facilitator_client, live_workshop, ready, finance_user):
    from django.test import Client

    finance = Client()
    finance.force_login(finance_user)
    signoff_post(finance, live_workshop, ready)
    response = facilitator_client.post(
        status_url(live_workshop, "reopen", ready.pk), {f"r{ready.pk}-reason": ""}
    )
    assert response.status_code == 422
    assert "Give the reason for reopening: it stays in the sign-off history." in text(response)
    assert FinanceSignOff.objects.get().status == "valid"


def test_finance_cannot_reopen(finance_client, live_workshop, ready):
    signoff_post(finance_client, live_workshop, ready)
    response = finance_client.post(
        status_url(live_workshop, "reopen", ready.pk), {f"r{ready.pk}-reason": "x"}
    )
    assert response.status_code == 404
    assert FinanceSignOff.objects.get().status == "valid"


# --- Tamper detection on the pages ------------------------------------------------------------


def test_direct_db_change_shows_changed_since_signoff(
    finance_client, facilitator_client, live_workshop, ready
):
    signoff_post(finance_client, live_workshop, ready)
    ValueTarget.objects.filter(kpi__agent=ready).update(target_12m=70)
    page = text(finance_client.get(review_url(live_workshop)))
    assert "Changed since sign-off." in page
    assert "Finance validation: 0 of 1 agents signed off" in page
    status_page = text(facilitator_client.get(status_url(live_workshop)))
    assert "Changed since sign-off" in status_page


# --- Projector and progress board -------------------------------------------------------------


def test_projector_finance_view(facilitator_client, finance_client, live_workshop, ready):
    Workshop.objects.filter(pk=live_workshop.pk).update(projector_view="finance")
    page = text(facilitator_client.get(reverse("workshops:projector", args=[live_workshop.pk])))
    assert "Finance validation: 0 of 1 agents signed off" in page
    signoff_post(finance_client, live_workshop, ready)
    rev = Workshop.objects.get(pk=live_workshop.pk).revision
    response = facilitator_client.get(
        reverse("workshops:projector", args=[live_workshop.pk]),
        {"rev": rev - 1, "at": int(time.time())},
        headers={"HX-Request": "true"},
    )
    assert "Finance validation: 1 of 1 agents signed off" in text(response)


def test_progress_board_marks_targets_and_signoff(
    facilitator_client, finance_client, live_workshop, ready
):
    from workshops import progress

    statuses = progress.table_agents(table=ready.table)[0]["progress"]
    assert (statuses["targets"], statuses["signed_off"]) == (True, False)
    signoff_post(finance_client, live_workshop, ready)
    statuses = progress.table_agents(table=ready.table)[0]["progress"]
    assert statuses["signed_off"] is True
