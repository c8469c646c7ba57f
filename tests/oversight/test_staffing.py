"""Staffing a case: the owning force's supervisors allocate the SPOC, offender manager and IDVA from
the agencies on the case; an IDVA service working on the case allocates its own IDVA. The new holder
gets a task and an e-mail without personal details; open tasks follow the case."""

import html

import pytest
from django.urls import reverse

from cases.models import ChronologyKind
from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from oversight.staffing import case_staff, holder_candidates
from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    ProbationAgencyFactory,
    ReminderFactory,
    UserFactory,
    grant_case_to,
)

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def world():
    area = AreaFactory()
    officer = UserFactory(area=area, first_name="Olivia", last_name="Officer", email="olivia@example.org")
    colleague = UserFactory(area=area, first_name="Colin", last_name="Colleague", email="colin@example.org")
    supervisor = UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA, first_name="Sam", last_name="Sarge")
    case = CaseFactory(area=area, spoc=officer)
    CaseVictimFactory(case=case)
    return case, officer, colleague, supervisor


def _member(agency, role=Role.IDVA, **extra):
    return UserFactory(area=AreaFactory(agency=agency), agency=agency, role=role, scope=Scope.AGENCY, **extra)


def test_a_supervisor_changes_the_spoc_who_gets_a_task_and_an_email(
    client, login, world, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    case, officer, colleague, supervisor = world
    visit_task = ReminderFactory(case=case, assignee=officer, kind=ReminderKind.PERPETRATOR_VISIT_DUE)
    login(supervisor)
    url = reverse("oversight:staff", args=[case.public_id])
    assert url in _page(client.get(reverse("cases:detail", args=[case.public_id])))
    page = client.get(url)
    assert f'name="seen" value="{officer.public_id}"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"field": "spoc", "seen": str(officer.public_id), "to_user": colleague.pk, "reason": "Olivia moves team."},
            follow=True,
        )
    assert "SPOC allocated: Colin Colleague." in _page(response)
    case.refresh_from_db()
    assert case.spoc == colleague
    assert case.chronology.filter(kind=ChronologyKind.ALLOCATION, summary__contains="Olivia moves team.").exists()
    task = Reminder.objects.get(kind=ReminderKind.CASE_ALLOCATED, case=case)
    assert task.assignee == colleague and task.status == ReminderStatus.OPEN
    visit_task.refresh_from_db()
    assert visit_task.assignee == colleague  # open tasks move with the case
    assert [m.to for m in mailoutbox] == [["colin@example.org"]]
    body = mailoutbox[0].subject + mailoutbox[0].body
    assert case.reference in body and str(case.public_id) in body
    victim = case.victims.get().person
    for personal in (case.perpetrator.person.family_name, victim.family_name, "Olivia moves team"):
        assert personal not in body


def test_the_offender_manager_comes_from_probation_on_the_case_or_the_force(world) -> None:
    case, officer, _colleague, supervisor = world
    probation, elsewhere = ProbationAgencyFactory(), ProbationAgencyFactory()
    grant_case_to(case, probation)
    on_case, not_on_case = _member(probation, Role.PARTNER_CASEWORKER), _member(elsewhere, Role.PARTNER_CASEWORKER)
    offered = set(holder_candidates(supervisor, case, "offender_manager"))
    assert on_case in offered and officer in offered and not_on_case not in offered
    with pytest.raises(ApplicationError, match="cannot be the offender manager"):
        case_staff(actor=supervisor, case=case, field="offender_manager", to_user=not_on_case, reason="Probation lead")
    case_staff(actor=supervisor, case=case, field="offender_manager", to_user=on_case, reason="Probation lead")
    case.refresh_from_db()
    assert case.offender_manager == on_case


def test_an_idva_service_on_the_case_allocates_its_own_idva_only(client, login, world) -> None:
    case, officer, _colleague, _supervisor = world
    service, other = IdvaAgencyFactory(), IdvaAgencyFactory()
    grant_case_to(case, service, shares_victim_contact=True)
    grant_case_to(case, other, shares_victim_contact=True)
    lead = _member(service, Role.SUPERVISOR)
    ours, theirs = _member(service, first_name="Ida", last_name="Ours"), _member(other)
    login(lead)
    url = reverse("oversight:staff", args=[case.public_id])
    page = _page(client.get(url))
    assert "Ida Ours" in page and theirs.last_name not in page and 'value="spoc"' not in page
    response = client.post(url, {"field": "idva", "seen": "", "to_user": ours.pk, "reason": "Referral accepted."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.idva == ours
    with pytest.raises(PermissionDeniedError):
        case_staff(actor=lead, case=case, field="spoc", to_user=officer, reason="Not ours to decide")


def test_officers_and_ungranted_agencies_do_not_staff(client, login, world) -> None:
    case, officer, _colleague, _supervisor = world
    login(officer)
    url = reverse("oversight:staff", args=[case.public_id])
    assert client.get(url).status_code == 403
    assert url not in _page(client.get(reverse("cases:detail", args=[case.public_id])))
    login(_member(IdvaAgencyFactory(), Role.SUPERVISOR))
    assert client.get(url).status_code == 404


def test_a_holder_changed_since_the_page_was_shown_says_who_changed_it(world) -> None:
    case, officer, colleague, supervisor = world
    other_supervisor = UserFactory(area=case.area, role=Role.SUPERVISOR, scope=Scope.AREA, first_name="Ann")
    case_staff(actor=other_supervisor, case=case, field="spoc", to_user=colleague, reason="Olivia is on leave.")
    with pytest.raises(
        InvalidTransitionError, match=f"reallocated to Colin Colleague as SPOC by {other_supervisor.get_full_name()}"
    ):
        case_staff(
            actor=supervisor,
            case=case,
            field="spoc",
            to_user=officer,
            reason="Keep Olivia on it.",
            seen_holder=officer.pk,
        )
    case.refresh_from_db()
    assert case.spoc == colleague


def test_accepting_a_referral_lets_the_idva_service_allocate_its_idva(client, login, world) -> None:
    from referrals.models import Consent, Sharing, Urgency
    from referrals.services import referral_accept, referral_create, referral_send

    case, officer, _colleague, _supervisor = world
    service = IdvaAgencyFactory()
    lead = _member(service, Role.SUPERVISOR)
    ours = _member(service, first_name="Ida", last_name="Ours")
    referral = referral_send(
        actor=officer,
        referral=referral_create(
            actor=officer,
            case=case,
            subject_person=case.victims.get().person,
            to_agency=service,
            reason="High risk: needs an IDVA.",
            urgency=Urgency.HIGH,
            sharing=Sharing.SUMMARY,
            consent=Consent.GIVEN,
            consent_method="written",
        ),
    )
    login(lead)
    staff_url = reverse("oversight:staff", args=[case.public_id])
    assert client.get(staff_url).status_code == 404  # not shared with the service yet
    referral_accept(actor=lead, referral=referral)
    detail = _page(client.get(reverse("referrals:detail", args=[referral.public_id])))
    assert staff_url in detail and f"Allocate the IDVA for case {case.reference}" in detail
    client.post(staff_url, {"field": "idva", "seen": "", "to_user": ours.pk, "reason": "Referral accepted today."})
    case.refresh_from_db()
    assert case.idva == ours
