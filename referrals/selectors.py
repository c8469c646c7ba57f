"""Which referrals a user sees: those sent by their agency on cases they can see, and those
received by their agency (the receiving agency needs the referral before it has the case)."""

import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Case
from cases.selectors import cases_visible_to
from dacrre.accounts.models import User
from dacrre.core.exceptions import NotFoundError

from .models import Referral, ReferralStatus
from .rules import can_use_referrals


def _received_q(user: User) -> Q:
    """Received by the user's agency (the receiving agency needs a referral before it has the case)."""
    return Q(to_agency_id=user.agency_id) & ~Q(status=ReferralStatus.DRAFT)


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    if not can_use_referrals(user):
        return Referral.objects.none()
    sent = Q(from_agency_id=user.agency_id, case__in=cases_visible_to(user))
    return Referral.objects.filter(_received_q(user) | sent)


def referrals_on_case(user: User, case: Case) -> QuerySet[Referral]:
    """A case's referrals for a user who can see the case (the caller checked): the same rule as
    referrals_visible_to, without working out again every case the user sees."""
    if not can_use_referrals(user):
        return Referral.objects.none()
    return Referral.objects.filter(_received_q(user) | Q(from_agency_id=user.agency_id), case=case)


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
    if not can_use_referrals(user):
        return Referral.objects.none()
    return _with_people(
        Referral.objects.filter(to_agency_id=user.agency_id, status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED])
    ).order_by("response_due_on", "sent_at")


def sent_by_agency_of(user: User) -> QuerySet[Referral]:
    if not can_use_referrals(user):
        return Referral.objects.none()
    return _with_people(
        Referral.objects.filter(from_agency_id=user.agency_id, case__in=cases_visible_to(user))
    ).order_by("-created_at")


def awaiting_response(user: User) -> QuerySet[Referral]:
    """Referrals received by the user's agency awaiting a response: the navigation counts them (one
    index range)."""
    if not can_use_referrals(user):
        return Referral.objects.none()
    return Referral.objects.filter(to_agency_id=user.agency_id, status=ReferralStatus.SENT)


def awaiting_response_count(user: User) -> int:
    return awaiting_response(user).count() if can_use_referrals(user) else 0


@dataclass(frozen=True)
class InboxCounts:
    new: int
    awaiting_response: int
    overdue: int
    accepted: int


def inbox_counts_of(awaiting: list[Referral], accepted: int) -> InboxCounts:
    """The inbox's counts from the referrals awaiting a response (all of them) and the number accepted:
    the inbox page has both already, so no further query."""
    today = timezone.localdate()
    return InboxCounts(
        new=sum(1 for r in awaiting if r.first_opened_at is None),
        awaiting_response=len(awaiting),
        overdue=sum(1 for r in awaiting if r.response_due_on is not None and r.response_due_on < today),
        accepted=accepted,
    )
