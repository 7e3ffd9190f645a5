"""A room at work for bench/load.py (`--mix busy`).

60 participants over 10 tables, two laptops per agent (so 3 agents a table). Each laptop polls
its live region every 2 s, as htmx does, with the URL the region last rendered (half the
table workspace, half the agent page), and every 10 s saves its own field of its agent's
Block 2 thesis (subject or mechanism) through the real form, open on its screen (htmx swaps
in the saved form with the new version): a 409 (the other laptop saved first) re-reads the
form and saves the same text over the new version. Two facilitators' browsers each sign in
once and show the presenter, the projector (showing the progress board) and the board in
three windows polling every 2 s: six screens. At the end the database must hold the last
acknowledged value of every field.

Besides the latencies, the share of polls answered 204 (`polls_204_pct`): in a room at work
most screens have nothing new most of the time.
"""

import html
import re
import threading
import time

from loadkit import Browser, Stats, form_with, sign_in

POLL_SECONDS = 2.0
SAVE_SECONDS = 10.0
RETRIES = 6
FIELDS = ["thesis_subject", "thesis_mechanism"]  # one laptop per field of an agent
SCREENS = ["presenter", "projector", "board"]  # the windows of each facilitator's browser
FACILITATORS = 2
LIVE_URL = re.compile(r'hx-get="([^"]*\?rev=[^"]*)"')
POLL_OK = frozenset({200, 204, 286})
# What a laptop types into its field (specific enough for the Block 2 rules).
TYPED = {
    "thesis_subject": "manual invoice matching hours {} w{}",
    "thesis_mechanism": "matching invoices to purchase orders {} w{}",
}

SETUP = """
import datetime, json
from django.contrib.auth import get_user_model
from agents.models import Agent
from workshops import live, services
user = get_user_model().objects.get(username=%(username)r)
workshop = services.workshop_create(
    facilitator=user, client_organisation="Busy room", date=datetime.date.today()
)
tables = []
for t in range(%(tables)d):
    table = services.table_create(workshop=workshop, name=f"Table {t + 1}")
    agents = [
        Agent.objects.create(
            workshop=workshop, table=table, name=f"Agent {t + 1}.{a + 1}",
            description="Reads invoices.", business_process="Accounts payable",
            priority_rank=a + 1, owner_name="Dana", owner_email="dana@example.com",
            economic_class="bottom_line", value_driver="labour_savings",
            thesis_subject="manual invoice matching hours in accounts payable",
            thesis_mechanism="matching invoices to purchase orders and routing exceptions",
        ).pk
        for a in range(%(agents)d)
    ]
    tables.append({"code": table.join_code, "agents": agents})
live.run_start(workshop=workshop)
live.projector_show(workshop=workshop, view="board")
print("BENCH_SETUP " + json.dumps({"workshop": workshop.pk, "tables": tables}))
"""

CHECK = """
import json
from agents.models import Agent
rows = Agent.objects.filter(workshop_id=%(workshop)d).values("pk", *%(fields)r)
print("BENCH_CHECK " + json.dumps({str(r["pk"]): r for r in rows}))
"""


def setup_script(username: str, tables: int, agents: int) -> str:
    return SETUP % {"username": username, "tables": tables, "agents": agents}


def check_script(workshop_id: int) -> str:
    return CHECK % {"workshop": workshop_id, "fields": FIELDS}


def live_url(text: str) -> str | None:
    """The URL the page's live region polls, as htmx reads it from the attribute."""
    found = LIVE_URL.search(text)
    return html.unescape(found.group(1)) if found else None


def poll(browser: Browser, stats: Stats, url: str, kind: str = "poll") -> str:
    """One poll; the URL to poll next (the region's new one when it was re-rendered)."""
    got = browser.request("GET", url, htmx=True, kind=kind, ok=POLL_OK)
    if got is None:
        return url
    stats.count(f"poll {got[0]}")
    if got[0] in (200, 286):
        return live_url(got[1]) or url
    return url


# --- The people in the room -------------------------------------------------------------------


def participant(
    port, stats, *, code, agent_id, field, name, poll_agent, start_at, save_offset, deadline
):
    browser = Browser(port, stats, "participant")
    time.sleep(max(0, start_at - time.time()))
    got = browser.request("GET", f"/join?code={code}", kind="join", ok={200})
    form = form_with(got[1], "/join") if got else None
    if form is None:
        stats.error(f"{name}: no join form")
        return
    form.set("code", code)
    form.set("display_name", name)
    got = browser.request("POST", "/join", data=form.pairs, kind="join", ok={302})
    if not got or got[0] != 302:
        stats.error(f"{name}: join refused ({got[0] if got else 'no answer'})")
        return
    page = f"/t/agents/{agent_id}/" if poll_agent else "/t/"
    got = browser.request("GET", page, kind="page", ok={200})
    url = live_url(got[1]) if got else None
    if url is None:
        stats.error(f"{name}: could not open the table's pages")
        return
    classify = f"/block2/agents/{agent_id}/classify/"
    form = open_form(browser, classify)
    if form is None:
        stats.error(f"{name}: no thesis form")
        return
    next_poll = time.time() + POLL_SECONDS
    next_save = time.time() + save_offset
    writes = 0
    while time.time() < deadline:
        now = time.time()
        if now >= next_save:
            next_save += SAVE_SECONDS
            writes += 1
            typed = TYPED[field].format(name, writes)
            form = save(browser, stats, classify, form, agent_id, field, typed) or form
            continue
        if now >= next_poll:
            next_poll += POLL_SECONDS
            url = poll(browser, stats, url)
            continue
        time.sleep(max(0.0, min(next_poll, next_save, deadline) - time.time()))
    browser.close()


def open_form(browser: Browser, path: str):
    got = browser.request("GET", path, kind="page", ok={200})
    return form_with(got[1], path) if got else None


def save(browser: Browser, stats: Stats, path: str, form, agent_id: int, field: str, value: str):
    """Type `value` into `field` of the open thesis form and save, as the page does (htmx);
    the form the answer carries (with the new version) is the one open next. On 409 (the
    other laptop saved first) read the form again and save the same text over the new
    version. Returns the open form, or None when the outcome is unknown."""
    key = (agent_id, field)
    for _attempt in range(RETRIES):
        form.set(field, value)
        with stats.lock:
            stats.unknown[key] = value
        got = browser.request("POST", path, data=form.pairs, htmx=True, kind="save", ok={200, 409})
        if got is None:
            return None  # outcome unknown: the check accepts either value
        with stats.lock:
            stats.unknown.pop(key, None)
        if got[0] == 200:
            with stats.lock:
                stats.acked[key] = value
            return form_with(got[1], path)
        if got[0] != 409:
            return None
        with stats.lock:
            stats.conflicts += 1
        form = open_form(browser, path)
        if form is None:
            stats.error(f"save {agent_id}.{field}: no thesis form")
            return None
    stats.error(f"save {agent_id}.{field}: still conflicting after {RETRIES} tries")
    return None


def facilitator(port: int, stats: Stats, workshop_id: int, start_at, deadline) -> None:
    """A facilitator's browser: signs in once, then its three windows (presenter, projector,
    board), each with its own connection and the browser's cookies, poll their regions."""
    time.sleep(max(0, start_at - time.time()))
    browser = Browser(port, stats, "facilitator")
    if not sign_in(browser, stats, "facilitator"):
        return
    windows = []
    for page in SCREENS:
        window = Browser(port, stats, "facilitator")
        window.cookies = dict(browser.cookies)
        windows.append(
            threading.Thread(
                target=screen, args=(window, stats, workshop_id, page, deadline), daemon=True
            )
        )
    browser.close()
    for window in windows:
        window.start()
    for window in windows:
        window.join(timeout=max(1, deadline - time.time() + 30))


def screen(browser: Browser, stats: Stats, workshop_id: int, page: str, deadline) -> None:
    """A window showing the presenter, projector or board, polling its live region."""
    got = browser.request("GET", f"/workshops/{workshop_id}/{page}/", kind="page", ok={200})
    url = live_url(got[1]) if got else None
    if url is None:
        stats.error(f"{page}: no live region")
        return
    next_poll = time.time() + POLL_SECONDS
    while time.time() < deadline:
        time.sleep(max(0.0, min(next_poll, deadline) - time.time()))
        if time.time() >= deadline:
            break
        next_poll += POLL_SECONDS
        url = poll(browser, stats, url, kind=f"poll {page}")
    browser.close()


def people(port: int, stats: Stats, setup: dict, participants: int, start, deadline):
    """The threads of the busy mix: participants and the six facilitator screens."""
    threads = []
    tables = setup["tables"]
    for n in range(participants):
        table = tables[n % len(tables)]
        seat = n // len(tables)
        agent_id = table["agents"][seat // len(FIELDS) % len(table["agents"])]
        kwargs = {
            "code": table["code"],
            "agent_id": agent_id,
            "field": FIELDS[seat % len(FIELDS)],
            "name": f"t{n % len(tables) + 1}p{seat + 1}",
            "poll_agent": n % 2 == 1,
            "start_at": start + 4 * n / participants,
            "save_offset": SAVE_SECONDS * ((n * 7) % 10) / 10 + 1,
            "deadline": deadline,
        }
        threads.append(
            threading.Thread(target=participant, args=(port, stats), kwargs=kwargs, daemon=True)
        )
    for n in range(FACILITATORS):
        threads.append(
            threading.Thread(
                target=facilitator,
                args=(port, stats, setup["workshop"], start + n, deadline),
                daemon=True,
            )
        )
    return threads


def lost_writes(stats: Stats, saved: dict) -> list[str]:
    lost = []
    for (agent_id, field), value in stats.acked.items():
        now = saved[str(agent_id)][field]
        if now != value and now != stats.unknown.get((agent_id, field)):
            lost.append(f"agent {agent_id} {field}: acknowledged {value!r}, stored {now!r}")
    return lost


def polls_204_pct(stats: Stats) -> float:
    answered = sum(n for what, n in stats.counts.items() if what.startswith("poll "))
    return 100 * stats.counts.get("poll 204", 0) / answered if answered else 0.0
