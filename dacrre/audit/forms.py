from django import forms

from dacrre.accounts.models import Agency
from dacrre.core import dates
from dacrre.core.forms import uk_date_field

from .models import AccessAction


class AccessLogSearchForm(forms.Form):
    person = forms.CharField(label="Person's name or id", required=False, max_length=200)
    case_reference = forms.CharField(label="Case reference", required=False, max_length=20)
    username = forms.CharField(label="Username", required=False, max_length=150)
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.all(), required=False, empty_label="Any")
    action = forms.ChoiceField(label="Action", choices=[("", "Any"), *AccessAction.choices], required=False)
    date_from = uk_date_field(
        "From",
        required=False,
        bounds=dates.AUDIT_FROM,
        error_messages={"invalid": "Enter the 'from' date as day/month/year, for example 27/3/2026"},
    )
    date_to = uk_date_field(
        "To",
        required=False,
        bounds=dates.AUDIT_TO,
        help_text="For example, 30/3/2026",
        error_messages={"invalid": "Enter the 'to' date as day/month/year, for example 30/3/2026"},
    )
    flagged_only = forms.BooleanField(label="Only entries flagged for review", required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return cleaned
