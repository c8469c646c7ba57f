from django import forms

from dacrre.accounts.models import Area, User

from .services import HOLDER_FIELDS


class ReallocateForm(forms.Form):
    field = forms.ChoiceField(
        label="Which role",
        choices=[(name, label[0].upper() + label[1:]) for name, (label, _roles) in HOLDER_FIELDS.items()],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the role to reallocate"},
    )
    to_user = forms.ModelChoiceField(
        label="New holder",
        queryset=User.objects.none(),
        empty_label="Choose a colleague",
        error_messages={"required": "Choose who takes the cases", "invalid_choice": "Choose someone from the list"},
    )
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "Give a reason"}
    )

    def __init__(self, *args: object, colleagues: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to_user"].queryset = colleagues  # type: ignore[attr-defined]


class MoveCaseloadForm(forms.Form):
    to_user = forms.ModelChoiceField(
        label="Move all of their open cases to",
        queryset=User.objects.none(),
        empty_label="Choose a colleague",
        error_messages={"required": "Choose who takes the caseload", "invalid_choice": "Choose someone from the list"},
    )
    reason = forms.CharField(
        label="Reason (for example, the dates of leave)",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give a reason"},
    )

    def __init__(self, *args: object, colleagues: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to_user"].queryset = colleagues  # type: ignore[attr-defined]


class ClosureRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why can this case close?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: no incidents for 12 months, safety plan measures in place, victim agrees.",
        error_messages={"required": "Say why the case can close"},
    )


class ClosureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve: close the case"), ("return", "Return with comments")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or return"},
    )
    comments = forms.CharField(label="Comments", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StaffForm(forms.Form):
    """Allocate or change one holder of a case. `seen` is the holder the page showed (compared on save)."""

    field = forms.ChoiceField(label="Which role", widget=forms.HiddenInput)
    seen = forms.CharField(required=False, widget=forms.HiddenInput)
    to_user = forms.ModelChoiceField(
        label="Who",
        queryset=User.objects.none(),
        empty_label="Choose someone",
        error_messages={"required": "Choose who holds the role", "invalid_choice": "Choose someone from the list"},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Give a reason"},
    )

    def __init__(self, *args: object, fields: list[tuple[str, str]], people: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["field"].choices = fields  # type: ignore[attr-defined]
        self.fields["to_user"].queryset = people  # type: ignore[attr-defined]
        self.fields["to_user"].label_from_instance = lambda u: (  # type: ignore[attr-defined]
            f"{u.get_full_name() or u.username} ({u.get_role_display()}, {u.agency})"
        )


class TransferRequestForm(forms.Form):
    to_area = forms.ModelChoiceField(
        label="Transfer to",
        queryset=Area.objects.none(),
        empty_label="Choose an area",
        error_messages={"required": "Choose where the case goes", "invalid_choice": "Choose an area from the list"},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give a reason"},
    )

    def __init__(self, *args: object, areas: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to_area"].queryset = areas  # type: ignore[attr-defined]


class TransferDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Accept the case"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept the case"},
    )
    note = forms.CharField(
        label="Comments (needed to decline)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
