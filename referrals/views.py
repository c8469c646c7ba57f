import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.http import case_for
from cases.models import Case
from dacrre.accounts.models import User
from dacrre.audit.access import Shown, rows_listed
from dacrre.audit.exports import FORMATS, export_response
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.paging import page_of
from dacrre.core.service_calls import attempt
from people.models import Person
from victims.selectors import case_victims_confidential_for

from . import services
from .forms import OutcomeForm, ReasonForm, ReferralForm, UpdateForm
from .http import referral_for
from .models import Referral, ReferralStatus
from .rules import (
    can_add_referral_update,
    can_complete_referral,
    can_respond_to_referral,
    can_withdraw_referral,
)
from .selectors import inbox_counts_of, inbox_for, sent_by_agency_of


@login_required
@form_view
def referral_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for(request, case_id, what="Referral form", can="referrals.make", writing=True)
    form = ReferralForm(request.POST or None, case=case, user=request.user)
    if request.method == "POST" and form.is_valid():
        made = attempt(
            request,
            lambda: _referral_made(request, case, form.cleaned_data),
            form=form,
            success=lambda referral: (
                f"Referral {referral.reference} {'sent' if _sent(request, referral) else 'saved as a draft'}."
            ),
        )
        if made:
            return redirect("referrals:detail", public_id=made.value.public_id)  # type: ignore[union-attr]
    return render(request, "referrals/new.html", {"case": case, "form": form})


def _sent(request: AuthenticatedHttpRequest, referral: Referral) -> bool:
    return referral.status == ReferralStatus.SENT or "send" in request.POST


def _referral_made(request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]) -> Referral:
    """The referral as drafted, and sent when the user pressed send."""
    referral = services.referral_create(
        actor=request.user,
        case=case,
        subject_person=Person.objects.get(pk=data["subject_person"]),
        to_agency=data["to_agency"],
        external_agency_name=data["external_agency_name"],
        external_agency_contact=data["external_agency_contact"],
        reason=data["reason"],
        urgency=data["urgency"],
        sharing=data["sharing"],
        consent=data["consent"],
        consent_method=data["consent_method"],
        consent_override_reason=data["consent_override_reason"],
        consent_override_authorised_role=data["consent_override_authorised_role"],
        consent_override_authorised_by=data["consent_override_authorised_by"],
    )
    if "send" in request.POST:
        services.referral_send(actor=request.user, referral=referral, request=request)
    return referral


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return _inbox_export(request, fmt)
    # Referrals awaiting a response are all shown (they need action, and response targets keep them
    # few); accepted ones, which can run to hundreds per agency, 50 to a page.
    awaiting = list(inbox_for(request.user).filter(status=ReferralStatus.SENT))
    accepted = page_of(
        inbox_for(request.user).filter(status=ReferralStatus.ACCEPTED),
        inbox_for(request.user),
        request.GET.get("page"),
    )
    sent = list(sent_by_agency_of(request.user)[:100])
    rows_listed(
        request,
        page="referral inbox",
        detail=f"{len(awaiting)} awaiting, {len(accepted.object_list)} accepted (page {accepted.number}), "
        f"{len(sent)} sent listed",
        shown=[
            Shown(r.get_subject_role_display(), r.subject_person, r.case.reference)
            for r in [*awaiting, *accepted.object_list, *sent]
        ],
    )
    return render(
        request,
        "referrals/inbox.html",
        {
            "counts": inbox_counts_of(awaiting, accepted.paginator.count),
            # Each referral once: new ones, then those opened and still awaiting a response.
            "new": [r for r in awaiting if r.first_opened_at is None],
            "opened": [r for r in awaiting if r.first_opened_at is not None],
            "page": accepted,
            "sent": sent,
        },
    )


def _inbox_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    received = list(inbox_for(request.user))
    sent = list(sent_by_agency_of(request.user)[:100])
    header = ["Reference", "Case", "Direction", "From", "To", "Urgency", "Status", "Response due"]
    rows: list = [
        [
            r.reference,
            r.case.reference,
            direction,
            r.from_agency.name,
            r.recipient_name,
            r.get_urgency_display(),
            r.get_status_display(),
            r.response_due_on.isoformat() if r.response_due_on else "",
        ]
        for direction, group in (("received", received), ("sent", sent))
        for r in group
    ]
    return export_response(request, fmt=fmt, name="referrals", header=header, rows=rows)


def _detail_context(
    request: AuthenticatedHttpRequest, referral: Referral, error: str = "", **forms: Form
) -> dict[str, Any]:
    user = request.user
    return {
        "referral": referral,
        "updates": list(referral.updates.select_related("author", "agency")),
        "can_respond": can_respond_to_referral(user, referral),
        "can_manage": can_withdraw_referral(user, referral),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
        "update_form": forms.get("update_form") or UpdateForm(),
        "form": next((f for f in forms.values() if f.errors), None),
        "error": error,
    }


@login_required
def referral_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = referral_for(request, public_id, what="Referral page")
    services.referral_mark_opened(actor=request.user, referral=referral)
    return render(request, "referrals/detail.html", _detail_context(request, referral))


@login_required
@form_view
@require_POST
def referral_action(request: AuthenticatedHttpRequest, public_id: uuid.UUID, action: str) -> HttpResponse:  # noqa: C901
    referral = referral_for(request, public_id, what=f"Referral {action}")
    user = request.user
    forms: dict[str, Form] = {}
    try:
        if action not in _ACTION_ALLOWED:
            raise Http404("No such action.")
        if not _ACTION_ALLOWED[action](user, referral):
            # The same predicates as the buttons on the page: refused before any form is read.
            raise PermissionDeniedError(_ACTION_REFUSED[action])
        if action == "send":
            services.referral_send(actor=user, referral=referral, request=request)
            done = "sent"
        elif action == "accept":
            services.referral_accept(actor=user, referral=referral, request=request)
            done = "accepted: the case is now open to your agency"
        elif action in ("decline", "withdraw"):
            reason_form = forms["reason_form"] = ReasonForm(request.POST)
            if not reason_form.is_valid():
                raise _FormInvalid
            service = services.referral_decline if action == "decline" else services.referral_withdraw
            service(actor=user, referral=referral, reason=reason_form.cleaned_data["reason"])
            done = "declined" if action == "decline" else "withdrawn"
        elif action == "complete":
            outcome_form = forms["outcome_form"] = OutcomeForm(request.POST)
            if not outcome_form.is_valid():
                raise _FormInvalid
            services.referral_complete(actor=user, referral=referral, outcome=outcome_form.cleaned_data["outcome"])
            done = "completed"
        elif action == "update":
            update_form = forms["update_form"] = UpdateForm(request.POST)
            if not update_form.is_valid():
                raise _FormInvalid
            services.referral_add_update(actor=user, referral=referral, text=update_form.cleaned_data["text"])
            done = "updated"
        else:
            raise Http404("No such action.")
    except ApplicationError as exc:
        # Refused (not this agency's or not this role's to do: 403; no longer possible in the
        # referral's state: 200): nothing was written, and the page says why, on the referral's own
        # page with its status (not attempt(), whose 403 is the error page).
        referral.refresh_from_db()
        status = 403 if isinstance(exc, PermissionDeniedError) else 200
        context = _detail_context(request, referral, error=exc.message, **forms)
        return render(request, "referrals/detail.html", context, status=status)
    except _FormInvalid:
        pass
    else:
        messages.success(request, f"Referral {referral.reference} {done}.")
        return redirect("referrals:detail", public_id=referral.public_id)
    referral.refresh_from_db()
    return render(request, "referrals/detail.html", _detail_context(request, referral, "", **forms))


class _FormInvalid(Exception):
    pass


_ACTION_ALLOWED: dict[str, Callable[[User, Referral], bool]] = {
    "send": can_withdraw_referral,
    "withdraw": can_withdraw_referral,
    "accept": can_respond_to_referral,
    "decline": can_respond_to_referral,
    "complete": can_complete_referral,
    "update": can_add_referral_update,
}
_ACTION_REFUSED = {
    "send": "Only the referring agency can send this referral.",
    "withdraw": "Only the referring agency can withdraw this referral.",
    "accept": "Only the agency the referral was sent to can accept it.",
    "decline": "Only the agency the referral was sent to can decline it.",
    "complete": (
        "Only the agency the referral was sent to (for an agency not on the system, the referring agency) "
        "can complete it."
    ),
    "update": "Only the two agencies of a referral can add updates to it.",
}


@login_required
def referral_summary(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A printable summary for an agency that is not on the system: only what consent allows."""
    referral = referral_for(request, public_id, what="Printable referral summary")
    if not can_withdraw_referral(request.user, referral) or referral.status == ReferralStatus.DRAFT:
        raise PermissionDenied
    contacts = case_victims_confidential_for(request.user, referral.case) if referral.shares_victim_contact else []
    services.referral_log_disclosure(
        actor=request.user, referral=referral, request=request, detail="Printable referral summary produced"
    )
    return render(request, "referrals/summary.html", {"referral": referral, "contacts": contacts})
