"""A glossary page for the words users meet, linked from every page's footer, and each term's short
meaning shown where it first appears, from the same source as the glossary."""

import html

import pytest

from dacrre.accounts.models import Role, Scope
from dacrre.core.glossary import BY_SLUG, TERMS
from tests.factories import CaseFactory, CaseVictimFactory, UserFactory

ASKED_FOR = ["spoc", "marac", "rfg-v", "cadence", "repeat", "serial", "dash", "idva"]


@pytest.mark.django_db
def test_the_glossary_explains_every_term_and_is_linked_from_the_footer(login) -> None:
    officer = UserFactory()
    client = login(officer)
    home = client.get("/caseload/").content.decode()
    assert 'class="govuk-footer__link" href="/glossary/"' in home
    page = html.unescape(client.get("/glossary/", HTTP_REFERER="http://testserver/caseload/").content.decode())
    for term in TERMS:
        assert f'id="{term.slug}"' in page and term.term in page and term.short in page
    assert set(ASKED_FOR) <= set(BY_SLUG)
    assert '<a href="http://testserver/caseload/" class="govuk-back-link">Back</a>' in page


@pytest.mark.django_db
def test_the_glossary_is_for_signed_in_users(client) -> None:
    response = client.get("/glossary/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_terms_are_explained_where_they_first_appear(login) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    CaseVictimFactory(case=case)
    client = login(officer)
    case_page = html.unescape(client.get(f"/cases/{case.public_id}/").content.decode())
    for slug in ("spoc", "idva", "offender-manager"):
        assert BY_SLUG[slug].short in case_page, slug
    dash = html.unescape(client.get(f"/cases/{case.public_id}/risk/new/").content.decode())
    assert BY_SLUG["dash"].short in dash
    meetings = html.unescape(client.get("/meetings/").content.decode())
    assert BY_SLUG["marac"].short in meetings

    supervisor = UserFactory(area=officer.area, role=Role.SUPERVISOR, scope=Scope.AREA)
    client = login(supervisor)
    ranking = html.unescape(client.get("/scoring/").content.decode())
    for slug in ("rfg-v", "repeat", "serial"):
        assert BY_SLUG[slug].short in ranking, slug
