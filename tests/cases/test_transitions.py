"""A case's status as explicit transitions: who may move which, each with a reason; refused with a
clear message otherwise; a closed case reopened by a supervisor keeps its history."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus, ChronologyEntry, ChronologyKind
from cases.transitions import case_reopen, case_transition
from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import InvalidTransitionError, PermissionDeniedError
from tests.factories import AreaFactory, CaseFactory, IdvaAgencyFactory, UserFactory, grant_case_to

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def world():
    area = AreaFactory()
    officer = UserFactory(area=area)
    supervisor = UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA)
    case = CaseFactory(area=area, spoc=officer)
    return case, officer, supervisor


def _closed(case):
    case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
    case.save()
    return case


def test_the_spoc_makes_the_case_active_then_under_review_with_a_reason(client, login, world) -> None:
    case, officer, _supervisor = world
    login(officer)
    url = reverse("cases:status", args=[case.public_id])
    assert url in _page(client.get(reverse("cases:detail", args=[case.public_id])))
    response = client.post(url, {"to_status": "active", "reason": "First visit made to both."}, follow=True)
    assert f"Case {case.reference} is now active." in _page(response)
    response = client.post(url, {"to_status": "under_review", "reason": "No contact for a month."}, follow=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.UNDER_REVIEW
    entry = case.chronology.filter(kind=ChronologyKind.STATUS_CHANGED).first()
    assert "Active to Under review" in entry.summary and "No contact for a month." in entry.summary


def test_a_move_the_status_does_not_allow_is_refused_with_the_reason(world) -> None:
    case, officer, _supervisor = world
    with pytest.raises(InvalidTransitionError, match="A case that is identified cannot become under review"):
        case_transition(actor=officer, case=case, to_status=CaseStatus.UNDER_REVIEW, reason="Trying to skip ahead")
    with pytest.raises(InvalidTransitionError, match="closes when a supervisor approves a closure request"):
        case_transition(actor=officer, case=case, to_status=CaseStatus.CLOSED, reason="Nothing more to do here")
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED


def test_a_short_reason_is_refused_on_the_page(client, login, world) -> None:
    case, officer, _supervisor = world
    login(officer)
    response = client.post(reverse("cases:status", args=[case.public_id]), {"to_status": "active", "reason": "ok"})
    assert response.status_code == 200 and "Give the reason (at least 10 characters)" in _page(response)


def test_partner_agencies_do_not_change_the_status(client, login, world) -> None:
    case, _officer, _supervisor = world
    agency = IdvaAgencyFactory()
    grant_case_to(case, agency)
    idva = UserFactory(area=AreaFactory(agency=agency), agency=agency, role=Role.IDVA, scope=Scope.AGENCY)
    login(idva)
    assert client.get(reverse("cases:status", args=[case.public_id])).status_code == 403
    with pytest.raises(PermissionDeniedError):
        case_transition(actor=idva, case=case, to_status=CaseStatus.ACTIVE, reason="Seen the victim today")


def test_a_supervisor_reopens_a_closed_case_and_its_history_stays(client, login, world) -> None:
    case, officer, supervisor = world
    case_transition(actor=officer, case=case, to_status=CaseStatus.ACTIVE, reason="First visit made to both.")
    _closed(case)
    before = ChronologyEntry.objects.filter(case=case).count()
    login(officer)
    assert client.get(reverse("cases:reopen", args=[case.public_id])).status_code == 403
    assert client.get(reverse("cases:status", args=[case.public_id])).status_code == 403
    login(supervisor)
    url = reverse("cases:reopen", args=[case.public_id])
    assert url in _page(client.get(reverse("cases:detail", args=[case.public_id])))
    response = client.post(url, {"reason": "New incident reported on 2 March."}, follow=True)
    assert f"Case {case.reference} reopened" in _page(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and case.closed_at is None
    assert ChronologyEntry.objects.filter(case=case).count() == before + 1
    assert case.chronology.filter(kind=ChronologyKind.REOPENED, summary__contains="2 March").exists()


def test_an_open_case_cannot_be_reopened(world) -> None:
    case, _officer, supervisor = world
    with pytest.raises(InvalidTransitionError, match="not closed"):
        case_reopen(actor=supervisor, case=case, reason="Reopening by mistake here")


def test_a_closed_case_refuses_status_changes_until_reopened(world) -> None:
    case, officer, _supervisor = world
    _closed(case)
    with pytest.raises(InvalidTransitionError, match="closed: a supervisor reopens it first"):
        case_transition(actor=officer, case=case, to_status=CaseStatus.ACTIVE, reason="Still working on it")
