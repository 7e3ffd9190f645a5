"""The whole workshop mix for bench/load.py (`--mix full`).

Every participant joins its table, polls its live region every 2 s and, every 10 s, makes one
change through the real forms, in turn: the agent's details (room), its classification and
thesis (Block 2), a KPI added or edited (Block 3), benchmark evidence added or a vendor claim's
discount moved, constraints and adoption, thresholds and assumptions (Block 4), and an answer
to the open knowledge-check question. A change opens the form's page, "types" for 2 s and
saves; a 409 re-reads the page and applies the same change over the new version. The
facilitator's presenter, projector and board poll every 2 s; a second facilitator tab opens
the next quiz question every 15 s; a third downloads the register PDF every minute. At the end
the database must hold the last acknowledged value of every field each client wrote, per
record.
"""

import datetime
import html
import re
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal

from load_full_data import OWNED
from loadkit import Browser, Form, Stats, form_with, forms_in, sign_in

POLL_SECONDS = 2.0
WRITE_SECONDS = 10.0
THINK_SECONDS = 2.0
QUIZ_SECONDS = 15.0
RETRIES = 6
# The changes, in turn. A table works through them together (table t starts at KINDS[t % 7]),
# so the people sharing an agent save the same record within seconds of each other.
KINDS = ["agent", "classify", "kpi", "benchmark", "constraints", "thresholds", "quiz"]
POST_OK = frozenset({200, 302, 409})
QUIZ_OK = frozenset({200, 302, 409, 422})
QUIZ_REFUSALS = ("This question is closed", "There is no question to answer right now")
REV = re.compile(r'hx-get="[^"]*\?rev=(\d+)&amp;at=(\d+)')
VERSION = re.compile(r'name="version" value="(\d+)"')

# --- A participant ----------------------------------------------------------------------------


@dataclass
class Draft:
    """A change typed into a form, ready to save."""

    kind: str
    url: str
    form: Form
    htmx: bool
    acks: dict = field(default_factory=dict)


class Participant:
    def __init__(self, *, port, stats, n, table, seat, code, agent, start_at, deadline):
        self.browser = Browser(port, stats, "participant")
        self.stats = stats
        self.n = n
        self.name = f"t{table + 1}p{seat + 1}"
        self.code = code
        self.agent_id = agent["id"]
        self.kpi_id = agent["kpi"]
        self.benchmark_id = agent["benchmark"]
        self.role = seat % 3
        self.poll_agent = n % 2 == 1
        self.start_at = start_at
        self.deadline = deadline
        self.first_write = WRITE_SECONDS * ((table * 7) % 10) / 10 + 1 + 0.7 * seat
        self.turn = table % len(KINDS)
        self.writes = 0
        self.added_kpi = False

    def _page(self, path: str) -> str | None:
        got = self.browser.request("GET", path, kind="page", ok={200})
        return got[1] if got and got[0] == 200 else None

    def _missing(self, what: str) -> None:
        self.stats.error(f"{self.name}: no {what} form")

    def draft(self, kind: str, w: int) -> Draft | None:
        """Open the page of `kind` and type change number `w` into its form."""
        return getattr(self, f"_draft_{kind}")(w)

    def _draft_agent(self, w):
        path = f"/t/agents/{self.agent_id}/"
        form = form_with(self._page(path) or "", path)
        if form is None:
            return self._missing("agent")
        name = OWNED["agent"][self.role]
        value = f"{self.name} write {w}"
        form.set(name, value)
        return Draft("agent", path, form, True, {("agent", self.agent_id, name): value})

    def _draft_classify(self, w):
        path = f"/block2/agents/{self.agent_id}/classify/"
        form = form_with(self._page(path) or "", path)
        if form is None:
            return self._missing("classification")
        name = OWNED["classify"][self.role]
        value = {
            "thesis_subject": f"manual invoice matching hours {self.name} w{w}",
            "thesis_mechanism": f"matching invoices to purchase orders {self.name} w{w}",
            "value_driver_other": f"invoice backlog days {self.name} w{w}",
        }[name]
        form.set(name, value)
        return Draft("classify", path, form, True, {("classify", self.agent_id, name): value})

    def _draft_kpi(self, w):
        if self.role == 0 and not self.added_kpi:
            path = f"/kpis/agents/{self.agent_id}/new/"
            form = form_with(self._page(path) or "", path)
            if form is None:
                return self._missing("new KPI")
            name = f"Invoices approved per week {self.name}"
            typed = {
                "name": name,
                "category": "efficiency",
                "unit": "invoices per week",
                "direction": "higher",
                "data_source_system": "SAP",
                "data_source_owner": "AP lead",
                "measurement_frequency": "weekly",
                "feasibility": "measurable",
                "baseline_value": "80",
                "baseline_as_of": (datetime.date.today() - datetime.timedelta(days=3)).isoformat(),
                "baseline_source": "Approval log",
            }
            for key, value in typed.items():
                form.set(key, value)
            return Draft("kpi_new", path, form, False, {("kpi_new", self.agent_id, name): True})
        path = f"/kpis/agents/{self.agent_id}/{self.kpi_id}/edit/"
        form = form_with(self._page(path) or "", path)
        if form is None:
            return self._missing("KPI")
        name = OWNED["kpi"][self.role]
        value = f"{self.name} write {w}"
        form.set(name, value)
        return Draft("kpi", path, form, False, {("kpi", self.kpi_id, name): value})

    def _kpi_page(self) -> str:
        return self._page(f"/targets/agents/{self.agent_id}/kpis/{self.kpi_id}/") or ""

    def _draft_benchmark(self, w):
        base = f"/targets/agents/{self.agent_id}/kpis/{self.kpi_id}/benchmarks/"
        if self.role != 0:
            forms = forms_in(self._kpi_page())
            form = next((f for f in forms if f.attrs.get("id") == "benchmark-add"), None)
            if form is None:
                return self._missing("benchmark")
            description = f"Regional shipping firm {self.name} w{w}"
            for key, value in {
                "kind": "peer",
                "description": description,
                "improvement_percent": "25",
                "source": "Reference call",
            }.items():
                form.set(key, value)
            key = ("benchmark_new", self.kpi_id, description)
            return Draft("benchmark_new", base, form, False, {key: True})
        path = f"{base}{self.benchmark_id}/"
        form = form_with(self._kpi_page(), path, exclude="delete")
        if form is None:
            return self._missing("benchmark discount")
        value = str(30 + w % 21)
        form.set(f"b{self.benchmark_id}-discount_percent", value)
        key = ("benchmark", self.benchmark_id, "discount_percent")
        return Draft("benchmark", path, form, False, {key: value})

    def _draft_constraints(self, w):
        form = form_with(self._kpi_page(), f"/kpis/{self.kpi_id}/constraints/")
        if form is None:
            return self._missing("constraints")
        name = OWNED["constraints"][self.role]
        value = {
            "notes": f"Clerks need training {self.name} w{w}",
            "adoption_6m_percent": str(20 + w % 50),
            "data_readiness": w % 2 == 1,
        }[name]
        form.set(name, value)
        url = f"/targets/agents/{self.agent_id}/kpis/{self.kpi_id}/constraints/"
        return Draft("constraints", url, form, False, {("constraints", self.kpi_id, name): value})

    def _draft_thresholds(self, w):
        form = form_with(self._kpi_page(), f"/kpis/{self.kpi_id}/thresholds/")
        if form is None:
            return self._missing("thresholds")
        name = OWNED["thresholds"][self.role]
        value = {
            "assumptions": f"Invoice volumes stay flat {self.name} w{w}",
            "stretch_12m": str(150 + w),
            "floor_6m": str(Decimal(100) + Decimal(w % 50) / 10),
        }[name]
        form.set(name, value)
        url = f"/targets/agents/{self.agent_id}/kpis/{self.kpi_id}/thresholds/"
        return Draft("thresholds", url, form, False, {("target", self.kpi_id, name): value})

    def _draft_quiz(self, w):
        form = form_with(self._page("/foundation/quiz/") or "", "/quiz/answer/")
        if form is None or not form.get("run"):
            return None  # no question open right now
        choices = form.options.get("choice", [])
        if not choices:
            return None
        choice = choices[(self.n + w) % len(choices)]
        form.set("choice", choice)
        key = ("answer", int(form.get("run")), self.name)
        return Draft("quiz", "/foundation/quiz/answer/", form, True, {key: int(choice)})

    def next_draft(self) -> Draft | None:
        """The next change in turn (a kind with nothing to do passes to the next)."""
        for _ in range(len(KINDS)):
            kind = KINDS[self.turn % len(KINDS)]
            self.turn += 1
            self.writes += 1
            draft = self.draft(kind, self.writes)
            if draft is not None:
                return draft
        return None

    def save(self, draft: Draft) -> None:
        """Save the change; on 409 re-read the page and apply the same change again."""
        for _attempt in range(RETRIES):
            with self.stats.lock:
                self.stats.unknown.update(draft.acks)
            got = self.browser.request(
                "POST",
                draft.url,
                data=draft.form.pairs,
                htmx=draft.htmx,
                kind="save",
                ok=QUIZ_OK if draft.kind == "quiz" else POST_OK,
            )
            if got is None:
                return  # outcome unknown: the check accepts either value
            status, text, headers = got
            with self.stats.lock:
                for key in draft.acks:
                    self.stats.unknown.pop(key, None)
            if status in (200, 302):
                with self.stats.lock:
                    self.stats.acked.update(draft.acks)
                self.stats.count(f"saved {draft.kind}")
                if draft.kind == "kpi_new":
                    self.added_kpi = True
                if status == 302:  # the browser follows the redirect to the page
                    location = headers.get("Location", "")
                    self._page(location.split("#")[0])
                return
            if status == 422 and draft.kind == "quiz":
                if any(reason in text for reason in QUIZ_REFUSALS):
                    self.stats.count("quiz answer refused: question closed meanwhile")
                else:
                    self.stats.error(f"{self.name}: quiz answer refused")
                return
            if status != 409:
                return
            with self.stats.lock:
                self.stats.conflicts += 1
            self.stats.count(f"409 {draft.kind}")
            fresh = self.draft(draft.kind.removesuffix("_new"), self.writes)
            if fresh is None:
                return
            draft = Draft(draft.kind, fresh.url, fresh.form, fresh.htmx, draft.acks)
        self.stats.error(f"{self.name}: {draft.kind} still conflicting after {RETRIES} tries")

    def join(self) -> tuple[str, str, str, str] | None:
        """Join the table with its code and open the live region: (region, rev, at, seen)."""
        got = self.browser.request("GET", f"/join?code={self.code}", kind="join", ok={200})
        form = form_with(got[1], "/join") if got else None
        if form is None:
            self.stats.error(f"{self.name}: no join form")
            return None
        form.set("code", self.code)
        form.set("display_name", self.name)
        got = self.browser.request("POST", "/join", data=form.pairs, kind="join", ok={302})
        if not got or got[0] != 302:
            self.stats.error(f"{self.name}: join refused ({got[0] if got else 'no answer'})")
            return None
        region = f"/t/agents/{self.agent_id}/" if self.poll_agent else "/t/"
        text = self._page(region)
        if text is None or not REV.search(text):
            self.stats.error(f"{self.name}: could not open the table's pages")
            return None
        rev, at = REV.search(text).groups()
        seen = VERSION.search(text)
        return region, rev, at, seen.group(1) if seen else ""

    def run(self) -> None:
        time.sleep(max(0, self.start_at - time.time()))
        joined = self.join()
        if joined is None:
            return
        region, rev, at, seen = joined
        next_poll = time.time() + POLL_SECONDS
        next_write = time.time() + self.first_write
        pending: Draft | None = None
        submit_at = 0.0
        while time.time() < self.deadline:
            now = time.time()
            if pending is not None and now >= submit_at:
                self.save(pending)
                pending = None
                continue
            if pending is None and now >= next_write:
                next_write += WRITE_SECONDS
                pending = self.next_draft()
                submit_at = time.time() + THINK_SECONDS
                continue
            if now >= next_poll:
                next_poll += POLL_SECONDS
                query = f"?rev={rev}&at={at}" + (f"&seen={seen}" if self.poll_agent else "")
                got = self.browser.request(
                    "GET", region + query, htmx=True, kind="poll", ok={200, 204, 286}
                )
                if got and got[0] in (200, 286):
                    found = REV.search(got[1])
                    if found:
                        rev, at = found.groups()
                    version = VERSION.search(got[1])
                    if version:
                        seen = version.group(1)
                continue
            wake = min(next_poll, submit_at if pending is not None else next_write, self.deadline)
            time.sleep(max(0.0, wake - time.time()))
        self.browser.close()


# --- The facilitator's other tabs -------------------------------------------------------------


def quizmaster(port: int, stats: Stats, workshop_id: int, questions: list, start, deadline):
    """Opens the next knowledge-check question every 15 s (and again from the first)."""
    browser = Browser(port, stats, "facilitator")
    if not questions or not sign_in(browser, stats, "quizmaster"):
        return
    asked = 0
    next_open = start + 1
    while time.time() < deadline:
        time.sleep(max(0.0, min(next_open, deadline) - time.time()))
        if time.time() >= deadline:
            break
        question = questions[asked % len(questions)]
        asked += 1
        next_open += QUIZ_SECONDS
        browser.request(
            "POST",
            f"/foundation/workshops/{workshop_id}/quiz/open/{question}/",
            data={"csrfmiddlewaretoken": browser.cookies.get("csrftoken", "")},
            htmx=True,
            kind="console",
            ok={200},
        )
    browser.close()


STATE = re.compile(r'\?state=([^"]+)"')
PDF_POLL_SECONDS = 1.0


def pdf_downloader(
    port: int, stats: Stats, workshop_id: int, every: float, n: int, start, deadline
) -> None:
    """Downloads the Agent Economics Register PDF every `every` seconds as a browser does: the
    download URL answers the progress page until the document worker has the file; its region
    is polled (204 while unchanged) until it offers the file, which is then downloaded. The
    time from the first request to the file is recorded as `pdf_ready`; the requests
    themselves as `pdf`."""
    browser = Browser(port, stats, "facilitator")
    if not sign_in(browser, stats, f"register downloads {n}"):
        return
    url = f"/reports/workshops/{workshop_id}/register.pdf"
    next_download = start + 3
    while time.time() < deadline:
        time.sleep(max(0.0, min(next_download, deadline) - time.time()))
        if time.time() >= deadline:
            break
        next_download += every
        wall, began = time.time(), time.perf_counter()
        got = browser.request("GET", url, kind="pdf", ok={200})
        found = None
        while got and got[0] in (200, 204) and "pdf" not in got[2].get("Content-Type", ""):
            if got[0] == 200 and "document-ready" in got[1]:
                got = browser.request("GET", url, kind="pdf", ok={200})
                break
            if got[0] == 200 and "could not be prepared" in got[1]:
                stats.error("register.pdf: the render failed")
                got = None
                break
            found = STATE.search(got[1]) if got[0] == 200 else found
            time.sleep(PDF_POLL_SECONDS)
            if time.time() >= deadline + 60:
                stats.error("register.pdf: not ready a minute after the run")
                got = None
                break
            query = f"?state={html.unescape(found.group(1))}" if found else ""
            got = browser.request("GET", url + query, htmx=True, kind="pdf", ok={200, 204})
        if got and got[0] == 200 and "pdf" in got[2].get("Content-Type", ""):
            stats.record("pdf_ready", (time.perf_counter() - began) * 1000, wall)
        elif got:
            stats.error("register.pdf: not a PDF")
    browser.close()


def people(
    port: int, stats: Stats, setup: dict, participants: int, start, deadline, pdf_every, pdfs
):
    """The threads of the whole mix (participants, the facilitator's quiz tab and `pdfs`
    people downloading the register at once every `pdf_every` seconds)."""
    threads = []
    tables = setup["tables"]
    for n in range(participants):
        table = n % len(tables)
        seat = n // len(tables)
        agents = tables[table]["agents"]
        person = Participant(
            port=port,
            stats=stats,
            n=n,
            table=table,
            seat=seat,
            code=tables[table]["code"],
            agent=agents[seat // 3 % len(agents)],
            start_at=start + 4 * n / participants,
            deadline=deadline,
        )
        threads.append(threading.Thread(target=person.run, daemon=True))
    threads.append(
        threading.Thread(
            target=quizmaster,
            args=(port, stats, setup["workshop"], setup["questions"], start, deadline),
            daemon=True,
        )
    )
    for n in range(pdfs):
        threads.append(
            threading.Thread(
                target=pdf_downloader,
                args=(port, stats, setup["workshop"], pdf_every, n, start, deadline),
                daemon=True,
            )
        )
    return threads
