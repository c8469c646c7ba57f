"""Staffing one case: allocating or changing its SPOC, offender manager, IDVA and stalking specialists.

The case row is locked while the change is decided: of two supervisors allocating at once, one
changes it and the other is told who did and when. The new holder gets a task and an e-mail that
carry the case reference and a link only; the case's open tasks move to whoever may now do them."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, ChronologyKind
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import PERPETRATOR_PROGRAMME_KINDS, POLICE_CASEWORK_ROLES, VICTIM_SIDES, Role, User
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.sweeps import reminders_reassign

from .rules import IDVA_FIELDS, agencies_granted, staffing_fields_for
from .services import HOLDER_FIELDS, OWNING_FORCE_FIELDS, _changed_meanwhile, _name, _require_reason

UNCHANGED = object()  # the page did not say whom it showed


def holder_candidates(actor: User, case: Case, field: str) -> QuerySet[User]:
    """Who may be chosen: the SPOC from the owning force; the offender manager from a probation or
    perpetrator-programme agency working on the case, or an officer of the case's (or the actor's)
    area; the IDVA from a victim-side agency working on the case (an IDVA service allocates its own).
    The stalking specialist officer as the SPOC; the stalking IDVA as the IDVA."""
    people = User.objects.filter(is_active=True, agency__is_active=True).select_related("agency")
    granted = agencies_granted(case).values("agency_id")
    areas = {case.area_id, actor.area_id} - {None}
    if field in OWNING_FORCE_FIELDS:
        return people.filter(agency_id=case.owning_agency_id, role__in=POLICE_CASEWORK_ROLES)
    if field == "offender_manager":
        return people.filter(
            Q(agency_id__in=granted, agency__kind__in=PERPETRATOR_PROGRAMME_KINDS, role=Role.PARTNER_CASEWORKER)
            | Q(agency_id=case.owning_agency_id, area_id__in=areas, role__in=POLICE_CASEWORK_ROLES)
        )
    if field in IDVA_FIELDS:
        idvas = people.filter(role=Role.IDVA, agency__side__in=list(VICTIM_SIDES))
        if actor.agency_id != case.owning_agency_id:
            return idvas.filter(agency=actor.agency)
        return idvas.filter(Q(agency_id__in=granted) | Q(agency_id=case.owning_agency_id))
    return User.objects.none()


def _task_and_email(*, case: Case, field: str, holder: User, role_label: str) -> None:
    """The new holder's task (one open per role on the case) and e-mail: no names, no details."""
    today = timezone.localdate()
    open_tasks = Reminder.objects.filter(
        kind=ReminderKind.CASE_ALLOCATED, case=case, subject_key=f"allocation:{field}", status=ReminderStatus.OPEN
    )
    open_tasks.exclude(assignee=holder).update(status=ReminderStatus.DONE, closed_at=timezone.now())
    if not open_tasks.filter(assignee=holder).exists():
        Reminder.objects.create(
            kind=ReminderKind.CASE_ALLOCATED,
            case=case,
            subject_key=f"allocation:{field}",
            due_on=today,
            assignee=holder,
            high_risk=case.risk_level == "high",
        )
    if holder.email:
        link = settings.SITE_URL.rstrip("/") + reverse("cases:detail", args=[case.public_id])
        subject = f"Case {case.reference} allocated to you"
        body = f"You are now the {role_label} for case {case.reference}.\n\nOpen the case: {link}\n"
        transaction.on_commit(lambda: send_mail(subject, body, None, [holder.email]))


@transaction.atomic
def case_staff(
    *, actor: User, case: Case, field: str, to_user: User, reason: str, seen_holder: object = UNCHANGED
) -> Case:
    """Make `to_user` the case's SPOC, offender manager or IDVA. `seen_holder` is the holder's id (or
    None) the page showed: if someone changed it since, nothing is changed and the message says who."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    case_require_open(case)
    if field not in HOLDER_FIELDS:
        raise ApplicationError("Choose which role on the case to allocate.", field="field")
    if field not in staffing_fields_for(actor, case):
        raise PermissionDeniedError("You cannot allocate this role on this case.")
    role_label = HOLDER_FIELDS[field][0]
    if seen_holder is not UNCHANGED and getattr(case, f"{field}_id") != seen_holder:
        raise InvalidTransitionError(_changed_meanwhile(case, field, role_label))
    reason = _require_reason(reason, f"the {role_label} is allocated")
    if not holder_candidates(actor, case, field).filter(pk=to_user.pk).exists():
        raise ApplicationError(f"{_name(to_user)} cannot be the {role_label} on this case.", field="to_user")
    previous = getattr(case, field)
    if previous == to_user:
        raise ApplicationError(f"{_name(to_user)} is already the {role_label}.", field="to_user")
    setattr(case, field, to_user)
    case._history_user = actor  # type: ignore[attr-defined]
    case.save(update_fields=[field, "updated_at"])
    what = f"{role_label[0].upper()}{role_label[1:]}"
    summary = (
        f"{what} allocated: {_name(to_user)}."
        if previous is None
        else (f"{what} changed from {_name(previous)} to {_name(to_user)}.")
    )
    chronology_record(case=case, kind=ChronologyKind.ALLOCATION, actor=actor, summary=f"{summary} Reason: {reason}")
    reminders_reassign(case_ids=[case.pk])
    _task_and_email(case=case, field=field, holder=to_user, role_label=role_label)
    return case
