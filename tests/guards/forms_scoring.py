"""Daily tasking forms in the every-form guard (tests/guards/test_every_form.py)."""

from django.urls import reverse
from django.utils import timezone

from scoring.models import DailyTasking, TaskingEntry, TaskingKind, TaskingSnapshot
from tests.factories import PerpetratorFactory
from tests.guards.test_every_form import Submission, World, form


def _entry(w: World) -> TaskingEntry:
    snapshot = TaskingSnapshot.objects.create(
        agency=w.police, area=w.area, month=timezone.localdate().replace(day=1), top_n=1, taken_by=w.supervisor
    )
    return TaskingEntry.objects.create(
        snapshot=snapshot, perpetrator=PerpetratorFactory(), rank=1, total=40, frequency=2, gravity=12, victims=1
    )


@form("scoring:tasking_inspectors")
def _inspectors(w: World) -> Submission:
    entry = _entry(w)
    page = reverse("scoring:tasking_detail", args=[entry.snapshot.public_id])
    return Submission(
        user=w.supervisor,
        page=page,
        url=reverse("scoring:tasking_inspectors", args=[entry.snapshot.public_id]),
        data={"inspector-1": str(w.supervisor.public_id)},
        redirect=page,
        message="Inspectors saved (1 changed).",
        check=lambda _: TaskingEntry.objects.get(pk=entry.pk).inspector == w.supervisor,
    )


@form("scoring:tasking_entry")
def _task(w: World) -> Submission:
    entry = _entry(w)
    url = reverse("scoring:tasking_entry", args=[entry.snapshot.public_id, entry.perpetrator.public_id])
    return Submission(
        user=w.supervisor,
        url=url,
        data={"officer": str(w.officer.public_id), "kind": "targeting", "instructions": "Known address, 7am"},
        redirect=url,
        message="tasked: targeting the perpetrator.",
        check=lambda _: DailyTasking.objects.get(entry=entry).officer == w.officer,
    )


@form("scoring:tasking_result")
def _result(w: World) -> Submission:
    from scoring.services import tasking_assign

    tasking = tasking_assign(actor=w.supervisor, entry=_entry(w), officer=w.officer, kind=TaskingKind.PATROL)
    return Submission(
        user=w.officer,
        url=reverse("scoring:tasking_result", args=[tasking.public_id]),
        data={"result": "patrol_done", "notes": "Two passes, 22:00 and 23:30."},
        redirect=reverse("scoring:my_tasking"),
        message="Result recorded.",
        check=lambda _: DailyTasking.objects.get(pk=tasking.pk).result == "patrol_done",
    )
