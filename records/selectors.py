"""Reads for records management: the closed cases due for review, and a case as its reviewer sees
it. Only the reviewer's own force's cases (`records.rules.can_manage_records`)."""

import datetime
import uuid

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cases.models import Case, CaseStatus, RiskLevel
from dacrre.accounts.models import User
from dacrre.core.exceptions import NotFoundError

from .models import DisposalRecord, RetentionReview, SubjectAccessRequest
from .rules import can_manage_records
from .schedule import case_first_review_on, cutoff_for


def _latest_next_review() -> Subquery:
    """The next review date set by the latest decision to retain since the case was (last) closed."""
    return Subquery(
        RetentionReview.objects.filter(case=OuterRef("pk"), decided_at__gte=OuterRef("closed_at"))
        .order_by("-decided_at", "-id")
        .values("next_review_on")[:1]
    )


def closed_cases_of(user: User) -> QuerySet[Case]:
    if not can_manage_records(user):
        return Case.objects.none()
    return Case.objects.filter(owning_agency_id=user.agency_id, status=CaseStatus.CLOSED).annotate(
        next_review_on=_latest_next_review()
    )


def _due_q(today: datetime.date) -> Q:
    from django.conf import settings

    high = cutoff_for(settings.RETENTION_CASE_HIGH_RISK_REVIEW_MONTHS, today)
    other = cutoff_for(settings.RETENTION_CASE_REVIEW_MONTHS, today)
    first_due = Q(risk_level=RiskLevel.HIGH, closed_at__lt=high) | (
        ~Q(risk_level=RiskLevel.HIGH) & Q(closed_at__lt=other)
    )
    return Q(next_review_on__lte=today) | (Q(next_review_on__isnull=True) & first_due)


def reviews_due_for(user: User, today: datetime.date | None = None) -> QuerySet[Case]:
    """The user's force's closed cases whose review is due, longest closed first."""
    today = today or timezone.localdate()
    return closed_cases_of(user).filter(_due_q(today)).select_related("area", "operation").order_by("closed_at", "pk")


def reviews_due_count(user: User) -> int:
    return reviews_due_for(user).count() if can_manage_records(user) else 0


def review_due_on(case: Case) -> datetime.date:
    """When the case came (or comes) up for review: the next review date of its latest retention, or
    the schedule's period after closure."""
    next_review = getattr(case, "next_review_on", None)
    return next_review if next_review is not None else case_first_review_on(case)


def review_case_get_for(user: User, public_id: uuid.UUID | str) -> Case:
    """A closed case of the user's force that is due for review; NotFoundError otherwise (one not
    due, another force's, or disposed of already, alike)."""
    try:
        return (
            reviews_due_for(user)
            .select_related("perpetrator__person", "owning_agency", "spoc", "offender_manager", "idva")
            .get(public_id=public_id)
        )
    except (Case.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Case not found.") from exc


def disposals_of(user: User) -> QuerySet[DisposalRecord]:
    if not can_manage_records(user):
        return DisposalRecord.objects.none()
    return DisposalRecord.objects.filter(owning_agency_id=user.agency_id).select_related(
        "area", "operation", "disposed_by"
    )


def subject_access_request_get_for(user: User, public_id: uuid.UUID | str) -> SubjectAccessRequest:
    """One of the force's subject access requests, for its data protection officers."""
    sar = None
    if can_manage_records(user) and user.agency_id is not None:
        requests = SubjectAccessRequest.objects.filter(agency_id=user.agency_id).select_related(
            "person", "requested_by"
        )
        sar = requests.filter(public_id=public_id).first()
    if sar is None:
        raise NotFoundError("No such request.")
    return sar
