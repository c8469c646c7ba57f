"""Which referrals a user sees: those sent by their agency on cases they can see, and those
received by their agency (the receiving agency needs the referral before it has the case)."""

import uuid
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cases.selectors import cases_visible_to
from dacrre.accounts.models import User
from dacrre.core.exceptions import NotFoundError

from .models import Referral, ReferralStatus


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    if not user.is_authenticated or not user.is_active or user.agency_id is None:
        return Referral.objects.none()
    received = Q(to_agency_id=user.agency_id) & ~Q(status=ReferralStatus.DRAFT)
    sent = Q(from_agency_id=user.agency_id, case__in=cases_visible_to(user))
    return Referral.objects.filter(received | sent)


def referral_get_for(user: User, public_id: uuid.UUID | str) -> Referral:
    try:
        return (
            referrals_visible_to(user)
            .select_related("case", "subject_person", "from_agency", "to_agency", "created_by", "responded_by")
            .get(public_id=public_id)
        )
    except (Referral.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Referral not found.") from exc


def _with_people(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related("case", "subject_person", "from_agency", "to_agency")


def inbox_for(user: User) -> QuerySet[Referral]:
    """Referrals received by the user's agency that still need something: sent or accepted."""
    if user.agency_id is None:
        return Referral.objects.none()
    return _with_people(
        Referral.objects.filter(to_agency_id=user.agency_id, status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED])
    ).order_by("response_due_on", "sent_at")


def sent_by_agency_of(user: User) -> QuerySet[Referral]:
    if user.agency_id is None:
        return Referral.objects.none()
    return _with_people(
        Referral.objects.filter(from_agency_id=user.agency_id, case__in=cases_visible_to(user))
    ).order_by("-created_at")


def awaiting_response_count(user: User) -> int:
    """The navigation's count, on every page: one index range."""
    if user.agency_id is None:
        return 0
    return Referral.objects.filter(to_agency_id=user.agency_id, status=ReferralStatus.SENT).count()


@dataclass(frozen=True)
class InboxCounts:
    new: int
    awaiting_response: int
    overdue: int
    accepted: int


def inbox_counts_for(user: User) -> InboxCounts:
    """All four counts in one query."""
    if user.agency_id is None:
        return InboxCounts(0, 0, 0, 0)
    sent = Q(status=ReferralStatus.SENT)
    # Only sent and accepted ones count: the filter lets the (to_agency, status) index skip the rest.
    counts = Referral.objects.filter(
        to_agency_id=user.agency_id, status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED]
    ).aggregate(
        new=Count("pk", filter=sent & Q(first_opened_at__isnull=True)),
        awaiting_response=Count("pk", filter=sent),
        overdue=Count("pk", filter=sent & Q(response_due_on__lt=timezone.localdate())),
        accepted=Count("pk", filter=Q(status=ReferralStatus.ACCEPTED)),
    )
    return InboxCounts(**counts)
