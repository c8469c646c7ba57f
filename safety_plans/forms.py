from django import forms

from dacrre.core import dates
from dacrre.core.forms import uk_date_field

from .measures import MEASURES
from .models import MeasureStatus
from .services import MeasureInput

STATUS_CHOICES = [("", "Not discussed"), *MeasureStatus.choices]


class SafetyPlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # Set only on the conflict page: the user chose to save their text over this (current) version.
    saved_over = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    safe_contact = forms.CharField(
        label="Safe-contact arrangements",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
        help_text="Safe number, safe times to call, code word. Confidential: never shared with perpetrator-side "
        "agencies.",
    )

    def __init__(self, *args: object, with_safe_contact: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not with_safe_contact:
            del self.fields["safe_contact"]
        for measure in MEASURES:
            self.fields[f"{measure.key}-status"] = forms.ChoiceField(
                label=f"{measure.label}: status", choices=STATUS_CHOICES, required=False
            )
            self.fields[f"{measure.key}-owner"] = forms.CharField(
                label=f"{measure.label}: who is responsible", required=False, max_length=200
            )
            self.fields[f"{measure.key}-due_on"] = uk_date_field(
                f"{measure.label}: when (in place since, or due by)",
                required=False,
                bounds=dates.SAFETY_MEASURE_DUE,
                help_text="",
                error_messages={
                    "invalid": f"Enter the date for '{measure.label}' as day/month/year, for example 27/3/2026"
                },
            )

    def measure_rows(self) -> list[tuple[object, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(m, self[f"{m.key}-status"], self[f"{m.key}-owner"], self[f"{m.key}-due_on"]) for m in MEASURES]

    def measures(self) -> dict[str, MeasureInput]:
        data = self.cleaned_data
        return {
            m.key: {
                "status": data[f"{m.key}-status"],
                "owner": data[f"{m.key}-owner"],
                "due_on": data[f"{m.key}-due_on"],
                "notes": "",
            }
            for m in MEASURES
        }


class SchoolNotificationForm(forms.Form):
    notified_on = uk_date_field(
        "Date the school was told",
        bounds=dates.SCHOOL_NOTIFIED,
        error_messages={"invalid": "Enter the date as day/month/year, for example 27/3/2026"},
    )
    notes = forms.CharField(label="Notes", required=False, max_length=2000)
