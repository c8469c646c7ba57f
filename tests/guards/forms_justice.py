"""Justice outcome forms in the every-form guard (tests/guards/test_every_form.py)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from justice.models import EventKind, Investigation, NfaReview, ReviewStatus, VictimUpdate
from tests.factories import IncidentFactory
from tests.guards.test_every_form import Submission, World, day, form


def _crime(w: World):
    return IncidentFactory(
        area=w.area, perpetrator=w.case.perpetrator, occurred_at=timezone.now() - datetime.timedelta(days=3)
    )


@form("justice:record")
def _record(w: World) -> Submission:
    crime = _crime(w)
    return Submission(
        user=w.officer,
        url=reverse("justice:record", args=[w.case.public_id, crime.public_id]),
        data={"kind": EventKind.ARREST, "occurred_on": day(-1), "occurred_time": "10:30", "by_whom": "PC 12"},
        redirect=reverse("justice:case", args=[w.case.public_id]),
        message="Arrest recorded.",
        check=lambda _: Investigation.objects.get(incident=crime).events.filter(kind=EventKind.ARREST).count() == 1,
    )


@form("justice:nfa_review")
def _review(w: World) -> Submission:
    from justice.services import Step, outcome_record

    event = outcome_record(
        actor=w.officer,
        case=w.case,
        incident=_crime(w),
        step=Step(
            kind=EventKind.NFA,
            occurred_at=timezone.now() - datetime.timedelta(hours=2),
            outcome_type="16",
            reason="The victim withdrew support.",
        ),
    )
    review = NfaReview.objects.get(event=event)
    return Submission(
        user=w.supervisor,
        url=reverse("justice:nfa_review", args=[w.case.public_id, review.public_id]),
        data={"decision": "upheld", "comments": "Evidence reviewed; no realistic prospect without the victim."},
        redirect=reverse("justice:nfa_queue"),
        message="Review recorded.",
        check=lambda _: NfaReview.objects.get(pk=review.pk).status == ReviewStatus.REVIEWED,
    )


@form("justice:victim_update")
def _victim_update(w: World) -> Submission:
    w.victim  # noqa: B018 - the case's victim, with safe-contact arrangements recorded
    return Submission(
        user=w.officer,
        url=reverse("justice:victim_update", args=[w.case.public_id]),
        data={
            "victim": str(w.victim.public_id),
            "given_on": day(0),
            "method": "safe_phone",
            "about": "Told of the arrest and the bail conditions.",
        },
        redirect=reverse("justice:case", args=[w.case.public_id]),
        message="Update recorded.",
        check=lambda _: VictimUpdate.objects.filter(case=w.case, given_by=w.officer).count() == 1,
    )
