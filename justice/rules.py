"""Who may do what with justice outcomes and Victims' Code updates (predicates:
dacrre/accounts/predicates.py).

- Outcomes are police records of what happened to the perpetrator: everyone who sees the case reads
  them, perpetrator-side agencies included (probation and programmes need to know of a charge, bail
  or conviction). Only the owning force's officers and supervisors record them.
- Every "no further action" decision is reviewed by a supervisor (a sergeant) of the owning force.
- A Victims' Code update is about the victim and given through their safe-contact arrangements: it is
  read by victim-side users only, and recorded by the owning force's officers and IDVAs who may see
  those arrangements.
"""

from cases.access.rules import owning_police_user
from cases.models import Case
from cases.selectors import case_victim_contact_allowed
from dacrre.accounts.models import Role, User
from dacrre.accounts.predicates import predicate


@predicate("justice.see_outcomes")
def can_see_outcomes(user: User, case: Case) -> bool:
    """Everyone who sees the case (visibility is decided before this is asked)."""
    return True


@predicate("justice.record")
def can_record_outcome(user: User, case: Case) -> bool:
    """Arrests, charges, bail, CPS, court results and NFA decisions: the owning force's officers."""
    return owning_police_user(user, case)


@predicate("justice.review_nfa")
def can_review_nfa(user: User, case: Case) -> bool:
    """A sergeant's review: a supervisor of the force that owns the case."""
    return user.role == Role.SUPERVISOR and owning_police_user(user, case)


@predicate("justice.nfa_queue")
def can_see_nfa_queue(user: User) -> bool:
    """The queue of NFA decisions awaiting review: police supervisors."""
    return user.agency_id is not None and user.is_police and user.role == Role.SUPERVISOR


@predicate("justice.see_victim_updates")
def can_see_victim_updates(user: User) -> bool:
    """Updates given to a victim, and those due: victim-side users only."""
    return user.is_victim_side


@predicate("justice.update_victim")
def can_update_victim(user: User, case: Case) -> bool:
    """Giving a Victims' Code update goes through the victim's safe-contact arrangements, so it needs
    them: the owning force's officers, or a victim-side IDVA, who may see the victims' contact details."""
    if not (owning_police_user(user, case) or (user.role == Role.IDVA and user.is_victim_side)):
        return False
    return case_victim_contact_allowed(user, case)
