"""Changing a victim's contact details and a child's school in the app, by IDVAs and the owning
force. Every opening of the form is a confidential view on the access log, every change is logged
(with the fields changed; the values are in the details' history), and a change made by someone
else since the form was opened is shown, not overwritten: the user's input is kept."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt

from . import services
from .forms import ChildDetailsForm, VictimDetailsForm
from .http import child_confidential_shown, child_for, confidential_changed, victim_confidential_shown, victim_for
from .rules import can_edit_child_details, can_edit_victim_details


def _initial(details: object, fields: tuple[str, ...]) -> dict[str, object]:
    initial: dict[str, object] = {"version": services.details_version(details)}  # type: ignore[arg-type]
    if details is not None:
        initial |= {name: getattr(details, name) for name in fields}
        if "in_refuge" in initial:
            initial["in_refuge"] = "yes" if initial["in_refuge"] else "no"
    return initial


def _refreshed_version(form: VictimDetailsForm | ChildDetailsForm, details: object) -> None:
    """After a conflict the form keeps what the user typed but is now on the latest version: saving
    again is a deliberate choice made having seen the other change."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data[form.add_prefix("version")] = services.details_version(details)  # type: ignore[arg-type]
    form.data = data


@login_required
@form_view
def victim_details(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    victim = victim_for(request, public_id, what="Contact details form")
    if not can_edit_victim_details(request.user, victim):
        raise PermissionDenied("Contact details are changed by the IDVA or the owning force.")
    details = victim_confidential_shown(request, victim)
    form = VictimDetailsForm(request.POST or None, initial=_initial(details, services.VICTIM_DETAIL_FIELDS))
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.victim_details_update(
                actor=request.user, victim=victim, version=form.cleaned_data["version"], values=form.values()
            ),
            form=form,
        )
        if saved:
            confidential_changed(request, victim, fields=saved.value or [])
            return _saved(request, "victims:detail", victim.public_id, saved.value)
        conflict = victim_confidential_shown(request, victim)
        _refreshed_version(form, conflict)
    return render(
        request,
        "victims/details_form.html",
        {"victim": victim, "person": victim.person, "form": form, "conflict": conflict},
    )


@login_required
@form_view
def child_details(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    child = child_for(request, public_id, what="School form")
    if not can_edit_child_details(request.user, child):
        raise PermissionDenied("A child's school is changed by the IDVA or the owning force.")
    details = child_confidential_shown(request, child)
    form = ChildDetailsForm(request.POST or None, initial=_initial(details, ("school",)))
    conflict = None
    case_id = _uuid_or_empty(request.GET.get("case", ""))
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.child_details_update(
                actor=request.user,
                child=child,
                version=form.cleaned_data["version"],
                school=form.cleaned_data["school"],
            ),
            form=form,
        )
        if saved:
            confidential_changed(request, child, fields=saved.value or [])
            if case_id:
                return _saved(request, "cases:detail", case_id, saved.value)
            return _saved(request, "victims:child_details", child.public_id, saved.value)
        conflict = child_confidential_shown(request, child)
        _refreshed_version(form, conflict)
    return render(
        request,
        "victims/child_details_form.html",
        {"child": child, "person": child.person, "form": form, "conflict": conflict, "case_id": case_id},
    )


def _uuid_or_empty(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return ""


def _saved(request: AuthenticatedHttpRequest, name: str, public_id: object, changed: list | None) -> HttpResponse:
    messages.success(request, "Details saved." if changed else "Nothing was changed.")
    return redirect(name, public_id)
