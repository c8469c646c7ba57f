import datetime

from django.db import transaction
from django.utils import timezone

from cases.access.rules import can_record_disclosure
from cases.models import Case, CaseVictim, ChronologyKind, ChronologyVisibility
from cases.services import case_require_open, case_victim_added, chronology_record
from dacrre.accounts.models import User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from reminders.models import ReminderKind
from reminders.services import reminders_close
from victims.models import Victim

from .models import Decision, DisclosureApplication, DisclosureOutcome, Route
from .selectors import new_partners_of


def _record(application: DisclosureApplication, actor: User, summary: str) -> None:
    chronology_record(
        case=application.case,
        kind=ChronologyKind.DISCLOSURE,
        actor=actor,
        summary=summary,
        visibility=ChronologyVisibility.VICTIM_SIDE,
    )


@transaction.atomic
def application_record(
    *,
    actor: User,
    case: Case,
    route: Route | str,
    person_at_risk: Victim,
    applicant_name: str,
    applicant_relationship: str,
    subject_relationship: str,
    received_on: datetime.date,
) -> DisclosureApplication:
    case_require_open(case)
    if not can_record_disclosure(actor, case):
        raise PermissionDeniedError("Only officers of the owning force record Clare's Law applications.")
    on_case = case.case_victims.filter(victim=person_at_risk).exists()
    if not on_case and not new_partners_of(case).filter(pk=person_at_risk.pk).exists():
        raise ApplicationError("Choose the person at risk from this case's victims", field="person_at_risk")
    if received_on > timezone.localdate():
        raise ApplicationError("The date received cannot be in the future", field="received_on")
    dates.DISCLOSURE_RECEIVED.check(received_on, field="received_on")
    if not applicant_name.strip():
        raise ApplicationError("Enter the applicant's name", field="applicant_name")
    application = DisclosureApplication(
        case=case,
        route=route,
        person_at_risk=person_at_risk,
        applicant_name=applicant_name.strip(),
        applicant_relationship=applicant_relationship.strip(),
        subject_relationship=subject_relationship.strip(),
        received_on=received_on,
        recorded_by=actor,
    )
    application._history_user = actor  # type: ignore[attr-defined]
    application.save()
    if not on_case:
        # A new partner the perpetrator is linked to by an incident: at risk, so on the case from now.
        case_victim_added(CaseVictim.objects.create(case=case, victim=person_at_risk))
        _record(application, actor, "A person linked to the perpetrator by an incident added to the case as at risk.")
        reminders_close(
            case=case, kinds=[ReminderKind.NEW_PARTNER_DISCLOSURE], subject_key=f"person:{person_at_risk.pk}"
        )
    _record(
        application,
        actor,
        f"Clare's Law {application.get_route_display().lower()} application received "
        f"{received_on:%d %b %Y}; decision due {application.decision_due:%d %b %Y}.",
    )
    return application


@transaction.atomic
def application_decide(
    *,
    actor: User,
    application: DisclosureApplication,
    decision: Decision | str,
    rationale: str,
    decided_on: datetime.date,
) -> DisclosureApplication:
    case_require_open(application.case)
    if not can_record_disclosure(actor, application.case):
        raise PermissionDeniedError("Only officers of the owning force decide Clare's Law applications.")
    if application.decision:
        raise InvalidTransitionError("This application has already been decided.")
    if not rationale.strip():
        raise ApplicationError("Give the rationale for the decision", field="rationale")
    if decided_on < application.received_on or decided_on > timezone.localdate():
        raise ApplicationError("The decision date must be between the date received and today", field="decided_on")
    dates.DISCLOSURE_DECIDED.check(decided_on, field="decided_on")
    application.decision, application.rationale, application.decided_on = decision, rationale.strip(), decided_on
    application._history_user = actor  # type: ignore[attr-defined]
    application.save(update_fields=["decision", "rationale", "decided_on"])
    reminders_close(
        case=application.case,
        kinds=[ReminderKind.DISCLOSURE_DECISION_DUE],
        subject_key=f"disclosure:{application.pk}",
    )
    _record(
        application,
        actor,
        f"Clare's Law decision: {application.get_decision_display().lower()}. {application.rationale}",
    )
    return application


@transaction.atomic
def application_record_disclosure(
    *, actor: User, application: DisclosureApplication, outcome: DisclosureOutcome | str, outcome_on: datetime.date
) -> DisclosureApplication:
    case_require_open(application.case)
    if not can_record_disclosure(actor, application.case):
        raise PermissionDeniedError("Only officers of the owning force record disclosures.")
    if application.decision != Decision.DISCLOSE:
        raise InvalidTransitionError("A disclosure can only follow a decision to disclose.")
    if application.outcome:
        raise InvalidTransitionError("The disclosure has already been recorded.")
    dates.DISCLOSURE_OUTCOME.check(outcome_on, field="outcome_on")
    if application.decided_on and outcome_on < application.decided_on:
        raise ApplicationError("The date must be on or after the decision", field="outcome_on")
    application.outcome, application.outcome_on = outcome, outcome_on
    application._history_user = actor  # type: ignore[attr-defined]
    application.save(update_fields=["outcome", "outcome_on"])
    _record(application, actor, f"Clare's Law: {application.get_outcome_display().lower()} on {outcome_on:%d %b %Y}.")
    return application
