"""Referral transitions: each its own service, chronology entry and, where access changes, grant."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from cases.access.models import CaseAccessGrant, GrantSource
from cases.access.services import case_access_end_at, case_access_grant, case_access_revoke
from cases.models import Case, ChronologyKind, ChronologyVisibility
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import Agency, Role, User
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.dates import add_working_days
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from dacrre.core.models import reference_next
from people.models import Person
from reminders.models import ReminderKind
from reminders.services import reminders_close

from .models import (
    RESPONSE_WORKING_DAYS,
    Consent,
    Referral,
    ReferralStatus,
    ReferralUpdate,
    Sharing,
    SubjectRole,
    Urgency,
)
from .rules import can_make_referral, can_respond_to_referral, can_withdraw_referral

# Who may authorise sending a referral without the person's consent.
CONSENT_OVERRIDE_ROLES = {Role.SUPERVISOR}


def _case_people(case: Case) -> dict[int, str]:
    people: dict[int, str] = {case.perpetrator.person_id: SubjectRole.PERPETRATOR}
    people.update(dict.fromkeys(case.victims.values_list("person_id", flat=True), SubjectRole.VICTIM))
    people.update(dict.fromkeys(case.children.values_list("person_id", flat=True), SubjectRole.CHILD))
    return people


def _close_response_reminder(referral: Referral) -> None:
    """Answered (or withdrawn): the receiving agency no longer owes a response."""
    reminders_close(
        case=referral.case, kinds=[ReminderKind.REFERRAL_RESPONSE_OVERDUE], subject_key=f"referral:{referral.pk}"
    )


def _record(referral: Referral, actor: User | None, summary: str) -> None:
    referral._history_user = actor  # type: ignore[attr-defined]
    chronology_record(case=referral.case, kind=ChronologyKind.REFERRAL, summary=summary, actor=actor)


@transaction.atomic
def referral_create(
    *,
    actor: User,
    case: Case,
    subject_person: Person,
    to_agency: Agency | None,
    external_agency_name: str = "",
    external_agency_contact: str = "",
    reason: str,
    urgency: Urgency | str,
    sharing: Sharing | str,
    consent: Consent | str,
    consent_method: str = "",
    consent_override_reason: str = "",
    consent_override_authorised_role: str = "",
    consent_override_authorised_by: str = "",
) -> Referral:
    """A draft referral. Checks what can be checked before it is sent."""
    case_require_open(case)
    if not can_make_referral(actor, case):
        raise PermissionDeniedError("You cannot make referrals on this case.")
    if (to_agency is None) == (not external_agency_name.strip()):
        raise ApplicationError(
            "Choose an agency on the system, or name the agency that is not on it", field="to_agency"
        )
    if to_agency is not None and to_agency.pk == actor.agency_id:
        raise ApplicationError("You cannot refer to your own agency", field="to_agency")
    roles = _case_people(case)
    if subject_person.pk not in roles:
        raise ApplicationError("Choose a person in this case", field="subject_person")
    if not reason.strip():
        raise ApplicationError("Enter the reason for the referral", field="reason")
    _check_consent(consent, consent_method, consent_override_reason, consent_override_authorised_role)
    referral = Referral(
        reference=reference_next(prefix=Referral.REFERENCE_PREFIX),
        case=case,
        subject_person=subject_person,
        subject_role=roles[subject_person.pk],
        from_agency=actor.agency,
        created_by=actor,
        to_agency=to_agency,
        external_agency_name=external_agency_name.strip() if to_agency is None else "",
        external_agency_contact=external_agency_contact.strip() if to_agency is None else "",
        reason=reason.strip(),
        urgency=urgency,
        # Perpetrator-side agencies never receive victims' contact details, whatever was ticked.
        sharing=Sharing.SUMMARY if to_agency is not None and to_agency.is_perpetrator_side else sharing,
        consent=consent,
        consent_method=consent_method if consent == Consent.GIVEN else "",
        consent_override_reason=consent_override_reason.strip() if consent == Consent.OVERRIDDEN else "",
        consent_override_authorised_role=consent_override_authorised_role if consent == Consent.OVERRIDDEN else "",
        consent_override_authorised_by=consent_override_authorised_by.strip() if consent == Consent.OVERRIDDEN else "",
    )
    referral._history_user = actor  # type: ignore[attr-defined]
    referral.save()
    return referral


def _check_consent(consent: str, method: str, override_reason: str, override_role: str) -> None:
    if consent == Consent.GIVEN and not method:
        raise ApplicationError("Say how consent was given", field="consent_method")
    if consent == Consent.OVERRIDDEN:
        if not override_reason.strip():
            raise ApplicationError(
                "Enter why the referral is necessary without consent", field="consent_override_reason"
            )
        if override_role not in CONSENT_OVERRIDE_ROLES:
            raise ApplicationError(
                "A consent override must be authorised by a supervisor", field="consent_override_authorised_role"
            )


def _require_status(referral: Referral, *allowed: ReferralStatus, action: str) -> None:
    if referral.status not in allowed:
        status = referral.get_status_display().lower()
        article = "An" if status[:1] in "aeiou" else "A"
        raise InvalidTransitionError(f"{article} {status} referral cannot be {action}.")


def _locked(referral: Referral) -> Referral:
    """The referral, locked, for a transition; its case must be open. The case is checked (and
    share-locked) before the referral is locked, in the order closing a case takes them."""
    case_require_open(referral.case)
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "to_agency", "from_agency")
        .get(pk=referral.pk)
    )


@transaction.atomic
def referral_send(*, actor: User, referral: Referral, request: HttpRequest | None = None) -> Referral:
    referral = _locked(referral)
    if not can_withdraw_referral(actor, referral):
        raise PermissionDeniedError("Only the referring agency can send this referral.")
    _require_status(referral, ReferralStatus.DRAFT, action="sent")
    if referral.consent == Consent.REFUSED:
        raise ApplicationError(
            "Consent was refused. A referral can only be sent with consent, or with an override authorised by a "
            "supervisor."
        )
    referral.status = ReferralStatus.SENT
    referral.sent_at = timezone.now()
    referral.response_due_on = add_working_days(timezone.localdate(), RESPONSE_WORKING_DAYS[Urgency(referral.urgency)])
    referral.save(update_fields=["status", "sent_at", "response_due_on"])
    _record(referral, actor, f"Referral {referral.reference} sent to {referral.recipient_name}: {referral.reason}")
    if referral.is_external:
        referral_log_disclosure(
            actor=actor, referral=referral, request=request, detail="Referral to an agency not on the system"
        )
    return referral


def referral_log_disclosure(*, actor: User, referral: Referral, request: HttpRequest | None, detail: str) -> None:
    access_log_record(
        user=actor,
        action=AccessAction.DISCLOSE,
        request=request,
        object_type="referral",
        object_id=referral.public_id,
        object_label=f"Referral {referral.reference} to {referral.recipient_name}",
        case_reference=referral.case.reference,
        person_id=referral.subject_person.public_id,
        person_label=referral.subject_person.full_name,
        detail=f"{detail}; victim contact details {'shared' if referral.shares_victim_contact else 'not shared'}.",
    )


def referral_mark_opened(*, actor: User, referral: Referral) -> None:
    """The first time anyone of the receiving agency opens it, it stops being 'new'."""
    if referral.to_agency_id == actor.agency_id and referral.first_opened_at is None:
        Referral.objects.filter(pk=referral.pk, first_opened_at__isnull=True).update(first_opened_at=timezone.now())


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral, request: HttpRequest | None = None) -> Referral:
    referral = _locked(referral)
    if not can_respond_to_referral(actor, referral):
        raise PermissionDeniedError("Only the agency the referral was sent to can accept it.")
    _require_status(referral, ReferralStatus.SENT, action="accepted")
    assert referral.to_agency is not None  # noqa: S101 - can_respond_to_referral requires a receiving agency
    referral.status = ReferralStatus.ACCEPTED
    referral.responded_at = timezone.now()
    referral.responded_by = actor
    referral.save(update_fields=["status", "responded_at", "responded_by"])
    _close_response_reminder(referral)
    case_access_grant(
        actor=actor,
        case=referral.case,
        agency=referral.to_agency,
        source_kind=GrantSource.REFERRAL,
        source_id=referral.public_id,
        shares_victim_contact=referral.shares_victim_contact,
        purpose=f"Referral {referral.reference}",
        request=request,
    )
    _record(referral, actor, f"Referral {referral.reference} accepted by {referral.to_agency.name}.")
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    referral = _locked(referral)
    if not can_respond_to_referral(actor, referral):
        raise PermissionDeniedError("Only the agency the referral was sent to can decline it.")
    _require_status(referral, ReferralStatus.SENT, action="declined")
    if not reason.strip():
        raise ApplicationError("Enter why the referral is declined", field="reason")
    referral.status = ReferralStatus.DECLINED
    referral.responded_at = timezone.now()
    referral.responded_by = actor
    referral.decline_reason = reason.strip()
    referral.save(update_fields=["status", "responded_at", "responded_by", "decline_reason"])
    _close_response_reminder(referral)
    _record(referral, actor, f"Referral {referral.reference} declined by {referral.recipient_name}: {reason.strip()}")
    return referral


@transaction.atomic
def referral_complete(*, actor: User, referral: Referral, outcome: str) -> Referral:
    """The receiving agency completes an accepted referral (the sender completes an external one).
    The receiving agency keeps access for the retention window: the grant ends by itself then, and
    the hourly sweep revokes it for the record."""
    referral = _locked(referral)
    if referral.is_external:
        if not can_withdraw_referral(actor, referral):
            raise PermissionDeniedError("Only the referring agency can complete a referral to an external agency.")
        _require_status(referral, ReferralStatus.SENT, action="completed")
    else:
        if not can_respond_to_referral(actor, referral):
            raise PermissionDeniedError("Only the agency the referral was sent to can complete it.")
        _require_status(referral, ReferralStatus.ACCEPTED, action="completed")
    if not outcome.strip():
        raise ApplicationError("Enter the outcome of the referral", field="outcome")
    now = timezone.now()
    referral.status = ReferralStatus.COMPLETED
    referral.completed_at = now
    referral.outcome = outcome.strip()
    referral.access_ends_at = now + datetime.timedelta(days=settings.REFERRAL_ACCESS_RETENTION_DAYS)
    referral.save(update_fields=["status", "completed_at", "outcome", "access_ends_at"])
    _record(referral, actor, f"Referral {referral.reference} completed. Outcome: {outcome.strip()}")
    if settings.REFERRAL_ACCESS_RETENTION_DAYS == 0:
        case_access_revoke(
            actor=actor, source_kind=GrantSource.REFERRAL, source_id=referral.public_id, reason="Referral completed"
        )
    else:
        case_access_end_at(
            source_kind=GrantSource.REFERRAL, source_id=referral.public_id, ends_at=referral.access_ends_at
        )
    return referral


@transaction.atomic
def referral_withdraw(*, actor: User, referral: Referral, reason: str) -> Referral:
    referral = _locked(referral)
    if not can_withdraw_referral(actor, referral):
        raise PermissionDeniedError("Only the referring agency can withdraw this referral.")
    _require_status(referral, ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED, action="withdrawn")
    if not reason.strip():
        raise ApplicationError("Enter why the referral is withdrawn", field="reason")
    referral.status = ReferralStatus.WITHDRAWN
    referral.withdrawn_at = timezone.now()
    referral.withdraw_reason = reason.strip()
    referral.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
    _close_response_reminder(referral)
    case_access_revoke(
        actor=actor,
        source_kind=GrantSource.REFERRAL,
        source_id=referral.public_id,
        reason=f"Referral withdrawn: {reason.strip()}",
    )
    _record(referral, actor, f"Referral {referral.reference} withdrawn: {reason.strip()}")
    return referral


@transaction.atomic
def referral_add_update(*, actor: User, referral: Referral, text: str) -> ReferralUpdate:
    case_require_open(referral.case)
    involved = actor.agency_id in {referral.to_agency_id, referral.from_agency_id}
    if not involved or not (can_respond_to_referral(actor, referral) or can_withdraw_referral(actor, referral)):
        raise PermissionDeniedError("Only the two agencies of a referral can add updates to it.")
    if referral.status not in (ReferralStatus.SENT, ReferralStatus.ACCEPTED):
        raise InvalidTransitionError("Updates can be added while a referral is sent or accepted.")
    if not text.strip():
        raise ApplicationError("Enter the action or update", field="text")
    assert actor.agency is not None  # noqa: S101 - `involved` needs an agency
    update = ReferralUpdate.objects.create(referral=referral, author=actor, agency=actor.agency, text=text.strip())
    chronology_record(
        case=referral.case,
        kind=ChronologyKind.REFERRAL,
        summary=f"Update on referral {referral.reference} from {update.agency.name}: {update.text}",
        actor=actor,
        visibility=ChronologyVisibility.VICTIM_SIDE
        if referral.subject_role != SubjectRole.PERPETRATOR
        else ChronologyVisibility.ALL,
    )
    return update


def referrals_expire_access(*, now: datetime.datetime | None = None) -> int:
    """Remove access kept after completion once the retention window has passed. Idempotent."""
    now = now or timezone.now()
    due = Referral.objects.filter(status=ReferralStatus.COMPLETED, access_ends_at__lte=now).filter(
        Q(
            public_id__in=CaseAccessGrant.objects.filter(
                source_kind=GrantSource.REFERRAL, revoked_at__isnull=True
            ).values("source_id")
        )
    )
    count = 0
    for public_id in due.values_list("public_id", flat=True):
        count += case_access_revoke(
            actor=None, source_kind=GrantSource.REFERRAL, source_id=public_id, reason="Referral retention ended"
        )
    return count
