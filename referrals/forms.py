from django import forms

from cases.models import Case
from dacrre.accounts.models import Agency, Role, User

from .models import Consent, ConsentMethod, Sharing, Urgency


class ReferralForm(forms.Form):
    to_agency = forms.ModelChoiceField(
        label="Agency on the system", queryset=Agency.objects.none(), required=False, empty_label="Choose an agency"
    )
    external_agency_name = forms.CharField(
        label="Or an agency that is not on the system",
        required=False,
        max_length=200,
        help_text="A printable referral summary is produced for it.",
    )
    external_agency_contact = forms.CharField(
        label="Its contact (name, phone or secure e-mail)", required=False, max_length=200
    )
    subject_person = forms.TypedChoiceField(
        label="Who is the referral about?", coerce=int, error_messages={"required": "Choose who the referral is about"}
    )
    reason = forms.CharField(
        label="Reason for the referral",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the reason for the referral"},
    )
    urgency = forms.ChoiceField(
        label="Urgency", choices=Urgency.choices, error_messages={"required": "Choose the urgency"}
    )
    sharing = forms.ChoiceField(
        label="What is shared",
        choices=Sharing.choices,
        initial=Sharing.SUMMARY,
        help_text="Perpetrator-side agencies (probation, perpetrator programmes; marked in the list of agencies) "
        "never receive the victim's contact details: choose a summary only for them. Other agencies receive "
        "contact details only with consent or an authorised override.",
        error_messages={"required": "Choose what is shared"},
    )
    consent = forms.ChoiceField(
        label="Consent of the person the referral is about",
        choices=Consent.choices,
        error_messages={"required": "Say whether consent was given"},
    )
    consent_method = forms.ChoiceField(label="How was consent given?", choices=ConsentMethod.choices, required=False)
    consent_override_reason = forms.CharField(
        label="Why is the referral necessary without consent?",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
    )
    consent_override_authorised_role = forms.ChoiceField(
        label="Role of the person who authorised it",
        choices=[("", "Choose a role"), (Role.SUPERVISOR, Role.SUPERVISOR.label)],
        required=False,
    )
    consent_override_authorised_by = forms.CharField(label="Their name", required=False, max_length=200)

    def __init__(self, *args: object, case: Case, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        others = (
            Agency.objects.filter(is_active=True).exclude(pk=user.agency.pk) if user.agency else Agency.objects.none()
        )
        self.fields["to_agency"].queryset = others  # type: ignore[attr-defined]
        self.fields["to_agency"].label_from_instance = _agency_label  # type: ignore[attr-defined]
        people = [(case.perpetrator.person_id, f"{case.perpetrator.person.full_name} (perpetrator)")]
        people += [(v.person_id, f"{v.person.full_name} (victim)") for v in case.victims.select_related("person")]
        people += [(c.person_id, f"{c.person.full_name} (child)") for c in case.children.select_related("person")]
        self.fields["subject_person"].choices = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        agency = data.get("to_agency")
        if (
            isinstance(agency, Agency)
            and agency.is_perpetrator_side
            and data.get("sharing") == Sharing.WITH_VICTIM_CONTACT
        ):
            # Said here rather than silently reduced to a summary by the service: the user must know
            # what the agency receives.
            self.add_error(
                "sharing",
                f"{agency.name} is a perpetrator-side agency and never receives the victim's contact details. "
                f'Choose "{Sharing.SUMMARY.label}"',
            )
        return data


def _agency_label(agency: Agency) -> str:
    return f"{agency.name} (perpetrator-side: summary only)" if agency.is_perpetrator_side else agency.name


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea, max_length=2000, error_messages={"required": "Enter the reason"}
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the outcome of the referral"},
    )


class UpdateForm(forms.Form):
    text = forms.CharField(
        label="Action taken or update",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the action or update"},
    )
