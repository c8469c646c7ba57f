"""Recording DASH assessments: score, level by the bands, professional judgement (up, never down),
the three MARAC flags, and the case's current risk level and review date."""

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from cases.access.rules import can_assess_risk
from cases.cadence import next_due
from cases.models import CadenceKind, Case, CaseVictim, ChronologyKind, RiskLevel
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from incidents.models import Incident
from reminders.models import ReminderKind
from reminders.services import protection_gap_close, reminders_close
from victims.models import Victim

from .models import Answer, RiskAssessment, RiskBands
from .questions import QUESTION_KEYS

_LEVEL_ORDER = [RiskLevel.STANDARD, RiskLevel.MEDIUM, RiskLevel.HIGH]
ESCALATION_INCIDENTS = 3
YEAR = datetime.timedelta(days=365)


def potential_escalation(case: Case, at: datetime.datetime) -> bool:
    """Three or more incidents by the case's perpetrator in the 12 months before `at`."""
    return (
        Incident.objects.filter(
            perpetrator_id=case.perpetrator_id, occurred_at__gt=at - YEAR, occurred_at__lte=at
        ).count()
        >= ESCALATION_INCIDENTS
    )


def repeat_marac(case: Case, at: datetime.datetime) -> bool:
    """A new incident within 12 months of the case's last MARAC referral."""
    referred = case.last_marac_referral_on
    if referred is None:
        return False
    return Incident.objects.filter(
        perpetrator_id=case.perpetrator_id,
        occurred_at__date__gt=referred,
        occurred_at__date__lte=referred + YEAR,
        occurred_at__lte=at,
    ).exists()


@transaction.atomic
def risk_assessment_record(
    *,
    actor: User,
    case: Case,
    victim: Victim,
    answers: Mapping[str, str],
    judgement_level: str = "",
    judgement_reason: str = "",
    notes: str = "",
) -> RiskAssessment:
    case_require_open(case)
    if not can_assess_risk(actor, case):
        raise PermissionDeniedError("You cannot complete risk assessments on this case.")
    if not CaseVictim.objects.filter(case=case, victim=victim).exists():
        raise ApplicationError("Choose one of this case's victims", field="victim")
    missing = [key for key in QUESTION_KEYS if answers.get(key) not in Answer.values]
    if missing:
        raise ApplicationError(f"Answer every question ({len(missing)} not answered). 'Not known' is an answer.")
    yes_count = sum(1 for key in QUESTION_KEYS if answers[key] == Answer.YES)
    bands = RiskBands.current()
    score_level = bands.level_for(yes_count)
    final_level = score_level
    if judgement_level:
        if _LEVEL_ORDER.index(RiskLevel(judgement_level)) < _LEVEL_ORDER.index(RiskLevel(score_level)):
            raise ApplicationError(
                f"Professional judgement can raise the level but not lower it below the score's "
                f"{RiskLevel(score_level).label.lower()}.",
                field="judgement_level",
            )
        if judgement_level != score_level and not judgement_reason.strip():
            raise ApplicationError("Give the reason for your professional judgement", field="judgement_reason")
        final_level = judgement_level
    now = timezone.now()
    assessment = RiskAssessment(
        case=case,
        victim=victim,
        assessed_by=actor,
        assessed_at=now,
        answers={key: answers[key] for key in QUESTION_KEYS},
        yes_count=yes_count,
        score_level=score_level,
        judgement_level=judgement_level if judgement_level != score_level else "",
        judgement_reason=judgement_reason.strip() if judgement_level and judgement_level != score_level else "",
        final_level=final_level,
        visible_high_risk=yes_count >= bands.high_from,
        potential_escalation=potential_escalation(case, now),
        repeat_marac=repeat_marac(case, now),
        notes=notes.strip(),
    )
    assessment._history_user = actor  # type: ignore[attr-defined]
    assessment.save()
    # The case's current level is the latest assessment's.
    case._history_user = actor  # type: ignore[attr-defined]
    case.risk_level = final_level
    case.risk_review_due = next_due(
        kind=CadenceKind.RISK_REVIEW, risk_level=final_level, operation=case.operation, after=timezone.localdate()
    )
    case.save(update_fields=["risk_level", "risk_review_due", "updated_at"])
    reminders_close(case=case, kinds=[ReminderKind.RISK_REVIEW_DUE])
    protection_gap_close(
        case=case,
        kind=ReminderKind.PROTECTION_ENDS_RISK_REVIEW,
        done_on=timezone.localtime(assessment.assessed_at).date(),
    )
    flags = [
        label
        for flag, label in [
            (assessment.visible_high_risk, "visible high risk"),
            (assessment.potential_escalation, "potential escalation"),
            (assessment.repeat_marac, "repeat MARAC"),
        ]
        if flag
    ]
    level = assessment.get_final_level_display().lower()
    summary = f"DASH risk assessment with {victim.person.full_name}: {yes_count} yes, {level} risk"
    if assessment.judgement_level:
        summary += " (raised by professional judgement)"
    summary += f". Flags: {', '.join(flags)}." if flags else "."
    chronology_record(case=case, kind=ChronologyKind.RISK_ASSESSMENT, actor=actor, summary=summary)
    return assessment


@transaction.atomic
def marac_referral_record(*, actor: User, case: Case, referred_on: datetime.date | None = None) -> Case:
    case_require_open(case)
    if not can_assess_risk(actor, case):
        raise PermissionDeniedError("You cannot refer this case to MARAC.")
    dates.MARAC_REFERRED.check(referred_on, field="referred_on")
    referred_on = referred_on or timezone.localdate()
    # The row lock makes a second press (or a colleague's) on the same day record nothing new.
    current = Case.objects.select_for_update().values_list("last_marac_referral_on", flat=True).get(pk=case.pk)
    if current == referred_on:
        raise ApplicationError(f"This case is already recorded as referred to MARAC on {referred_on:%-d %b %Y}.")
    case._history_user = actor  # type: ignore[attr-defined]
    case.last_marac_referral_on = referred_on
    case.save(update_fields=["last_marac_referral_on", "updated_at"])
    chronology_record(
        case=case,
        kind=ChronologyKind.RISK_ASSESSMENT,
        actor=actor,
        summary=f"Referred to MARAC on {referred_on:%d %b %Y}.",
    )
    return case


def assessments_compare(newer: RiskAssessment, older: RiskAssessment) -> list[tuple[str, str, str, bool]]:
    """(question key, older answer, newer answer, changed) for every question."""
    return [
        (key, older.answers.get(key, ""), newer.answers.get(key, ""), older.answers.get(key) != newer.answers.get(key))
        for key in QUESTION_KEYS
    ]
