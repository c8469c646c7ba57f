"""In a real browser: a second click on a submit button while the form is being sent sends nothing
(GOV.UK Frontend's Button component, started by static/js/dacrre.mjs, with data-prevent-double-click)."""

import time

import pytest

from tests.browser.test_journeys import page, sign_in  # noqa: F401 - the fixture
from tests.browser.test_journeys import pytestmark as browser_marks
from tests.factories import CaseFactory, UserFactory
from visits import services as visit_services
from visits.models import Visit

pytestmark = browser_marks


@pytest.mark.django_db(transaction=True)
def test_a_second_click_on_save_while_it_saves_sends_nothing_even_without_the_token(page, monkeypatch) -> None:  # noqa: F811
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    real = visit_services.visit_log

    def slow_visit_log(**kwargs):  # a slow connection: the user clicks again before the page changes
        time.sleep(0.8)
        return real(**kwargs)

    monkeypatch.setattr(visit_services, "visit_log", slow_visit_log)
    sign_in(page, officer)
    page.wait_for_url("**/")
    page.goto(f"/cases/{case.public_id}/visits/new/")
    page.get_by_label("Seen", exact=True).check()
    # Without the one-time token only the button's own guard stands between two clicks and two visits.
    page.evaluate("document.querySelector('input[name=form_token]').remove()")
    button = page.get_by_role("button", name="Save visit")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)  # a person's two clicks, a quarter of a second apart
    page.wait_for_timeout(250)
    page.mouse.click(x, y)
    page.wait_for_url(f"**/cases/{case.public_id}/")
    page.wait_for_timeout(1500)  # any second request has reached the server by now
    assert Visit.objects.filter(case=case).count() == 1
