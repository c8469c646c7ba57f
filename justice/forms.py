import datetime

from django import forms
from django.utils import timezone

from cases.models import Case
from dacrre.core import dates
from dacrre.core.forms import uk_date_field
from victims.models import Victim

from .models import (
    NFA_OUTCOMES,
    OUT_OF_COURT_OUTCOMES,
    CourtResult,
    CpsDecision,
    EventKind,
    HomeOfficeOutcome,
    ReviewDecision,
    UpdateMethod,
)
from .services import Step

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


def _time(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=TIME_FORMATS,
        help_text="For example, 14:30",
        error_messages={"invalid": "Enter the time like 14:30"},
    )


def moment(
    day: datetime.date, time: datetime.time | None, *, not_before: datetime.datetime | None = None
) -> datetime.datetime:
    """The day and time typed; a day without a time is midday (now, for today), and never before
    `not_before` on its own day (a crime's time)."""
    now = timezone.localtime()
    if time is None:
        at = now if day == now.date() else timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        if not_before is not None and timezone.localtime(not_before).date() == day:
            at = max(at, not_before)
        return at
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _choices(values: frozenset[str]) -> list[tuple[str, str]]:
    return [("", "Choose")] + [(c.value, c.label) for c in HomeOfficeOutcome if c.value in values]


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened", choices=EventKind.choices, error_messages={"required": "Choose what happened"}
    )
    occurred_on = uk_date_field("Date", bounds=dates.JUSTICE_STEP)
    occurred_time = _time("Time (optional)")
    by_whom = forms.CharField(
        label="By whom (optional)",
        max_length=200,
        required=False,
        help_text="Officer and collar number, court, or CPS area",
    )
    nfa_outcome = forms.ChoiceField(label="Home Office outcome type (no further action)", required=False)
    disposal_outcome = forms.ChoiceField(label="Kind of out-of-court disposal", required=False)
    reason = forms.CharField(
        label="Reason (for no further action)", widget=forms.Textarea, max_length=5000, required=False
    )
    cps_decision = forms.ChoiceField(
        label="CPS decision", choices=[("", "Choose"), *CpsDecision.choices], required=False
    )
    court_result = forms.ChoiceField(
        label="Result at court", choices=[("", "Choose"), *CourtResult.choices], required=False
    )
    bail_conditions = forms.CharField(label="Bail conditions", widget=forms.Textarea, max_length=5000, required=False)
    bail_ends_on = uk_date_field("Bail conditions end on", required=False, bounds=dates.ORDER_ENDS)
    bail_ends_time = _time("Bail ends at (optional)")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["nfa_outcome"].choices = _choices(NFA_OUTCOMES)  # type: ignore[attr-defined]
        self.fields["disposal_outcome"].choices = _choices(OUT_OF_COURT_OUTCOMES)  # type: ignore[attr-defined]

    def step(self, crime_at: datetime.datetime) -> Step:
        data = self.cleaned_data
        kind = data["kind"]
        outcome = (
            data["nfa_outcome"]
            if kind == EventKind.NFA
            else data["disposal_outcome"]
            if kind == EventKind.OUT_OF_COURT
            else ""
        )
        return Step(
            kind=kind,
            occurred_at=moment(data["occurred_on"], data["occurred_time"], not_before=crime_at),
            by_whom=data["by_whom"],
            outcome_type=outcome,
            reason=data["reason"],
            cps_decision=data["cps_decision"],
            court_result=data["court_result"],
            bail_conditions=data["bail_conditions"],
            bail_ends_on=data["bail_ends_on"],
            bail_ends_time=data["bail_ends_time"],
        )


class NfaReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the decision is upheld or overturned"},
    )
    referred_to_cps = forms.BooleanField(label="Referred to the CPS after this review", required=False)
    comments = forms.CharField(
        label="Reasons and comments",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the reasons for the review's decision"},
    )


class VictimUpdateForm(forms.Form):
    victim = forms.ChoiceField(label="Victim told", error_messages={"required": "Choose the victim"})
    given_on = uk_date_field("Date of the update", bounds=dates.VICTIM_UPDATE_GIVEN)
    given_time = _time("Time (optional)")
    method = forms.ChoiceField(
        label="How (as the victim's safe-contact arrangements allow)",
        choices=UpdateMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the victim was told"},
    )
    about = forms.CharField(
        label="What the victim was told",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter what the victim was told"},
    )

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._victims: dict[str, Victim] = {str(v.public_id): v for v in case.victims.select_related("person")}
        self.fields["victim"].choices = [(k, v.person.full_name) for k, v in self._victims.items()]  # type: ignore[attr-defined]

    def chosen_victim(self) -> Victim:
        return self._victims[self.cleaned_data["victim"]]

    def given_at(self) -> datetime.datetime:
        return moment(self.cleaned_data["given_on"], self.cleaned_data["given_time"])
