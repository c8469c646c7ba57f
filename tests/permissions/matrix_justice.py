"""Justice outcome pages in the permission matrix: everyone who sees the case reads its outcomes
(perpetrator-side agencies included); the owning force's officers and supervisors record them; its
supervisors review NFA decisions and have the queue; Victims' Code updates are recorded by those who
may see the victims' contact details and work with the victim (owning force, victim-side IDVAs)."""

import datetime

from django.utils import timezone

from justice.models import EventKind, Investigation, InvestigationStatus, JusticeEvent, NfaReview
from tests.factories import IncidentFactory
from tests.permissions.test_matrix import (
    ACTORS,
    FORCE_SUPERVISORS,
    OWNING_CASEWORKERS,
    SEE_CASE,
    SUPERVISORS,
    VICTIM_SIDE_PARTNERS,
)


def _nfa(world) -> tuple:
    existing = NfaReview.objects.filter(case=world.case).select_related("event__investigation__incident").first()
    if existing is not None:
        return existing.event.investigation.incident, existing
    crime = IncidentFactory(
        area=world.case.area,
        perpetrator=world.case.perpetrator,
        occurred_at=timezone.now() - datetime.timedelta(days=4),
    )
    investigation = Investigation.objects.create(
        case=world.case,
        incident=crime,
        status=InvestigationStatus.NFA,
        outcome_type="16",
        outcome_on=timezone.localdate(),
    )
    event = JusticeEvent.objects.create(
        investigation=investigation,
        kind=EventKind.NFA,
        occurred_at=timezone.now() - datetime.timedelta(days=1),
        outcome_type="16",
        reason="The victim withdrew support.",
        recorded_by=world.case.spoc,
    )
    review = NfaReview.objects.create(event=event, case=world.case, due_on=timezone.localdate())
    return crime, review


def entries(world) -> dict:
    crime, review = _nfa(world)
    case = world.case.public_id
    see = {a: 200 if a in SEE_CASE else 404 for a in ACTORS}
    record = {a: (200 if a in OWNING_CASEWORKERS else 403) if a in SEE_CASE else 404 for a in ACTORS}
    reviewers = OWNING_CASEWORKERS & FORCE_SUPERVISORS
    review_post = {a: (200 if a in reviewers else 403) if a in SEE_CASE else 404 for a in ACTORS}
    updaters = OWNING_CASEWORKERS | VICTIM_SIDE_PARTNERS
    update = {a: (200 if a in updaters else 403) if a in SEE_CASE else 404 for a in ACTORS}
    return {
        "justice:case": ("get", [case], see),
        "justice:record": ("get", [case, crime.public_id], record),
        "justice:nfa_review": ("get", [case, review.public_id], see, review_post),
        "justice:nfa_queue": ("get", [], {a: 200 if a in SUPERVISORS else 403 for a in ACTORS}),
        "justice:victim_update": ("get", [case], update),
    }
