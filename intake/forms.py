from django import forms

from cases.models import ChildRelationship, OpeningReason, Operation, VictimRelationship
from dacrre.accounts.models import Area
from dacrre.core import dates
from dacrre.core.forms import uk_date_field
from people.models import Gender

NEW = "new"


class PersonSearchForm(forms.Form):
    """Find someone already recorded (a GET form)."""

    name = forms.CharField(label="Name", required=False, max_length=100)
    born = uk_date_field("Date of birth", required=False, bounds=dates.DATE_OF_BIRTH)
    police_identifier = forms.CharField(label="Police identifier", required=False, max_length=40)

    def has_search(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class MatchField(forms.ChoiceField):
    """The answer to "is this one of these people?". The people offered are worked out again from
    what was typed each time the form is sent: the view checks the answer against them."""

    def validate(self, value: str) -> None:
        if value in self.empty_values and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class PersonForm(forms.Form):
    """Someone already recorded (`person`, chosen from the search) or someone new. For someone new,
    the likely matches are offered first (`match`): one of them, or "a new person"."""

    person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    given_name = forms.CharField(label="Given name", required=False, max_length=100)
    family_name = forms.CharField(label="Family name", required=False, max_length=100)
    date_of_birth = uk_date_field("Date of birth", required=False, bounds=dates.DATE_OF_BIRTH)
    gender = forms.ChoiceField(label="Gender", choices=Gender.choices, initial=Gender.NOT_KNOWN, required=False)
    police_identifier = forms.CharField(
        label="Police identifier (optional)", required=False, max_length=40, help_text="For example, a PNC number"
    )
    match = MatchField(label="Is this one of these people?", required=False, widget=forms.RadioSelect)

    def __init__(self, *args: object, matches: list | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.matches = matches or []
        choices = [(str(person.public_id), f"Use {person.full_name}") for person, _why in self.matches]
        self.fields["match"].choices = [*choices, (NEW, "None of these: record a new person")]  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        if not data.get("person") and not (data.get("given_name", "").strip() and data.get("family_name", "").strip()):
            self.add_error("given_name", "Enter the given and family names, or find someone already recorded")
        return data


class OpenCaseForm(PersonForm):
    operation = forms.ModelChoiceField(
        label="Operation",
        queryset=Operation.objects.none(),
        empty_label="Choose an operation",
        error_messages={"required": "Choose the operation", "invalid_choice": "Choose an operation from the list"},
    )
    area = forms.ModelChoiceField(
        label="Area",
        queryset=Area.objects.none(),
        empty_label="Choose an area",
        error_messages={"required": "Choose the area", "invalid_choice": "Choose an area from the list"},
    )
    reason = forms.ChoiceField(
        label="Why is the case being opened?",
        choices=OpeningReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the case is being opened"},
    )
    reason_detail = forms.CharField(
        label="More about why (optional unless 'Other')",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, operations: object, areas: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["operation"].queryset = operations  # type: ignore[attr-defined]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class AddVictimForm(PersonForm):
    relationship = forms.ChoiceField(
        label="Relationship to the perpetrator",
        choices=VictimRelationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the relationship to the perpetrator"},
    )
    lives_with_perpetrator = forms.ChoiceField(
        label="Do they live with the perpetrator?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they live with the perpetrator"},
    )


class AddChildForm(PersonForm):
    relationship = forms.ChoiceField(
        label="Whose child is this?",
        choices=ChildRelationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whose child this is"},
    )
