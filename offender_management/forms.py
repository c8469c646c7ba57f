from django import forms

from dacrre.accounts.models import Agency
from dacrre.core import dates
from dacrre.core.forms import uk_date_field

from .models import BehaviourCategory, Frequency, InterventionType, MeasurePoint, Programme

DATE_HELP = "For example, 27/3/2026"


class AllocationForm(forms.Form):
    programme = forms.ChoiceField(
        label="Programme", choices=Programme.choices, error_messages={"required": "Choose a programme"}
    )
    starts_on = uk_date_field("Start date", bounds=dates.PROGRAMME_STARTS)
    ends_on = uk_date_field("End date", required=False, bounds=dates.PROGRAMME_ENDS)
    lead_agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the lead agency"},
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False, max_length=5000)


class EndAllocationForm(forms.Form):
    ends_on = uk_date_field("End date", bounds=dates.PROGRAMME_ENDS)
    reason = forms.CharField(
        label="Why it ends",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter why the allocation ends"},
    )


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type", choices=InterventionType.choices, error_messages={"required": "Choose the type of intervention"}
    )
    occurred_on = uk_date_field("Date", bounds=dates.INTERVENTION_OCCURRED)
    case = forms.TypedChoiceField(label="Case", coerce=int, required=False, empty_value=None)
    description = forms.CharField(
        label="What was done",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Describe the intervention"},
    )
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea, required=False, max_length=5000)

    def __init__(self, *args: object, cases: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [("", "All of the perpetrator's open cases"), *((c.pk, c.reference) for c in cases)]
        self.fields["case"].choices = choices  # type: ignore[attr-defined]


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label="Move to", error_messages={"required": "Choose the stage"})
    on = uk_date_field("Date", bounds=dates.PROGRAMME_STARTS)
    note = forms.CharField(
        label="Note", required=False, max_length=2000, help_text="Needed when the perpetrator withdraws or is withdrawn"
    )

    def __init__(self, *args: object, stages: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to_stage"].choices = stages  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    session_on = uk_date_field("Date of the session", bounds=dates.PROGRAMME_STARTS)
    attended = forms.TypedChoiceField(
        label="Did the perpetrator attend?",
        choices=[("yes", "Attended"), ("no", "Did not attend")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Say whether the perpetrator attended"},
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)


class MeasureForm(forms.Form):
    point = forms.ChoiceField(label="When", choices=MeasurePoint.choices, error_messages={"required": "Choose when"})
    measured_on = uk_date_field("Date measured", bounds=dates.PROGRAMME_STARTS)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for category in BehaviourCategory:
            self.fields[category.value] = forms.TypedChoiceField(
                label=category.label,
                choices=Frequency.choices,
                coerce=int,
                error_messages={"required": f"Say how often: {category.label.lower()}"},
            )

    def category_fields(self) -> list[forms.BoundField]:
        return [self[category.value] for category in BehaviourCategory]

    def scores(self) -> dict[str, int]:
        return {category.value: self.cleaned_data[category.value] for category in BehaviourCategory}
