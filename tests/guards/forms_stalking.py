"""Stalking screening forms in the every-form guard (tests/guards/test_every_form.py)."""

from django.urls import reverse

from risk.stalking import STALKING_KEYS
from tests.guards.test_every_form import Submission, World, form


@form("risk:stalking_new")
def _screening_new(w: World) -> Submission:
    answers = {f"s_{key}": "no" for key in STALKING_KEYS} | {"s_threats": "yes"}
    return Submission(
        user=w.officer,
        url=reverse("risk:stalking_new", args=[w.case.public_id]),
        data={"victim": str(w.victim.public_id), **answers},
        message="Stalking screening saved.",
        check=lambda _: w.case.stalking_screenings.get().high_risk,
    )


@form("risk:stalking_referral")
def _referral(w: World) -> Submission:
    from risk.stalking_services import stalking_screening_record

    screening = stalking_screening_record(
        actor=w.officer, case=w.case, victim=w.victim, answers=dict.fromkeys(STALKING_KEYS, "yes")
    )
    page = reverse("risk:stalking_detail", args=[w.case.public_id, screening.public_id])
    return Submission(
        user=w.officer,
        page=page,
        url=reverse("risk:stalking_referral", args=[w.case.public_id, screening.public_id]),
        redirect=page,
        message="Referral to the stalking pathway recorded.",
        check=lambda _: type(screening).objects.get(pk=screening.pk).referred_on is not None,
    )
