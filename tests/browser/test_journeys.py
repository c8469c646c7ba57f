"""Real-browser journeys (Playwright driving Debian's chromium, headless) from sign-in with the
second factor, with axe-core run on every page visited: no WCAG 2.2 A or AA violations.
Screenshots of each journey's last page go to test-artifacts/screenshots/ (kept by CI)."""

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from cases.models import Case, RiskLevel
from dacrre.audit.models import AccessAction, AccessLog
from risk.questions import QUESTION_KEYS
from tests.factories import TEST_PASSWORD, CaseFactory, CaseVictimFactory, UserFactory, current_totp
from visits.models import Visit

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = PROJECT / "test-artifacts" / "screenshots"
WCAG_22_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (CI installs it)"),
    pytest.mark.skipif(not AXE.exists(), reason="needs node_modules (make assets)"),
]


@pytest.fixture
def page(live_server, monkeypatch) -> Iterator:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are
    # ordinary synchronous calls, which Django would otherwise refuse next to a running loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        context = browser.new_context(base_url=live_server.url)
        tab = context.new_page()
        tab.base = live_server.url  # type: ignore[attr-defined]
        errors: list[str] = []
        tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        tab.errors = errors  # type: ignore[attr-defined]
        yield tab
        browser.close()


def accessible(page) -> None:
    """axe-core on the page as it stands: no violations of WCAG 2.2 A and AA."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_A_AA)
    problems = [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result["violations"]]
    assert problems == [], f"{page.url}: {problems}"


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    accessible(page)
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.fill("#id_token", current_totp(user))
    accessible(page)
    page.get_by_role("button", name="Continue").click()


def finish(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert [e for e in page.errors if "Content Security Policy" in e] == [], page.errors


@pytest.mark.django_db(transaction=True)
def test_officer_logs_a_visit_and_a_high_risk_dash_prompts_a_marac_referral(page) -> None:
    officer = UserFactory(first_name="Olivia", last_name="Officer")
    case = CaseFactory(area=officer.area, spoc=officer, risk_level=RiskLevel.MEDIUM)
    CaseVictimFactory(case=case)

    sign_in(page, officer)
    page.wait_for_url("**/")
    assert page.get_by_role("heading", name="My caseload").is_visible()
    accessible(page)
    page.get_by_role("link", name=case.reference).first.click()
    accessible(page)

    page.get_by_role("link", name="Log a visit").click()
    accessible(page)
    page.get_by_label("Seen", exact=True).check()
    page.get_by_role("button", name="Save visit").click()
    page.wait_for_url(f"**/cases/{case.public_id}/")
    assert Visit.objects.filter(case=case, outcome="seen").exists()
    accessible(page)

    page.get_by_role("link", name="Complete a DASH risk assessment").click()
    accessible(page)
    page.locator("input[name=victim]").first.check()
    for number, key in enumerate(QUESTION_KEYS):
        page.locator(f"input[name=q_{key}][value={'yes' if number < 15 else 'no'}]").check()
    page.get_by_role("button", name="Save assessment").click()
    page.get_by_text("Refer this case to MARAC").wait_for()
    accessible(page)
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.HIGH
    assert AccessLog.objects.filter(user=officer, action=AccessAction.VIEW).exists()

    # A perpetrator who came to notice at a MARAC: the officer opens a case by hand and adds the
    # new partner who is at risk.
    page.goto("/caseload/")
    page.get_by_role("link", name="Open a case").first.click()
    accessible(page)
    page.get_by_label("Given name").fill("Desmond")
    page.get_by_label("Family name").fill("Harrowgate")
    page.get_by_label("Date of birth").last.fill("14/2/1988")
    page.get_by_label("Operation").select_option(index=1)
    page.get_by_label("Area").select_option(index=1)
    page.get_by_label("Discussed at a MARAC").check()
    page.get_by_role("button", name="Open the case").click()
    page.get_by_text("opened. Add the victims and children at risk.").wait_for()
    accessible(page)
    opened = Case.objects.get(perpetrator__person__family_name="Harrowgate")
    assert opened.opening_reason == "marac" and opened.owning_agency_id == officer.agency_id
    page.get_by_role("link", name="Add a victim").click()
    accessible(page)
    page.get_by_label("Given name").fill("Imogen")
    page.get_by_label("Family name").fill("Wrenfield")
    page.get_by_label("Current partner").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name=re.compile("Add")).last.click()
    page.get_by_text(f"added to case {opened.reference}").wait_for()
    accessible(page)
    link = opened.case_victims.get()
    assert link.victim.person.family_name == "Wrenfield" and link.lives_with_perpetrator
    finish(page, "journey-1-officer")


@pytest.mark.django_db(transaction=True)
def test_a_perpetrator_side_partner_accepts_a_referral_sees_the_case_not_the_address_and_records_an_action(
    page,
) -> None:
    from referrals.services import referral_send
    from tests.factories import AreaFactory, ProbationAgencyFactory, VictimConfidentialFactory
    from tests.referrals.test_referrals import _refer

    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = VictimConfidentialFactory(address="12 Safe Harbour Close").victim
    CaseVictimFactory(case=case, victim=victim)
    probation = ProbationAgencyFactory()
    referral = referral_send(actor=officer, referral=_refer(officer, case, case.perpetrator.person, probation))
    worker = UserFactory(area=AreaFactory(agency=probation), agency=probation, role="partner_caseworker")

    sign_in(page, worker)
    page.goto("/referrals/")
    accessible(page)
    page.get_by_role("link", name=referral.reference).first.click()
    accessible(page)
    page.get_by_role("button", name="Accept referral").click()
    page.get_by_role("link", name=f"Open case {case.reference}").click()
    page.wait_for_url(f"**/cases/{case.public_id}/")
    accessible(page)
    assert "12 Safe Harbour Close" not in page.content()
    page.go_back()
    page.get_by_label("Action taken or update").fill("Offender manager allocated; first appointment booked.")
    page.get_by_role("button", name="Add update").click()
    page.get_by_text("first appointment booked").wait_for()
    accessible(page)
    assert referral.updates.filter(text__contains="first appointment booked").exists()
    finish(page, "journey-3-partner")


@pytest.mark.django_db(transaction=True)
def test_an_idva_updates_a_safety_plan_sees_the_previous_version_and_is_told_of_a_conflict(page) -> None:
    from dacrre.accounts.models import Role, Scope
    from tests.factories import AreaFactory, IdvaAgencyFactory, grant_case_to

    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer, risk_level=RiskLevel.HIGH)
    # A name as people have them (the search reads a word with digits as an identifier).
    victim = CaseVictimFactory(
        case=case, victim__person__given_name="Carys", victim__person__family_name="Ashworth"
    ).victim
    idva_agency = IdvaAgencyFactory()
    grant_case_to(case, idva_agency, shares_victim_contact=True)
    idva = UserFactory(area=AreaFactory(agency=idva_agency), role=Role.IDVA, scope=Scope.AGENCY)
    colleague = UserFactory(area=idva.area, agency=idva_agency, role=Role.IDVA, scope=Scope.AGENCY)
    plan_url = f"/cases/{case.public_id}/safety-plans/{victim.public_id}/"

    sign_in(page, idva)
    page.goto(plan_url)
    accessible(page)
    page.locator("table select").first.select_option(index=1)
    page.get_by_role("button", name="Save safety plan").click()
    page.get_by_text("Safety plan saved.").wait_for()
    page.get_by_role("link", name="Every saved version").click()
    accessible(page)
    assert page.get_by_text("Version 1").first.is_visible()

    # Both open the plan; the colleague saves first, then the IDVA's save is refused with a message.
    page.goto(plan_url)
    other = page.context.browser.new_context(base_url=page.base).new_page()
    other.errors = []
    sign_in(other, colleague)
    other.goto(plan_url)
    other.locator("table select").nth(1).select_option(index=1)
    other.get_by_role("button", name="Save safety plan").click()
    other.get_by_text("Safety plan saved.").wait_for()
    page.locator("table input[type=text]").first.fill("IDVA to call weekly")
    page.get_by_role("button", name="Save safety plan").click()
    page.get_by_text("while you were editing").wait_for()
    assert page.locator("table input[type=text]").first.input_value() == "IDVA to call weekly"
    accessible(page)

    # The IDVA logs a contact from the case page, then finds the victim with the header search.
    page.goto(f"/cases/{case.public_id}/")
    page.get_by_role("link", name="Log a contact").click()
    accessible(page)
    page.get_by_label("Victim side").check()
    page.get_by_label("How was the contact made?").select_option("phone")
    page.get_by_label("With whom").fill("The victim")
    page.get_by_label("Outcome").fill("Safe; visit agreed")
    page.get_by_label("Note", exact=True).fill("Rang on the safe number after 10am.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Contact logged.").wait_for()
    accessible(page)
    page.get_by_label("Search by name, date of birth, police identifier or case reference").fill(
        victim.person.family_name
    )
    page.get_by_role("button", name="Search").first.click()
    page.get_by_role("link", name=victim.person.full_name).first.wait_for()
    accessible(page)
    finish(page, "journey-2-idva")


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_sees_overdue_work_reallocates_approves_a_closure_and_exports_the_report(page) -> None:
    import datetime

    from django.utils import timezone

    from cases.models import CaseStatus
    from dacrre.accounts.models import Role, Scope
    from oversight.services import closure_request
    from reminders.sweeps import reminders_sweep

    supervisor = UserFactory(role=Role.SUPERVISOR, scope=Scope.AREA, first_name="Sam", last_name="Sergeant")
    alice = UserFactory(area=supervisor.area, first_name="Alice", last_name="Able")
    bob = UserFactory(area=supervisor.area, first_name="Bob", last_name="Baker")
    overdue = CaseFactory(
        area=supervisor.area, spoc=alice, next_perpetrator_visit_due=timezone.localdate() - datetime.timedelta(days=5)
    )
    closing = CaseFactory(area=supervisor.area, spoc=bob)
    unstaffed = CaseFactory(area=supervisor.area, spoc=None)
    reminders_sweep()
    closure_request(actor=bob, case=closing, reason="No incidents for twelve months; plan in place")

    sign_in(page, supervisor)
    page.get_by_role("link", name="Team", exact=True).click()
    accessible(page)
    row = page.get_by_role("row", name="Alice Able")
    assert row.get_by_role("cell").nth(4).inner_text().strip() == "1"  # one overdue visit

    row.get_by_role("link", name="Alice Able").click()
    accessible(page)
    page.get_by_label(overdue.reference).check()
    page.get_by_label("SPOC", exact=True).check()
    page.get_by_label("New holder").select_option(label="Bob Baker")
    page.get_by_label("Reason").first.fill("Alice is on a course for two weeks")
    page.get_by_role("button", name="Reallocate the ticked cases").click()
    page.get_by_text("1 case reallocated.").wait_for()
    overdue.refresh_from_db()
    assert overdue.spoc == bob

    page.goto("/team/closures/")
    accessible(page)
    page.get_by_label("Approve: close the case").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text(f"Decision recorded for case {closing.reference}").wait_for()
    closing.refresh_from_db()
    assert closing.status == CaseStatus.CLOSED

    # The closed case is reopened, with a reason, from the closures page; its history stays.
    page.goto("/team/closures/")
    page.get_by_role("link", name=f"Reopen case {closing.reference}").click()
    accessible(page)
    page.get_by_label("Why is the case being reopened?").fill("A new incident last night: she has called again")
    page.get_by_role("button", name="Reopen the case").click()
    page.get_by_text(f"Case {closing.reference} reopened: it is active again.").wait_for()
    closing.refresh_from_db()
    assert closing.status == CaseStatus.ACTIVE and closing.closed_at is None
    assert closing.chronology.filter(summary__icontains="closed").exists()

    # A new case with nobody holding it: the supervisor staffs it.
    page.goto(f"/cases/{unstaffed.public_id}/")
    accessible(page)
    page.get_by_role("link", name="Staff the case").click()
    accessible(page)
    page.locator("#spoc-to_user").select_option(label=f"Alice Able ({alice.get_role_display()}, {alice.agency})")
    page.locator("#spoc-reason").fill("Alice covers this estate")
    page.get_by_role("button", name="Allocate the SPOC").click()
    page.get_by_text("SPOC allocated: Alice Able.", exact=True).wait_for()
    unstaffed.refresh_from_db()
    assert unstaffed.spoc == alice

    page.get_by_role("link", name="Reports").click()
    accessible(page)
    page.get_by_role("button", name="Show").click()  # the default period as shown is accepted
    page.get_by_role("heading", name="Perpetrators and cases").wait_for()
    assert "There is a problem" not in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.startswith("performance-report-")
    finish(page, "journey-4-supervisor")


def tab_to(page, check: str, limit: int = 300) -> None:
    """Press Tab until the focused element satisfies `check` (a JS expression on `el`). Waits for a
    page the previous key opened to finish loading first."""
    page.wait_for_load_state("load")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({check}); }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {check}")


@pytest.mark.django_db(transaction=True)
def test_journey_1_can_be_completed_with_the_keyboard_alone(page) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer, risk_level=RiskLevel.MEDIUM)
    CaseVictimFactory(case=case)

    page.goto("/accounts/login/")
    tab_to(page, "el.id === 'id_username'")
    page.keyboard.type(officer.username)
    tab_to(page, "el.id === 'id_password'")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/second-factor/**")
    tab_to(page, "el.id === 'id_token'")
    page.keyboard.type(current_totp(officer))
    page.keyboard.press("Enter")
    page.wait_for_url("**/")

    tab_to(page, f"el.textContent.trim() === '{case.reference}'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/cases/{case.public_id}/")
    tab_to(page, "el.textContent.trim() === 'Log a visit'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/visits/new/")
    tab_to(page, "el.name === 'outcome'")  # the first outcome, Seen
    page.keyboard.press("Space")
    tab_to(page, "el.textContent.trim() === 'Save visit'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/cases/{case.public_id}/")
    assert Visit.objects.filter(case=case, outcome="seen").exists()

    tab_to(page, "el.textContent.trim() === 'Complete a DASH risk assessment'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/risk/new/")
    tab_to(page, "el.name === 'victim'")
    page.keyboard.press("Space")
    for number, key in enumerate(QUESTION_KEYS):
        tab_to(page, f"el.name === 'q_{key}'")  # lands on Yes, the first answer
        page.keyboard.press("Space" if number < 15 else "ArrowRight")  # ArrowRight moves to and picks No
    tab_to(page, "el.textContent.trim() === 'Save assessment'")
    page.keyboard.press("Enter")
    page.get_by_text("Refer this case to MARAC").wait_for()
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.HIGH
    finish(page, "journey-1-keyboard")
