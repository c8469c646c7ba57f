from django import forms

from dacrre.accounts.models import Area, User
from dacrre.core import dates
from dacrre.core.forms import uk_date_field


class OperationForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the operation's name"})
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    starts_on = uk_date_field("Start date", bounds=dates.OPERATION_STARTS)
    ends_on = uk_date_field("End date", required=False, bounds=dates.OPERATION_ENDS)
    areas = forms.MultipleChoiceField(
        label="Areas",
        help_text="Leave all unticked for the whole force.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label="The operation is running", required=False, initial=True)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._areas = {
            str(area.pk): area for area in Area.objects.filter(agency_id=user.agency_id or 0).order_by("name")
        }
        self.fields["areas"].choices = [(key, area.name) for key, area in self._areas.items()]  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return data

    def chosen_areas(self) -> list[Area]:
        return [self._areas[key] for key in self.cleaned_data["areas"]]


class OperationCaseForm(forms.Form):
    case_reference = forms.CharField(
        label="Case reference",
        help_text="For example, DA-26-00042. The case leaves its current operation.",
        max_length=20,
        error_messages={"required": "Enter the case reference"},
    )
