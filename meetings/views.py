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

from cases.selectors import cases_visible_to
from dacrre.audit.exports import FORMATS, export_response
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from dacrre.core.form_tokens import form_view
from dacrre.core.forms import form_add_application_error
from dacrre.core.http import AuthenticatedHttpRequest

from . import services
from .forms import ActionForm, AddCaseForm, AttendanceForm, DiscussionForm, MeetingForm, OutcomeForm
from .models import Meeting, MeetingAction, MeetingStatus
from .rules import can_manage_meeting, can_schedule_meeting
from .selectors import (
    actions_for_agency_of,
    agenda_item_get_for,
    agenda_suggestions,
    agenda_visible_to,
    meeting_get_for,
    meeting_open_actions,
    meetings_visible_to,
)


def _meeting_or_404(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> Meeting:
    try:
        return meeting_get_for(request.user, public_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@login_required
@form_view
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if not can_schedule_meeting(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                meeting = services.meeting_schedule(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    held_on=form.cleaned_data["held_on"],
                    attending_agencies=form.cleaned_data["attending_agencies"],
                )
            except ApplicationError as exc:
                form_add_application_error(form, exc)
            else:
                messages.success(request, f"{meeting} scheduled.")
                return redirect("meetings:detail", public_id=meeting.public_id)
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
    meeting = _meeting_or_404(request, public_id)
    access_log_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        object_type="meeting",
        object_id=meeting.public_id,
        object_label=str(meeting),
    )
    return _detail(request, meeting)


@login_required
@form_view
@require_POST
def meeting_change(request: AuthenticatedHttpRequest, public_id: uuid.UUID, change: str) -> HttpResponse:  # noqa: C901
    meeting = _meeting_or_404(request, public_id)
    user = request.user
    if not can_manage_meeting(user, meeting):
        raise PermissionDenied("Only the chair agency can change this meeting.")
    bound: dict[str, Any] = {}
    try:
        if change == "attendance":
            form: Form = AttendanceForm(request.POST)
            bound["attendance_form"] = form
            if form.is_valid():
                services.meeting_set_attendance(
                    actor=user, meeting=meeting, agencies=form.cleaned_data["attending_agencies"], request=request
                )
                messages.success(request, "Attendance saved. Attending agencies can open the cases on the agenda.")
                return redirect("meetings:detail", public_id=meeting.public_id)
        elif change == "add-case":
            form = AddCaseForm(request.POST)
            bound["add_case_form"] = form
            if form.is_valid():
                reference = form.cleaned_data["case_reference"].strip()
                case = cases_visible_to(user).filter(reference__iexact=reference).first()
                if case is None:
                    raise ApplicationError(
                        "There is no case with that reference that you can see", field="case_reference"
                    )
                services.meeting_add_case(actor=user, meeting=meeting, case=case, request=request)
                messages.success(
                    request, f"Case {case.reference} added to the agenda and shared with the attending agencies."
                )
                return redirect("meetings:detail", public_id=meeting.public_id)
        else:
            raise Http404("No such change.")
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        target = bound.get("attendance_form") or bound.get("add_case_form")
        if target is not None:
            form_add_application_error(target, exc)
        else:
            bound["error"] = exc.message
    return _detail(request, meeting, **bound)


@login_required
@form_view
def meeting_conclude(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Concluding ends the sharing the meeting gave and cannot be undone: the page says what will
    happen (or what must be done first), and the button on it concludes."""
    meeting = _meeting_or_404(request, public_id)
    user = request.user
    if not can_manage_meeting(user, meeting):
        raise PermissionDenied("Only the chair agency can conclude this meeting.")
    if meeting.status != MeetingStatus.SCHEDULED:
        messages.info(request, "This meeting has already been concluded.")
        return redirect("meetings:detail", public_id=meeting.public_id)
    error = ""
    if request.method == "POST":
        try:
            services.meeting_conclude(actor=user, meeting=meeting)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, "Meeting concluded. The cases are no longer shared for it.")
            return redirect("meetings:detail", public_id=meeting.public_id)
    access_log_record(
        user=user,
        action=AccessAction.VIEW,
        request=request,
        object_type="meeting",
        object_id=meeting.public_id,
        object_label=str(meeting),
    )
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
    try:
        item = agenda_item_get_for(request.user, public_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    meeting = item.meeting
    if not can_manage_meeting(request.user, meeting):
        raise PermissionDenied("Only the chair agency can change this meeting.")
    bound: dict[str, Any] = {"item": item}
    try:
        if change == "discussion":
            form: Form = DiscussionForm(request.POST, prefix=f"d{item.pk}")
            bound["discussion_form"] = form
            if form.is_valid():
                services.agenda_item_record_discussion(
                    actor=request.user, item=item, summary=form.cleaned_data["summary"]
                )
                messages.success(request, f"Discussion of {item.case.reference} saved.")
                return redirect("meetings:detail", public_id=meeting.public_id)
        elif change == "action":
            form = ActionForm(request.POST, prefix=f"a{item.pk}", agencies=list(meeting.attending_agencies.all()))
            bound["action_form"] = form
            if form.is_valid():
                services.meeting_action_assign(actor=request.user, item=item, **form.cleaned_data)
                messages.success(request, f"Action assigned to {form.cleaned_data['agency'].name}.")
                return redirect("meetings:detail", public_id=meeting.public_id)
        else:
            raise Http404("No such change.")
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        form_add_application_error(form, exc)
    return _detail(request, meeting, **bound)


@login_required
def agency_actions(request: AuthenticatedHttpRequest) -> HttpResponse:
    actions = list(actions_for_agency_of(request.user)[:200])
    access_log_record(
        user=request.user,
        action=AccessAction.LIST,
        request=request,
        object_type="meeting actions",
        detail=f"{len(actions)} actions listed",
    )
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
    if form.is_valid():
        try:
            services.meeting_action_complete(actor=request.user, action=action, outcome=form.cleaned_data["outcome"])
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, "Action completed.")
            return redirect("meetings:actions")
    rows = [(a, form if a.pk == action.pk else OutcomeForm(prefix=f"o{a.pk}")) for a in actions]
    return render(request, "meetings/actions.html", {"rows": rows, "form": form})
