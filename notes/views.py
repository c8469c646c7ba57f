import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.http import case_for
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt

from . import services
from .forms import AnnotationForm, NoteCorrectionForm, NoteForm
from .http import note_for
from .models import NoteKind
from .rules import can_annotate_note, can_edit_note, can_write_notes, sides_written_by
from .selectors import notes_with_annotations


@login_required
def note_list(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for(request, case_id, what="Case notes", can="notes.view")
    notes = list(notes_with_annotations(request.user, case))
    return render(
        request,
        "notes/list.html",
        {"case": case, "notes": notes, "can_write": can_write_notes(request.user, case)},
    )


@login_required
@form_view
def note_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for(request, case_id, what="Note form", can="notes.write", writing=True)
    kind = request.GET.get("kind", NoteKind.NOTE)
    form = NoteForm(
        request.POST or None,
        sides=sides_written_by(request.user),
        initial={
            "kind": kind if kind in NoteKind else "note",
            "occurred_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        written = attempt(
            request,
            lambda: services.note_write(actor=request.user, case=case, **data),
            form=form,
            success="Contact logged." if data["kind"] == NoteKind.CONTACT else "Note added.",
        )
        if written:
            return redirect("notes:list", case_id=case.public_id)
    return render(request, "notes/form.html", {"case": case, "form": form, "heading": "Add a note or contact"})


@login_required
@form_view
def note_detail(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    """A note, its annotations, and (for those who write notes) the form to annotate it."""
    writing = request.method == "POST"
    case, note = note_for(
        request, case_id, public_id, what="Case note", can="notes.write" if writing else "notes.view", writing=writing
    )
    form = AnnotationForm(request.POST or None)
    if writing and form.is_valid():
        added = attempt(
            request,
            lambda: services.note_annotate(actor=request.user, note=note, text=form.cleaned_data["text"]),
            form=form,
            success="Annotation added.",
        )
        if added:
            return redirect("notes:detail", case_id=case.public_id, public_id=note.public_id)
    context = {
        "case": case,
        "note": note,
        "annotations": list(note.annotations.select_related("author")),
        "form": form,
        "can_annotate": can_annotate_note(request.user, note),
        "can_edit": can_edit_note(request.user, note),
        "history": list(note.history.select_related("history_user").order_by("-history_date")[1:20]),
    }
    return render(request, "notes/detail.html", context)


@login_required
@form_view
def note_edit(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    """The author corrects the note within 24 hours of writing it."""
    case, note = note_for(request, case_id, public_id, what="Note correction", can="notes.write", writing=True)
    if not can_edit_note(request.user, note):
        raise PermissionDenied("Only its author can correct a note, within 24 hours of writing it: annotate it.")
    initial = {
        "occurred_on": note.occurred_on.strftime("%d/%m/%Y"),
        "method": note.method,
        "with_whom": note.with_whom,
        "outcome": note.outcome,
        "text": note.text,
    }
    form = NoteCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        corrected = attempt(
            request,
            lambda: services.note_correct(actor=request.user, note=note, **form.cleaned_data),
            form=form,
            success="Note corrected.",
        )
        if corrected:
            return redirect("notes:detail", case_id=case.public_id, public_id=note.public_id)
    return render(request, "notes/form.html", {"case": case, "note": note, "form": form, "heading": "Correct the note"})
