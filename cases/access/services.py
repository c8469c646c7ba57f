"""Granting and revoking agencies' access to cases, and break-glass access."""

import datetime
import uuid

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from cases.closed import case_require_open
from cases.models import Case
from dacrre.accounts.models import Agency, User
from dacrre.accounts.roles import has_role_permission
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError

from .models import BreakGlassAccess, CaseAccessGrant, CaseGroupObjectPermission, GrantSource

BREAK_GLASS_MIN_REASON = 20


def _case_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="cases", codename=codename)


def _latest_end(ends: list[datetime.datetime | None]) -> datetime.datetime | None:
    """A permission held by several grants ends with the last of them; never, if one is open-ended."""
    return None if None in ends else max(end for end in ends if end is not None)


def _agency_case_permissions_sync(*, case: Case, agency: Agency) -> None:
    """Make the agency group's guardian permissions on the case match its active grants, with their
    end time (visibility reads it: access ends at that time even before the hourly job revokes)."""
    active = list(
        CaseAccessGrant.objects.filter(case=case, agency=agency, revoked_at__isnull=True).values_list(
            "expires_at", "shares_victim_contact"
        )
    )
    wanted: dict[str, datetime.datetime | None] = {}
    if active:
        wanted["view_case"] = _latest_end([ends for ends, _ in active])
        sharing = [ends for ends, shares in active if shares]
        # Perpetrator-side agencies never see victims' contact details, whatever a sender ticked.
        if not agency.is_perpetrator_side and sharing:
            wanted["view_victim_contact"] = _latest_end(sharing)
    for codename in ("view_case", "view_victim_contact"):
        permission = _case_permission(codename)
        existing = CaseGroupObjectPermission.objects.filter(
            group_id=agency.group_id, permission=permission, content_object=case
        )
        if codename not in wanted:
            existing.delete()
        elif not existing.update(expires_at=wanted[codename]):
            CaseGroupObjectPermission.objects.create(
                group_id=agency.group_id, permission=permission, content_object=case, expires_at=wanted[codename]
            )


@transaction.atomic
def case_access_grant(
    *,
    actor: User | None,
    case: Case,
    agency: Agency,
    source_kind: GrantSource | str,
    source_id: uuid.UUID,
    shares_victim_contact: bool = False,
    purpose: str = "",
    request: HttpRequest | None = None,
) -> CaseAccessGrant:
    """Give an agency access to a case for a source (a referral, a meeting). Effective on the next request."""
    case_require_open(case)  # a closed case is shared with no other agency
    if agency.pk == case.owning_agency_id:
        raise ApplicationError("The owning agency already has access to its own case.")
    grant, _ = CaseAccessGrant.objects.get_or_create(
        case=case,
        agency=agency,
        source_kind=source_kind,
        source_id=source_id,
        revoked_at=None,
        defaults={"shares_victim_contact": shares_victim_contact, "purpose": purpose, "granted_by": actor},
    )
    _agency_case_permissions_sync(case=case, agency=agency)
    access_log_record(
        user=actor,
        action=AccessAction.DISCLOSE,
        request=request,
        object_type="case",
        object_id=case.public_id,
        object_label=f"Case {case.reference} shared with {agency.name}",
        case_reference=case.reference,
        detail=(
            f"{grant.get_source_kind_display()}; victim contact details "
            f"{'shared' if shares_victim_contact and not agency.is_perpetrator_side else 'not shared'}."
        ),
    )
    return grant


@transaction.atomic
def case_access_revoke(*, actor: User | None, source_kind: GrantSource | str, source_id: uuid.UUID, reason: str) -> int:
    """Withdraw every grant given by one source. Access given by other sources stays."""
    grants = list(
        CaseAccessGrant.objects.select_related("case", "agency")
        .select_for_update()
        .filter(source_kind=source_kind, source_id=source_id, revoked_at__isnull=True)
    )
    for grant in grants:
        _revoke(actor=actor, grant=grant, reason=reason)
    return len(grants)


@transaction.atomic
def case_access_end_at(*, source_kind: GrantSource | str, source_id: uuid.UUID, ends_at: datetime.datetime) -> int:
    """Access given by one source ends by itself at `ends_at` (a completed referral's retention):
    from then on visibility refuses it, on the next request; the hourly job later revokes it for the
    record. Access given by other sources is untouched."""
    grants = list(
        CaseAccessGrant.objects.select_related("case", "agency")
        .select_for_update()
        .filter(source_kind=source_kind, source_id=source_id, revoked_at__isnull=True)
    )
    for grant in grants:
        grant.expires_at = ends_at
        grant.save(update_fields=["expires_at"])
        _agency_case_permissions_sync(case=grant.case, agency=grant.agency)
    return len(grants)


@transaction.atomic
def case_access_revoke_all(*, actor: User | None, case: Case, reason: str) -> int:
    """On case closure: every other agency loses access."""
    grants = list(
        CaseAccessGrant.objects.select_related("case", "agency")
        .select_for_update()
        .filter(case=case, revoked_at__isnull=True)
    )
    for grant in grants:
        _revoke(actor=actor, grant=grant, reason=reason)
    return len(grants)


def _revoke(*, actor: User | None, grant: CaseAccessGrant, reason: str) -> None:
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    grant.revoke_reason = reason[:200]
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    _agency_case_permissions_sync(case=grant.case, agency=grant.agency)
    access_log_record(
        user=actor,
        action=AccessAction.REVOKE,
        object_type="case",
        object_id=grant.case.public_id,
        object_label=f"Access to case {grant.case.reference} withdrawn from {grant.agency.name}",
        case_reference=grant.case.reference,
        reason=reason,
    )


@transaction.atomic
def break_glass_open(*, user: User, case_reference: str, reason: str, request: HttpRequest | None = None) -> Case:
    """A supervisor opens a case of their own agency outside their scope, giving a reason."""
    if not has_role_permission(user, "permissions.add_breakglassaccess"):
        raise PermissionDeniedError("Only supervisors can open a case outside their scope.")
    reason = reason.strip()
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise ApplicationError(
            f"Explain why you need to open this case (at least {BREAK_GLASS_MIN_REASON} characters).", field="reason"
        )
    case = Case.objects.filter(reference__iexact=case_reference.strip(), owning_agency_id=user.agency_id).first()
    if case is None or user.agency_id is None:
        raise NotFoundError("There is no case with that reference in your agency.", field="case_reference")
    now = timezone.now()
    BreakGlassAccess.objects.create(
        user=user,
        case=case,
        reason=reason,
        opened_at=now,
        expires_at=now + datetime.timedelta(hours=settings.BREAK_GLASS_HOURS),
    )
    access_log_record(
        user=user,
        action=AccessAction.BREAK_GLASS,
        request=request,
        object_type="case",
        object_id=case.public_id,
        object_label=f"Case {case.reference}",
        case_reference=case.reference,
        reason=reason,
        flagged_for_review=True,
    )
    return case


@transaction.atomic
def break_glass_review(*, auditor: User, access: BreakGlassAccess, note: str) -> BreakGlassAccess:
    if not has_role_permission(auditor, "permissions.change_breakglassaccess"):
        raise PermissionDeniedError("Only auditors can review break-glass access.")
    if access.reviewed_at is not None:
        raise ApplicationError("This break-glass access has already been reviewed.")
    access.reviewed_by = auditor
    access.reviewed_at = timezone.now()
    access.review_note = note
    access.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return access
