"""REST API routes in the permission matrix (the session login is used; the token actors use tokens)."""

import datetime

from django.utils import timezone

from reminders.models import Reminder, ReminderKind
from safety_plans.models import SafetyPlan
from tests.permissions.matrix_referrals import _referral
from tests.permissions.matrix_risk import _assessments
from tests.permissions.test_matrix import ACTORS, OWNING_CASEWORKERS, PERPETRATOR_SIDE_PARTNERS, SEE_CASE
from visits.models import Visit


def entries(world) -> dict:
    referral = _referral(world)
    sent_to = "ungranted_housing"
    sees_referral = OWNING_CASEWORKERS | {sent_to}
    # Only the receiving agency may decline or complete; both agencies may add updates. Whoever may
    # is refused an empty body with 400 before any change; whoever may not, 403 whatever the body.
    respond = {a: 400 if a == sent_to else 403 if a in sees_referral else 404 for a in ACTORS}
    return {
        "api:api-root": ("get", [], dict.fromkeys(ACTORS, 200)),
        "api:referral-list": ("get", [], dict.fromkeys(ACTORS, 200)),
        "api:referral-detail": ("get", [referral.public_id], {a: 200 if a in sees_referral else 404 for a in ACTORS}),
        "api:referral-accept": (
            "post",
            [referral.public_id],
            {a: 200 if a == sent_to else 403 if a in sees_referral else 404 for a in ACTORS},
        ),
        "api:referral-decline": ("post", [referral.public_id], respond),
        "api:referral-complete": ("post", [referral.public_id], respond),
        "api:referral-updates": ("post", [referral.public_id], {a: 400 if a in sees_referral else 404 for a in ACTORS}),
        **_read_only_entries(world),
    }


def _read_only_entries(world) -> dict:
    """Lists are filtered by the same selectors as the pages (200 for everyone, with what they may
    see); an object outside them is 404, exactly as if it did not exist."""
    visit = Visit.objects.filter(case=world.case).first() or Visit.objects.create(
        case=world.case, planned_for=timezone.now() + datetime.timedelta(days=2), recorded_by=world.case.spoc
    )
    plan, _ = SafetyPlan.objects.get_or_create(case=world.case, victim=world.victim, defaults={"version": 1})
    task = Reminder.objects.filter(case=world.case, assignee=world.case.spoc).first() or Reminder.objects.create(
        kind=ReminderKind.RISK_REVIEW_DUE,
        case=world.case,
        subject_key="risk_review",
        due_on=timezone.localdate(),
        assignee=world.case.spoc,
    )
    sees = {a: 200 if a in SEE_CASE else 404 for a in ACTORS}
    every = dict.fromkeys(ACTORS, 200)
    victim_side = {a: 200 if a in SEE_CASE - PERPETRATOR_SIDE_PARTNERS else 404 for a in ACTORS}
    return {
        "api:case-list": ("get", [], every),
        "api:case-detail": ("get", [world.case.public_id], sees),
        "api:person-list": ("get", [], every),
        "api:person-detail": ("get", [world.case.perpetrator.person.public_id], sees),
        "api:visit-list": ("get", [], every),
        "api:visit-detail": ("get", [visit.public_id], sees),
        "api:riskassessment-list": ("get", [], every),
        "api:riskassessment-detail": ("get", [_assessments(world)[0].public_id], sees),
        "api:safetyplan-list": ("get", [], every),
        "api:safetyplan-detail": ("get", [plan.public_id], victim_side),
        "api:task-list": ("get", [], every),
        "api:task-detail": ("get", [task.public_id], {a: 200 if a == "assigned_officer" else 404 for a in ACTORS}),
    }
