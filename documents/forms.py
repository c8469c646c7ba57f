from django import forms
from django.conf import settings

from .content import ALLOWED_LABELS
from .models import DocumentKind, DocumentVisibility
from .services import TITLE_LENGTH


class DocumentForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_LENGTH,
        help_text="What it is, for example 'Non-molestation order, 3 March'. Do not put an address in the title.",
        error_messages={
            "required": "Enter a title for the document",
            "max_length": f"The title must be {TITLE_LENGTH} characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of document",
        choices=DocumentKind.choices,
        error_messages={"required": "Select what kind of document it is"},
    )
    visibility = forms.ChoiceField(
        label="Who may see it",
        choices=DocumentVisibility.choices,
        error_messages={"required": "Select who may see the document"},
    )
    file = forms.FileField(
        label="File",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args: object, visibilities: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(v, DocumentVisibility(v).label) for v in visibilities]
        self.fields["visibility"].choices = choices  # type: ignore[attr-defined]
        limit = settings.DOCUMENT_MAX_BYTES // (1024 * 1024)
        self.fields["file"].help_text = f"A {ALLOWED_LABELS} file, smaller than {limit} MB"
        if len(visibilities) == 1:
            self.fields["visibility"].initial = visibilities[0]

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > settings.DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {settings.DOCUMENT_MAX_BYTES // (1024 * 1024)} MB"
            )
        return upload
