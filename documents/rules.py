"""Who may see which documents and who may add them: the predicates, defined once, shared by the
selectors, the services, the pages and their templates.

Seeing a document needs, first, seeing what it is attached to (its case, visit, order, referral,
meeting or person: each by its own selector), then its own visibility:

- everyone who sees what it is attached to;
- victim-side only: never a perpetrator-side agency;
- contains a victim's address or contact details: only where the victim's contact details are
  allowed (the owning force, and agencies given them with consent: `case_victim_contact_allowed`),
  never a perpetrator-side agency.
"""

from cases.access.rules import can_record_order, can_record_visit
from cases.models import Case, CaseStatus
from dacrre.accounts.models import CASEWORK_ROLES, User
from meetings.rules import can_manage_meeting
from referrals.rules import can_add_referral_update

from .models import DocumentVisibility, TargetKind


def can_see_document_visibility(user: User, visibility: str, *, contact_allowed: bool) -> bool:
    """The document's own side, for a user who sees what it is attached to."""
    if visibility == DocumentVisibility.ALL:
        return True
    if user.agency_id is None or user.is_perpetrator_side:
        return False
    if visibility == DocumentVisibility.VICTIM_SIDE:
        return True
    return contact_allowed


def is_victim_side_target(target_kind: str, record: object) -> bool:
    """A visit to a victim, and a victim or child (their person record), are victim-side: their
    documents are never for perpetrator-side agencies, whatever visibility was chosen."""
    if target_kind == TargetKind.VISIT:
        return getattr(record, "victim_id", None) is not None
    if target_kind == TargetKind.PERSON:
        return hasattr(record, "victim") or hasattr(record, "child")
    return False


def visibilities_for(user: User, *, contact_allowed: bool, victim_side: bool = False) -> list[str]:
    """The visibilities a user may give a document they add: only those they could see themselves,
    and never "everyone" on a victim-side record."""
    return [
        value
        for value in DocumentVisibility.values
        if can_see_document_visibility(user, value, contact_allowed=contact_allowed)
        and not (victim_side and value == DocumentVisibility.ALL)
    ]


def can_add_document(user: User, target_kind: str, target: object, case: Case | None) -> bool:
    """Adding a document is part of the work on what it is attached to: whoever may record that kind
    of record adds documents to it (a visit: the owning force's officers; a referral: either agency;
    a meeting: those who may change it), any caseworker who sees a case adds to the case, and to its
    people. Never on a closed case, which is read only. The caller has checked visibility."""
    if user.agency_id is None or user.role not in CASEWORK_ROLES:
        return False
    if case is not None and case.status == CaseStatus.CLOSED:
        return False
    if target_kind == TargetKind.CASE:
        return True
    if target_kind == TargetKind.VISIT:
        return case is not None and can_record_visit(user, case)
    if target_kind == TargetKind.ORDER:
        return case is not None and can_record_order(user, case)
    if target_kind == TargetKind.REFERRAL:
        return can_add_referral_update(user, target)  # type: ignore[arg-type]
    if target_kind == TargetKind.MEETING:
        return can_manage_meeting(user, target)  # type: ignore[arg-type]
    if target_kind == TargetKind.PERSON:
        from .selectors import person_open_cases_for

        if is_victim_side_target(target_kind, target) and user.is_perpetrator_side:
            return False
        return person_open_cases_for(user, target).exists()  # type: ignore[arg-type]
    return False
