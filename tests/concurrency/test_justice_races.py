"""Two officers recording on one crime at the same moment, on a real PostgreSQL: the crime's
investigation row is locked, so a charge and an NFA sent together give one outcome, and the other
officer is told why theirs was refused; two reviews of one NFA decision make one review."""

import datetime

import pytest
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from justice.models import EventKind, Investigation, JusticeEvent, NfaReview, ReviewStatus
from justice.services import Step, outcome_record
from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.concurrency.conftest import all_at_once, form_token
from tests.factories import CaseFactory, IncidentFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_charge_and_an_nfa_sent_at_once_give_one_outcome(signed_in) -> None:
    first = UserFactory(scope=Scope.AREA)
    officers = [first, UserFactory(area=first.area, scope=Scope.AREA)]
    area = first.area
    case = CaseFactory(area=area, spoc=officers[0])
    crime = IncidentFactory(area=area, perpetrator=case.perpetrator)
    url = f"/justice/cases/{case.public_id}/crimes/{crime.public_id}/record/"
    today = timezone.localdate().strftime("%d/%m/%Y")
    forms = [
        {"kind": "charge", "occurred_on": today},
        {"kind": "nfa", "occurred_on": today, "nfa_outcome": "16", "reason": "The victim withdrew support."},
    ]
    posts = []
    for officer, data in zip(officers, forms, strict=True):
        client = signed_in(officer)
        data = {**data, "form_token": form_token(client.get(url))}
        posts.append(lambda client=client, data=data: client.post(url, data))

    responses = all_at_once(posts)

    assert not any(isinstance(r, Exception) for r in responses), responses
    closing = JusticeEvent.objects.filter(investigation__incident=crime, kind__in=[EventKind.CHARGE, EventKind.NFA])
    assert closing.count() == 1
    investigation = Investigation.objects.get(incident=crime)
    assert investigation.status == closing.get().kind.replace("charge", "charged")
    refused = [r for r in responses if r.status_code == 200]
    assert len(refused) == 1 and "cannot take" in refused[0].content.decode()
    reviews = NfaReview.objects.filter(case=case).count()
    assert reviews == (1 if investigation.status == "nfa" else 0)


def test_two_sergeants_reviewing_one_nfa_at_once_make_one_review(signed_in) -> None:
    officer = UserFactory()
    area = officer.area
    sergeants = [UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA) for _ in range(2)]
    case = CaseFactory(area=area, spoc=officer)
    crime = IncidentFactory(area=area, perpetrator=case.perpetrator)
    event = outcome_record(
        actor=officer,
        case=case,
        incident=crime,
        step=Step(
            kind=EventKind.NFA,
            occurred_at=timezone.now() - datetime.timedelta(hours=1),
            outcome_type="15",
            reason="Evidential difficulties.",
        ),
    )
    review = NfaReview.objects.get(event=event)
    url = f"/justice/cases/{case.public_id}/nfa/{review.public_id}/"
    posts = []
    for sergeant, decision in zip(sergeants, ["upheld", "overturned"], strict=True):
        client = signed_in(sergeant)
        data = {"form_token": form_token(client.get(url)), "decision": decision, "comments": "Reviewed the file."}
        posts.append(lambda client=client, data=data: client.post(url, data))

    responses = all_at_once(posts)

    assert not any(isinstance(r, Exception) for r in responses), responses
    review.refresh_from_db()
    assert review.status == ReviewStatus.REVIEWED
    assert sorted(r.status_code for r in responses) == [200, 302]
    assert Reminder.objects.get(kind=ReminderKind.NFA_REVIEW_DUE, case=case).status == ReminderStatus.DONE
