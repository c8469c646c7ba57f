from django import forms

from cases.models import Case
from dacrre.core import dates
from dacrre.core.forms import uk_date_field

from .models import OrderKind


class OrderForm(forms.Form):
    kind = forms.ChoiceField(
        label="Order or condition",
        choices=OrderKind.choices,
        error_messages={"required": "Choose the kind of order or condition"},
    )
    reference = forms.CharField(label="Court or custody reference", required=False, max_length=100)
    starts_on = uk_date_field("Start date", bounds=dates.ORDER_STARTS)
    ends_on = uk_date_field("End date", required=False, bounds=dates.ORDER_ENDS)
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
        self._victims = {str(v.pk): v for v in case.victims.select_related("person")}
        self._children = {str(c.pk): c for c in case.children.select_related("person")}
        self.fields["protected_victims"].choices = [(k, v.person.full_name) for k, v in self._victims.items()]  # type: ignore[attr-defined]
        self.fields["protected_children"].choices = [(k, c.person.full_name) for k, c in self._children.items()]  # type: ignore[attr-defined]

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
