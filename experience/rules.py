"""Who may record and read victims' satisfaction surveys (predicates: dacrre/accounts/predicates.py)."""

from cases.access.rules import owning_police_user
from cases.models import Case
from dacrre.accounts.models import Role, User
from dacrre.accounts.predicates import predicate


@predicate("experience.see_surveys")
def can_see_surveys(user: User, case: Case) -> bool:
    """How a victim rated the service is about the victim: victim-side users who see the case only."""
    return user.is_victim_side


@predicate("experience.record_survey")
def can_record_survey(user: User, case: Case) -> bool:
    """The victim's officer (the owning force's officers and supervisors) or IDVA (of a victim-side
    agency) asks the victim: the people the victim already deals with, through their safe contact."""
    return owning_police_user(user, case) or (user.role == Role.IDVA and user.is_victim_side)


@predicate("experience.set_thresholds")
def can_set_thresholds(user: User) -> bool:
    """The force's supervisors set the % satisfied below which each aspect is Low in its report."""
    return user.is_police and user.role == Role.SUPERVISOR and user.agency_id is not None
