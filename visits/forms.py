import datetime

from django import forms
from django.utils import timezone

from cases.models import Case
from dacrre.accounts.models import Role, User
from dacrre.core import dates
from dacrre.core.forms import uk_date_field

from .models import VisitOutcome
from .services import visit_log_problems

PERPETRATOR = "perpetrator"


class _SubjectMixin(forms.Form):
    subject = forms.ChoiceField(label="Who is the visit to?", error_messages={"required": "Choose who the visit is to"})

    def set_subjects(self, case: Case) -> None:
        victims = [(str(v.public_id), f"{v.person.full_name} (victim)") for v in case.victims.select_related("person")]
        self.fields["subject"].choices = [  # type: ignore[attr-defined]
            (PERPETRATOR, f"{case.perpetrator.person.full_name} (perpetrator)"),
            *victims,
        ]


class VisitLogForm(_SubjectMixin):
    occurred_on = uk_date_field("Date of the visit", bounds=dates.VISIT_OCCURRED)
    occurred_time = forms.TimeField(
        label="Time (optional)",
        required=False,
        input_formats=["%H:%M", "%H.%M"],
        help_text="For example, 14:30",
        error_messages={"invalid": "Enter the time like 14:30"},
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=VisitOutcome.choices, error_messages={"required": "Choose the outcome of the visit"}
    )
    safeguarding_details = forms.CharField(
        label="Describe the safeguarding concern",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False, max_length=10000)
    other_officers = forms.MultipleChoiceField(
        label="Other officers present", required=False, widget=forms.CheckboxSelectMultiple
    )
    other_people_present = forms.CharField(label="Anyone else present", required=False, max_length=300)
    next_due_override = uk_date_field(
        "Next visit date, if not the usual one", required=False, bounds=dates.VISIT_NEXT_DUE
    )
    override_reason = forms.CharField(label="Why a different next visit date", required=False, max_length=2000)

    def __init__(self, *args: object, case: Case, actor: User, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"subject": PERPETRATOR, "occurred_on": timezone.localdate().strftime("%d/%m/%Y")})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.set_subjects(case)
        self._officers = {
            str(u.pk): u
            for u in User.objects.filter(
                agency_id=case.owning_agency_id, role__in=[Role.OFFICER, Role.SUPERVISOR], is_active=True
            ).exclude(pk=actor.pk)
        }
        self.fields["other_officers"].choices = [(pk, str(u)) for pk, u in self._officers.items()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        """Every problem at once: what the fields could not read, and the visit's own rules on what
        they could (a future date, a safeguarding concern without details, half a date change)."""
        cleaned = super().clean() or {}
        readable = "occurred_on" in cleaned and "occurred_time" not in self.errors
        override_unreadable = "next_due_override" in self.errors  # its own message says what to fix
        for problem in visit_log_problems(
            occurred_at=self.occurred_at() if readable else None,
            outcome=cleaned.get("outcome", ""),
            safeguarding_details=cleaned.get("safeguarding_details", ""),
            next_due_override=None if override_unreadable else cleaned.get("next_due_override"),
            override_reason="" if override_unreadable else cleaned.get("override_reason", ""),
        ):
            if problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        return cleaned

    def occurred_at(self) -> datetime.datetime:
        """With no time given: now for a visit today, midday for an earlier day."""
        day, time = self.cleaned_data["occurred_on"], self.cleaned_data.get("occurred_time")
        if time is None and day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.datetime.combine(day, time or datetime.time(12, 0)))

    def officers(self) -> list[User]:
        return [self._officers[pk] for pk in self.cleaned_data["other_officers"]]


class VisitPlanForm(_SubjectMixin):
    planned_on = uk_date_field("Date", bounds=dates.VISIT_PLANNED)
    planned_time = forms.TimeField(
        label="Time",
        input_formats=["%H:%M", "%H.%M"],
        help_text="For example, 14:30",
        error_messages={"required": "Enter the time", "invalid": "Enter the time like 14:30"},
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False, max_length=5000)

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.set_subjects(case)

    def planned_for(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["planned_on"], self.cleaned_data["planned_time"])
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the visit cancelled?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter why the visit is cancelled"},
    )
