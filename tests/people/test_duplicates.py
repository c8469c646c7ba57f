"""Likely duplicates from imports go to a review queue; merges are logged and reversible."""

import datetime
from pathlib import Path
from typing import cast

import pytest

from cases.models import CaseVictim
from dacrre.accounts.models import Agency, Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
from dacrre.core.exceptions import InvalidTransitionError
from incidents.models import Incident
from incidents.services import incident_import
from people.merging import (
    NOT_MOVED,
    duplicate_keep_apart,
    duplicate_merge,
    person_merge_reverse,
    references_to,
)
from people.models import CandidateStatus, DuplicateCandidate, Person, PersonMerge
from perpetrators.models import Perpetrator
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IncidentFactory,
    PerpetratorFactory,
    PersonFactory,
    UserFactory,
    VictimConfidentialFactory,
    VictimFactory,
)
from victims.models import Victim, VictimConfidential

HEADER = (Path(__file__).resolve().parents[2] / "docs" / "samples" / "incidents-sample.csv").read_text().splitlines()[0]


@pytest.fixture
def analyst(db):
    north = AreaFactory(name="North")
    return UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)


def _row(reference: str, given: str, family: str, born: str, police_id: str = "") -> str:
    return f"{reference},2026-10-01 10:00,North,abh,yes,no,no,{police_id},{given},{family},{born},,,,,"


def test_a_close_match_is_queued_for_review_never_merged(analyst) -> None:
    known = PersonFactory(given_name="Jonathan", family_name="Smith", date_of_birth=datetime.date(1980, 5, 6))
    content = "\n".join([HEADER, _row("R1", "Jon", "Smith", "1980-05-06"), _row("R2", "Jon", "Smith", "1980-05-06")])
    dry = incident_import(actor=analyst, agency=analyst.agency, content=content, dry_run=True)
    assert dry["likely_duplicates"] == 1 and not DuplicateCandidate.objects.exists()
    report = incident_import(actor=analyst, agency=analyst.agency, content=content, dry_run=False)
    # One new record for "Jon Smith" (named on both rows), the known record untouched, one pair queued.
    assert report["people_created"] == 1 and report["likely_duplicates"] == 1
    jon = Person.objects.get(given_name="Jon")
    assert Incident.objects.filter(perpetrator__person=jon).count() == 2
    assert not Incident.objects.filter(perpetrator__person=known).exists()
    pair = DuplicateCandidate.objects.get()
    assert {pair.first, pair.second} == {known, jon} and pair.status == CandidateStatus.OPEN
    assert "similar names" in pair.reason
    # Re-importing the same file neither creates people nor queues the pair again.
    again = incident_import(actor=analyst, agency=analyst.agency, content=content, dry_run=False)
    assert again["people_created"] == 0 and again["unchanged"] == 2
    assert Person.objects.count() == 2 and DuplicateCandidate.objects.count() == 1


def test_exact_names_and_birth_date_link_and_fill_a_missing_police_id(analyst) -> None:
    known = PersonFactory(given_name="Mary", family_name="O'Neil", police_identifier=None, date_of_birth="1975-02-03")
    content = "\n".join([HEADER, _row("R1", "MARY", "ONeil", "03/02/1975", police_id="PN77")])
    report = incident_import(actor=analyst, agency=analyst.agency, content=content, dry_run=False)
    assert report["people_created"] == 0 and report["people_matched"] == 1
    known.refresh_from_db()
    assert known.police_identifier == "PN77" and known.perpetrator.incidents.count() == 1


def test_every_table_that_names_a_person_is_moved_or_deliberately_left() -> None:
    moved = {
        related._meta.label_lower for target in (Perpetrator, Victim, Person) for related, _ in references_to(target)
    }
    assert {"cases.case", "cases.casevictim", "incidents.incident", "incidents.incident_victims"} <= moved
    assert "visits.visit" in moved
    assert {"risk.riskassessment", "safety_plans.safetyplan", "referrals.referral"} <= moved
    assert not moved & NOT_MOVED


@pytest.mark.django_db
def test_merge_moves_everything_keeps_contact_details_and_is_logged_then_reversed() -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR, scope=Scope.AGENCY)
    kept_victim = VictimFactory(confidential=None)
    merged_victim = VictimConfidentialFactory(address="2 Other Road").victim
    VictimConfidential.objects.create(victim=kept_victim, phone="0111")
    case = CaseFactory()
    CaseVictimFactory(case=case, victim=merged_victim)
    other_case = CaseFactory()
    CaseVictimFactory(case=other_case, victim=merged_victim)
    CaseVictimFactory(case=other_case, victim=kept_victim)  # both on one case: that link cannot move
    incident = IncidentFactory()
    incident.victims.add(merged_victim)
    perpetrator = PerpetratorFactory(person=merged_victim.person)  # the merged record is also a perpetrator
    pair = DuplicateCandidate.objects.create(
        first=min(kept_victim.person, merged_victim.person, key=lambda p: p.pk),
        second=max(kept_victim.person, merged_victim.person, key=lambda p: p.pk),
        reason="similar names",
        agency=cast(Agency, supervisor.agency),
    )
    merge = duplicate_merge(actor=supervisor, candidate=pair, keep=kept_victim.person, reason="Same phone and address")

    kept = kept_victim.person
    assert list(incident.victims.all()) == [kept_victim]
    assert CaseVictim.objects.get(case=case).victim == kept_victim
    assert CaseVictim.objects.filter(case=other_case).count() == 2  # left, and reported on the log
    perpetrator.refresh_from_db()
    assert perpetrator.person == kept  # a role only the merged record had moves whole
    details = VictimConfidential.objects.get(victim=kept_victim)
    assert (details.phone, details.address) == ("0111", "2 Other Road")  # filled in, never overwritten
    merged_victim.person.refresh_from_db()
    assert merged_victim.person.merged_into == kept
    pair.refresh_from_db()
    assert pair.status == CandidateStatus.MERGED and pair.decided_by == supervisor
    log = AccessLog.objects.get(action=AccessAction.MERGE)
    assert "left with the merged record: case victim" in log.detail and log.reason == "Same phone and address"

    admin = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    assert person_merge_reverse(actor=admin, merge=merge, reason="Different people after all") == []
    assert list(incident.victims.all()) == [merged_victim]
    assert CaseVictim.objects.get(case=case).victim == merged_victim
    perpetrator.refresh_from_db()
    assert perpetrator.person == merged_victim.person
    details.refresh_from_db()
    assert details.address == ""
    merged_victim.person.refresh_from_db()
    assert merged_victim.person.merged_into is None
    pair.refresh_from_db()
    assert pair.status == CandidateStatus.KEPT_APART
    assert AccessLog.objects.filter(action=AccessAction.UNMERGE, user=admin).exists()
    with pytest.raises(InvalidTransitionError):
        person_merge_reverse(actor=admin, merge=merge, reason="again")


@pytest.mark.django_db
def test_keep_apart_is_decided_once() -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR)
    a, b = PersonFactory(), PersonFactory()
    pair = DuplicateCandidate.objects.create(
        first=a, second=b, reason="similar names", agency=cast(Agency, supervisor.agency)
    )
    duplicate_keep_apart(actor=supervisor, candidate=pair, note="Brothers")
    with pytest.raises(InvalidTransitionError):
        duplicate_merge(actor=supervisor, candidate=pair, keep=a, reason="x")
    assert not PersonMerge.objects.exists()


@pytest.mark.django_db
def test_the_review_pages_for_analysts_not_partners(login) -> None:
    analyst = UserFactory(role=Role.ANALYST, scope=Scope.AGENCY)
    a = PersonFactory(given_name="Jon", family_name="Smith")
    b = PersonFactory(given_name="John", family_name="Smith")
    IncidentFactory(perpetrator=PerpetratorFactory(person=a), area=analyst.area)
    pair = DuplicateCandidate.objects.create(
        first=a, second=b, reason="similar names", agency=cast(Agency, analyst.agency)
    )
    client = login(analyst)
    listing = client.get("/people/duplicates/").content.decode()
    assert "Jon Smith" in listing and "Similar names" in listing
    page = client.get(f"/people/duplicates/{pair.public_id}/")
    assert page.status_code == 200 and "Incidents as perpetrator" in page.content.decode()
    # Merging without a reason: the form says what to fix and keeps the choice.
    missing = client.post(f"/people/duplicates/{pair.public_id}/", {"decision": "keep_second", "reason": ""})
    body = missing.content.decode()
    assert missing.status_code == 200 and "Say why these records are the same person" in body
    assert 'value="keep_second" checked' in body
    done = client.post(f"/people/duplicates/{pair.public_id}/", {"decision": "keep_second", "reason": "Same PNC photo"})
    assert done.status_code == 302
    a.refresh_from_db()
    assert a.merged_into == b and Incident.objects.get().perpetrator.person == b

    for role in (Role.PARTNER_CASEWORKER, Role.OFFICER, Role.IDVA):
        other = UserFactory(role=role, area=analyst.area)
        assert login(other).get("/people/duplicates/").status_code == 403
        assert login(other).get(f"/people/duplicates/{pair.public_id}/").status_code == 403


@pytest.mark.django_db
def test_an_administrator_reverses_a_merge_in_the_admin_and_others_cannot(login) -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR)
    a, b = PerpetratorFactory(), PerpetratorFactory()
    incident = IncidentFactory(perpetrator=b)
    pair = DuplicateCandidate.objects.create(
        first=a.person, second=b.person, reason="similar names", agency=cast(Agency, supervisor.agency)
    )
    merge = duplicate_merge(actor=supervisor, candidate=pair, keep=a.person, reason="Same person")
    incident.refresh_from_db()
    assert incident.perpetrator == a
    url = f"/admin/people/personmerge/{merge.pk}/reverse/"
    staff_without_right = UserFactory(role=Role.ANALYST, is_staff=True)
    assert login(staff_without_right).post(url, {"reason": "wrong"}).status_code == 403
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = login(admin)
    assert "Reverse this merge" in client.get("/admin/people/personmerge/").content.decode()
    assert client.post(url, {"reason": ""}).status_code == 200  # the form asks for a reason
    assert client.post(url, {"reason": "Twins, checked with custody"}).status_code == 302
    incident.refresh_from_db()
    merge.refresh_from_db()
    assert incident.perpetrator == b and merge.reversed_by == admin
