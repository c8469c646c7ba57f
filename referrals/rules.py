"""Who may do what with referrals (dacrre/accounts/predicates.py)."""

from typing import TYPE_CHECKING

from cases.models import Case
from dacrre.accounts.models import CASE_LEAD_ROLES, CASEWORK_ROLES, User
from dacrre.accounts.predicates import predicate

if TYPE_CHECKING:
    from .models import Referral


@predicate("referrals.use")
def can_use_referrals(user: User) -> bool:
    """Caseworkers of an agency send and receive referrals (the inbox, the agency's sent referrals)."""
    return bool(user.is_authenticated and user.may_read and user.agency_id is not None and user.role in CASEWORK_ROLES)


@predicate("referrals.make")
def can_make_referral(user: User, case: Case) -> bool:
    """Officers, supervisors and IDVAs refer cases they can see to other agencies."""
    return user.agency_id is not None and user.role in CASE_LEAD_ROLES


@predicate("referrals.withdraw")
def can_withdraw_referral(user: User, referral: "Referral") -> bool:
    """The referring agency's caseworkers send, withdraw and (for external agencies) complete."""
    return user.agency_id == referral.from_agency_id and user.role in CASE_LEAD_ROLES


@predicate("referrals.respond")
def can_respond_to_referral(user: User, referral: "Referral") -> bool:
    """Caseworkers of the receiving agency accept, decline, complete and add updates."""
    return referral.to_agency_id is not None and user.agency_id == referral.to_agency_id and user.role in CASEWORK_ROLES


@predicate("referrals.complete")
def can_complete_referral(user: User, referral: "Referral") -> bool:
    """The receiving agency completes; for an agency not on the system, the referring agency does."""
    if referral.is_external:
        return can_withdraw_referral(user, referral)
    return can_respond_to_referral(user, referral)


@predicate("referrals.add_update")
def can_add_referral_update(user: User, referral: "Referral") -> bool:
    """Either agency of the referral adds actions and updates."""
    return can_respond_to_referral(user, referral) or can_withdraw_referral(user, referral)
