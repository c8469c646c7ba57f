"""Nothing shown to a user leads to a dead end.

Every demo user signs in with both factors and, from the page they land on, follows breadth-first
every same-site link, GET form (submitted as it stands) and htmx GET they are shown. None may answer
400 or more (403, 404, 500...), send them back to sign in, or be a download that is not 200. The
crawl itself is GET only, so it changes nothing; sign-out is never followed.

Then every kind of POST button the user was shown (one per URL name, path words and field names;
the Django admin's own forms apart) is pressed as it stands, inside a transaction that is rolled back: it may refuse
the empty form with a message (200 or 400) but must not answer 403, 404, 405 or 500. A button
shown to someone who may not use it is a dead end too.

Each page of the app is assigned to the role whose work it is (ROUTE_REACHED_BY): that role's crawl
must reach it, so that a page no link leads to, or a crawl that stopped short, fails. Pages no link
leads to by design are in NOT_LINKED; pages their role cannot reach today in KNOWN_UNREACHED.

The Django admin is crawled for the admin user with the same rules, each admin page once and its
delete confirmations left out (see tests/guards/crawl.py): it is the admin role's whole job, and
its pages are the project's ModelAdmins (list columns, read-only fields, the reverse-merge view),
which can fail like any other.

Today's known dead ends are in KNOWN_DEAD_ENDS and KNOWN_REFUSED_BUTTONS, each with its reason. A
test fails on any dead end not listed, and on any listed one it no longer meets (it was fixed:
delete the entry), so that the lists only shrink.
"""

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.db import transaction

from dacrre.shell.demo import DEMO_PASSWORD
from tests.factories import current_totp
from tests.guards.crawl import Button, CrawlResult, crawl, url_name
from tests.guards.demo_world import DEMO_USERNAMES, DemoWorld, demo_world_build
from tests.guards.routes import page_url_names

# (username, url name, status): why. Delete an entry when its fix lands.
KNOWN_DEAD_ENDS: dict[tuple[str, str, int], str] = {}
# (username, url name the button posts to, status): why. Delete an entry when its fix lands.
KNOWN_REFUSED_BUTTONS: dict[tuple[str, str, int], str] = {}

# Which role's crawl must reach each page of the app: one role each, the one whose work it is. A
# page no role reaches by links is an orphan (or the demo lacks the record that links to it).
ROUTE_REACHED_BY: dict[str, str] = {
    **dict.fromkeys(
        [
            "cases:home",
            "cases:caseload",
            "glossary",
            "cases:list",
            "cases:detail",
            "case_referrals:new",
            "equipment:register",
            "equipment:fund_new",
            "equipment:item_new",
            "equipment:issue_new",
            "equipment:issue",
            "equipment:return",
            "justice:case",
            "justice:record",
            "justice:victim_update",
            "experience:survey",
            "scoring:my_tasking",
            "scoring:tasking_result",
            "disclosures:new",
            "disclosures:detail",
            "documents:new",
            "documents:detail",
            "documents:preview",
            "documents:download",
            "meetings:list",
            "meetings:detail",
            "meetings:overview",
            "meetings:actions",
            "meetings:conclude",
            "offender_management:allocate",
            "offender_management:programme",
            "offender_management:end_allocation",
            "offender_management:record_intervention",
            "orders:new",
            "orders:detail",
            "orders:edit",
            "oversight:closure_request",
            "perpetrators:detail",
            "referrals:inbox",
            "referrals:detail",
            "referrals:summary",
            "reminders:my_tasks",
            "reminders:dismiss",
            "risk:new",
            "risk:detail",
            "risk:stalking_new",
            "risk:stalking_detail",
            "risk:compare",
            "safety_plans:children",
            "safety_plans:plan",
            "safety_plans:versions",
            "victims:detail",
            "intake:open",
            "intake:add_victim",
            "intake:add_child",
            "cases:status",
            "visits:new",
            "visits:plan",
            "visits:detail",
            "search:results",
            "notes:list",
            "notes:new",
            "notes:detail",
            "notes:edit",
            "casefile:summary",
            "victims:details",
            "victims:child_details",
        ],
        "officer.north",
    ),
    **dict.fromkeys(
        [
            "cases:break_glass",
            "cases:operation_cadences",
            "cases:operations",
            "cases:operation_new",
            "cases:operation_detail",
            "cases:operation_edit",
            "cases:operation_add_case",
            "oversight:team",
            "oversight:holder",
            "oversight:closures",
            "oversight:staff",
            "oversight:transfer_request",
            "oversight:transfers",
            "cases:reopen",
            "people:duplicates",
            "people:duplicate_detail",
            "reports:performance",
            "reports:pack",
            "safety_plans:version",
            "scoring:ranking",
            "scoring:tasking",
            "scoring:tasking_detail",
            "justice:nfa_queue",
            "justice:nfa_review",
            "scoring:tasking_entry",
            "experience:thresholds",
        ],
        "supervisor.north",
    ),
    **dict.fromkeys(
        [
            "incidents:import",
            "incidents:import_guide",
            "incidents:import_sample",
            "incidents:import_detail",
            "incidents:import_progress",
        ],
        "analyst",
    ),
    **dict.fromkeys(["audit:access_log", "audit:break_glass_reviews"], "auditor"),
    **dict.fromkeys(
        [
            "records:reviews",
            "records:review",
            "records:dispose",
            "records:disposals",
            "records:disposal",
            "records:subject_access",
            "records:subject_access_person",
            "records:subject_access_request",
            "records:subject_access_download",
        ],
        "dpo",
    ),
    # Person merges are read in the admin through the project's logged read-only admin
    # (dacrre.audit.admin.LoggedReadOnlyAdmin), so their list and record pages are the project's.
    **dict.fromkeys(
        ["admin:people_personmerge_changelist", "admin:people_personmerge_change", "admin:people_personmerge_reverse"],
        "admin",
    ),
}
# Pages their role cannot reach today: url name: why. Delete an entry when its fix lands.
KNOWN_UNREACHED: dict[str, str] = {}
# Pages no link leads to, by design.
NOT_LINKED: dict[str, str] = {
    "accounts:login": "signing in comes before the crawl (tests/accounts)",
    "accounts:second_factor": "signing in comes before the crawl (tests/accounts)",
    "accounts:recovery_codes": "shown once, straight after enrolling an authenticator (tests/accounts)",
    "healthz": "for the load balancer",
    "readyz": "for the load balancer (readiness)",
    "api-docs": "for partner systems' developers",
    "api-schema": "for partner systems' developers",
    **{
        f"api:{name}": "the API is for partner systems (tests/permissions/matrix_api.py, tests/referrals)"
        for name in [
            "api-root",
            *(
                f"{kind}-{view}"
                for kind in ["case", "person", "visit", "riskassessment", "safetyplan", "task", "referral"]
                for view in ["list", "detail"]
            ),
        ]
    },
}

# The menu's own pages (and the start page): every other page a role reaches, a form, a record or a
# page under another, has a GOV.UK back link to the page it belongs under.
TOP_LEVEL = {
    "cases:home",
    "cases:caseload",
    "cases:list",
    "reminders:my_tasks",
    "oversight:team",
    "referrals:inbox",
    "meetings:list",
    "incidents:import",
    "scoring:ranking",
    "reports:performance",
    "audit:access_log",
    "records:reviews",
    "records:subject_access",
    "glossary",  # the footer's help page: its back link is the page the user came from, when known
}

REFUSED = {403, 404, 405}
BUTTONS_PER_ROLE = 60


def test_every_page_is_reached_by_a_role_or_says_why_not() -> None:
    pages = page_url_names()
    assert "cases:detail" in pages and "visits:cancel" not in pages  # GET pages, not POST-only actions
    missing = [name for name in pages if name not in ROUTE_REACHED_BY and name not in NOT_LINKED]
    assert not missing, f"pages no role is expected to reach: add them to ROUTE_REACHED_BY or NOT_LINKED: {missing}"
    stale = [name for name in [*ROUTE_REACHED_BY, *NOT_LINKED] if name not in pages]
    assert not stale, f"no such page (any more): {stale}"
    assert set(ROUTE_REACHED_BY.values()) <= set(DEMO_USERNAMES)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoWorld]:
    """The demo data, seeded once for the module inside a transaction that is rolled back at the end
    (each test's own changes roll back to a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = demo_world_build()
        yield world
        transaction.set_rollback(True)


def sign_in(client, user) -> str:
    """Both factors through the real forms, as tests/conftest.py's `login` does; returns where the
    user lands."""
    response = client.post("/accounts/login/", {"username": user.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content
    response = client.post("/accounts/second-factor/", {"token": current_totp(user)})
    assert response.status_code == 302, response.content
    return urlsplit(response["Location"]).path or "/"


def fetch_with(client, without_back_link: dict[str, str] | None = None):
    """`without_back_link` collects the pages (url name: path) shown without a back link."""
    client.raise_request_exception = False  # a 500 is a dead end to report with where it was clicked

    def fetch(path: str) -> tuple[int, str, str, str]:
        response = client.get(path)
        content_type = response.get("Content-Type", "")
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # a download is produced in full
            return response.status_code, "", content_type, ""
        body = response.content.decode() if "html" in content_type else ""
        name = url_name(path) or ""
        whole_page = response.status_code == 200 and "<main" in body  # not an htmx fragment
        sub_page = name not in TOP_LEVEL and not name.startswith("admin:")
        if without_back_link is not None and whole_page and sub_page and 'class="govuk-back-link"' not in body:
            without_back_link.setdefault(name, path)
        return response.status_code, response.get("Location", ""), content_type, body

    return fetch


def press(client, button: Button) -> int:
    """Submit the form as it stands, then undo whatever it did."""
    with transaction.atomic():
        status = client.post(button.path, dict_of(button.data)).status_code
        transaction.set_rollback(True)
    return status


def dict_of(pairs: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_nothing_a_role_is_shown_leads_to_a_dead_end(demo, client, username) -> None:
    without_back_link: dict[str, str] = {}
    result: CrawlResult = crawl(fetch_with(client, without_back_link), sign_in(client, demo.users[username]))
    problems: list[str] = []
    problems += [f"no back link on {name} ({path})" for name, path in without_back_link.items()]

    met = {(username, dead.name, dead.status): dead for dead in result.dead_ends}
    known = {key: why for key, why in KNOWN_DEAD_ENDS.items() if key[0] == username}
    problems += [f"dead end: {dead}" for key, dead in met.items() if key not in known]
    problems += [
        f"no longer met (fixed? remove the entry) in KNOWN_DEAD_ENDS: {key}" for key in known if key not in met
    ]

    refused: dict[tuple[str, str, int], Button] = {}
    buttons = [b for b in result.buttons.values() if not b.name.startswith("admin:")][:BUTTONS_PER_ROLE]
    for button in buttons:
        status = press(client, button)
        if status in REFUSED or status >= 500:
            refused.setdefault((username, button.name, status), button)
    known_buttons = {key for key in KNOWN_REFUSED_BUTTONS if key[0] == username}
    problems += [
        f"button refused: {key[2]} {key[1]} {b.path} <- pressed {b.label!r} on {b.via}"
        for key, b in refused.items()
        if key not in known_buttons
    ]
    problems += [
        f"no longer met (fixed? remove the entry) in KNOWN_REFUSED_BUTTONS: {key}"
        for key in known_buttons
        if key not in refused
    ]

    expected = {name for name, who in ROUTE_REACHED_BY.items() if who == username}
    unreached = sorted(name for name in expected - result.names if name not in KNOWN_UNREACHED)
    problems += [
        f"reached now (fixed? remove the entry) in KNOWN_UNREACHED: {name}"
        for name in sorted(expected & result.names & set(KNOWN_UNREACHED))
    ]
    if unreached:
        problems.append(
            f"pages this role's crawl no longer reaches (a link gone, or a record the demo lacks): {unreached}"
        )

    report = result.summary(username) + f"\n  {len(buttons)} POST buttons pressed (rolled back)"
    print(report)
    assert not problems, "\n".join(problems) + "\n" + report
    assert len(result.visited) > 1, report
