"""Who owes a victim their Victims' Code update. The reminder is raised by the events that make it
due (justice.services: a victim added to the case, each change in the investigation), not swept;
its owner is registered here so that the sweep and every reallocation keep it with someone who may
give it (justice.rules.can_update_victim): the SPOC if an officer of the owning force, else the
case's IDVA if of a victim-side agency that may see the victims' contact details (the owning agency,
or one they were shared with by consent), else a police offender manager of the owning force; else
nobody, which puts it on the case's supervisors' list."""

from django.db.models import Expression, F, Q

from cases.selectors import agency_grant_q
from reminders.models import ReminderKind
from reminders.sweeps import first_who_can, owning_police, register_owner, victim_side_idva


def _idva_with_victim_contact(case: str, holder: str) -> Q:
    own_agency = Q(**{f"{case}{holder}__agency_id": F(f"{case}owning_agency_id")})
    shared = agency_grant_q(case, f"{case}{holder}__agency", "view_victim_contact")
    return victim_side_idva(case, holder) & (own_agency | shared)


def victim_update_owner(case: str) -> Expression:
    return first_who_can(
        case,
        ("spoc", owning_police),
        ("idva", _idva_with_victim_contact),
        ("offender_manager", owning_police),
    )


register_owner(ReminderKind.VICTIM_CODE_UPDATE_DUE, victim_update_owner)
