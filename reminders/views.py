import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.access.rules import can_set_cadences
from cases.models import Operation
from dacrre.audit.exports import FORMATS, export_response
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt

from .forms import DismissForm
from .models import ESCALATE_AFTER, Reminder
from .rules import can_view_team_tasks
from .selectors import can_dismiss, tasks_due_now_and_later, tasks_for, team_tasks_for
from .services import reminder_dismiss

# Each of My tasks' two lists shows at most this many (the downloads up to 5,000).
TASKS_SHOWN = 500


@login_required
def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    is_supervisor = can_view_team_tasks(user)
    view = request.GET.get("view", "mine")
    if view not in {"mine", "team", "escalated"} or (view != "mine" and not is_supervisor):
        view = "mine"
    tasks = tasks_for(user) if view == "mine" else team_tasks_for(user, escalated_only=view == "escalated")
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        rows: list = [
            [
                task.due_on.isoformat(),
                task.get_kind_display(),
                task.case.reference,
                "yes" if task.high_risk else "",
                (task.assignee.get_full_name() or task.assignee.username) if task.assignee else str(task.agency or ""),
            ]
            for task in tasks[:5000]
        ]
        header = ["Due", "Task", "Case", "High risk", "Held by"]
        return export_response(request, fmt=fmt, name=f"tasks {view}", header=header, rows=rows)
    today = timezone.localdate()
    due_now, later = tasks_due_now_and_later(tasks, today=today, limit=TASKS_SHOWN)
    return render(
        request,
        "reminders/my_tasks.html",
        {
            "due_now": due_now,
            "later": later,
            "limit": TASKS_SHOWN,
            "view": view,
            "is_supervisor": is_supervisor,
            "today": today,
            "escalate_before": today - ESCALATE_AFTER,
            "form": DismissForm(),
            "operations": list(
                Operation.objects.filter(lead_agency_id=user.agency_id, is_active=True).only("public_id", "name")
            )
            if can_set_cadences(user)
            else [],
        },
    )


@login_required
@form_view
def dismiss(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    reminder = Reminder.objects.filter(public_id=public_id).first()
    if reminder is None or not can_dismiss(request.user, reminder):
        raise Http404("No such task.")
    form = DismissForm(request.POST or None)
    dismissed = (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: reminder_dismiss(actor=request.user, reminder=reminder, reason=form.cleaned_data["reason"]),
            form=form,
            success=f"Task dismissed: {reminder.get_kind_display()} ({reminder.case.reference}).",
        )
    )
    if dismissed:
        return redirect("reminders:my_tasks")
    return render(
        request, "reminders/dismiss.html", {"reminder": reminder, "form": form}, status=400 if form.errors else 200
    )
