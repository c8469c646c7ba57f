"""Recording a victim's satisfaction survey (answered or declined); it closes the reminder."""

import datetime

from django.db import IntegrityError, transaction

from cases.models import Case, CaseVictim, ChronologyKind, ChronologyVisibility
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from reminders.models import ReminderKind
from reminders.services import reminders_close
from victims.models import Victim

from .models import Aspect, Satisfaction, SatisfactionSurvey, SatisfactionThreshold, SurveyMethod, SurveyOutcome
from .rules import can_record_survey, can_set_thresholds

ALREADY = "A satisfaction survey is already recorded for this victim on this case."


@transaction.atomic
def survey_record(
    *,
    actor: User,
    case: Case,
    victim: Victim,
    outcome: SurveyOutcome | str,
    method: SurveyMethod | str,
    surveyed_on: datetime.date,
    answers: dict[str, str] | None = None,
) -> SatisfactionSurvey:
    """Record what the victim said on each aspect, or that they did not want to take part. Once per
    victim and case: the case-victim row is locked, then checked, so two recorders cannot both save."""
    if not can_record_survey(actor, case):
        raise PermissionDeniedError("The victim's officer or IDVA records the satisfaction survey.")
    case_require_open(case)
    link = CaseVictim.objects.select_for_update().filter(case=case, victim=victim).first()
    if link is None:
        raise ApplicationError("Choose a victim on this case", field="victim")
    if SatisfactionSurvey.objects.filter(case=case, victim=victim).exists():
        raise ConflictError(ALREADY)
    dates.SURVEY_TAKEN.check(surveyed_on, field="surveyed_on")
    if outcome not in SurveyOutcome.values:
        raise ApplicationError("Say whether the victim answered", field="outcome")
    if method not in SurveyMethod.values:
        raise ApplicationError("Say how the victim was asked", field="method")
    given = dict.fromkeys(Aspect.values, "")
    if outcome == SurveyOutcome.ANSWERED:
        for aspect in Aspect.values:
            answer = (answers or {}).get(aspect, "")
            if answer not in Satisfaction.values:
                raise ApplicationError(f"Choose an answer for {Aspect(aspect).label}", field=aspect)
            given[aspect] = answer
    try:
        with transaction.atomic():
            survey = SatisfactionSurvey.objects.create(
                case=case,
                victim=victim,
                outcome=outcome,
                method=method,
                surveyed_on=surveyed_on,
                recorded_by=actor,
                **given,
            )
    except IntegrityError as exc:  # the unique constraint, if the lock was not enough
        raise ConflictError(ALREADY) from exc
    chronology_record(
        case=case,
        kind=ChronologyKind.NOTE,
        summary=f"Satisfaction survey of {victim}: {SurveyOutcome(outcome).label.lower()}.",
        actor=actor,
        visibility=ChronologyVisibility.VICTIM_SIDE,
    )
    reminders_close(case=case, kinds=[ReminderKind.SATISFACTION_SURVEY_DUE], subject_key=f"victim:{victim.pk}")
    return survey


@transaction.atomic
def satisfaction_thresholds_set(*, actor: User, values: dict[str, int]) -> SatisfactionThreshold:
    """Set the actor's force's thresholds (whole percentages, 0 to 100, one per aspect). The row is
    locked while it is changed; the first save creates it (a second one at the same moment waits on
    the unique agency and then updates it)."""
    if not can_set_thresholds(actor) or actor.agency_id is None:
        raise PermissionDeniedError("The force's supervisors set the satisfaction thresholds.")
    for aspect in Aspect.values:
        value = values.get(aspect)
        if not isinstance(value, int) or not 0 <= value <= 100:
            raise ApplicationError(f"Enter a whole percentage from 0 to 100 for {Aspect(aspect).label}", field=aspect)
    try:
        with transaction.atomic():
            SatisfactionThreshold.objects.get_or_create(agency_id=actor.agency_id)
    except IntegrityError:
        pass  # created by a concurrent save: update it below
    row = SatisfactionThreshold.objects.select_for_update().get(agency_id=actor.agency_id)
    for aspect in Aspect.values:
        setattr(row, aspect, values[aspect])
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    return row
