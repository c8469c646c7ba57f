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
    # A plain choice of the attending agencies' ids, turned into the Agency in clean_agency. (It was a
    # ModelChoiceField over an empty queryset with the choices drawn on top, so every choice was
    # refused as "Select a valid choice" and no action could be assigned.)
    agency = forms.TypedChoiceField(
        label="Agency",
        coerce=int,
        help_text="Agencies attending the meeting. To give an action to another agency, add it under Attendance "
        "first: it then sees the case.",
        error_messages={
            "required": "Choose the agency the action is for",
            "invalid_choice": "Choose one of the agencies attending the meeting",
        },
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
        self.fields["agency"].choices = [  # type: ignore[attr-defined]
            ("", "Choose an agency"),
            *((a.pk, a.name) for a in sorted(agencies, key=lambda a: a.name)),
        ]

    def clean_agency(self) -> Agency:
        return self._agencies[self.cleaned_data["agency"]]


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the outcome of the action"},
    )
