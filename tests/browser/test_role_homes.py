"""Each role's home page, as the demo's users see it, at a desktop width (1280 px) and on a phone
(390 px): a screenshot of each is kept with the journeys' (test-artifacts/screenshots/home-<user>-<width>.png),
axe finds no WCAG 2.2 A or AA violation at either width, nothing is wider than the phone's screen, and
at 1280 px the menu is one line (seen: the supervisor's wrapped onto two)."""

import pytest

from tests.browser.test_journeys import SCREENSHOTS, accessible, page  # noqa: F401 - `page` is a fixture
from tests.guards.demo_world import DEMO_USERNAMES, demo_world_build
from tests.guards.test_browser_crawl import sign_in

WIDTHS = {1280: 900, 390: 844}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
MENU_LINES = """() => new Set([...document.querySelectorAll('.govuk-service-navigation__item')]
    .map(item => Math.round(item.getBoundingClientRect().top))).size"""


@pytest.mark.django_db(transaction=True)
def test_every_roles_home_page_at_desktop_and_phone_widths(page) -> None:  # noqa: F811
    users = demo_world_build().users
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for username in DEMO_USERNAMES:
        page.set_viewport_size({"width": 1280, "height": WIDTHS[1280]})
        home = sign_in(page, username, users[username])
        for width, height in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(home, wait_until="load")
            page.screenshot(path=str(SCREENSHOTS / f"home-{username}-{width}.png"), full_page=True)
            if (overflow := page.evaluate(OVERFLOW)) > 0:
                problems.append(f"{username} at {width} px: the page is {overflow} px wider than the screen ({home})")
            if width == 1280 and (lines := page.evaluate(MENU_LINES)) > 1:
                problems.append(f"{username} at 1280 px: the menu takes {lines} lines")
            try:
                accessible(page)
            except AssertionError as failure:
                problems.append(f"{username} at {width} px: {failure}")
    assert not problems, "\n".join(problems)
    assert len(list(SCREENSHOTS.glob("home-*-1280.png"))) >= len(DEMO_USERNAMES)
