from django import forms

from cases.models import Case
from dacrre.core import dates
from dacrre.core.forms import uk_date_field

from .models import Decision, DisclosureOutcome, Route
from .selectors import new_partners_of


class ApplicationForm(forms.Form):
    route = forms.ChoiceField(label="Route", choices=Route.choices, error_messages={"required": "Choose the route"})
    person_at_risk = forms.ChoiceField(label="Person at risk", error_messages={"required": "Choose the person at risk"})
    applicant_name = forms.CharField(
        label="Applicant's name", max_length=200, error_messages={"required": "Enter the applicant's name"}
    )
    applicant_relationship = forms.CharField(
        label="Applicant's relationship to the person at risk",
        max_length=200,
        required=False,
        help_text="For example, self, mother, friend.",
    )
    subject_relationship = forms.CharField(
        label="Relationship of the person at risk to the subject",
        max_length=200,
        required=False,
        help_text="For example, new partner of 3 months.",
    )
    received_on = uk_date_field("Date received", bounds=dates.DISCLOSURE_RECEIVED)

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        on_case = list(case.victims.select_related("person"))
        new = list(new_partners_of(case))
        self.people = {str(v.public_id): v for v in [*on_case, *new]}
        choices = [(str(v.public_id), v.person.full_name) for v in on_case]
        for victim in new:
            first_seen = victim.first_seen  # type: ignore[attr-defined]
            label = f"{victim.person.full_name} (linked by an incident on {first_seen:%-d %b %Y}; not on the case yet)"
            choices.append((str(victim.public_id), label))
        self.fields["person_at_risk"].choices = choices  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=Decision.choices, error_messages={"required": "Choose the decision"}
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea,
        max_length=10000,
        error_messages={"required": "Give the rationale for the decision"},
    )
    decided_on = uk_date_field("Date of the decision", bounds=dates.DISCLOSURE_DECIDED)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome", choices=DisclosureOutcome.choices, error_messages={"required": "Choose the outcome"}
    )
    outcome_on = uk_date_field("Date", bounds=dates.DISCLOSURE_OUTCOME)
