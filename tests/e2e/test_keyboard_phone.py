"""At phone size every region that scrolls can be reached with the keyboard, and focus shows
at 3:1 against the background it sits on."""

import pytest

from tests import factories

PHONE = {"width": 390, "height": 844}

UNREACHABLE = """() => {
  const focusable = "a[href], button, input, select, textarea, summary, [tabindex]";
  const out = [];
  for (const el of document.querySelectorAll("main *")) {
    const style = getComputedStyle(el);
    const sideways = /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const down = /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    if (!(sideways || down)) continue;
    const reachable = el.matches("[tabindex]") || el.querySelector(focusable);
    const named = !el.matches("[tabindex]") || el.getAttribute("aria-label");
    if (!reachable || !named) out.push(el.tagName + "." + el.className);
  }
  return out;
}"""


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path", ["/foundation/calculator/", "/foundation/evolution/", "/foundation/models/"]
)
def test_every_scrolling_region_is_reachable_by_keyboard_on_a_phone(live_server, new_page, path):
    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_timeout(300)
    assert page.evaluate(UNREACHABLE) == []


def _luminance(rgb):
    def channel(value):
        value = value / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rgb(text: str) -> tuple[int, int, int]:
    return tuple(int(part) for part in text[text.index("(") + 1 : text.index(")")].split(",")[:3])


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_focus_ring_contrasts_three_to_one_on_light_and_dark_backgrounds(live_server, new_page):
    facilitator = factories.make_facilitator(username="host")
    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand link on the dark header
    header = page.evaluate(
        "() => getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineColor, s.boxShadow]; }"
    )
    outline, halo = rgb(ring[0]), rgb(ring[1])
    # On the dark header the white ring shows; on the white page the dark blue one.
    assert contrast(halo, rgb(header)) >= 3
    assert contrast(outline, (255, 255, 255)) >= 3
    assert contrast(outline, (243, 245, 248)) >= 3
    assert facilitator.username == "host"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_header_is_one_line_and_nothing_scrolls_sideways(live_server, new_page):
    from tests.e2e.conftest import join, sign_in
    from workshops import live

    host = factories.make_facilitator(username="host")
    workshop = factories.make_workshop(facilitator=host)
    table = factories.make_table(workshop=workshop, name="Table A")
    factories.make_agent(table=table, name="Invoice Triage Agent")
    live.run_start(workshop=workshop)
    laptop = new_page()
    laptop.set_viewport_size(PHONE)
    join(laptop, live_server.url, table.join_code, "Ana")
    facilitator = new_page()
    facilitator.set_viewport_size(PHONE)
    sign_in(facilitator, live_server.url, "host")
    facilitator.goto(f"{live_server.url}/workshops/{workshop.pk}/board/")
    for page in (laptop, facilitator):
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.locator(".site-header").bounding_box()["height"] < 70
        assert not page.locator("#main-nav").is_visible()
        page.click(".menu-toggle")
        assert page.locator("#main-nav").is_visible()
        assert page.get_attribute(".menu-toggle", "aria-expanded") == "true"
    # The table's marks read as cards: each mark beside its step's name.
    first_mark = laptop.locator("#table-live td.mark").first
    assert (
        laptop.evaluate(
            "el => getComputedStyle(el, '::before').content", first_mark.element_handle()
        )
        == '"Classified"'
    )
