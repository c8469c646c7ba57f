"""The role crawl in a real browser (Playwright driving Debian's chromium, headless), with axe-core
(WCAG 2.2 A and AA) run on one page of every route it reaches: accessibility is checked on every
page, not only on the journeys' (tests/browser/test_journeys.py). Each such page is also laid out at
a phone's width (390 px): nothing may make it wider than the screen (wide tables scroll in their own
region).

Every demo user signs in with both factors in the browser and follows the links, GET forms and
htmx GETs they are shown, each URL pattern once per role (the test-client crawl,
tests/guards/test_role_crawl.py, visits more of each and presses the buttons). A route is checked
with axe the first time any role reaches it, so each is checked once. A dead end (400 or more, sent
back to sign in) fails here too, and so does a Content Security Policy error in the console.

The Django admin is not entered: its pages are Django's own templates, which the project does not
style or write (the test-client crawl still checks them for dead ends).

Known violations are in KNOWN_AXE_VIOLATIONS, each with its reason; the test fails on any other,
and on a listed one it no longer meets (delete the entry). To keep within about two minutes, a role
does not load a form page an earlier role had checked (forms lead nowhere new), nor downloads.
"""

import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dacrre.shell.demo import DEMO_PASSWORD
from tests.browser.test_journeys import AXE, CHROMIUM, WCAG_22_A_AA, page  # noqa: F401 - the fixture
from tests.factories import current_totp
from tests.guards.crawl import SIGN_IN, crawl, url_name
from tests.guards.demo_world import DEMO_USERNAMES, demo_world_build
from tests.guards.routes import post_url_names
from tests.guards.test_role_crawl import KNOWN_DEAD_ENDS

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (CI installs it)"),
    pytest.mark.skipif(not AXE.exists(), reason="needs node_modules (make assets)"),
]

# (url name, axe rule id): why. Delete an entry when its fix lands.
KNOWN_AXE_VIOLATIONS: dict[tuple[str, str], str] = {}
# Pages wider than a phone's screen (390 px): url name: why. Delete an entry when its fix lands.
KNOWN_TOO_WIDE: dict[str, str] = {}
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 720}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Dead ends use the test-client crawl's list (tests/guards/test_role_crawl.py), which is strict; this
# crawl visits fewer pages and only fails on one not listed there.
PAGES_PER_ROLE = 60


def sign_in(tab, username: str, user) -> str:
    tab.context.clear_cookies()
    tab.goto(SIGN_IN)
    tab.fill("#id_username", username)
    tab.fill("#id_password", DEMO_PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.fill("#id_token", current_totp(user))
    tab.get_by_role("button", name="Continue").click()
    tab.wait_for_load_state("load")
    return urlsplit(tab.url).path


def axe_violations(tab, source: str) -> list[tuple[str, str]]:
    if not tab.evaluate("typeof axe !== 'undefined'"):
        tab.evaluate(source)
    result = tab.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_A_AA)
    return [(v["id"], f"{v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})") for v in result["violations"]]


@pytest.mark.django_db(transaction=True)
def test_every_page_every_role_reaches_is_accessible_and_leads_somewhere(page) -> None:  # noqa: F811
    began = time.monotonic()
    users = demo_world_build().users
    spent: defaultdict[str, float] = defaultdict(float, {"seeding the demo": time.monotonic() - began})
    axe_source = AXE.read_text()
    checked: dict[str, str] = {}  # url name: the page axe ran on
    hubs: set[str] = set()  # url names whose pages led somewhere new: visited again by each role
    forms = set(post_url_names())  # a form already checked is not loaded again unless it led somewhere new
    violations: dict[tuple[str, str], str] = {}
    too_wide: dict[str, str] = {}
    dead: dict[tuple[str, str, int], str] = {}
    lines = []

    def fetch(path: str) -> tuple[int, str, str, str]:
        started = time.monotonic()
        # Styles must be in for axe's contrast checks; a page already checked needs only its links.
        response = page.goto(path, wait_until="domcontentloaded" if url_name(path) in checked else "load")
        spent["loading pages"] += time.monotonic() - started
        status = response.status if response else 0
        final = urlsplit(page.url).path
        if final == SIGN_IN and urlsplit(path).path != SIGN_IN:
            return 302, SIGN_IN, "", ""
        content_type = response.headers.get("content-type", "") if response else ""
        if "html" not in content_type:
            return status, "", content_type, ""
        body = page.content()
        name = url_name(final) or final
        if status < 400 and "<main" in body and name not in checked:  # a whole page, not an htmx fragment
            started = time.monotonic()
            checked[name] = path
            for rule, text in axe_violations(page, axe_source):
                violations.setdefault((name, rule), f"{text} on {path}")
            # The same page on a phone: wide tables scroll in their own region, nothing widens the page.
            page.set_viewport_size(PHONE)
            if (overflow := page.evaluate(OVERFLOW)) > 0:
                too_wide.setdefault(name, f"{overflow} px too wide on {path}")
            page.set_viewport_size(DESKTOP)
            spent["axe"] += time.monotonic() - started
        return status, "", content_type, body

    for username in DEMO_USERNAMES:
        started = time.monotonic()
        home = sign_in(page, username, users[username])
        spent["signing in"] += time.monotonic() - started
        result = crawl(
            fetch,
            home,
            cap=PAGES_PER_ROLE,
            per_pattern=1,
            per_pattern_more=4,
            skip=("/admin/",),
            skip_names=frozenset(checked) & forms - hubs,
            every_link_kind=False,  # routes, for axe: the test-client crawl follows every kind of link,
            routes_only=True,  # every query and every download
        )
        hubs |= result.hubs
        for dead_end in result.dead_ends:
            dead.setdefault((username, dead_end.name, dead_end.status), str(dead_end))
        lines.append(result.summary(username).splitlines()[0])

    known_axe = KNOWN_AXE_VIOLATIONS
    problems = [f"axe {key[1]} on {key[0]}: {text}" for key, text in violations.items() if key not in known_axe]
    problems += [
        f"no longer met (fixed? remove the entry) in KNOWN_AXE_VIOLATIONS: {key}"
        for key in known_axe
        if key not in violations
    ]
    problems += [f"dead end for {key[0]}: {text}" for key, text in dead.items() if key not in KNOWN_DEAD_ENDS]
    problems += [
        f"wider than a phone (390 px): {name}: {text}" for name, text in too_wide.items() if name not in KNOWN_TOO_WIDE
    ]
    problems += [
        f"no longer met (fixed? remove the entry) in KNOWN_TOO_WIDE: {name}"
        for name in KNOWN_TOO_WIDE
        if name not in too_wide
    ]
    problems += [f"console: {error}" for error in page.errors if "Content Security Policy" in error]
    lines.append(f"axe run on {len(checked)} routes: {', '.join(sorted(checked))}")
    lines.append(f"{time.monotonic() - began:.1f} s in all: " + ", ".join(f"{k} {v:.1f} s" for k, v in spent.items()))
    report = "\n".join(lines)
    print(report)
    assert not problems, "\n".join(problems) + "\n" + report
