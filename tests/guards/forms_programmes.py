"""A programme's progress forms in the every-form guard (tests/guards/test_every_form.py)."""

from django.urls import reverse
from django.utils import timezone

from offender_management.models import BehaviourCategory, Programme, ProgrammeStage
from tests.guards.test_every_form import Submission, World, day, form


def _allocation(w: World):
    from offender_management.services import programme_allocate

    return programme_allocate(
        actor=w.officer,
        perpetrator=w.case.perpetrator,
        programme=Programme.DRIVE,
        starts_on=timezone.localdate(),
        ends_on=None,
        lead_agency=w.police,
    )


def _url(w: World, allocation) -> str:
    return reverse("offender_management:programme", args=[w.case.perpetrator.public_id, allocation.public_id])


@form("offender_management:programme", "stage")
def _stage(w: World) -> Submission:
    allocation = _allocation(w)
    return Submission(
        user=w.officer,
        url=_url(w, allocation),
        pick={"step": "stage"},
        data={"to_stage": ProgrammeStage.ASSESSED, "on": day(0)},
        redirect=_url(w, allocation),
        message="Saved.",
        check=lambda _: type(allocation).objects.get(pk=allocation.pk).stage == ProgrammeStage.ASSESSED,
    )


@form("offender_management:programme", "attendance")
def _attendance(w: World) -> Submission:
    allocation = _allocation(w)
    return Submission(
        user=w.officer,
        url=_url(w, allocation),
        pick={"step": "attendance"},
        data={"session_on": day(0), "attended": "yes"},
        redirect=_url(w, allocation),
        message="Saved.",
        check=lambda _: allocation.attendance.filter(attended=True).count() == 1,
    )


@form("offender_management:programme", "measure")
def _measure(w: World) -> Submission:
    allocation = _allocation(w)
    return Submission(
        user=w.officer,
        url=_url(w, allocation),
        pick={"step": "measure"},
        data={"point": "start", "measured_on": day(0)} | {category.value: "2" for category in BehaviourCategory},
        redirect=_url(w, allocation),
        message="Saved.",
        check=lambda _: allocation.measures.count() == 1,
    )
