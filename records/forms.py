from django import forms

from dacrre.core import dates
from dacrre.core.dates import uk_date
from dacrre.core.forms import uk_date_field

from .schedule import next_review_bounds
from .services import REASON_MIN

REASON_ERRORS = {"required": "Enter the reason", "min_length": f"Enter the reason, in at least {REASON_MIN} characters"}


class RetainForm(forms.Form):
    reason = forms.CharField(
        label="Why the case is kept",
        min_length=REASON_MIN,
        widget=forms.Textarea,
        help_text="The policing purpose it still serves, for example a new incident since closure. Name nobody.",
        error_messages=REASON_ERRORS,
    )
    next_review_on = uk_date_field("Next review date", bounds=dates.RETENTION_NEXT_REVIEW)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        earliest, latest = next_review_bounds()
        self.fields["next_review_on"].help_text = f"Between {uk_date(earliest)} and {uk_date(latest)}"


class DisposeForm(forms.Form):
    reason = forms.CharField(
        label="Why the case is disposed of",
        min_length=REASON_MIN,
        widget=forms.Textarea,
        help_text="For example: no policing purpose remains, no incident since closure. Name nobody: the disposal "
        "record is kept for good.",
        error_messages=REASON_ERRORS,
    )


class SubjectAccessSearchForm(forms.Form):
    q = forms.CharField(label="Name or police identifier", required=False, max_length=100)


class SubjectAccessRequestForm(forms.Form):
    reference = forms.CharField(
        label="Request reference",
        max_length=40,
        help_text="The subject access request's reference in the force's own records, for example SAR-2026-0142",
        error_messages={"required": "Enter the request's reference"},
    )
