"""Recording a stalking screening and its referral to the stalking pathway."""

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from cases.access.rules import can_assess_risk
from cases.models import Case, ChronologyKind, ChronologyVisibility
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import User
from dacrre.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from victims.models import Victim

from .models import Answer, StalkingScreening
from .stalking import STALKING_KEYS, shows_high_risk


def _require(actor: User, case: Case) -> None:
    case_require_open(case)
    if not can_assess_risk(actor, case):
        raise PermissionDeniedError("Stalking screenings are made by the owning force's officers and IDVAs.")


@transaction.atomic
def stalking_screening_record(
    *, actor: User, case: Case, victim: Victim, answers: Mapping[str, str], notes: str = ""
) -> StalkingScreening:
    _require(actor, case)
    if not case.victims.filter(pk=victim.pk).exists():
        raise ApplicationError("Choose a victim on this case", field="victim")
    missing = [key for key in STALKING_KEYS if answers.get(key) not in Answer.values]
    if missing:
        raise ApplicationError(f"Answer every question ({len(missing)} not answered)", field=missing[0])
    kept = {key: answers[key] for key in STALKING_KEYS}
    screening = StalkingScreening(
        case=case,
        victim=victim,
        screened_by=actor,
        answers=kept,
        yes_count=sum(answer == Answer.YES for answer in kept.values()),
        high_risk=shows_high_risk(kept),
        notes=notes.strip(),
    )
    screening._history_user = actor  # type: ignore[attr-defined]
    screening.save()
    flag = " High-risk indicators: refer to the stalking pathway." if screening.high_risk else ""
    chronology_record(
        case=case,
        kind=ChronologyKind.RISK_ASSESSMENT,
        actor=actor,
        summary=f"Stalking screening: {screening.yes_count} of {len(STALKING_KEYS)} yes.{flag}",
        visibility=ChronologyVisibility.VICTIM_SIDE,
    )
    return screening


@transaction.atomic
def stalking_pathway_referral_record(
    *, actor: User, screening: StalkingScreening, referred_on: datetime.date | None = None
) -> StalkingScreening:
    """The screening's case referred to the stalking pathway (the stalking advocacy service and the
    force's stalking officer). Once per screening: a second press is told it is already recorded."""
    locked = StalkingScreening.objects.select_for_update().select_related("case").get(pk=screening.pk)
    _require(actor, locked.case)
    if locked.referred_on is not None:
        raise ConflictError(f"The referral to the stalking pathway was recorded on {locked.referred_on:%-d %b %Y}.")
    locked.referred_on = referred_on or timezone.localdate()
    locked.referred_by = actor
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["referred_on", "referred_by"])
    chronology_record(
        case=locked.case,
        kind=ChronologyKind.RISK_ASSESSMENT,
        actor=actor,
        summary=f"Referred to the stalking pathway on {locked.referred_on:%-d %b %Y}.",
        visibility=ChronologyVisibility.VICTIM_SIDE,
    )
    return locked
