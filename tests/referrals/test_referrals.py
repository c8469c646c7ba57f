import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import CaseStatus
from cases.selectors import case_victim_contact_allowed, cases_visible_to
from cases.services import case_change_status
from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
from dacrre.core.dates import add_working_days
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from referrals.models import Consent, Referral, ReferralStatus, Sharing, Urgency
from referrals.selectors import inbox_counts_of, inbox_for, referrals_on_case, referrals_visible_to
from referrals.services import (
    referral_accept,
    referral_add_update,
    referral_complete,
    referral_create,
    referral_decline,
    referral_send,
    referral_withdraw,
    referrals_expire_access,
)
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimSideAgencyFactory,
)


@pytest.fixture
def officer_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    return officer, case, victim


def _caseworker(agency, **kwargs):
    return UserFactory(area=AreaFactory(agency=agency), role=Role.PARTNER_CASEWORKER, scope=Scope.ASSIGNED, **kwargs)


def _refer(officer, case, person, to_agency, **overrides):
    fields = {
        "reason": "Needs support.",
        "urgency": Urgency.MEDIUM,
        "sharing": Sharing.WITH_VICTIM_CONTACT,
        "consent": Consent.GIVEN,
        "consent_method": "verbal",
        **overrides,
    }
    return referral_create(actor=officer, case=case, subject_person=person, to_agency=to_agency, **fields)


@pytest.mark.django_db
def test_full_lifecycle_grants_access_on_accept_and_keeps_it_for_the_retention_window(officer_case, settings) -> None:
    settings.REFERRAL_ACCESS_RETENTION_DAYS = 30
    officer, case, victim = officer_case
    housing = VictimSideAgencyFactory()
    caseworker = _caseworker(housing)
    referral = _refer(officer, case, victim.person, housing)
    assert referral.status == ReferralStatus.DRAFT
    referral = referral_send(actor=officer, referral=referral)
    assert referral.response_due_on == add_working_days(timezone.localdate(), 3)
    assert list(cases_visible_to(caseworker)) == []

    referral = referral_accept(actor=caseworker, referral=referral)
    assert list(cases_visible_to(caseworker)) == [case]
    assert case_victim_contact_allowed(caseworker, case) is True
    referral_add_update(actor=caseworker, referral=referral, text="Emergency housing found.")

    referral = referral_complete(actor=caseworker, referral=referral, outcome="Rehoused.")
    assert list(cases_visible_to(caseworker)) == [case]  # kept during the retention window
    assert referrals_expire_access(now=timezone.now() + datetime.timedelta(days=29)) == 0
    assert referrals_expire_access(now=timezone.now() + datetime.timedelta(days=31)) == 1
    assert list(cases_visible_to(caseworker)) == []
    assert referrals_expire_access(now=timezone.now() + datetime.timedelta(days=40)) == 0  # idempotent
    summaries = list(case.chronology.filter(kind="referral").values_list("summary", flat=True))
    assert any("sent to" in s for s in summaries)
    assert any("accepted" in s for s in summaries)
    assert any("completed" in s for s in summaries)
    assert any("Emergency housing found." in s for s in summaries)


@pytest.mark.django_db
def test_every_refused_transition(officer_case) -> None:
    officer, case, victim = officer_case
    housing = VictimSideAgencyFactory()
    caseworker = _caseworker(housing)
    referral = referral_send(actor=officer, referral=_refer(officer, case, victim.person, housing))

    with pytest.raises(PermissionDeniedError):
        referral_accept(actor=_caseworker(VictimSideAgencyFactory()), referral=referral)  # the wrong agency
    with pytest.raises(PermissionDeniedError):
        referral_accept(actor=officer, referral=referral)  # the sender cannot accept its own referral
    with pytest.raises(PermissionDeniedError):
        referral_withdraw(actor=caseworker, referral=referral, reason="Not mine")  # only the sender withdraws
    with pytest.raises(InvalidTransitionError):
        referral_send(actor=officer, referral=referral)  # sent twice
    with pytest.raises(InvalidTransitionError):
        referral_complete(actor=caseworker, referral=referral, outcome="x")  # not accepted yet
    with pytest.raises(ApplicationError, match="why the referral is declined"):
        referral_decline(actor=caseworker, referral=referral, reason=" ")

    referral = referral_accept(actor=caseworker, referral=referral)
    referral = referral_complete(actor=caseworker, referral=referral, outcome="Done.")
    with pytest.raises(InvalidTransitionError, match="completed referral cannot be declined"):
        referral_decline(actor=caseworker, referral=referral, reason="Too late")
    with pytest.raises(InvalidTransitionError, match="completed referral cannot be withdrawn"):
        referral_withdraw(actor=officer, referral=referral, reason="Too late")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED


@pytest.mark.django_db
def test_no_referral_without_consent_or_an_authorised_override(officer_case) -> None:
    officer, case, victim = officer_case
    housing = VictimSideAgencyFactory()
    refused = _refer(officer, case, victim.person, housing, consent=Consent.REFUSED, consent_method="")
    with pytest.raises(ApplicationError, match="Consent was refused"):
        referral_send(actor=officer, referral=refused)
    with pytest.raises(ApplicationError, match="how consent was given"):
        _refer(officer, case, victim.person, housing, consent_method="")
    with pytest.raises(ApplicationError, match="why the referral is necessary"):
        _refer(officer, case, victim.person, housing, consent=Consent.OVERRIDDEN)
    with pytest.raises(ApplicationError, match="authorised by a supervisor"):
        _refer(
            officer,
            case,
            victim.person,
            housing,
            consent=Consent.OVERRIDDEN,
            consent_override_reason="Risk to life",
            consent_override_authorised_role=Role.OFFICER,
        )
    overridden = _refer(
        officer,
        case,
        victim.person,
        housing,
        consent=Consent.OVERRIDDEN,
        consent_override_reason="Risk to life",
        consent_override_authorised_role=Role.SUPERVISOR,
        consent_override_authorised_by="DS Morgan",
    )
    assert referral_send(actor=officer, referral=overridden).status == ReferralStatus.SENT


@pytest.mark.django_db
def test_perpetrator_side_agency_never_gets_contact_details_whatever_is_ticked(officer_case) -> None:
    officer, case, _ = officer_case
    probation = ProbationAgencyFactory()
    referral = _refer(officer, case, case.perpetrator.person, probation, sharing=Sharing.WITH_VICTIM_CONTACT)
    assert referral.sharing == Sharing.SUMMARY
    referral = referral_accept(actor=_caseworker(probation), referral=referral_send(actor=officer, referral=referral))
    offender_manager = _caseworker(probation)
    assert list(cases_visible_to(offender_manager)) == [case]
    assert case_victim_contact_allowed(offender_manager, case) is False


@pytest.mark.django_db
def test_withdrawal_and_case_closure_remove_access_on_the_next_request(officer_case, login) -> None:
    officer, case, victim = officer_case
    housing = VictimSideAgencyFactory()
    caseworker = _caseworker(housing)
    referral = referral_accept(
        actor=caseworker, referral=referral_send(actor=officer, referral=_refer(officer, case, victim.person, housing))
    )
    client = login(caseworker)
    assert client.get(f"/cases/{case.public_id}/").status_code == 200
    referral_withdraw(actor=officer, referral=referral, reason="Victim moved out of area")
    assert client.get(f"/cases/{case.public_id}/").status_code == 404

    second = referral_accept(
        actor=caseworker, referral=referral_send(actor=officer, referral=_refer(officer, case, victim.person, housing))
    )
    assert client.get(f"/cases/{case.public_id}/").status_code == 200
    case_change_status(actor=officer, case=case, to_status=CaseStatus.CLOSED, reason="Risk reduced")
    assert client.get(f"/cases/{case.public_id}/").status_code == 404
    assert second.pk


@pytest.mark.django_db
def test_external_referral_prints_only_what_consent_allows_and_logs_the_disclosure(officer_case, login) -> None:
    officer, case, victim = officer_case
    client = login(officer)
    response = client.post(
        f"/cases/{case.public_id}/referrals/new/",
        {
            "external_agency_name": "Women's Aid Northshire",
            "external_agency_contact": "0300 000 0000",
            "subject_person": victim.person_id,
            "reason": "Outreach support",
            "urgency": Urgency.STANDARD,
            "sharing": Sharing.SUMMARY,
            "consent": Consent.GIVEN,
            "consent_method": "verbal",
            "send": "1",
        },
    )
    assert response.status_code == 302
    summary_url = response["Location"] + "summary/"
    html = client.get(summary_url).content.decode()
    assert "Outreach support" in html
    assert "Secret Lane" not in html and "07700 900123" not in html
    disclosures = AccessLog.objects.filter(action=AccessAction.DISCLOSE, person_id=str(victim.person.public_id))
    assert disclosures.count() == 2  # sent, then the printed summary
    assert "victim contact details not shared" in disclosures.first().detail


@pytest.mark.django_db
def test_the_referral_form_keeps_what_was_typed_on_error(officer_case, login) -> None:
    officer, case, victim = officer_case
    response = login(officer).post(
        f"/cases/{case.public_id}/referrals/new/",
        {
            "subject_person": victim.person_id,
            "reason": "Typed with care",
            "urgency": Urgency.HIGH,
            "sharing": Sharing.SUMMARY,
            "consent": Consent.GIVEN,
            "consent_method": "verbal",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose an agency on the system, or name the agency that is not on it" in html
    assert "Typed with care" in html


@pytest.mark.django_db
def test_partner_inbox_accepts_through_the_pages_and_counts_in_the_navigation(officer_case, login) -> None:
    officer, case, victim = officer_case
    housing = VictimSideAgencyFactory()
    caseworker = _caseworker(housing)
    referral = referral_send(actor=officer, referral=_refer(officer, case, victim.person, housing))
    client = login(caseworker)
    inbox = client.get("/referrals/").content.decode()
    assert "Referrals (1)" in inbox
    assert referral.reference in inbox
    assert "<li>New: 1</li>" in inbox
    client.get(f"/referrals/{referral.public_id}/")
    inbox = client.get("/referrals/").content.decode()
    assert "<li>New: 0</li>" in inbox and "Opened, awaiting your response (1)" in inbox
    response = client.post(f"/referrals/{referral.public_id}/accept/")
    assert response.status_code == 302
    assert client.get(f"/cases/{case.public_id}/").status_code == 200
    # The sender sees the receiving agency's action.
    client.post(f"/referrals/{referral.public_id}/update/", {"text": "Tenancy support booked."})
    sender_view = login(officer).get(f"/referrals/{referral.public_id}/").content.decode()
    assert "Tenancy support booked." in sender_view


@pytest.mark.django_db
def test_overdue_counts(officer_case, login) -> None:
    officer, case, victim = officer_case
    housing = VictimSideAgencyFactory()
    referral = referral_send(actor=officer, referral=_refer(officer, case, victim.person, housing))
    referral.response_due_on = timezone.localdate() - datetime.timedelta(days=1)
    referral.save()
    caseworker = _caseworker(housing)
    inbox = login(caseworker).get("/referrals/").content.decode()
    assert "Awaiting your response: 1" in inbox and "1 overdue" in inbox and "Accepted and open: 0" in inbox
    accepted = inbox_for(caseworker).filter(status=ReferralStatus.ACCEPTED).count()
    counts = inbox_counts_of(list(inbox_for(caseworker).filter(status=ReferralStatus.SENT)), accepted)
    assert (counts.new, counts.awaiting_response, counts.overdue, counts.accepted) == (1, 1, 1, 0)


@pytest.mark.django_db
def test_inbox_uses_a_constant_number_of_queries(officer_case, login) -> None:
    officer, _, _ = officer_case
    housing = VictimSideAgencyFactory()
    client = login(_caseworker(housing))

    def add(count):
        for _ in range(count):
            case = CaseFactory(area=officer.area, spoc=officer)
            victim = CaseVictimFactory(case=case).victim
            referral_send(actor=officer, referral=_refer(officer, case, victim.person, housing))

    add(2)
    with CaptureQueriesContext(connection) as few:
        client.get("/referrals/")
    add(10)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/referrals/")
    assert response.content.decode().count("/referrals/") > 12
    assert len(many) == len(few)


def test_inbox_shows_every_referral_awaiting_a_response_and_accepted_ones_fifty_to_a_page(officer_case, login) -> None:
    officer, _, _ = officer_case
    housing = VictimSideAgencyFactory()
    client = login(_caseworker(housing))
    referrals = []
    for _ in range(53):
        case = CaseFactory(area=officer.area, spoc=officer)
        victim = CaseVictimFactory(case=case).victim
        referrals.append(referral_send(actor=officer, referral=_refer(officer, case, victim.person, housing)))
    # The referrals' status is set directly: accepting 51 through the service is not what is tested.
    accepted, awaiting = referrals[:51], referrals[51:]
    Referral.objects.filter(pk__in=[r.pk for r in accepted]).update(status=ReferralStatus.ACCEPTED)

    first = client.get("/referrals/").content.decode()
    second = client.get("/referrals/?page=2").content.decode()

    assert "Accepted (51)" in first and "Page 1 of 2" in first and "Page 2 of 2" in second
    shown = [r.reference for r in accepted if r.reference in first]
    assert len(shown) == 50
    assert [r.reference for r in accepted if r.reference in second] == [
        r.reference for r in accepted if r.reference not in shown
    ]
    for referral in awaiting:  # on every page
        assert referral.reference in first and referral.reference in second


def test_working_days_skip_the_weekend() -> None:
    friday = datetime.date(2026, 11, 27)
    assert add_working_days(friday, 1) == datetime.date(2026, 11, 30)
    assert add_working_days(friday, 5) == datetime.date(2026, 12, 4)


@pytest.mark.django_db
def test_the_case_page_lists_the_referrals_each_agency_may_see(officer_case, login) -> None:
    officer, case, victim = officer_case
    housing, probation = VictimSideAgencyFactory(), ProbationAgencyFactory()
    housing_worker = _caseworker(housing)
    to_housing = referral_send(actor=officer, referral=_refer(officer, case, victim.person, housing))
    referral_accept(actor=housing_worker, referral=to_housing)
    to_probation = referral_send(
        actor=officer,
        referral=_refer(officer, case, case.perpetrator.person, probation, sharing=Sharing.SUMMARY),
    )
    draft = _refer(officer, case, victim.person, housing)  # not sent: the recipient never sees it

    housing_page = login(housing_worker).get(f"/cases/{case.public_id}/").content.decode()
    officer_page = login(officer).get(f"/cases/{case.public_id}/").content.decode()

    def listed(referral, page):  # in the case page's list of referrals (the chronology names them too)
        return f'href="/referrals/{referral.public_id}/"' in page

    assert listed(to_housing, housing_page)
    assert not listed(to_probation, housing_page) and not listed(draft, housing_page)
    assert all(listed(r, officer_page) for r in (to_housing, to_probation, draft))
    # The same rule as every other list of referrals.
    for user in (officer, housing_worker):
        assert set(referrals_on_case(user, case)) == set(referrals_visible_to(user).filter(case=case))
