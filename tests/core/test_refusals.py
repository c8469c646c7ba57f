"""A refused request (403) says why and offers the way back, and is logged once, as one line
without a traceback (seen: twice, each with the whole traceback)."""

import logging

import pytest

from dacrre.accounts.models import Role
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_403_page_says_why_and_offers_the_way_back(login) -> None:
    officer = UserFactory(role=Role.OFFICER)
    client = login(officer)
    response = client.get("/reports/", HTTP_REFERER="http://testserver/cases/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Performance reports are for the force&#x27;s supervisors and analysts." in page
    assert '<a href="http://testserver/cases/" class="govuk-back-link">Back</a>' in page
    assert 'href="http://testserver/cases/">Go back to the page you were on</a>' in page
    assert 'href="/">Go to your start page</a>' in page
    assert "My caseload" in page  # the menu is there too


@pytest.mark.django_db
def test_another_sites_address_is_never_offered_as_the_way_back(login) -> None:
    client = login(UserFactory(role=Role.OFFICER))
    page = client.get("/reports/", HTTP_REFERER="https://elsewhere.example/phish").content.decode()
    assert "elsewhere.example" not in page and "Go back to the page you were on" not in page
    assert 'href="/">Go to your start page</a>' in page


@pytest.mark.django_db
def test_a_refusal_without_a_reason_gives_a_general_one(login) -> None:
    # Auditors may not open the case list: refused with a bare PermissionDenied or a reason, either way a sentence.
    client = login(UserFactory(role=Role.AUDITOR, area=None))
    response = client.get("/reports/")
    assert response.status_code == 403
    assert '<h1 class="govuk-heading-l">You cannot do this</h1>' in response.content.decode()


@pytest.mark.django_db
def test_each_refusal_is_logged_once_without_a_traceback(login, caplog) -> None:
    officer = UserFactory(role=Role.OFFICER, username="olivia.officer")
    client = login(officer)
    with caplog.at_level(logging.INFO):
        client.get("/reports/")
    refused = [r for r in caplog.records if r.name == "django.request"]
    assert len(refused) == 1
    record = refused[0]
    assert record.levelno == logging.WARNING and record.exc_info is None and not record.exc_text
    assert record.getMessage() == (
        "Forbidden (Permission denied): /reports/ (user olivia.officer: "
        "Performance reports are for the force's supervisors and analysts.)"
    )
    # One handler writes it: the root's (Django's own console handler on "django" is removed).
    assert logging.getLogger("django").handlers == []
