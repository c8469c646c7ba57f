import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.models import Case
from cases.selectors import cases_visible_to
from dacrre.accounts.models import User
from dacrre.audit.access import Shown, rows_listed
from dacrre.audit.exports import FORMATS, export_response
from dacrre.core.exceptions import ApplicationError
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import Outcome, attempt

from . import services
from .forms import ActionForm, AddCaseForm, AttendanceForm, DiscussionForm, MeetingForm, OutcomeForm
from .http import agenda_item_for, meeting_for
from .models import Meeting, MeetingAction, MeetingStatus
from .rules import can_manage_meeting, can_schedule_meeting
from .selectors import (
    actions_for_agency_of,
    agenda_suggestions,
    agenda_visible_to,
    meeting_open_actions,
    meetings_visible_to,
    panel_overview,
)


@login_required
@form_view
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if not can_schedule_meeting(request.user):
            raise PermissionDenied
        scheduled = form.is_valid() and attempt(
            request,
            lambda: services.meeting_schedule(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                held_on=form.cleaned_data["held_on"],
                attending_agencies=form.cleaned_data["attending_agencies"],
            ),
            form=form,
            success=lambda meeting: f"{meeting} scheduled.",
        )
        if scheduled:
            return redirect("meetings:detail", public_id=scheduled.value.public_id)  # type: ignore[union-attr]
    meetings = list(meetings_visible_to(request.user).select_related("chair_agency").order_by("-held_on")[:100])
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        rows: list = [
            [m.get_kind_display(), m.held_on.isoformat(), m.chair_agency.name, m.get_status_display()] for m in meetings
        ]
        return export_response(
            request, fmt=fmt, name="meetings", header=["Meeting", "Date", "Chaired by", "Status"], rows=rows
        )
    return render(
        request,
        "meetings/list.html",
        {
            "meetings": meetings,
            "form": form,
            "can_schedule": can_schedule_meeting(request.user),
        },
    )


def _detail(request: AuthenticatedHttpRequest, meeting: Meeting, **bound: Any) -> HttpResponse:
    user = request.user
    manager = can_manage_meeting(user, meeting)
    attending = list(meeting.attending_agencies.all())
    hidden = meeting.agenda.count() - (visible := agenda_visible_to(user, meeting)).count()
    items = list(
        visible.select_related("case__perpetrator__person").prefetch_related(
            Prefetch("actions", queryset=MeetingAction.objects.select_related("assigned_agency"))
        )
    )
    failed_item = bound.get("item")
    agenda = []
    for item in items:
        same = failed_item is not None and failed_item.pk == item.pk
        agenda.append(
            {
                "item": item,
                "discussion_form": bound["discussion_form"]
                if same and "discussion_form" in bound
                else DiscussionForm(prefix=f"d{item.pk}", initial={"summary": item.discussion_summary}),
                "action_form": bound["action_form"]
                if same and "action_form" in bound
                else ActionForm(prefix=f"a{item.pk}", agencies=attending),
            }
        )
    forms_with_errors = [f for f in bound.values() if isinstance(f, Form) and f.errors]
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "manager": manager,
            "attending": attending,
            "agenda": agenda,
            "hidden_items": hidden,
            "suggestions": list(agenda_suggestions(user, meeting)) if manager else [],
            "attendance_form": bound.get("attendance_form")
            or AttendanceForm(initial={"attending_agencies": attending}),
            "add_case_form": bound.get("add_case_form") or AddCaseForm(),
            "form": forms_with_errors[0] if forms_with_errors else None,
            "error": bound.get("error"),
        },
    )


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _detail(request, meeting_for(request, public_id, what="Meeting page"))


@login_required
@form_view
@require_POST
def meeting_change(request: AuthenticatedHttpRequest, public_id: uuid.UUID, change: str) -> HttpResponse:
    meeting = meeting_for(request, public_id, what="Meeting change", manage=True)
    user = request.user
    done: Outcome[Any] | bool
    if change == "attendance":
        form: Form = AttendanceForm(request.POST)
        bound: dict[str, Any] = {"attendance_form": form}
        done = form.is_valid() and attempt(
            request,
            lambda: services.meeting_set_attendance(
                actor=user, meeting=meeting, agencies=form.cleaned_data["attending_agencies"], request=request
            ),
            form=form,
            success="Attendance saved. Attending agencies can open the cases on the agenda.",
        )
    elif change == "add-case":
        form = AddCaseForm(request.POST)
        bound = {"add_case_form": form}
        done = form.is_valid() and attempt(
            request,
            lambda: _case_added(user, meeting, form.cleaned_data["case_reference"], request),
            form=form,
            success=lambda case: f"Case {case.reference} added to the agenda and shared with the attending agencies.",
        )
    else:
        raise Http404("No such change.")
    return _changed(request, meeting, done, bound)


def _changed(
    request: AuthenticatedHttpRequest, meeting: Meeting, done: Outcome[Any] | bool, bound: dict[str, Any]
) -> HttpResponse:
    """Back to the meeting when the change was made, else its page again with the form that failed."""
    if done:
        return redirect("meetings:detail", public_id=meeting.public_id)
    return _detail(request, meeting, **bound)


def _case_added(user: User, meeting: Meeting, reference: str, request: AuthenticatedHttpRequest) -> Case:
    case = cases_visible_to(user).filter(reference__iexact=reference.strip()).first()
    if case is None:
        raise ApplicationError("There is no case with that reference that you can see", field="case_reference")
    services.meeting_add_case(actor=user, meeting=meeting, case=case, request=request)
    return case


@login_required
@form_view
def meeting_conclude(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Concluding ends the sharing the meeting gave and cannot be undone: the page says what will
    happen (or what must be done first), and the button on it concludes."""
    meeting = meeting_for(
        request,
        public_id,
        what="Meeting conclusion",
        manage=True,
        refused="Only the chair agency can conclude this meeting.",
    )
    user = request.user
    if meeting.status != MeetingStatus.SCHEDULED:
        messages.info(request, "This meeting has already been concluded.")
        return redirect("meetings:detail", public_id=meeting.public_id)
    error = ""
    if request.method == "POST":
        concluded = attempt(
            request,
            lambda: services.meeting_conclude(actor=user, meeting=meeting),
            refusal_level=None,  # said on the page
            success="Meeting concluded. The cases are no longer shared for it.",
        )
        if concluded:
            return redirect("meetings:detail", public_id=meeting.public_id)
        error = concluded.error.message  # type: ignore[union-attr]
    items = list(agenda_visible_to(user, meeting).select_related("case__perpetrator__person"))
    return render(
        request,
        "meetings/conclude.html",
        {
            "meeting": meeting,
            "items": items,
            "attending": list(meeting.attending_agencies.all()),
            "open_actions": list(meeting_open_actions(meeting).select_related("assigned_agency", "agenda_item__case")),
            "error": error,
        },
    )


@login_required
@form_view
@require_POST
def agenda_item_change(request: AuthenticatedHttpRequest, public_id: uuid.UUID, change: str) -> HttpResponse:
    item = agenda_item_for(request, public_id, what="Agenda item change")
    meeting = item.meeting
    done: Outcome[Any] | bool
    if change == "discussion":
        form: Form = DiscussionForm(request.POST, prefix=f"d{item.pk}")
        bound: dict[str, Any] = {"item": item, "discussion_form": form}
        done = form.is_valid() and attempt(
            request,
            lambda: services.agenda_item_record_discussion(
                actor=request.user, item=item, summary=form.cleaned_data["summary"]
            ),
            form=form,
            success=f"Discussion of {item.case.reference} saved.",
        )
    elif change == "action":
        form = ActionForm(request.POST, prefix=f"a{item.pk}", agencies=list(meeting.attending_agencies.all()))
        bound = {"item": item, "action_form": form}
        done = form.is_valid() and attempt(
            request,
            lambda: services.meeting_action_assign(actor=request.user, item=item, **form.cleaned_data),
            form=form,
            success=lambda _: f"Action assigned to {form.cleaned_data['agency'].name}.",
        )
    else:
        raise Http404("No such change.")
    return _changed(request, meeting, done, bound)


@login_required
def agency_actions(request: AuthenticatedHttpRequest) -> HttpResponse:
    actions = list(actions_for_agency_of(request.user)[:200])
    rows_listed(request, page="meeting actions", detail=f"{len(actions)} actions listed")
    return render(
        request,
        "meetings/actions.html",
        {
            "rows": [(action, OutcomeForm(prefix=f"o{action.pk}")) for action in actions],
        },
    )


@login_required
@form_view
@require_POST
def action_complete(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actions = list(actions_for_agency_of(request.user)[:200])
    action = next((a for a in actions if a.public_id == public_id), None)
    if action is None:
        raise Http404("Action not found.")
    form = OutcomeForm(request.POST, prefix=f"o{action.pk}")
    completed = form.is_valid() and attempt(
        request,
        lambda: services.meeting_action_complete(
            actor=request.user, action=action, outcome=form.cleaned_data["outcome"]
        ),
        form=form,
        success="Action completed.",
    )
    if completed:
        return redirect("meetings:actions")
    rows = [(a, form if a.pk == action.pk else OutcomeForm(prefix=f"o{a.pk}")) for a in actions]
    return render(request, "meetings/actions.html", {"rows": rows, "form": form})


@login_required
def panel_overview_page(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The panel co-ordinator's view: the panel's perpetrators, what changed since the last panel,
    and the actions due per agency."""
    meeting = meeting_for(request, public_id, what="Panel overview")
    overview = panel_overview(request.user, meeting)
    rows_listed(
        request,
        page="panel overview",
        detail=f"{meeting}: {len(overview.items)} cases",
        shown=[Shown("Perpetrator", item.case.perpetrator.person, item.case.reference) for item in overview.items],
    )
    return render(request, "meetings/overview.html", {"meeting": meeting, "overview": overview})
