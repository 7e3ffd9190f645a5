"""The projector at the back of the room: on a 1920x1080 and a 1280x720 screen every view keeps
its text at least 32 px (24 px) high and cuts nothing off; what does not fit turns pages, by
itself and with the arrow keys, keeps its page across the live poll, and shows every agent
exactly once over all its pages."""

import os

import pytest
from playwright.sync_api import expect

from foundation import quiz_services, seeds
from foundation.models import Question
from kpis.models import AgentKpi
from tests import factories, scenarios
from tests.e2e.conftest import sign_in
from workshops import live
from workshops.models import Workshop
from workshops.services import workshop_touch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("FINOPS_SCREENSHOTS", "")
SCREENS = {"1080p": ((1920, 1080), 32), "720p": ((1280, 720), 24)}
PAGED = ("board", "portfolio", "feasibility", "finance")

# Every visible text node: its font size, and whether it is cut off by the frame, by a box that
# hides overflow, or by a text container narrower than its content.
MEASURE = """() => {
  const frame = document.querySelector(".projector-frame");
  const inside = (r, box, slack) => r.left >= box.left - 1 && r.right <= box.right + 1
    && r.top >= box.top - slack && r.bottom <= box.bottom + slack;
  const texts = [];
  const clipped = [];
  const walker = document.createTreeWalker(frame, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (!text) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
    if (!rects.length) continue;
    const el = node.parentElement;
    const size = parseFloat(getComputedStyle(el).fontSize);
    texts.push({ text, size });
    const slack = size * 0.3; // glyph boxes reach past a tight line height
    for (let box = el; box; box = box.parentElement) {
      const style = getComputedStyle(box);
      const clips = box === frame || style.overflowX !== "visible" || style.overflowY !== "visible";
      if (clips && !rects.every((r) => inside(r, box.getBoundingClientRect(), slack))) {
        clipped.push(text);
        break;
      }
      if (box === frame) break;
    }
    const block = el.closest("p, h1, h2, h3, li, div, span");
    if (block && block.clientWidth && block.scrollWidth > block.clientWidth) {
      clipped.push(text);
    }
  }
  return { texts, clipped };
}"""

PAGES = """() => Number(document.querySelector("[data-pager]")?.getAttribute("data-pages") || 1)"""

VISIBLE_NAMES = """(selector) => Array.from(document.querySelectorAll(
  ".pj-page:not([hidden]) " + selector)).map((el) => el.textContent.trim())"""

COLUMNS_START_WITH_A_HEADING = """() => Array.from(document.querySelectorAll(".pj-column"))
  .every((column) => !column.firstElementChild
    || ["section", "group"].includes(column.firstElementChild.getAttribute("data-flow")))"""


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"projector-{name}.png"))


def show(page, workshop, view):
    live.projector_show(workshop=workshop, view=view)
    page.goto(f"{page.base}/workshops/{workshop.pk}/projector/")
    expect(page.locator("#projector-live")).to_have_attribute("data-view", view)


def measure(page):
    return page.evaluate(MEASURE)


def every_page(page, selector):
    """The names shown on each page, turning with the arrow key."""
    pager = page.locator("[data-pager]")
    count = int(pager.get_attribute("data-pages"))
    shown = []
    for number in range(1, count + 1):
        expect(pager).to_have_attribute("data-page", str(number))
        if count > 1:
            expect(page.locator("[data-pager-count]")).to_have_text(f"Page {number} of {count}")
        shown.append(page.evaluate(VISIBLE_NAMES, selector))
        page.keyboard.press("ArrowRight")
    expect(pager).to_have_attribute("data-page", "1")  # after the last page, the first again
    return shown


def projector(new_page, live_server, facilitator, screen):
    (width, height), _ = SCREENS[screen]
    page = new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(reduced_motion="reduce")
    page.base = live_server.url
    sign_in(page, live_server.url, facilitator.username)
    return page


def open_quiz(workshop, *, answered_and_closed):
    seeds.seed_questions(Question)  # a transactional test may start from emptied tables
    run = quiz_services.quiz_question_next(workshop=workshop)
    if answered_and_closed:
        for table in workshop.tables.order_by("position", "name"):
            for person in table.participants.all()[:2]:
                quiz_services.quiz_answer(participant=person, run_id=run.pk, choice=1)
        quiz_services.quiz_question_close(workshop=workshop)


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_projector_views_full_room_text_large_and_whole(live_server, new_page, facilitator, screen):
    workshop = scenarios.full_room(facilitator=facilitator)
    page = projector(new_page, live_server, facilitator, screen)
    _, smallest = SCREENS[screen]
    states = [(view, lambda: None) for view in ("agenda", "join", *PAGED)]
    states += [
        ("quiz", lambda: None),
        ("quiz", lambda: open_quiz(workshop, answered_and_closed=False)),
        ("quiz", lambda: open_quiz(workshop, answered_and_closed=True)),
    ]
    for number, (view, prepare) in enumerate(states):
        prepare()
        show(page, workshop, view)
        pages = page.evaluate(PAGES)
        for number_of_page in range(1, pages + 1):
            found = measure(page)
            too_small = [t for t in found["texts"] if t["size"] < smallest]
            assert (view, too_small) == (view, [])
            assert (view, found["clipped"]) == (view, [])
            assert found["texts"] != []
            shot(page, f"{screen}-{number}-{view}-{number_of_page}")
            page.keyboard.press("ArrowRight")
    assert page.console_errors == []


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_projector_pages_full_room_show_every_agent_once(
    live_server, new_page, facilitator, screen
):
    workshop = scenarios.full_room(facilitator=facilitator)
    names = sorted(name for _, name, *_ in scenarios.FULL_ROOM_AGENTS)
    kpis = sorted(AgentKpi.objects.filter(agent__workshop=workshop).values_list("name", flat=True))
    page = projector(new_page, live_server, facilitator, screen)
    for view in ("board", "portfolio", "finance"):
        show(page, workshop, view)
        shown = every_page(page, ".pj-agent-name")
        assert (view, sorted(name for names_ in shown for name in names_)) == (view, names)
        assert page.evaluate(COLUMNS_START_WITH_A_HEADING) is True
    show(page, workshop, "feasibility")
    shown = every_page(page, ".pj-kpi-name")
    assert sorted(name for names_ in shown for name in names_) == kpis
    # The empty column keeps its heading whole and says so once.
    amber = page.locator(".pj-flow-section.amber")
    assert amber.locator("[data-flow-title]").all_text_contents() == ["Needs instrumentation"]
    assert amber.locator(".pj-count").all_text_contents() == ["0"]
    assert page.locator(".pj-none").all_text_contents() == ["None yet"]


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_projector_pages_busy_room_split_with_continued_headings(
    live_server, new_page, facilitator, screen
):
    workshop = scenarios.busy_room(facilitator=facilitator, tables=3, agents=8, kpis=2)
    names = sorted(f"Agent {t}.{a}" for t in range(1, 4) for a in range(1, 9))
    page = projector(new_page, live_server, facilitator, screen)
    for view in ("portfolio", "finance"):
        show(page, workshop, view)
        shown = every_page(page, ".pj-agent-name")
        assert (view, len(shown) > 1) == (view, True)
        assert (view, sorted(name for names_ in shown for name in names_)) == (view, names)
        assert page.evaluate(COLUMNS_START_WITH_A_HEADING) is True
        conts = [text.strip() for text in page.locator(".pj-cont").all_text_contents()]
        assert (view, conts != [], [c for c in conts if not c.endswith(" (cont.)")]) == (
            view,
            True,
            [],
        )
        found = measure(page)
        assert found["clipped"] == []
    show(page, workshop, "board")
    shown = every_page(page, ".pj-agent-name")
    assert sorted(name for names_ in shown for name in names_) == names
    show(page, workshop, "feasibility")
    shown = every_page(page, ".pj-kpi-name")
    assert (len(shown) > 1, sum(len(names_) for names_ in shown)) == (True, 48)
    conts = [text.strip() for text in page.locator(".pj-cont").all_text_contents()]
    assert "Measurable today (cont.)" in conts


def test_projector_pages_turn_every_ten_seconds_and_keep_the_page_across_polls(
    live_server, new_page, facilitator
):
    workshop = scenarios.busy_room(facilitator=facilitator, tables=3, agents=8, kpis=2)
    page = projector(new_page, live_server, facilitator, "720p")
    page.clock.install()
    show(page, workshop, "portfolio")
    pager = page.locator("[data-pager]")
    expect(pager).to_have_attribute("data-page", "1")
    page.clock.run_for(9_000)
    expect(pager).to_have_attribute("data-page", "1")
    page.clock.run_for(1_500)
    expect(pager).to_have_attribute("data-page", "2")
    # A change in the room swaps the board; the page shown stays.
    rev = page.locator("#projector-live").get_attribute("data-rev")
    workshop_touch(workshop_id=workshop.pk)
    page.clock.run_for(2_100)
    expect(page.locator("#projector-live")).not_to_have_attribute("data-rev", rev)
    expect(pager).to_have_attribute("data-page", "2")
    # The facilitator steps back with the arrow key; the 10 seconds start again from there.
    page.keyboard.press("ArrowLeft")
    expect(pager).to_have_attribute("data-page", "1")
    page.clock.run_for(9_000)
    expect(pager).to_have_attribute("data-page", "1")
    # Another view starts at its first page.
    page.keyboard.press("PageDown")
    expect(pager).to_have_attribute("data-page", "2")
    live.projector_show(workshop=workshop, view="finance")
    page.clock.run_for(2_100)
    expect(page.locator("#projector-live")).to_have_attribute("data-view", "finance")
    expect(page.locator("[data-pager]")).to_have_attribute("data-page", "1")
    assert Workshop.objects.get(pk=workshop.pk).projector_view == "finance"
    assert page.console_errors == []


@pytest.mark.parametrize(
    ("motion", "animation"), [("reduce", "none"), ("no-preference", "pj-turn")]
)
def test_projector_page_turn_animates_only_without_reduced_motion(
    live_server, new_page, facilitator, motion, animation
):
    workshop = scenarios.busy_room(facilitator=facilitator, tables=3, agents=8, kpis=2)
    page = projector(new_page, live_server, facilitator, "720p")
    page.emulate_media(reduced_motion=motion)
    show(page, workshop, "portfolio")
    page.keyboard.press("ArrowRight")
    shown = page.locator(".pj-page:not([hidden])")
    expect(shown).to_have_count(1)
    assert shown.evaluate("(el) => getComputedStyle(el).animationName") == animation


def test_projector_join_screen_pages_many_tables_each_once(live_server, new_page, facilitator):
    workshop = factories.make_workshop(facilitator=facilitator)
    names = sorted(f"Table {number:02}" for number in range(1, 19))
    for name in names:
        factories.make_table(workshop=workshop, name=name)
    page = projector(new_page, live_server, facilitator, "720p")
    show(page, workshop, "join")
    shot(page, "720p-join-18-tables")
    shown = every_page(page, ".pj-table-name")
    assert (len(shown) > 1, sorted(name for names_ in shown for name in names_)) == (True, names)
    found = measure(page)
    assert [t for t in found["texts"] if t["size"] < 24] == []
    assert found["clipped"] == []


def test_projector_pages_turn_from_the_presenter(live_server, new_page, facilitator):
    workshop = scenarios.busy_room(facilitator=facilitator, tables=3, agents=8, kpis=2)
    page = projector(new_page, live_server, facilitator, "720p")
    page.clock.install()
    show(page, workshop, "portfolio")
    pager = page.locator("[data-pager]")
    expect(pager).to_have_attribute("data-page", "1")
    # The facilitator presses "Next page" on the presenter (another laptop).
    presenter = new_page()
    sign_in(presenter, live_server.url, facilitator.username)
    presenter.goto(f"{live_server.url}/workshops/{workshop.pk}/presenter/")
    presenter.get_by_role("button", name="Next page").click()
    expect(presenter.locator("#presenter-live")).to_be_visible()
    page.clock.run_for(2_100)
    expect(pager).to_have_attribute("data-page", "2")
    presenter.get_by_role("button", name="Previous page").click()
    page.clock.run_for(2_100)
    expect(pager).to_have_attribute("data-page", "1")
    assert Workshop.objects.get(pk=workshop.pk).projector_turns == 0
    assert page.console_errors == [] and presenter.console_errors == []
