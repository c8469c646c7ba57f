"""Closed cases come up for review after the schedule's period; a data protection officer retains one
(with a reason and a bounded next review date) or goes on to dispose of it; the reviewers are told."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, RiskLevel
from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import ConflictError, NotFoundError
from records.models import RetentionReview
from records.notices import retention_notices_send
from records.schedule import add_months
from records.selectors import reviews_due_for
from records.services import case_dispose, case_retain
from tests.factories import AreaFactory, CaseFactory, UserFactory
from tests.records.conftest import close_long_ago


@pytest.fixture
def force(db):
    area = AreaFactory()
    dpo = UserFactory(area=None, agency=area.agency, role=Role.DPO, scope=Scope.NONE, email="dpo@example.org")
    return area, dpo


def _closed(area, *, years, risk=RiskLevel.STANDARD):
    return close_long_ago(CaseFactory(area=area, risk_level=risk), years=years)


@pytest.mark.django_db
def test_closed_cases_come_up_after_their_period(force, settings) -> None:
    area, dpo = force
    settings.RETENTION_CASE_REVIEW_MONTHS = 120
    settings.RETENTION_CASE_HIGH_RISK_REVIEW_MONTHS = 180
    due = _closed(area, years=11)
    not_yet = _closed(area, years=9)
    high_not_yet = _closed(area, years=11, risk=RiskLevel.HIGH)
    high_due = _closed(area, years=16, risk=RiskLevel.HIGH)
    open_case = CaseFactory(area=area)
    elsewhere = _closed(AreaFactory(), years=11)
    found = set(reviews_due_for(dpo))
    assert {due, high_due} <= found
    assert not {not_yet, high_not_yet, open_case, elsewhere} & found


@pytest.mark.django_db
def test_the_queue_is_for_the_forces_data_protection_officers(login, force) -> None:
    area, dpo = force
    case = _closed(area, years=11)
    page = login(dpo).get(reverse("records:reviews")).content.decode()
    assert reverse("records:review", args=[case.public_id]) in page and "Due for review (1)" in page
    assert "Retention reviews (1)" in page  # the reminder in the navigation
    for role, scope in [(Role.SUPERVISOR, Scope.AGENCY), (Role.AUDITOR, Scope.NONE), (Role.ADMIN, Scope.NONE)]:
        other = UserFactory(area=area if role == Role.SUPERVISOR else None, agency=area.agency, role=role, scope=scope)
        client = login(other)
        assert client.get(reverse("records:reviews")).status_code == 403
        assert client.get(reverse("records:review", args=[case.public_id])).status_code == 403


@pytest.mark.django_db
def test_retaining_sets_the_next_review_within_bounds(login, force, settings) -> None:
    area, dpo = force
    settings.RETENTION_RETAIN_MAX_MONTHS = 24
    case = _closed(area, years=11)
    client = login(dpo)
    url = reverse("records:review", args=[case.public_id])
    too_late = add_months(timezone.localdate(), 30).strftime("%d/%m/%Y")
    response = client.post(url, {"reason": "New incident reported last month.", "next_review_on": too_late})
    assert response.status_code == 200 and "The next review date must be between" in response.content.decode()
    response = client.post(url, {"reason": "Too short", "next_review_on": "1/1/2030"})
    assert "Enter the reason, in at least 20 characters" in response.content.decode()
    assert not RetentionReview.objects.exists()

    next_review = add_months(timezone.localdate(), 12)
    response = client.post(
        url, {"reason": "New incident reported last month.", "next_review_on": next_review.strftime("%d/%m/%Y")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("records:reviews")
    assert f"Case {case.reference} retained" in client.get(response["Location"]).content.decode()
    decision = RetentionReview.objects.get()
    assert (decision.case, decision.decided_by, decision.next_review_on) == (case, dpo, next_review)
    assert case not in reviews_due_for(dpo)
    assert client.get(url).status_code == 404  # not due any more
    assert case in reviews_due_for(dpo, next_review)  # due again on the date set


@pytest.mark.django_db
def test_two_reviewers_cannot_both_decide(force) -> None:
    """The second decision finds the case already decided (the row lock makes it wait, then see it)."""
    area, dpo = force
    colleague = UserFactory(area=None, agency=area.agency, role=Role.DPO, scope=Scope.NONE)
    case = _closed(area, years=11)
    next_review = add_months(timezone.localdate(), 12)
    case_retain(
        actor=dpo, case_id=case.public_id, reason="New incident reported last month.", next_review_on=next_review
    )
    with pytest.raises(ConflictError, match="was retained by"):
        case_retain(
            actor=colleague,
            case_id=case.public_id,
            reason="Also retained, by someone else.",
            next_review_on=next_review,
        )
    with pytest.raises(ConflictError):
        case_dispose(actor=colleague, case_id=case.public_id, reason="Disposed after it was retained.")
    other = _closed(area, years=11)
    case_dispose(actor=dpo, case_id=other.public_id, reason="Review period passed; nothing since.")
    with pytest.raises(NotFoundError, match="disposed of"):
        case_dispose(actor=colleague, case_id=other.public_id, reason="Review period passed; nothing since.")
    assert not Case.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_a_case_reopened_and_closed_again_counts_from_its_last_closure(force) -> None:
    area, dpo = force
    case = _closed(area, years=11)
    case_retain(
        actor=dpo,
        case_id=case.public_id,
        reason="New incident reported last month.",
        next_review_on=add_months(timezone.localdate(), 1),
    )
    # Reopened, then closed again a month ago: the retention was decided before that closure.
    RetentionReview.objects.update(decided_at=timezone.now() - datetime.timedelta(days=60))
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=30))
    later = add_months(timezone.localdate(), 2)
    assert case not in reviews_due_for(dpo, later)  # the old retention no longer counts; 120 months from now


@pytest.mark.django_db
def test_the_reviewers_are_told_weekly_when_cases_are_due(force) -> None:
    area, dpo = force
    today = timezone.localdate()
    assert retention_notices_send(today=today) == 0  # nothing due: no e-mail
    _closed(area, years=11)
    assert retention_notices_send(today=today) == 1
    assert mail.outbox[-1].to == ["dpo@example.org"]
    assert "1 closed case is due for a retention review" in mail.outbox[-1].body
    assert reverse("records:reviews") in mail.outbox[-1].body
    assert retention_notices_send(today=today) == 0  # a second run the same day
    assert retention_notices_send(today=today + datetime.timedelta(days=6)) == 0
    assert retention_notices_send(today=today + datetime.timedelta(days=7)) == 1


@pytest.mark.django_db
def test_the_queue_and_the_disposal_records_take_a_fixed_number_of_queries(login, force) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    area, dpo = force
    client = login(dpo)

    def queries() -> dict[str, int]:
        counted = {}
        for name in ("records:reviews", "records:disposals"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse(name)).status_code == 200
            counted[name] = len(captured)
        return counted

    def add(due: int, disposed: int) -> None:
        for _ in range(due):
            _closed(area, years=11)
        for _ in range(disposed):
            case = _closed(area, years=11)
            case_dispose(actor=dpo, case_id=case.public_id, reason="Review period passed; nothing since.")

    add(due=1, disposed=1)
    few = queries()
    add(due=5, disposed=3)
    assert queries() == few
    queue = client.get(reverse("records:reviews")).content.decode()
    assert "Due for review (6)" in queue
    assert client.get(reverse("records:disposals")).content.decode().count("/records/disposals/") >= 4
