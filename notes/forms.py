from django import forms

from dacrre.core import dates
from dacrre.core.forms import uk_date_field

from .models import ContactMethod, NoteKind, NoteSide

METHODS = [("", "Choose how"), *ContactMethod.choices]


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you recording?",
        choices=NoteKind.choices,
        widget=forms.RadioSelect,
        initial=NoteKind.NOTE,
        error_messages={"required": "Choose a case note or a contact"},
    )
    side = forms.ChoiceField(
        label="Which side of the case is it about?",
        choices=NoteSide.choices,
        widget=forms.RadioSelect,
        help_text="Victim-side notes are never shown to perpetrator-side agencies (probation, perpetrator programmes).",
        error_messages={"required": "Choose the side of the case the note is about"},
    )
    occurred_on = uk_date_field("Date", bounds=dates.NOTE_OCCURRED)
    method = forms.ChoiceField(label="How was the contact made?", choices=METHODS, required=False)
    with_whom = forms.CharField(label="With whom", required=False, max_length=200)
    outcome = forms.CharField(label="Outcome", required=False, max_length=500)
    text = forms.CharField(
        label="Note", widget=forms.Textarea, max_length=20000, error_messages={"required": "Enter the note"}
    )

    def __init__(self, *args: object, sides: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["side"].choices = [(value, label) for value, label in NoteSide.choices if value in sides]  # type: ignore[attr-defined]
        if len(sides) == 1:
            self.fields["side"].initial = sides[0]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("kind") == NoteKind.CONTACT and not data.get("method"):
            self.add_error("method", "Choose how the contact was made")
        return data


class NoteCorrectionForm(forms.Form):
    occurred_on = uk_date_field("Date", bounds=dates.NOTE_OCCURRED)
    method = forms.ChoiceField(label="How was the contact made?", choices=METHODS, required=False)
    with_whom = forms.CharField(label="With whom", required=False, max_length=200)
    outcome = forms.CharField(label="Outcome", required=False, max_length=500)
    text = forms.CharField(
        label="Note", widget=forms.Textarea, max_length=20000, error_messages={"required": "Enter the note"}
    )


class AnnotationForm(forms.Form):
    text = forms.CharField(
        label="Add an annotation",
        help_text="An annotation is added below the note, with your name and the time; the note itself is not changed.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Enter the annotation"},
    )
