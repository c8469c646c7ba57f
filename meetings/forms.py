from django import forms

from dacrre.accounts.models import Agency
from dacrre.core import dates
from dacrre.core.forms import uk_date_field

from .models import MeetingKind


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of meeting", choices=MeetingKind.choices, error_messages={"required": "Choose the kind of meeting"}
    )
    held_on = uk_date_field(
        "Date",
        bounds=dates.MEETING_HELD,
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter the date as day/month/year, for example 27/3/2026",
        },
    )
    attending_agencies = forms.ModelMultipleChoiceField(
        label="Attending agencies",
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AttendanceForm(forms.Form):
    attending_agencies = forms.ModelMultipleChoiceField(
        label="Attending agencies",
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AddCaseForm(forms.Form):
    case_reference = forms.CharField(
        label="Case reference",
        max_length=20,
        help_text="For example, DA-26-00042",
        error_messages={"required": "Enter the case reference"},
    )


class DiscussionForm(forms.Form):
    summary = forms.CharField(
        label="Discussion summary",
        widget=forms.Textarea,
        max_length=10000,
        error_messages={"required": "Enter a summary of the discussion"},
    )


class ActionForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency the action is for"},
    )
    description = forms.CharField(
        label="Action", widget=forms.Textarea, max_length=2000, error_messages={"required": "Describe the action"}
    )
    due_on = uk_date_field(
        "Due",
        bounds=dates.MEETING_ACTION_DUE,
        error_messages={
            "required": "Enter the due date",
            "invalid": "Enter the due date as day/month/year, for example 27/3/2026",
        },
    )

    def __init__(self, *args: object, agencies: list[Agency], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Choices from a list already loaded: the meeting page shows one of these forms per agenda item.
        self._agencies = {agency.pk: agency for agency in agencies}
        self.fields["agency"].choices = [("", "Choose an agency"), *((a.pk, a.name) for a in agencies)]  # type: ignore[attr-defined]

    def clean_agency(self) -> Agency:
        return self._agencies[self.cleaned_data["agency"]]


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the outcome of the action"},
    )
