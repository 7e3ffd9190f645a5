"""The actuals API as a system uses it: a per-workshop token, all-or-nothing posts, every bad
request refused with a reason and nothing saved; tokens shown once and kept only hashed."""

import datetime
import json

import pytest
import time_machine
from django.test import Client

from tests import factories
from tracking import services
from tracking.models import ApiToken, KpiActual
from workshops.models import ActionItem

TODAY = datetime.datetime(2027, 4, 15, 9, 0, tzinfo=datetime.UTC)
URL = "/api/v1/actuals/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def agent(workshop):
    return factories.make_ready_agent(workshop=workshop, kpis=2, name="Invoice matcher")


@pytest.fixture
def kpis(agent):
    return list(agent.kpis.order_by("pk"))


def token_for(workshop, scope="write") -> str:
    return services.api_token_create(
        workshop=workshop, name="Pipeline", scope=scope, created_by="Fac", now=TODAY
    )[1]


def send(token, body, **extra):
    payload = body if isinstance(body, bytes | str) else json.dumps(body)
    return Client().post(
        URL, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}", **extra
    )


def row(kpi, period="2027-01", value="117", **more):
    return {"kpi_id": kpi.pk, "period": period, "value": value, "source": "AP system", **more}


def test_a_system_sends_actuals_and_reads_them_back(workshop, kpis):
    token = token_for(workshop)
    response = send(token, {"actuals": [row(kpis[0]), row(kpis[1], value=95.5)]})
    assert (response.status_code, response.json()) == (201, {"saved": 2})
    assert list(KpiActual.objects.values_list("kpi_id", "value", "entered_by")) == [
        (kpis[0].pk, pytest.approx(117), "API: Pipeline"),
        (kpis[1].pk, pytest.approx(95.5), "API: Pipeline"),
    ]
    read = Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [(a["kpi_id"], a["period"], a["value"]) for a in read["actuals"]] == [
        (kpis[0].pk, "2027-01", "117"),
        (kpis[1].pk, "2027-01", "95.5"),
    ]
    assert read["workshop"] == str(workshop.uid)
    assert ApiToken.objects.get().last_used_at == TODAY


def test_a_month_with_an_actual_needs_replace(workshop, kpis):
    token = token_for(workshop)
    send(token, {"actuals": [row(kpis[0])]})
    refused = send(token, {"actuals": [row(kpis[0], value="110"), row(kpis[1])]})
    assert refused.status_code == 422
    assert refused.json()["problems"] == [
        {
            "index": 0,
            "problem": f'KPI {kpis[0].pk} has an actual for 2027-01 already; send "replace": '
            "true to replace it (the earlier one is kept).",
        }
    ]
    assert KpiActual.objects.count() == 1  # all or nothing: the second row was not saved
    assert send(token, {"actuals": [row(kpis[0], value="110", replace=True)]}).status_code == 201
    assert list(KpiActual.objects.order_by("pk").values_list("value", "replaced_at")) == [
        (pytest.approx(117), TODAY),
        (pytest.approx(110), None),
    ]


def test_a_read_token_cannot_write(workshop, kpis):
    response = send(token_for(workshop, scope="read"), {"actuals": [row(kpis[0])]})
    assert (response.status_code, response.json()) == (
        403,
        {"error": "This token reads actuals only."},
    )
    assert KpiActual.objects.count() == 0


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer nope", "Basic abc", "bearer  "])
def test_without_a_valid_token_nothing_is_read_or_saved(workshop, kpis, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    assert Client().get(URL, **extra).status_code == 401
    response = Client().post(URL, json.dumps({"actuals": [row(kpis[0])]}),
                             content_type="application/json", **extra)  # fmt: skip
    assert response.status_code == 401
    assert KpiActual.objects.count() == 0


def test_a_revoked_token_stops_at_once(workshop, kpis):
    token = token_for(workshop)
    services.api_token_revoke(token=ApiToken.objects.get(), now=TODAY)
    assert send(token, {"actuals": [row(kpis[0])]}).status_code == 401


def test_another_workshops_token_cannot_reach_this_workshops_kpis(facilitator, kpis):
    rival = factories.make_workshop(facilitator=facilitator, client_organisation="Rival")
    response = send(token_for(rival), {"actuals": [row(kpis[0])]})
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"index": 0, "problem": f"There is no KPI {kpis[0].pk} in this workshop."}
    ]
    assert KpiActual.objects.count() == 0


NOT_JSON = "The body is not JSON (UTF-8, no NaN or Infinity)."
TOO_MANY = "Send at most 20,000 actuals in one request."


def _deep(levels: int) -> bytes:
    return b'{"actuals": ' + b"[" * levels + b"]" * levels + b"}"


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        (b"{not json", 400, NOT_JSON),
        (b'{"actuals": [{"value": NaN}]}', 400, NOT_JSON),
        (b'{"actuals": [{"value": Infinity}]}', 400, NOT_JSON),
        (b"\xff\xfe{}", 400, NOT_JSON),
        (_deep(20), 400, "The JSON nests deeper than an actuals request does."),
        (_deep(10_000), 400, "The JSON nests deeper than an actuals request does."),
        (b"[]", 400, 'The body must be an object with a list "actuals".'),
        (b'{"actuals": {}}', 400, 'The body must be an object with a list "actuals".'),
        (json.dumps({"actuals": [{}] * 20_001}).encode(), 400, TOO_MANY),
    ],
)  # fmt: skip
def test_malformed_bodies_are_refused(workshop, kpis, body, status, error):
    response = send(token_for(workshop), body)
    assert (response.status_code, response.json()["error"]) == (status, error)
    assert KpiActual.objects.count() == 0


def test_a_body_over_the_limit_is_refused_unread(workshop):
    response = send(token_for(workshop), b"{}", CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert (response.status_code, response.json()["error"]) == (
        413,
        "The body is larger than 5 MB.",
    )


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"kpi_id": "1"}, '"kpi_id" must be a whole number.'),
        ({"kpi_id": True}, '"kpi_id" must be a whole number.'),
        ({"period": "2027-1"}, '"period" must be a month written YYYY-MM.'),
        ({"period": "2027-13"}, '"period" must be a month written YYYY-MM.'),
        ({"period": 202701}, '"period" must be a month written YYYY-MM.'),
        ({"value": True}, '"value" must be a number (as a number or text), under 10^16.'),
        ({"value": "12abc"}, '"value" must be a number (as a number or text), under 10^16.'),
        ({"value": "1e20"}, '"value" must be a number (as a number or text), under 10^16.'),
        ({"value": None}, '"value" must be a number (as a number or text), under 10^16.'),
        ({"source": ""}, '"source" must be text of 1 to 200 characters.'),
        ({"source": "x" * 201}, '"source" must be text of 1 to 200 characters.'),
        ({"note": 5}, '"note" must be text of at most 1000 characters.'),
        ({"replace": "yes"}, '"replace" must be true or false.'),
        ({"colour": "red"}, "Unknown field “colour”."),
    ],
)  # fmt: skip
def test_wrong_types_are_refused_by_index(workshop, kpis, changes, problem):
    response = send(token_for(workshop), {"actuals": [row(kpis[1]), row(kpis[0], **changes)]})
    assert response.status_code == 422
    assert response.json()["problems"] == [{"index": 1, "problem": problem}]
    assert KpiActual.objects.count() == 0


@pytest.mark.parametrize(
    ("period", "problem"),
    [
        ("2027-05", "May 2027 has not started yet; enter actuals for months that have."),
        ("2026-12", "Actuals start with January 2027, the first month after the workshop "
                    "(10 Dec 2026)."),
    ],
)  # fmt: skip
def test_months_that_take_no_actuals_are_refused(workshop, kpis, period, problem):
    response = send(token_for(workshop), {"actuals": [row(kpis[0], period=period)]})
    assert response.json()["problems"] == [{"index": 0, "problem": problem}]
    assert KpiActual.objects.count() == 0


def test_the_same_month_twice_in_one_request_is_refused(workshop, kpis):
    response = send(token_for(workshop), {"actuals": [row(kpis[0]), row(kpis[0], value="1")]})
    assert response.json()["problems"] == [
        {"index": 1, "problem": f"KPI {kpis[0].pk} has 2027-01 twice in this request."}
    ]


def test_two_months_below_floor_through_the_api_open_one_action(workshop, kpis):
    token = token_for(workshop)
    body = {"actuals": [row(kpis[0], "2027-02", "125"), row(kpis[0], "2027-03", "124")]}
    assert send(token, body).status_code == 201
    assert ActionItem.objects.filter(origin=ActionItem.Origin.TRACKING).count() == 1


@pytest.mark.parametrize("months", [1, 3])
def test_a_post_costs_the_same_queries_for_more_rows(
    workshop, kpis, months, django_assert_num_queries
):
    token = token_for(workshop)
    body = {
        "actuals": [row(kpi, f"2027-{m:02d}", "100") for kpi in kpis for m in range(1, months + 1)]
    }
    with django_assert_num_queries(9):
        assert send(token, body).status_code == 201


def test_the_token_is_shown_once_and_kept_only_hashed(facilitator_client, workshop):
    response = facilitator_client.post(
        f"/tracking/workshops/{workshop.pk}/tokens/", {"name": "Pay-i sync", "scope": "write"}
    )
    assert response.status_code == 200
    token = response.context["new_token"][1]
    assert token.startswith("fwt_") and len(token) > 40
    assert token in response.text
    assert "no-store" in response["Cache-Control"]
    saved = ApiToken.objects.get()
    assert saved.token_hash == services.api_token_hash(token)
    assert token not in {saved.name, saved.prefix, saved.token_hash}
    page = facilitator_client.get(f"/tracking/workshops/{workshop.pk}/").text
    assert token not in page and f"{token[:10]}…" in page


def test_a_token_name_is_checked(facilitator_client, workshop):
    url = f"/tracking/workshops/{workshop.pk}/tokens/"
    response = facilitator_client.post(url, {"name": "", "scope": "write"})
    assert response.status_code == 422
    response = facilitator_client.post(url, {"name": "<b>x</b>", "scope": "admin"})
    assert list(response.context["token_form"].errors["scope"]) == [
        "Choose read, or read and write."
    ]
    assert ApiToken.objects.count() == 0


def test_revoking_from_the_page(facilitator_client, workshop, kpis):
    token = token_for(workshop)
    record = ApiToken.objects.get()
    url = f"/tracking/workshops/{workshop.pk}/tokens/{record.pk}/revoke/"
    assert facilitator_client.post(url).status_code == 302
    assert send(token, {"actuals": [row(kpis[0])]}).status_code == 401
