"""The workshop's own clock: a start time and a time zone, used by the agenda, the presenter,
the timed agenda on the projector, the run sheet, and every time a page or document of the
workshop shows."""

import datetime
import io

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from bundles import export, importer
from bundles.format import BundleError
from reports import materials
from tests import factories
from tests.bundles.helpers import parse, row_counts, seal
from tests.documents import download
from workshops import agenda_times, live, zones
from workshops.forms import WorkshopForm
from workshops.models import Workshop

NOW = datetime.datetime(2026, 12, 10, 8, 0, tzinfo=datetime.UTC)
BAD_TIME = "Enter the start as hours and minutes, e.g. 09:00 or 13:30."
BAD_ZONE = "Choose the time zone from the list, e.g. Europe/Berlin."
AT = "The bundle has a wrong value at workshop."
BERLIN = zones.zone(type("W", (), {"time_zone": "Europe/Berlin"})())


def form_data(**changes) -> dict:
    data = {
        "client_organisation": "Acme Freight",
        "title": "AI FinOps Workshop",
        "date": "2026-12-10",
        "venue": "",
        "currency": "USD",
        "usd_exchange_rate": "1",
        "number_format": "comma-point",
        "status": "draft",
        "start_time": "13:30",
        "time_zone": "Asia/Tokyo",
    }
    data.update(changes)
    return data


# --- The clock arithmetic ------------------------------------------------------------------


def test_wall_clock_keeps_minutes_across_the_change_from_summer_time():
    # 25 Oct 2026 in Berlin: 03:00 summer time becomes 02:00 winter time.
    start = datetime.datetime(2026, 10, 25, 1, 30, tzinfo=BERLIN)
    assert agenda_times.wall_label(start, (0, 90)) == "01:30-02:00"
    assert agenda_times.at(start, 90).tzname() == "CET"


def test_wall_clock_labels_from_the_opening():
    start = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=BERLIN)
    assert agenda_times.wall_label(start, (15, 45)) == "09:15-09:45"
    assert agenda_times.wall_label(start, (230, 240)) == "12:50-13:00"


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("Europe/Berlin", "Europe/Berlin (CET)"),
        ("UTC", "UTC"),
        ("Asia/Kolkata", "Asia/Kolkata (IST)"),
        ("America/Sao_Paulo", "America/Sao_Paulo"),  # its abbreviation is only "-03"
    ],
)
def test_zone_label(zone, label, workshop):
    workshop.time_zone = zone
    assert zones.label(workshop) == label


def test_a_new_workshop_starts_at_nine_in_the_servers_zone(workshop):
    assert (workshop.start_time, workshop.time_zone) == (datetime.time(9, 0), settings.TIME_ZONE)
    assert zones.starts_at(workshop) == datetime.datetime(
        2026, 12, 10, 9, 0, tzinfo=zones.zone(workshop)
    )


# --- The form ------------------------------------------------------------------------------


def test_form_takes_start_and_zone():
    form = WorkshopForm(form_data())
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["start_time"], form.cleaned_data["time_zone"]) == (
        datetime.time(13, 30),
        "Asia/Tokyo",
    )


def test_form_defaults_when_left_empty():
    form = WorkshopForm(form_data(start_time="", time_zone=""))
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["start_time"], form.cleaned_data["time_zone"]) == (
        datetime.time(9, 0),
        settings.TIME_ZONE,
    )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"start_time": "25:00"}, {"start_time": [BAD_TIME]}),
        ({"start_time": "nine"}, {"start_time": [BAD_TIME]}),
        ({"start_time": "-1:00"}, {"start_time": [BAD_TIME]}),
        ({"start_time": "9" * 200}, {"start_time": [BAD_TIME]}),
        ({"time_zone": "Mars/Olympus"}, {"time_zone": [BAD_ZONE]}),
        ({"time_zone": "<script>alert(1)</script>"}, {"time_zone": [BAD_ZONE]}),
        ({"time_zone": "Europe/Zürich"}, {"time_zone": [BAD_ZONE]}),
        ({"time_zone": "localtime"}, {"time_zone": [BAD_ZONE]}),
    ],
)  # fmt: skip
def test_form_refuses_a_bad_start_or_zone(changes, errors):
    form = WorkshopForm(form_data(**changes))
    assert not form.is_valid()
    assert {k: v for k, v in form.errors.items() if k in errors} == errors


def test_edit_saves_start_and_zone_and_bad_input_changes_nothing(facilitator_client, workshop):
    url = f"/workshops/{workshop.pk}/edit/"
    response = facilitator_client.post(url, form_data(time_zone="Mars/Olympus"))
    assert response.status_code == 422
    assert Workshop.objects.get(pk=workshop.pk).time_zone == settings.TIME_ZONE
    response = facilitator_client.post(url, form_data())
    assert response.status_code == 302
    saved = Workshop.objects.get(pk=workshop.pk)
    assert (saved.start_time, saved.time_zone) == (datetime.time(13, 30), "Asia/Tokyo")
    html = facilitator_client.get(f"/workshops/{workshop.pk}/").text
    assert '13:30 <span class="muted">Asia/Tokyo (JST)</span>' in html


# --- Where the clock shows -----------------------------------------------------------------


@pytest.fixture
def berlin(facilitator):
    return factories.make_workshop(
        facilitator=facilitator,
        client_organisation="Acme Freight",
        time_zone="Europe/Berlin",
        start_time=datetime.time(9, 0),
    )


def test_console_agenda_is_on_the_venues_clock(facilitator_client, berlin):
    html = facilitator_client.get(f"/workshops/{berlin.pk}/agenda/").text
    assert '09:00–13:00 <span class="muted">Europe/Berlin (CET)</span>' in html
    assert '09:00-09:15<span class="muted agenda-offset">0:00-0:15</span>' in html
    assert '12:50-13:00<span class="muted agenda-offset">3:50-4:00</span>' in html


def test_run_sheet_rows_on_the_venues_clock(berlin):
    rows = materials.run_sheet(berlin)
    assert [(rows[0].at, rows[0].start), (rows[-1].at, rows[-1].end)] == [
        ("09:00-09:15", "0:00"),
        ("12:50-13:00", "4:00"),
    ]


def test_presenter_shows_the_schedule_in_the_workshops_zone(facilitator_client, berlin):
    with time_machine.travel(NOW - datetime.timedelta(hours=1), tick=False):
        html = facilitator_client.get(f"/workshops/{berlin.pk}/presenter/").text
    assert 'Scheduled 10 Dec, 09:00–13:00 <span class="muted">Europe/Berlin (CET)</span>' in html
    # At 07:00 UTC it is 08:00 in Berlin: starting now, the agenda would end at 12:00 CET.
    assert "Starting now, the agenda would end at 12:00 CET." in html
    # Before the start, the planned column is the schedule from the start time.
    assert "<td>12:50 CET–13:00 CET</td>" in html


def test_projector_timed_agenda(facilitator_client, berlin):
    response = facilitator_client.post(
        f"/workshops/{berlin.pk}/projector/show/", {"view": "schedule"}
    )
    assert response.status_code in (200, 302)
    assert Workshop.objects.get(pk=berlin.pk).projector_view == "schedule"
    html = facilitator_client.get(f"/workshops/{berlin.pk}/projector/").text
    assert '<span class="pj-schedule-span">09:00–13:00</span>' in html
    assert "Europe/Berlin (CET)" in html
    assert '<span class="pj-schedule-time">10:30</span>' in html  # Bottom Line vs. Top Line
    # Once started (09:05 in Berlin), the times follow the room: the first activity is now.
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        live.run_start(workshop=Workshop.objects.get(pk=berlin.pk))
        html = facilitator_client.get(f"/workshops/{berlin.pk}/projector/").text
    assert 'aria-current="step"' in html
    assert '<span class="pj-schedule-time">09:05</span>' in html
    assert '<span class="pj-schedule-time">09:20</span>' in html  # AI Economics 101, expected
    # At 09:25 the welcome (15 min) has run 20: it is 5 min over, and so is the room.
    with time_machine.travel(NOW + datetime.timedelta(minutes=25), tick=False):
        html = facilitator_client.get(f"/workshops/{berlin.pk}/projector/").text
    assert '<span class="pj-schedule-over">+5 min</span>' in html
    assert '<span class="pj-schedule-shift">· running 5 min late</span>' in html
    assert '<span class="pj-schedule-time">09:25</span>' in html  # AI Economics 101, expected


def test_presenter_offers_the_timed_agenda(facilitator_client, berlin):
    html = facilitator_client.get(f"/workshops/{berlin.pk}/presenter/").text
    assert "Timed agenda" in html


def test_times_of_a_workshop_page_are_in_its_zone_and_do_not_leak(facilitator_client, berlin):
    Workshop.objects.filter(pk=berlin.pk).update(time_zone="Asia/Tokyo")
    table = factories.make_table(workshop=berlin, name="Table 1")
    participant = factories.make_participant(table=table, display_name="Sam")
    seen = datetime.datetime(2026, 12, 10, 1, 2, tzinfo=datetime.UTC)
    type(participant).objects.filter(pk=participant.pk).update(last_seen_at=seen)
    html = facilitator_client.get(f"/workshops/{berlin.pk}/board/").text
    assert "seen 10:02 JST" in html
    # The next request, and code outside requests, are back in the server's zone.
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
    Client().get("/healthz")
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_run_sheet_pdf_names_the_zone(facilitator_client, berlin):
    response = download(
        facilitator_client, f"/reports/workshops/{berlin.pk}/materials/run-sheet.pdf"
    )
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Starts 09:00, ends 13:00 (Europe/Berlin (CET))" in text
    assert "09:00-09:15 0:00-0:15 15 Welcome & Context Setting" in text


# --- Bundles -----------------------------------------------------------------------------------


def test_start_and_zone_travel_in_a_bundle(facilitator, berlin):
    Workshop.objects.filter(pk=berlin.pk).update(start_time=datetime.time(13, 30))
    data = export.workshop_bundle(workshop=Workshop.objects.get(pk=berlin.pk), now=NOW)[2]
    bundle = parse(data)
    assert (bundle["workshop"]["start_time"], bundle["workshop"]["time_zone"]) == (
        "13:30",
        "Europe/Berlin",
    )
    berlin.delete()
    result = importer.workshop_bundle_import(
        bundle=importer.bundle_read(data), importer=facilitator, on_conflict=importer.REFUSE
    )
    assert (result.workshop.start_time, result.workshop.time_zone) == (
        datetime.time(13, 30),
        "Europe/Berlin",
    )


def test_an_older_bundle_starts_at_nine_utc(facilitator, berlin):
    bundle = parse(export.workshop_bundle(workshop=berlin, now=NOW)[2])
    del bundle["workshop"]["start_time"], bundle["workshop"]["time_zone"]
    berlin.delete()
    result = importer.workshop_bundle_import(
        bundle=importer.bundle_read(seal(bundle)), importer=facilitator, on_conflict=importer.REFUSE
    )
    assert (result.workshop.start_time, result.workshop.time_zone) == (datetime.time(9, 0), "UTC")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, AT + "time_zone: "
         "“Mars/Olympus” is not a time zone; choose one such as Europe/Berlin or "
         "America/New_York."),
        ({"start_time": "25:99"}, AT + "start_time: "
         "expected a time of day written as HH:MM."),
        ({"start_time": 900}, AT + "start_time: "
         "expected text, found a whole number."),
    ],
)  # fmt: skip
def test_a_bundle_with_a_bad_clock_is_refused(facilitator, berlin, changes, message):
    bundle = parse(export.workshop_bundle(workshop=berlin, now=NOW)[2])
    bundle["workshop"].update(changes)
    berlin.delete()
    before = row_counts()
    with pytest.raises(BundleError) as caught:
        importer.workshop_bundle_import(
            bundle=importer.bundle_read(seal(bundle)),
            importer=facilitator,
            on_conflict=importer.REFUSE,
        )
    assert caught.value.message == message
    assert row_counts() == before


def test_register_spreadsheet_and_calendar_name_the_zone(facilitator_client, berlin):
    from openpyxl import load_workbook

    from reports import exporters

    Workshop.objects.filter(pk=berlin.pk).update(time_zone="Asia/Tokyo")
    workshop = Workshop.objects.get(pk=berlin.pk)
    book = load_workbook(io.BytesIO(exporters.register_xlsx_export(workshop).content))
    headers = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert "Signed at (Asia/Tokyo)" in headers
    calendar = exporters.actions_ics(workshop).content.decode()
    assert "X-WR-TIMEZONE:Asia/Tokyo\r\n" in calendar
    # Outside the export the server's zone is back.
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_a_finance_invite_shows_its_expiry_in_the_workshops_zone(berlin):
    from django.urls import reverse

    Workshop.objects.filter(pk=berlin.pk).update(time_zone="Asia/Tokyo")
    invite, token = factories.make_finance_invite(workshop=Workshop.objects.get(pk=berlin.pk))
    html = Client().get(reverse("targets:invite", args=[token])).text
    expires = timezone.localtime(invite.expires_at, zones.zone(Workshop.objects.get(pk=berlin.pk)))
    assert f"{expires:%H:%M} JST" in html
