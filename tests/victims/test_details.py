import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus
from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessLog
from tests.factories import (
    AreaFactory,
    CaseChildFactory,
    CaseFactory,
    CaseVictimFactory,
    ChildConfidentialFactory,
    IdvaAgencyFactory,
    ProbationAgencyFactory,
    UserFactory,
    grant_case_to,
)
from victims.models import VictimConfidential


@pytest.fixture
def world(db):
    north = AreaFactory(name="North")
    officer = UserFactory(area=north)
    case = CaseFactory(area=north, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    child = CaseChildFactory(case=case).child
    ChildConfidentialFactory(child=child)
    idva_agency, probation = IdvaAgencyFactory(), ProbationAgencyFactory()
    grant_case_to(case, idva_agency, shares_victim_contact=True)
    grant_case_to(case, probation)
    idva = UserFactory(area=AreaFactory(agency=idva_agency), role=Role.IDVA, scope=Scope.AGENCY)
    probation_worker = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    analyst = UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)
    return {
        "officer": officer,
        "case": case,
        "victim": victim,
        "child": child,
        "idva": idva,
        "probation": probation_worker,
        "analyst": analyst,
    }


def _form(client, url):
    html = client.get(url).content.decode()
    version = html.split('name="version" value="', 1)[1].split('"', 1)[0] if 'name="version" value="' in html else ""
    return html, version


def _values(**extra):
    return {
        "address": "2 New Road",
        "postcode": "NR1 2AB",
        "phone": "07700 900999",
        "email": "",
        "safe_contact_arrangements": "Text first",
        "in_refuge": "yes",
        "refuge_details": "",
        "workplace": "",
    } | extra


def test_the_idva_changes_contact_details_versioned_and_logged(world, login) -> None:
    client = login(world["idva"])
    url = reverse("victims:details", args=[world["victim"].public_id])
    html, version = _form(client, url)
    assert "1 Secret Lane" in html
    response = client.post(url, _values(version=version))
    assert response.status_code == 302
    details = VictimConfidential.objects.get(victim=world["victim"])
    assert details.address == "2 New Road" and details.in_refuge is True
    assert details.history.count() >= 2 and details.history.first().history_user == world["idva"]
    logged = AccessLog.objects.filter(user=world["idva"], object_id=str(world["victim"].public_id))
    assert logged.filter(action="view_confidential", object_label__startswith="Contact details form").exists() or (
        logged.filter(action="view_confidential").count() >= 2
    )
    assert logged.filter(object_label__startswith="Contact details changed", detail__contains="address").exists()


def test_a_change_made_meanwhile_is_shown_and_the_input_kept(world, login) -> None:
    officer = login(world["officer"])
    url = reverse("victims:details", args=[world["victim"].public_id])
    _html, version = _form(officer, url)
    # The IDVA saves first.
    from victims.services import victim_details_update

    victim_details_update(
        actor=world["idva"],
        victim=world["victim"],
        version=version,
        values=_values(address="3 Refuge Way", in_refuge=True),
    )
    response = officer.post(url, _values(version=version, address="4 My Road"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed these details" in html and "3 Refuge Way" in html and "4 My Road" in html
    assert VictimConfidential.objects.get(victim=world["victim"]).address == "3 Refuge Way"
    new_version = html.split('name="version" value="', 1)[1].split('"', 1)[0]
    assert officer.post(url, _values(version=new_version, address="4 My Road")).status_code == 302
    assert VictimConfidential.objects.get(victim=world["victim"]).address == "4 My Road"


def test_who_may_change_details(world, login) -> None:
    url = reverse("victims:details", args=[world["victim"].public_id])
    assert login(world["idva"]).get(url).status_code == 200
    assert login(world["officer"]).get(url).status_code == 200
    assert login(world["probation"]).get(url).status_code == 403
    assert login(world["analyst"]).get(url).status_code == 403
    stranger = UserFactory(role=Role.IDVA, agency=IdvaAgencyFactory(), area=None, scope=Scope.AGENCY)
    assert login(stranger).get(url).status_code == 404
    world["case"].status, world["case"].closed_at = CaseStatus.CLOSED, timezone.now()
    world["case"].save()
    assert login(world["idva"]).get(url).status_code == 403


def test_the_school_is_changed_from_the_case_page(world, login) -> None:
    client = login(world["idva"])
    case_url = reverse("cases:detail", args=[world["case"].public_id])
    url = reverse("victims:child_details", args=[world["child"].public_id])
    assert f"{url}?case={world['case'].public_id}" in client.get(case_url).content.decode()
    _html, version = _form(client, url)
    response = client.post(f"{url}?case={world['case'].public_id}", {"version": version, "school": "Safe Academy"})
    assert response.status_code == 302 and response["Location"] == case_url
    assert world["child"].confidential.__class__.objects.get(child=world["child"]).school == "Safe Academy"
    assert AccessLog.objects.filter(object_type="child", detail="changed: school").exists()
    probation = login(world["probation"])
    assert url not in probation.get(case_url).content.decode()
    assert probation.get(url).status_code == 403
