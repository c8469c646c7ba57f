"""Adding victims and children to a case: found or new, with their relationship; by the owning force
and victim-side IDVAs; never by perpetrator-side agencies; never to a closed case."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus, ChildRelationship, ChronologyKind, VictimRelationship
from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessLog
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    PersonFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimFactory,
    grant_case_to,
)

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def world():
    area = AreaFactory()
    officer = UserFactory(area=area)
    case = CaseFactory(area=area, spoc=officer)
    return case, officer


def _victim(**extra) -> dict:
    return {
        "given_name": "Kerry",
        "family_name": "Walsh",
        "date_of_birth": "02/05/1990",
        "gender": "female",
        "relationship": VictimRelationship.CURRENT_PARTNER,
        "lives_with_perpetrator": "yes",
        **extra,
    }


def test_an_officer_adds_a_new_victim_with_the_relationship(client, login, world) -> None:
    case, officer = world
    login(officer)
    response = client.post(reverse("intake:add_victim", args=[case.public_id]), _victim(), follow=True)
    assert f"Victim added to case {case.reference}." in _page(response)
    link = case.case_victims.get()
    assert link.victim.person.full_name == "Kerry Walsh"
    assert link.relationship == VictimRelationship.CURRENT_PARTNER and link.lives_with_perpetrator is True
    assert "Current partner, lives with the perpetrator" in _page(response)
    assert case.chronology.filter(kind=ChronologyKind.PERSON_ADDED, summary__contains="Kerry Walsh").exists()
    assert AccessLog.objects.filter(user=officer, object_id=case.public_id, detail__contains="access").exists()


def test_a_known_victim_is_offered_before_a_second_record_is_made(client, login, world) -> None:
    case, officer = world
    other_case = CaseFactory(area=case.area, spoc=officer)
    known = CaseVictimFactory(
        case=other_case,
        victim=VictimFactory(
            person=PersonFactory(given_name="Kerry", family_name="Walsh", date_of_birth=datetime.date(1990, 5, 2))
        ),
    ).victim
    login(officer)
    url = reverse("intake:add_victim", args=[case.public_id])
    asked = client.post(url, _victim())
    assert asked.status_code == 200 and "Use Kerry Walsh" in _page(asked)
    assert not case.case_victims.exists()
    used = client.post(url, _victim(match=str(known.person.public_id)))
    assert used.status_code == 302, re.findall(r"govuk-error-summary__list\">(.*?)</ul>", _page(used), re.S)
    assert case.case_victims.get().victim == known


def test_a_child_is_added_with_whose_child_it_is(client, login, world) -> None:
    case, officer = world
    login(officer)
    response = client.post(
        reverse("intake:add_child", args=[case.public_id]),
        {
            "given_name": "Mia",
            "family_name": "Walsh",
            "date_of_birth": "01/09/2018",
            "gender": "female",
            "relationship": ChildRelationship.CHILD_OF_BOTH,
        },
        follow=True,
    )
    assert f"Child added to case {case.reference}." in _page(response)
    assert case.case_children.get().relationship == ChildRelationship.CHILD_OF_BOTH
    assert "Child of both" in _page(response)


def test_the_same_victim_twice_is_refused(client, login, world) -> None:
    case, officer = world
    victim = CaseVictimFactory(case=case).victim
    login(officer)
    response = client.post(
        reverse("intake:add_victim", args=[case.public_id]),
        {"person": str(victim.person.public_id), "relationship": "ex_partner", "lives_with_perpetrator": "no"},
    )
    assert response.status_code == 200 and "is already a victim on this case" in _page(response)


def test_who_may_add_people(client, login, world) -> None:
    case, officer = world
    idva_agency, probation = IdvaAgencyFactory(), ProbationAgencyFactory()
    grant_case_to(case, idva_agency, shares_victim_contact=True)
    grant_case_to(case, probation)
    idva = UserFactory(area=AreaFactory(agency=idva_agency), agency=idva_agency, role=Role.IDVA, scope=Scope.AGENCY)
    probation_worker = UserFactory(
        area=AreaFactory(agency=probation), agency=probation, role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY
    )
    stranger = UserFactory()  # another force's officer: does not see the case
    url = reverse("intake:add_victim", args=[case.public_id])
    for user, status in ((officer, 200), (idva, 200), (probation_worker, 403), (stranger, 404)):
        login(user)
        assert client.get(url).status_code == status, user
        detail = _page(client.get(reverse("cases:detail", args=[case.public_id])))
        assert (url in detail) == (status == 200), user
    login(probation_worker)
    assert client.post(url, _victim()).status_code == 403
    assert not case.case_victims.exists()


def test_a_closed_case_takes_no_new_people(client, login, world) -> None:
    case, officer = world
    case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
    case.save()
    login(officer)
    response = client.post(reverse("intake:add_victim", args=[case.public_id]), _victim(), follow=True)
    assert "it is read only" in _page(response)
    assert not case.case_victims.exists()


def test_an_idva_is_not_given_a_person_they_cannot_see_by_their_police_identifier(client, login, world) -> None:
    case, _officer = world
    idva_agency = IdvaAgencyFactory()
    grant_case_to(case, idva_agency, shares_victim_contact=True)
    idva = UserFactory(area=AreaFactory(agency=idva_agency), agency=idva_agency, role=Role.IDVA, scope=Scope.AGENCY)
    hidden = VictimFactory(
        person=PersonFactory(
            given_name="Kerry",
            family_name="Walsh",
            date_of_birth=datetime.date(1990, 5, 2),
            police_identifier="02/999A",
        )
    )
    CaseVictimFactory(case=CaseFactory(), victim=hidden)  # another force's case
    login(idva)
    url = reverse("intake:add_victim", args=[case.public_id])
    refused = client.post(url, _victim(police_identifier="02/999A"))
    assert refused.status_code == 200 and "in records you cannot see: leave it blank" in _page(refused)
    assert not case.case_victims.exists()
    added = client.post(url, _victim(police_identifier=""), follow=True)
    assert f"Victim added to case {case.reference}." in _page(added)
    assert case.case_victims.get().victim != hidden


def test_an_officer_is_never_given_a_hidden_victims_record_by_their_police_identifier(client, login, world) -> None:
    """A victim another force recorded carries where they live: typing their identifier, name and
    date of birth does not put that record (and its address) on this force's case."""
    case, officer = world
    hidden = VictimFactory(
        person=PersonFactory(
            given_name="Kerry",
            family_name="Walsh",
            date_of_birth=datetime.date(1990, 5, 2),
            police_identifier="02/999A",
        )
    )
    hidden.confidential.address = "Flat 3, Refuge Road"
    hidden.confidential.save()
    CaseVictimFactory(case=CaseFactory(), victim=hidden)  # another force's case
    login(officer)
    refused = client.post(
        reverse("intake:add_victim", args=[case.public_id]), _victim(police_identifier="02/999A"), follow=True
    )
    page = _page(refused)
    assert "in records you cannot see: leave it blank" in page and "Refuge Road" not in page
    assert not case.case_victims.exists()
    detail = _page(client.get(reverse("cases:detail", args=[case.public_id])))
    assert "Refuge Road" not in detail and "Kerry Walsh" not in detail
