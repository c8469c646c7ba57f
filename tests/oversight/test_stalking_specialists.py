"""The stalking pathway's specialists as allocations on the case: a stalking specialist officer from
the owning force and a stalking IDVA, allocated on the staffing page like the other holders. Holding
either role puts the case on the person's caseload and lets them ask for it to close; a transfer
clears them with the other holders; the team pages count them."""

import html

import pytest
from django.urls import reverse

from cases.models import ChronologyKind
from cases.selectors import AccessBasis, case_access_basis, cases_visible_to
from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from oversight.selectors import cases_held_by, team_caseload
from oversight.services import may_request_closure
from oversight.staffing import case_staff
from reminders.models import Reminder, ReminderKind, ReminderStatus
from risk.stalking import STALKING_KEYS
from risk.stalking_services import stalking_pathway_referral_record, stalking_screening_record
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    UserFactory,
    grant_case_to,
)

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def world():
    area = AreaFactory()
    spoc = UserFactory(area=area)
    stalking_officer = UserFactory(area=area, first_name="Stella", last_name="Stalking", email="stella@example.org")
    supervisor = UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA)
    case = CaseFactory(area=area, spoc=spoc)
    CaseVictimFactory(case=case)
    return case, stalking_officer, supervisor


def _member(agency, role=Role.IDVA, **extra):
    return UserFactory(area=AreaFactory(agency=agency), agency=agency, role=role, scope=Scope.AGENCY, **extra)


def test_a_supervisor_allocates_the_stalking_officer_from_the_case_page(
    client, login, world, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    case, stalking_officer, supervisor = world
    login(stalking_officer)
    assert client.get(reverse("cases:detail", args=[case.public_id])).status_code == 404  # not theirs yet
    login(supervisor)
    detail = _page(client.get(reverse("cases:detail", args=[case.public_id])))
    url = reverse("oversight:staff", args=[case.public_id])
    assert f"{url}#stalking_officer-to_user" in detail and "Stalking specialist officer" in detail
    page = _page(client.get(url))
    assert "Stalking specialist officer: not allocated" in page and "Stalking IDVA: not allocated" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"field": "stalking_officer", "seen": "", "to_user": stalking_officer.pk, "reason": "Referred to pathway."},
            follow=True,
        )
    assert "Stalking specialist officer allocated: Stella Stalking." in _page(response)
    case.refresh_from_db()
    assert case.stalking_officer == stalking_officer
    assert case.chronology.filter(kind=ChronologyKind.ALLOCATION, summary__contains="Referred to pathway.").exists()
    task = Reminder.objects.get(kind=ReminderKind.CASE_ALLOCATED, case=case, subject_key="allocation:stalking_officer")
    assert task.assignee == stalking_officer and task.status == ReminderStatus.OPEN
    assert [m.to for m in mailoutbox] == [["stella@example.org"]]
    assert "stalking specialist officer" in mailoutbox[0].body

    # Now it is theirs: on their caseload, the case page opens as a holder, and they may ask to close it.
    login(stalking_officer)
    assert case.reference in _page(client.get(reverse("cases:caseload")))
    assert client.get(reverse("cases:detail", args=[case.public_id])).status_code == 200
    assert case_access_basis(stalking_officer, case) == AccessBasis.ASSIGNED
    assert may_request_closure(stalking_officer, case)


def test_the_stalking_officer_comes_from_the_owning_force(world) -> None:
    case, _stalking_officer, supervisor = world
    elsewhere = UserFactory(area=AreaFactory(agency=AgencyFactory()))
    with pytest.raises(ApplicationError, match="cannot be the stalking specialist officer"):
        case_staff(actor=supervisor, case=case, field="stalking_officer", to_user=elsewhere, reason="Wrong force here")
    case.refresh_from_db()
    assert case.stalking_officer is None
    assert case not in cases_visible_to(elsewhere)


def test_an_idva_service_on_the_case_allocates_its_stalking_idva(client, login, world) -> None:
    case, stalking_officer, _supervisor = world
    service = IdvaAgencyFactory()
    grant_case_to(case, service, shares_victim_contact=True)
    lead = _member(service, Role.SUPERVISOR)
    advocate = _member(service, first_name="Sky", last_name="Advocate")
    login(lead)
    url = reverse("oversight:staff", args=[case.public_id])
    page = _page(client.get(url))
    assert "Stalking IDVA: not allocated" in page and 'value="stalking_officer"' not in page
    response = client.post(
        url, {"field": "stalking_idva", "seen": "", "to_user": advocate.pk, "reason": "Stalking advocacy."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stalking_idva == advocate
    with pytest.raises(PermissionDeniedError):
        case_staff(actor=lead, case=case, field="stalking_officer", to_user=stalking_officer, reason="Not ours here")
    # An officer cannot be a stalking IDVA.
    with pytest.raises(ApplicationError):
        case_staff(actor=_supervisor, case=case, field="stalking_idva", to_user=stalking_officer, reason="Wrong role")


def test_officers_do_not_allocate_stalking_specialists(client, login, world) -> None:
    case, stalking_officer, _supervisor = world
    login(stalking_officer)
    assert client.post(
        reverse("oversight:staff", args=[case.public_id]),
        {"field": "stalking_officer", "seen": "", "to_user": stalking_officer.pk, "reason": "Allocating myself"},
    ).status_code in (403, 404)
    case.refresh_from_db()
    assert case.stalking_officer is None


def test_the_team_pages_count_the_stalking_roles(world) -> None:
    case, stalking_officer, supervisor = world
    case_staff(actor=supervisor, case=case, field="stalking_officer", to_user=stalking_officer, reason="Pathway ok")
    counts = {person.pk: getattr(person, "open_cases", None) for person in team_caseload(supervisor)}
    assert counts[stalking_officer.pk] == 1
    assert list(cases_held_by(supervisor, stalking_officer)) == [case]


def test_a_referred_screening_leads_the_supervisor_to_allocate_the_specialists(client, login, world) -> None:
    case, _stalking_officer, supervisor = world
    victim = case.victims.get()
    screening = stalking_screening_record(
        actor=case.spoc, case=case, victim=victim, answers=dict.fromkeys(STALKING_KEYS, "yes"), notes=""
    )
    stalking_pathway_referral_record(actor=case.spoc, screening=screening)
    detail = reverse("risk:stalking_detail", args=[case.public_id, screening.public_id])
    allocate = reverse("oversight:staff", args=[case.public_id]) + "#stalking_officer-to_user"
    login(supervisor)
    assert allocate in _page(client.get(detail))
    login(case.spoc)  # the SPOC sees the screening but does not staff the case
    page = _page(client.get(detail))
    assert "Referred to the stalking pathway" in page and allocate not in page
