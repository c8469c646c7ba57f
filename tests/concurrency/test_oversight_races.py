"""Supervisors acting on the same case at the same moment, on a real PostgreSQL: each decision is
made once, the others are told who made it, and only the person who really got a case is e-mailed."""

import datetime
import html
import threading
import time
from typing import cast

import pytest
from django.utils import timezone

from cases.models import CaseStatus, ChronologyEntry, ChronologyKind
from dacrre.accounts.models import Role, Scope, User
from dacrre.core.exceptions import CaseClosedError
from oversight import services as oversight_services
from oversight.models import CaseClosureRequest, ClosureStatus
from oversight.services import closure_decide, closure_request
from tests.concurrency.conftest import all_at_once, form_token
from tests.factories import AreaFactory, CaseFactory, UserFactory
from visits import services as visit_services
from visits.models import Visit, VisitOutcome
from visits.services import visit_log

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_ten_supervisors_reallocating_one_case_at_once_exactly_one_wins(signed_in, mailoutbox) -> None:
    area = AreaFactory()
    holder = UserFactory(area=area, first_name="Hana", last_name="Holder")
    case = CaseFactory(area=area, spoc=holder)
    supervisors = [
        UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA, first_name="Sup", last_name=f"S{i}")
        for i in range(10)
    ]
    takers = [
        UserFactory(area=area, first_name="Taker", last_name=f"T{i}", email=f"taker{i}@example.org") for i in range(10)
    ]
    url = f"/team/people/{holder.public_id}/"
    posts = []
    for supervisor, taker in zip(supervisors, takers, strict=True):
        client = signed_in(supervisor)
        page = client.get(url)  # every supervisor sees Hana as the SPOC
        assert f'name="seen-spoc-{case.public_id}" value="{holder.public_id}"' in page.content.decode()
        data = {
            "form_token": form_token(page),
            "action": "reallocate",
            "case": [str(case.public_id)],
            f"seen-spoc-{case.public_id}": str(holder.public_id),
            f"seen-offender_manager-{case.public_id}": "",
            f"seen-idva-{case.public_id}": "",
            "field": "spoc",
            "to_user": taker.pk,
            "reason": "Hana is on long-term leave",
        }
        posts.append(lambda client=client, data=data: client.post(url, data, follow=True))

    responses = all_at_once(posts)

    assert all(response.status_code == 200 for response in responses), responses
    case.refresh_from_db()
    winner = takers.index(cast(User, case.spoc))
    winning_supervisor = supervisors[winner]
    assert "1 case reallocated." in _page(responses[winner])
    told = (
        f"{case.reference} was reallocated to {case.spoc.get_full_name()} as SPOC by "
        f"{winning_supervisor.get_full_name()} a moment ago; nothing changed for it."
    )
    losers = [response for i, response in enumerate(responses) if i != winner]
    assert all(
        told in _page(response) and "reallocated." not in _page(response).replace(told, "") for response in losers
    )
    assert ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.ALLOCATION).count() == 1
    assert [message.to for message in mailoutbox] == [[f"taker{winner}@example.org"]]
    assert case.reference in mailoutbox[0].body


def test_two_supervisors_moving_one_caseload_at_once_each_case_moves_once(signed_in, mailoutbox) -> None:
    area = AreaFactory()
    holder = UserFactory(area=area)
    cases = [CaseFactory(area=area, spoc=holder) for _ in range(3)]
    pairs = [
        (
            UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA),
            UserFactory(area=area, email=f"cover{i}@example.org"),
        )
        for i in range(2)
    ]
    url = f"/team/people/{holder.public_id}/"
    posts = []
    for supervisor, cover in pairs:
        client = signed_in(supervisor)
        data = {
            "form_token": form_token(client.get(url)),
            "action": "move",
            "to_user": cover.pk,
            "reason": "Leave cover",
            "confirmed": "yes",  # as the confirmation page sends it
        }
        posts.append(lambda client=client, data=data: client.post(url, data, follow=True))

    responses = all_at_once(posts)

    holders = set()
    for case in cases:
        case.refresh_from_db()
        holders.add(case.spoc)
    assert len(holders) == 1  # all three went to one colleague, never some to each
    winner = next(i for i, (_, cover) in enumerate(pairs) if cover in holders)
    assert "3 case roles reallocated." in _page(responses[winner])
    # The other supervisor is told: case by case if they found the caseload before the move, or that
    # nothing is left to move if they came just after it.
    loser_page = _page(responses[1 - winner])
    told = all(f"{case.reference} was reallocated to" in loser_page for case in cases)
    assert told or "This person holds no open cases in your team." in loser_page
    assert "reallocated." not in loser_page.replace("; nothing changed for it.", "")
    assert [message.to for message in mailoutbox] == [[f"cover{winner}@example.org"]]
    assert ChronologyEntry.objects.filter(case__in=cases, kind=ChronologyKind.ALLOCATION).count() == 3


def test_closure_requests_sent_at_once_make_one_request_and_no_error(signed_in) -> None:
    area = AreaFactory()
    spoc, manager = UserFactory(area=area, first_name="Sam", last_name="Spoc"), UserFactory(area=area)
    supervisors = [UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA) for _ in range(3)]
    case = CaseFactory(area=area, spoc=spoc, offender_manager=manager)
    url = f"/team/cases/{case.public_id}/close/"
    posts = []
    for user in [spoc, manager, *supervisors]:
        client = signed_in(user)
        data = {"form_token": form_token(client.get(url)), "reason": f"No incidents for a year ({user.username})"}
        posts.append(lambda client=client, data=data: client.post(url, data, follow=True))

    responses = all_at_once(posts)

    assert [response.status_code for response in responses] == [200] * 5  # no server error
    request = CaseClosureRequest.objects.get(case=case)
    assert request.status == ClosureStatus.PENDING
    pages = [_page(response) for response in responses]
    asked = f"already awaiting a supervisor: {request.requested_by.get_full_name()} asked on"
    assert sum("Closure requested: a supervisor will approve it" in page for page in pages) == 1
    assert sum(asked in page for page in pages) == 4
    assert ChronologyEntry.objects.filter(case=case, summary__startswith="Closure requested").count() == 1


def test_supervisors_deciding_one_closure_at_once_decide_it_once_and_the_others_are_told(signed_in) -> None:
    area = AreaFactory()
    spoc = UserFactory(area=area)
    case = CaseFactory(area=area, spoc=spoc)
    request = closure_request(actor=spoc, case=case, reason="No incidents for a year")
    supervisors = [
        UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA, first_name="Dee", last_name=f"D{i}")
        for i in range(4)
    ]
    posts = []
    for i, supervisor in enumerate(supervisors):
        client = signed_in(supervisor)
        data = {
            "form_token": form_token(client.get("/team/closures/")),
            "request": str(request.public_id),
            f"c{request.pk}-decision": "approve" if i % 2 == 0 else "return",
            f"c{request.pk}-comments": "Check the safety plan first",
        }
        posts.append(lambda client=client, data=data: client.post("/team/closures/", data, follow=True))

    responses = all_at_once(posts)

    assert [response.status_code for response in responses] == [200] * 4  # never "Page not found"
    request.refresh_from_db()
    assert request.status in {ClosureStatus.APPROVED, ClosureStatus.RETURNED}
    decided_by = request.decided_by.get_full_name()
    told = f"The closure request for case {case.reference} was already decided by {decided_by} on "
    pages = [_page(response) for response in responses]
    assert sum("Decision recorded" in page for page in pages) == 1
    assert sum(told in page for page in pages) == 3
    assert ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.STATUS_CHANGED).count() == 2


def _holding(monkeypatch, module, name, *, before: bool = False) -> threading.Event:
    """Make `module.name` hold on for a while, once its lock is taken (after the call, or before it
    when the caller took the lock already); the event says it is holding, for the other thread."""
    real = getattr(module, name)
    holding = threading.Event()

    def slow(*args, **kwargs):
        result = None if before else real(*args, **kwargs)
        holding.set()
        time.sleep(0.6)
        return real(*args, **kwargs) if before else result

    monkeypatch.setattr(module, name, slow)
    return holding


def test_a_visit_being_saved_when_the_case_closes_is_saved_before_the_closure(monkeypatch) -> None:
    """The visit checked the case was open, then took its time: the closure waits for it."""
    area = AreaFactory()
    officer = UserFactory(area=area)
    supervisor = UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA)
    case = CaseFactory(area=area, spoc=officer)
    request = closure_request(actor=officer, case=case, reason="No incidents for a year")
    checked = _holding(monkeypatch, visit_services, "case_require_open")

    def log():
        return visit_log(actor=officer, case=case, victim=None, occurred_at=timezone.now(), outcome=VisitOutcome.SEEN)

    def close():
        assert checked.wait(timeout=30)  # the visit has checked the case (and holds its share lock)
        return closure_decide(actor=supervisor, request=request, approve=True, comments="")

    visit, decided = all_at_once([log, close])

    assert isinstance(visit, Visit) and decided.status == ClosureStatus.APPROVED
    entries = list(ChronologyEntry.objects.filter(case=case).order_by("pk").values_list("kind", "summary"))
    visit_at = next(i for i, (kind, _) in enumerate(entries) if kind == ChronologyKind.VISIT)
    closed_at = next(i for i, (_, summary) in enumerate(entries) if "to Closed" in summary)
    assert visit_at < closed_at


def test_a_visit_sent_while_the_case_is_closing_is_refused(monkeypatch) -> None:
    """The closure has the case; the visit waits for it, then finds the case closed."""
    area = AreaFactory()
    officer = UserFactory(area=area)
    supervisor = UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA)
    case = CaseFactory(area=area, spoc=officer)
    request = closure_request(actor=officer, case=case, reason="No incidents for a year")
    closing = _holding(monkeypatch, oversight_services, "_wind_down", before=True)

    def close():
        return closure_decide(actor=supervisor, request=request, approve=True, comments="")

    def log():
        assert closing.wait(timeout=30)  # the closure holds the case by now
        return visit_log(actor=officer, case=case, victim=None, occurred_at=timezone.now(), outcome=VisitOutcome.SEEN)

    decided, visit = all_at_once([close, log])

    assert decided.status == ClosureStatus.APPROVED
    assert isinstance(visit, CaseClosedError) and "read only" in visit.message
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and not Visit.objects.filter(case=case).exists()
    assert case.closed_at is not None and case.closed_at <= timezone.now() + datetime.timedelta(seconds=1)


def test_a_referral_accepted_while_the_case_closes_is_refused_without_a_deadlock(monkeypatch) -> None:
    """Closing locks the case, then withdraws its referrals; accepting one checks the case before it
    locks the referral, the same order, so the two wait for each other instead of deadlocking."""
    from referrals.models import ReferralStatus
    from referrals.services import referral_accept, referral_send
    from tests.factories import CaseVictimFactory, VictimSideAgencyFactory
    from tests.oversight.test_closed_cases import _referral

    area = AreaFactory()
    officer = UserFactory(area=area)
    supervisor = UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA)
    housing = VictimSideAgencyFactory()
    worker = UserFactory(area=AreaFactory(agency=housing), role=Role.PARTNER_CASEWORKER)
    case = CaseFactory(area=area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    referral = referral_send(actor=officer, referral=_referral(officer, case, victim.person, housing))
    request = closure_request(actor=officer, case=case, reason="No incidents for a year")
    # The case is locked (case_change_status ran); the referral is not yet.
    closing = _holding(monkeypatch, oversight_services, "_wind_down", before=True)

    def close():
        return closure_decide(actor=supervisor, request=request, approve=True, comments="")

    def accept():
        assert closing.wait(timeout=30)
        return referral_accept(actor=worker, referral=referral)

    decided, accepted = all_at_once([close, accept])

    assert decided.status == ClosureStatus.APPROVED
    assert isinstance(accepted, CaseClosedError), accepted
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
