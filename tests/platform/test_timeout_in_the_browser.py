"""The timeout warning and the kept form in a real browser (chromium, static/js/dacrre.mjs under the
strict Content-Security-Policy): the dialog opens shortly before the session would end and "Stay
signed in" renews it; a visit typed in a session that then ended is filled back in after signing in
again, not saved until the officer submits it."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from dacrre.accounts.models import KeptSubmission
from tests.browser import test_journeys as journeys
from tests.factories import CaseFactory, CaseVictimFactory, UserFactory
from visits.models import Visit

pytestmark = journeys.pytestmark
page = journeys.page  # the Playwright fixture


@pytest.mark.django_db(transaction=True)
def test_the_warning_opens_before_the_timeout_and_stay_signed_in_renews_the_session(page, settings) -> None:
    settings.SESSION_COOKIE_AGE = 124  # the warning (2 minutes before) opens 4 seconds after a page loads
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    journeys.sign_in(page, officer)
    page.goto(f"/cases/{case.public_id}/visits/new/")
    dialog = page.locator("#dacrre-timeout-dialog")
    dialog.wait_for(state="visible", timeout=15_000)
    assert "You will be signed out soon" in dialog.inner_text()
    assert "minute" in page.locator("[data-timeout-countdown]").inner_text()
    journeys.accessible(page)
    before = Session.objects.get().expire_date
    with page.expect_response("**/accounts/keep-alive/") as keep_alive:
        page.get_by_role("button", name="Stay signed in").click()
    assert keep_alive.value.status == 200
    dialog.wait_for(state="hidden")
    assert Session.objects.get().expire_date > before
    journeys.finish(page, "timeout-warning")


@pytest.mark.django_db(transaction=True)
def test_a_visit_typed_before_the_session_ended_is_filled_back_in_after_signing_in(page) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    CaseVictimFactory(case=case)
    journeys.sign_in(page, officer)
    page.goto(f"/cases/{case.public_id}/visits/new/")
    page.get_by_label("Seen", exact=True).check()
    page.fill("textarea[name=notes]", "Typed on the doorstep while the session ran out")
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))  # the idle timeout

    page.get_by_role("button", name="Save visit").click()
    page.wait_for_url("**/accounts/login/**")
    assert "What you typed has been kept" in page.content()
    assert not Visit.objects.exists() and KeptSubmission.objects.filter(user=officer).exists()

    page.fill("#id_username", officer.username)
    page.fill("#id_password", journeys.TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.fill("#id_token", journeys.current_totp(officer))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**/cases/{case.public_id}/visits/new/")
    assert "check it and submit it" in page.content()
    assert page.input_value("textarea[name=notes]") == "Typed on the doorstep while the session ran out"
    assert page.get_by_label("Seen", exact=True).is_checked()
    assert not Visit.objects.exists()  # not submitted for them
    journeys.accessible(page)

    page.get_by_role("button", name="Save visit").click()
    page.wait_for_url(f"**/cases/{case.public_id}/**")
    assert Visit.objects.get().notes == "Typed on the doorstep while the session ran out"
    journeys.finish(page, "kept-visit")
