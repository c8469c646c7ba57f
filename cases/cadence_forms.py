from django import forms

from .cadence import DEFAULT_CADENCE_DAYS
from .models import CadenceKind, RiskLevel

LEVELS = [RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.STANDARD]


def field_name(kind: str, level: str) -> str:
    return f"{kind}__{level}"


class CadenceForm(forms.Form):
    """One number of days per kind and risk level; blank means the default."""

    def __init__(self, *args: object, current: dict[tuple[str, str], int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind in CadenceKind:
            for level in LEVELS:
                default = DEFAULT_CADENCE_DAYS[kind][level]
                self.fields[field_name(kind, level)] = forms.IntegerField(
                    label=f"{kind.label}, {level.label.lower()} risk (days)",
                    required=False,
                    min_value=1,
                    max_value=365,
                    initial=current.get((kind, level)),
                    help_text=f"Default {default} days. Leave blank for the default.",
                    error_messages={
                        "min_value": "Enter a number of days from 1 to 365",
                        "max_value": "Enter a number of days from 1 to 365",
                        "invalid": "Enter a whole number of days",
                    },
                )
