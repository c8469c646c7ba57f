"""What a user may do to a case they can already see (visibility is decided by cases.selectors).

Every check here assumes the caller obtained the case through `case_get_for(user, ...)`.
"""

from typing import TYPE_CHECKING

from cases.models import Case
from cases.selectors import case_victim_contact_allowed, cases_visible_to
from dacrre.accounts.models import Role, User

if TYPE_CHECKING:
    from meetings.models import Meeting, MeetingAction
    from perpetrators.models import Perpetrator
    from referrals.models import Referral

_POLICE_CASEWORK_ROLES = {Role.OFFICER, Role.SUPERVISOR}


def _owning_police_user(user: User, case: Case) -> bool:
    return user.agency_id == case.owning_agency_id and user.role in _POLICE_CASEWORK_ROLES


def can_record_visit(user: User, case: Case) -> bool:
    """Visits are made by the owning force's officers."""
    return _owning_police_user(user, case)


def can_view_victim_visits(user: User) -> bool:
    """Visits to victims, and when the next one is due, say where and when a victim can be found:
    never for perpetrator-side agencies (visits.selectors applies the same rule to the visits)."""
    return user.agency_id is not None and not user.is_perpetrator_side


def can_assess_risk(user: User, case: Case) -> bool:
    """Officers of the owning force and IDVAs (victim-side) complete DASH assessments."""
    return _owning_police_user(user, case) or (user.role == Role.IDVA and not user.is_perpetrator_side)


def can_view_risk_answers(user: User, case: Case) -> bool:
    """The DASH answers describe the victim's situation: never for perpetrator-side agencies.
    Everyone who sees the case sees the resulting risk level."""
    return not user.is_perpetrator_side and user.agency_id is not None


def can_view_safety_plan(user: User, case: Case) -> bool:
    """A safety plan says how the victim is protected; perpetrator-side agencies never see it."""
    return not user.is_perpetrator_side and user.agency_id is not None


def can_edit_safety_plan(user: User, case: Case) -> bool:
    """IDVAs own safety plans with the victim; the owning force's officers add police measures."""
    return can_view_safety_plan(user, case) and (user.role == Role.IDVA or _owning_police_user(user, case))


def can_view_safe_contact(user: User, case: Case) -> bool:
    """Safe-contact arrangements are victim-confidential fields."""
    return case_victim_contact_allowed(user, case)


def can_record_order(user: User, case: Case) -> bool:
    return _owning_police_user(user, case)


def can_record_disclosure(user: User, case: Case) -> bool:
    """Clare's Law applications are police decisions."""
    return _owning_police_user(user, case)


_REFERRING_ROLES = {Role.OFFICER, Role.SUPERVISOR, Role.IDVA}
_RESPONDING_ROLES = {Role.OFFICER, Role.SUPERVISOR, Role.IDVA, Role.PARTNER_CASEWORKER}


def can_make_referral(user: User, case: Case) -> bool:
    """Officers, supervisors and IDVAs refer cases they can see to other agencies."""
    return user.agency_id is not None and user.role in _REFERRING_ROLES


def can_withdraw_referral(user: User, referral: "Referral") -> bool:
    """The referring agency's caseworkers send, withdraw and (for external agencies) complete."""
    return user.agency_id == referral.from_agency_id and user.role in _REFERRING_ROLES


def can_respond_to_referral(user: User, referral: "Referral") -> bool:
    """Caseworkers of the receiving agency accept, decline, complete and add updates."""
    return (
        referral.to_agency_id is not None and user.agency_id == referral.to_agency_id and user.role in _RESPONDING_ROLES
    )


def can_complete_referral(user: User, referral: "Referral") -> bool:
    """The receiving agency completes; for an agency not on the system, the referring agency does."""
    if referral.is_external:
        return can_withdraw_referral(user, referral)
    return can_respond_to_referral(user, referral)


def can_add_referral_update(user: User, referral: "Referral") -> bool:
    """Either agency of the referral adds actions and updates."""
    return can_respond_to_referral(user, referral) or can_withdraw_referral(user, referral)


_MEETING_ROLES = {Role.OFFICER, Role.SUPERVISOR, Role.IDVA}
_ACTION_ROLES = {Role.OFFICER, Role.SUPERVISOR, Role.IDVA, Role.PARTNER_CASEWORKER}


def can_schedule_meeting(user: User) -> bool:
    return user.agency_id is not None and user.role in _MEETING_ROLES


def can_manage_meeting(user: User, meeting: "Meeting") -> bool:
    """The chair agency's officers, supervisors and IDVAs change a meeting (agenda, attendance,
    discussion, actions, concluding it), when they can see every case on its agenda: attendance
    decides which agencies are granted those cases, so only someone who may see them all decides it.
    An officer of another area, who sees none of them, cannot."""
    if user.agency_id != meeting.chair_agency_id or user.role not in _MEETING_ROLES:
        return False
    return not meeting.agenda.exclude(case__in=cases_visible_to(user)).exists()


def can_complete_meeting_action(user: User, action: "MeetingAction") -> bool:
    return user.agency_id == action.assigned_agency_id and user.role in _ACTION_ROLES


_PERPETRATOR_SIDE_KINDS = {"probation", "perpetrator_programme"}


def can_allocate_programme(user: User, perpetrator: "Perpetrator") -> bool:
    """Police officers and supervisors of a force owning one of the perpetrator's cases, and
    probation or perpetrator-programme caseworkers. The caller has checked visibility."""
    if user.agency is None:
        return False
    if user.role in _POLICE_CASEWORK_ROLES and perpetrator.cases.filter(owning_agency_id=user.agency_id).exists():
        return True
    return user.role in {Role.PARTNER_CASEWORKER, Role.SUPERVISOR} and user.agency.kind in _PERPETRATOR_SIDE_KINDS


def can_record_intervention(user: User, perpetrator: "Perpetrator") -> bool:
    """Any caseworker of an agency that can see the perpetrator."""
    return user.agency_id is not None and user.role in _ACTION_ROLES


def can_view_disclosures(user: User, case: Case) -> bool:
    """Clare's Law applications concern the person at risk: victim-side and the owning force only."""
    return not user.is_perpetrator_side and user.agency_id is not None


def can_view_scores(user: User) -> bool:
    """Repeat-perpetrator scores are police intelligence: the force's analysts and supervisors only."""
    return user.agency is not None and user.agency.kind == "police" and user.role in {Role.ANALYST, Role.SUPERVISOR}


def can_review_duplicates(user: User) -> bool:
    """Deciding whether two records are one person is police data quality: the force's analysts and
    supervisors, for pairs their own imports raised."""
    return can_view_scores(user)


def can_set_cadences(user: User) -> bool:
    """How often cases are visited and reviewed is an operational decision of the lead force."""
    return user.agency is not None and user.agency.kind == "police" and user.role == Role.SUPERVISOR


def can_view_reports(user: User) -> bool:
    """Performance figures of the force's operations (counts, no personal data): its supervisors and analysts."""
    return can_view_scores(user)
