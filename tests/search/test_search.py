import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessLog
from search.query import family_keys, given_keys, parse
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    PerpetratorFactory,
    PersonFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimFactory,
    grant_case_to,
)

URL = reverse("search:results")


@pytest.fixture
def world(db):
    north = AreaFactory(name="North")
    officer = UserFactory(area=north, role=Role.OFFICER, scope=Scope.AREA)
    robert = PerpetratorFactory(
        person=PersonFactory(given_name="Robert", family_name="O'Brien-Smyth", date_of_birth=datetime.date(1980, 3, 4))
    )
    case = CaseFactory(area=north, perpetrator=robert)
    victim = CaseVictimFactory(
        case=case,
        victim=VictimFactory(person=PersonFactory(given_name="Jessica", family_name="Walker", police_identifier="VW1")),
    ).victim
    # Someone the officer may not see: the other force's perpetrator with the same name.
    hidden = CaseFactory(
        perpetrator=PerpetratorFactory(person=PersonFactory(given_name="Robert", family_name="OBrienSmyth"))
    )
    return {"officer": officer, "case": case, "robert": robert, "victim": victim, "hidden": hidden, "area": north}


def _search(client, text):
    response = client.get(URL, {"q": text})
    assert response.status_code == 200
    return response.content.decode()


def test_the_words_are_read_as_dates_references_identifiers_and_names() -> None:
    query = parse("Bob  smith 04/03/1980 da-26-00042 AB123")
    assert query.names == ["bob", "smith"]
    assert query.dates == [datetime.date(1980, 3, 4)]
    assert query.references == ["DA-26-00042"]
    assert query.identifiers == ["AB123"]
    assert "robert" in given_keys("bob") and "jon" in given_keys("jonathan")
    assert "smyth" in family_keys("smith") and family_keys("lee") == {"lee"}


@pytest.mark.parametrize(
    "text",
    [
        "Robert O'Brien-Smyth",
        "bob obriensmyth",  # nickname, spaces and punctuation
        "Robert OBrienSmith",  # one letter wrong
        "OBrien-Smyth Robert",  # family name first
        "04/03/1980",  # date of birth
        "03/04/1980",  # day and month swapped, as the import's matching allows
    ],
)
def test_a_person_is_found_tolerantly(world, login, text) -> None:
    html = _search(login(world["officer"]), text)
    assert world["case"].reference in html
    assert reverse("perpetrators:detail", args=[world["robert"].public_id]) in html
    assert world["hidden"].reference not in html


def test_a_case_reference_a_police_identifier_and_a_victim(world, login) -> None:
    client = login(world["officer"])
    assert reverse("cases:detail", args=[world["case"].public_id]) in _search(client, world["case"].reference.lower())
    html = _search(client, "vw1")
    assert reverse("victims:detail", args=[world["victim"].public_id]) in html
    assert "Jessica Walker" in _search(client, "jess walker")


def test_a_person_the_user_may_not_see_is_never_hinted_at(world, login) -> None:
    client = login(world["officer"])
    hidden = _search(client, world["hidden"].reference)
    nothing = _search(client, "DA-99-99999")
    assert str(world["hidden"].public_id) not in hidden
    # The same page, word for word, as for a reference that does not exist (but for the echoed query).
    assert _unmasked(hidden).replace(world["hidden"].reference, "X") == _unmasked(nothing).replace("DA-99-99999", "X")
    robert = _search(client, "Robert OBrienSmyth")
    assert str(world["hidden"].public_id) not in robert and "1 result " in robert


def _unmasked(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_probation_user_finds_the_perpetrator_but_never_a_victim_of_an_ungranted_case(world, login) -> None:
    probation = ProbationAgencyFactory()
    worker = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    client = login(worker)
    assert "No results" in _search(client, "Jessica Walker")
    grant_case_to(world["case"], probation)
    assert world["case"].reference in _search(client, "Robert OBrienSmyth")
    # Once granted, the victim's name is found (as on the case page), never where to find her.
    html = _search(client, "Jessica Walker")
    assert "Jessica Walker" in html
    assert "Secret Lane" not in html and "HT1 1AA" not in html and "07700" not in html


def test_each_search_is_on_the_access_log(world, login) -> None:
    _search(login(world["officer"]), "Robert OBrienSmyth")
    row = AccessLog.objects.filter(user=world["officer"], object_type="search").get()
    assert row.detail == "searched 'Robert OBrienSmyth': 1 results"
    assert AccessLog.objects.filter(user=world["officer"], person_label="Robert O'Brien-Smyth").exists()


def test_results_page_queries_constant_in_the_number_of_results(world, login) -> None:
    client = login(world["officer"])
    with CaptureQueriesContext(connection) as few:
        _search(client, "Walker")
    for n in range(6):
        case = CaseFactory(area=world["area"])
        CaseVictimFactory(
            case=case, victim=VictimFactory(person=PersonFactory(given_name=f"Ann{n}", family_name="Walker"))
        )
    with CaptureQueriesContext(connection) as many:
        html = _search(client, "Walker")
    assert html.count("Walker") > 6
    assert len(many) == len(few)
    # Finding nobody, or only someone the user may not see, costs the same queries.
    CaseFactory(perpetrator=PerpetratorFactory(person=PersonFactory(given_name="Quentin", family_name="Hidalgo")))
    with CaptureQueriesContext(connection) as nobody:
        assert "No results" in _search(client, "Zebedee Zzyzx")
    with CaptureQueriesContext(connection) as hidden:
        assert "No results" in _search(client, "Quentin Hidalgo")
    assert len(nobody) == len(hidden)


def test_search_is_offered_to_the_roles_that_see_cases(world, login) -> None:
    html = login(world["officer"]).get(reverse("cases:caseload")).content.decode()
    assert 'action="/search/"' in html
    auditor = UserFactory(area=None, agency=world["area"].agency, role=Role.AUDITOR)
    client = login(auditor)
    assert client.get(URL).status_code == 403
    assert 'action="/search/"' not in client.get(reverse("audit:access_log")).content.decode()
