from django import forms

from cases.access.services import BREAK_GLASS_MIN_REASON


class BreakGlassForm(forms.Form):
    case_reference = forms.CharField(
        label="Case reference",
        help_text="For example, DA-26-00042",
        max_length=20,
        error_messages={"required": "Enter the case reference"},
    )
    reason = forms.CharField(
        label="Why do you need to open this case?",
        help_text="This is recorded, shown to auditors and reviewed.",
        widget=forms.Textarea,
        min_length=BREAK_GLASS_MIN_REASON,
        max_length=2000,
        error_messages={
            "required": "Enter why you need to open this case",
            "min_length": f"Explain why you need to open this case (at least {BREAK_GLASS_MIN_REASON} characters)",
        },
    )


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label="New status", widget=forms.RadioSelect, error_messages={"required": "Choose the new status"}
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason"},
    )

    def __init__(self, *args: object, moves: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to_status"].choices = [(move.to_status.value, move.label) for move in moves]  # type: ignore[attr-defined]


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why is the case being reopened?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason"},
    )
