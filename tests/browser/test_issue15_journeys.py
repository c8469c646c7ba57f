"""Browser journeys for issue 15: the safety-plan conflict resolved in the page (item 12), and small
screens and the header's focus style (item 20). Uses the fixtures and helpers of test_journeys.py."""

import pytest

from cases.models import RiskLevel
from dacrre.accounts.models import Role, Scope
from safety_plans.models import SafetyPlan
from tests.browser.test_journeys import accessible, finish, page, sign_in  # noqa: F401 - `page` is a fixture
from tests.factories import AreaFactory, CaseFactory, CaseVictimFactory, IdvaAgencyFactory, UserFactory, grant_case_to

PHONE = {"width": 390, "height": 844}

NO_BODY_OVERFLOW = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
# An inline link that wraps has one client rectangle per line.
WRAPPED_REFERENCES = """() => [...document.querySelectorAll('table a')]
    .filter(a => /^[A-Z]+-\\d{2}-\\d+$/.test(a.textContent.trim()) && a.getClientRects().length > 1)
    .map(a => a.textContent.trim())"""


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_caseload_fits_the_screen_and_references_stay_whole(page) -> None:  # noqa: F811
    officer = UserFactory()
    cases = [CaseFactory(area=officer.area, spoc=officer, risk_level=RiskLevel.HIGH) for _ in range(3)]
    victim = CaseVictimFactory(case=cases[0]).victim
    page.set_viewport_size(PHONE)

    sign_in(page, officer)
    page.get_by_role("heading", name="My caseload").wait_for()
    for url in ["/", "/cases/", f"/cases/{cases[0].public_id}/safety-plans/{victim.public_id}/"]:
        page.goto(url)
        assert page.evaluate(NO_BODY_OVERFLOW), (url, page.evaluate("document.documentElement.scrollWidth"))
        assert page.evaluate(WRAPPED_REFERENCES) == [], url
        # The wide table scrolls in its own labelled region, which the keyboard can reach.
        region = page.locator(".dacrre-table-container").first
        assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
        assert region.get_attribute("aria-label")
        assert region.evaluate("el => el.scrollWidth > el.clientWidth"), url
        accessible(page)
    page.goto("/")
    assert all(page.get_by_role("link", name=case.reference).first.is_visible() for case in cases)
    finish(page, "issue15-small-screen-caseload")


@pytest.mark.django_db(transaction=True)
def test_the_focused_header_link_stays_readable(page) -> None:  # noqa: F811
    officer = UserFactory()
    CaseFactory(area=officer.area, spoc=officer)
    sign_in(page, officer)
    page.get_by_role("heading", name="My caseload").wait_for()
    link = page.get_by_role("link", name="dacrre", exact=True)
    link.focus()
    colours = link.evaluate("el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]")
    assert colours == ["rgb(11, 12, 12)", "rgb(255, 221, 0)"]  # GOV.UK focus: black on yellow
    accessible(page)  # axe's colour-contrast check runs with the focus on the link
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="My caseload").wait_for()


@pytest.mark.django_db(transaction=True)
def test_a_second_idva_resolves_a_safety_plan_conflict_in_the_page_keeping_their_text(page) -> None:  # noqa: F811
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer, risk_level=RiskLevel.HIGH)
    victim = CaseVictimFactory(case=case).victim
    idva_agency = IdvaAgencyFactory()
    grant_case_to(case, idva_agency, shares_victim_contact=True)
    idva = UserFactory(area=AreaFactory(agency=idva_agency), role=Role.IDVA, scope=Scope.AGENCY)
    colleague = UserFactory(
        area=idva.area, agency=idva_agency, role=Role.IDVA, scope=Scope.AGENCY, first_name="Cara", last_name="Colleague"
    )
    plan_url = f"/cases/{case.public_id}/safety-plans/{victim.public_id}/"

    sign_in(page, idva)
    page.goto(plan_url)
    other = page.context.browser.new_context(base_url=page.base).new_page()
    other.errors = []
    sign_in(other, colleague)
    other.goto(plan_url)
    other.get_by_label("Door and window locks: status").select_option(label="In place")
    other.get_by_role("button", name="Save safety plan").click()
    other.get_by_text("Safety plan saved.").wait_for()

    page.get_by_label("Escape plan and go-bag: status").select_option(label="Proposed")
    page.get_by_label("Escape plan and go-bag: who").fill("Sam at the IDVA service")
    page.get_by_label("Safe-contact arrangements").fill("Text only after 6pm")
    page.get_by_role("button", name="Save safety plan").click()
    page.get_by_role("heading", name="Another version was saved after you opened this plan").wait_for()
    accessible(page)
    assert page.get_by_label("Escape plan and go-bag: who").input_value() == "Sam at the IDVA service"
    assert page.get_by_label("Safe-contact arrangements").input_value() == "Text only after 6pm"
    assert page.get_by_text("version 1 by Cara Colleague").is_visible()
    assert page.locator("#conflict li", has_text="Door and window locks").is_visible()

    page.get_by_role("button", name="Save my version over version 1").click()
    page.get_by_text("Safety plan saved.").wait_for()
    accessible(page)
    plan = SafetyPlan.objects.get()
    assert plan.version == 2
    assert plan.measures.get(key="escape_plan").owner == "Sam at the IDVA service"
    assert "It replaced version 1, saved by Cara Colleague" in case.chronology.order_by("-pk").first().summary
    finish(page, "issue15-safety-plan-conflict")
