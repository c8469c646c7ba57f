from django import forms
from django.conf import settings

from cases.models import Case
from dacrre.core import dates
from dacrre.core.forms import uk_date_field

from .law import kinds_offered
from .models import OrderRoute
from .services import OrderDetails

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


def _time_field(label: str, help_text: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=TIME_FORMATS,
        help_text=help_text,
        error_messages={"invalid": "Enter the time on the 24-hour clock, like 14:30"},
        widget=forms.TimeInput(format="%H:%M"),
    )


class OrderForm(forms.Form):
    kind = forms.ChoiceField(
        label="Order or condition",
        choices=kinds_offered,
        error_messages={"required": "Choose the kind of order or condition"},
    )
    reference = forms.CharField(label="Court or custody reference", required=False, max_length=100)
    starts_on = uk_date_field("Start date", bounds=dates.ORDER_STARTS, help_text="The date served, made or heard")
    starts_time = _time_field("Start time (optional)", "Needed for a notice: the time it was served, like 14:30")
    ends_on = uk_date_field(
        "End date", required=False, bounds=dates.ORDER_ENDS, help_text="A notice with no end date is given its 48 hours"
    )
    ends_time = _time_field("End time (optional)", "For bail conditions and notices, like 09:00")
    route = forms.ChoiceField(
        label="How the restraining order was made",
        choices=OrderRoute.choices,
        required=False,
        help_text="For restraining orders only",
    )
    positive_requirements = forms.CharField(
        label="Positive requirements (DAPO only)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    electronic_monitoring = forms.BooleanField(label="Electronic monitoring required (DAPO only)", required=False)
    conditions = forms.CharField(
        label="Conditions", widget=forms.Textarea, max_length=10000, error_messages={"required": "Enter the conditions"}
    )
    protected_victims = forms.MultipleChoiceField(
        label="Protected victims", required=False, widget=forms.CheckboxSelectMultiple
    )
    protected_children = forms.MultipleChoiceField(
        label="Protected children", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.dapo_pilot = settings.DAPO_PILOT
        self._victims = {str(v.pk): v for v in case.victims.select_related("person")}
        self._children = {str(c.pk): c for c in case.children.select_related("person")}
        self.fields["protected_victims"].choices = [(k, v.person.full_name) for k, v in self._victims.items()]  # type: ignore[attr-defined]
        self.fields["protected_children"].choices = [(k, c.person.full_name) for k, c in self._children.items()]  # type: ignore[attr-defined]

    def timing_and_details(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "starts_time": data["starts_time"],
            "ends_time": data["ends_time"],
            "details": OrderDetails(
                route=data["route"],
                positive_requirements=data["positive_requirements"],
                electronic_monitoring=data["electronic_monitoring"],
            ),
        }

    def people(self) -> dict[str, list]:
        return {
            "protected_victims": [self._victims[k] for k in self.cleaned_data["protected_victims"]],
            "protected_children": [self._children[k] for k in self.cleaned_data["protected_children"]],
        }


class BreachForm(forms.Form):
    occurred_on = uk_date_field("Date of the breach", bounds=dates.ORDER_BREACH)
    details = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Describe the breach"},
    )
    action_taken = forms.CharField(
        label="Action taken",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the action taken"},
    )
