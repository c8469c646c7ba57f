"""Opening a case by hand: a perpetrator found or new (likely matches offered first), the operation,
the area and why; once however often the form is sent; only a force's officers and supervisors."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from cases.models import Case, ChronologyKind, OpeningReason
from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessLog
from people.models import Person
from tests.factories import (
    AreaFactory,
    CaseFactory,
    IdvaAgencyFactory,
    IncidentFactory,
    OperationFactory,
    PerpetratorFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("intake:open")
TOKEN = re.compile(r'name="form_token" value="([0-9a-f-]{36})"')


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def force():
    area = AreaFactory(name="North")
    officer = UserFactory(area=area, first_name="Olivia", last_name="Officer")
    operation = OperationFactory(lead_agency=area.agency, name="Op Harbour")
    return area, officer, operation


def _new_person(area, operation, **extra) -> dict:
    return {
        "given_name": "Darren",
        "family_name": "Blake",
        "date_of_birth": "14/02/1985",
        "gender": "male",
        "police_identifier": "",
        "operation": operation.pk,
        "area": area.pk,
        "reason": OpeningReason.MARAC,
        "reason_detail": "Discussed at the MARAC of 3 March.",
        **extra,
    }


def test_an_officer_opens_a_case_on_someone_new_and_lands_on_it(client, login, force) -> None:
    area, officer, operation = force
    login(officer)
    page = client.get(URL)
    data = {**_new_person(area, operation), "form_token": TOKEN.search(page.content.decode()).group(1)}
    response = client.post(URL, data, follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.public_id])
    assert f"Case {case.reference} opened." in _page(response)
    assert case.perpetrator.person.full_name == "Darren Blake"
    assert (case.owning_agency, case.area, case.operation) == (area.agency, area, operation)
    assert case.spoc == officer  # the officer who opened it holds it until a supervisor staffs it
    assert case.opening_reason == OpeningReason.MARAC and "3 March" in case.opening_note
    assert case.chronology.filter(kind=ChronologyKind.CASE_OPENED, summary__contains="MARAC").exists()


def test_the_same_form_sent_twice_opens_one_case(client, login, force) -> None:
    area, officer, operation = force
    login(officer)
    token = TOKEN.search(client.get(URL).content.decode()).group(1)
    data = {**_new_person(area, operation), "form_token": token}
    first = client.post(URL, data)
    second = client.post(URL, data, follow=True)
    assert first.status_code == 302
    assert "This was already saved" in _page(second)
    assert Case.objects.count() == 1 and Person.objects.count() == 1


def test_likely_matches_are_offered_before_someone_new_is_recorded(client, login, force) -> None:
    area, officer, operation = force
    known = PerpetratorFactory(
        person=PersonFactory(given_name="Daren", family_name="Blake", date_of_birth=datetime.date(1985, 2, 14))
    )
    IncidentFactory(recording_agency=area.agency, area=area, perpetrator=known)
    login(officer)
    asked = client.post(URL, _new_person(area, operation))
    assert asked.status_code == 200
    assert "Someone like this is already recorded" in _page(asked)
    assert "Use Daren Blake" in _page(asked) and "similar names" in _page(asked)
    assert not Case.objects.exists()

    used = client.post(URL, {**_new_person(area, operation), "match": str(known.person.public_id)})
    case = Case.objects.get()
    assert used.status_code == 302 and case.perpetrator == known
    assert Person.objects.count() == 1


def test_none_of_the_matches_records_a_new_person(client, login, force) -> None:
    area, officer, operation = force
    known = PerpetratorFactory(
        person=PersonFactory(given_name="Darren", family_name="Blake", date_of_birth=datetime.date(1985, 2, 14))
    )
    CaseFactory(area=area, perpetrator=known)
    login(officer)
    response = client.post(URL, {**_new_person(area, operation), "match": "new"})
    assert response.status_code == 302
    assert Person.objects.filter(family_name="Blake").count() == 2


def test_a_person_the_user_may_not_see_is_not_offered_or_found(client, login, force) -> None:
    area, officer, operation = force
    elsewhere = PerpetratorFactory(
        person=PersonFactory(given_name="Darren", family_name="Blake", date_of_birth=datetime.date(1985, 2, 14))
    )
    CaseFactory(perpetrator=elsewhere)  # another force's case
    login(officer)
    found = client.get(URL, {"find-name": "Blake"})
    assert "Darren Blake" not in _page(found) and "Nobody you can see fits" in _page(found)
    response = client.post(URL, _new_person(area, operation))
    assert response.status_code == 302  # no match offered: recorded at once


def test_the_search_finds_the_forces_people_and_is_logged(client, login, force) -> None:
    area, officer, operation = force
    known = PerpetratorFactory(person=PersonFactory(given_name="Darren", family_name="Blake"))
    IncidentFactory(recording_agency=area.agency, area=area, perpetrator=known)
    login(officer)
    found = client.get(URL, {"find-name": "darren blake"})
    assert "Use this person" in _page(found) and "Darren Blake" in _page(found)
    assert AccessLog.objects.filter(user=officer, action="list", detail__contains="'darren blake'").exists()
    chosen = client.get(URL, {"person": str(known.person.public_id)})
    assert "Choose someone else" in _page(chosen)
    response = client.post(
        URL,
        {
            "person": str(known.person.public_id),
            "operation": operation.pk,
            "area": area.pk,
            "reason": OpeningReason.INCIDENT,
        },
    )
    assert response.status_code == 302
    assert Case.objects.get().perpetrator == known


def test_a_second_open_case_in_the_operation_is_refused_naming_the_first(client, login, force) -> None:
    area, officer, operation = force
    existing = CaseFactory(area=area, operation=operation)
    login(officer)
    response = client.post(
        URL,
        {
            "person": str(existing.perpetrator.person.public_id),
            "operation": operation.pk,
            "area": area.pk,
            "reason": OpeningReason.TASKING_LIST,
        },
    )
    assert response.status_code == 200
    assert f"already has an open case in Op Harbour: {existing.reference}" in _page(response), re.findall(
        r"govuk-error-summary__list\">(.*?)</ul>", _page(response), re.S
    )
    assert Case.objects.count() == 1


def test_other_needs_a_reason_in_words(client, login, force) -> None:
    area, officer, operation = force
    login(officer)
    response = client.post(URL, _new_person(area, operation, reason=OpeningReason.OTHER, reason_detail=""))
    assert response.status_code == 200 and "Say why the case is being opened" in _page(response)
    assert not Case.objects.exists()


def test_only_a_forces_officers_and_supervisors_open_cases(client, login, force) -> None:
    area, officer, _operation = force
    supervisor = UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA)
    analyst = UserFactory(area=area, role=Role.ANALYST, scope=Scope.AGENCY)
    idva_agency = IdvaAgencyFactory()
    idva = UserFactory(area=AreaFactory(agency=idva_agency), agency=idva_agency, role=Role.IDVA, scope=Scope.AGENCY)
    for user, status in ((officer, 200), (supervisor, 200), (analyst, 403), (idva, 403)):
        login(user)
        assert client.get(URL).status_code == status, user.role
    login(officer)
    assert "Open a case" in _page(client.get(reverse("cases:caseload")))
    login(idva)
    assert reverse("intake:open") not in _page(client.get(reverse("cases:caseload")))


def test_an_operation_or_area_of_another_force_is_refused(client, login, force) -> None:
    area, officer, _operation = force
    other = OperationFactory()
    login(officer)
    response = client.post(URL, _new_person(area, other))
    assert response.status_code == 200 and "Choose an operation from the list" in _page(response)
    assert not Case.objects.exists()


def test_a_supervisor_of_an_area_opens_cases_in_that_area_only(client, login, force) -> None:
    area, _officer, operation = force
    south = AreaFactory(agency=area.agency, name="South")
    supervisor = UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA)
    login(supervisor)
    page = _page(client.get(URL))
    assert f'value="{area.pk}"' in page and f'value="{south.pk}"' not in page
    response = client.post(URL, _new_person(south, operation))
    assert response.status_code == 200 and not Case.objects.exists()
    client.post(URL, _new_person(area, operation))
    case = Case.objects.get()
    assert case.area == area and case.spoc is None  # a supervisor's new case waits to be staffed


def test_an_operation_working_in_some_areas_takes_cases_there_only(client, login, force) -> None:
    area, officer, operation = force
    south = AreaFactory(agency=area.agency, name="South")
    operation.areas.set([south])
    login(officer)
    response = client.post(URL, _new_person(area, operation))
    assert response.status_code == 200 and "Op Harbour does not work in North" in _page(response)
    assert client.post(URL, _new_person(south, operation)).status_code == 302


def test_a_police_identifier_another_force_recorded_names_that_same_person(client, login, force) -> None:
    """Police identifiers are national: the case names the person another force recorded, when the
    family name and date of birth typed are theirs, and shows nothing else of theirs."""
    area, officer, operation = force
    elsewhere = PerpetratorFactory(
        person=PersonFactory(
            given_name="Darren",
            family_name="Blake",
            date_of_birth=datetime.date(1985, 2, 14),
            police_identifier="01/123456A",
        )
    )
    other_force_case = CaseFactory(perpetrator=elsewhere, opening_note="Seen at his sister's")
    login(officer)

    wrong_birth = client.post(
        URL, _new_person(area, operation, police_identifier="01/123456A", date_of_birth="15/02/1985")
    )
    page = _page(wrong_birth)
    assert wrong_birth.status_code == 200 and "family name or date of birth is not the one you entered" in page
    assert 'value="Darren"' in page and 'value="01/123456A"' in page  # what was typed is kept
    assert not Case.objects.exclude(pk=other_force_case.pk).exists()

    response = client.post(URL, _new_person(area, operation, police_identifier="01/123456A"), follow=True)
    case = Case.objects.exclude(pk=other_force_case.pk).get()
    assert case.perpetrator == elsewhere and Person.objects.count() == 1
    assert case.owning_agency == area.agency and f"Case {case.reference} opened." in _page(response)
    assert "Seen at his sister" not in _page(response)
    assert client.get(reverse("cases:detail", args=[other_force_case.public_id])).status_code == 404


def test_the_forces_own_person_with_the_identifier_is_used_or_searched_for(client, login, force) -> None:
    area, officer, operation = force
    known = PerpetratorFactory(
        person=PersonFactory(family_name="Blake", date_of_birth=datetime.date(1985, 2, 14), police_identifier="7/77")
    )
    IncidentFactory(recording_agency=area.agency, area=area, perpetrator=known)
    login(officer)
    other = client.post(URL, _new_person(area, operation, police_identifier="7/77", family_name="Blaik", match="new"))
    assert other.status_code == 200 and "search for them by it and use them" in _page(other)
    used = client.post(URL, _new_person(area, operation, police_identifier="7/77", match="new"))
    assert used.status_code == 302 and Case.objects.get().perpetrator == known
