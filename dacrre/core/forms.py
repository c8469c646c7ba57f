"""Form pieces every app uses: UK dates as people type them, and domain errors shown on the form."""

import datetime
from typing import Any

from django import forms

from .dates import ANY_DATE, DateBounds
from .exceptions import ApplicationError

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]


class BoundedDateField(forms.DateField):
    """A date that must be plausible for what it means (`dacrre.core.dates`): 01/01/0001 or a date
    in 2090 is refused with a message naming the earliest and latest dates allowed."""

    def __init__(self, *, bounds: DateBounds, **kwargs: Any) -> None:
        self.bounds = bounds
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, datetime.date):
            problem = self.bounds.problem(value)
            if problem is not None:
                raise forms.ValidationError(problem, code="out_of_bounds")


def uk_date_field(
    label: str,
    *,
    required: bool = True,
    bounds: DateBounds = ANY_DATE,
    help_text: str = "For example, 27/3/2026",
    error_messages: dict[str, str] | None = None,
) -> BoundedDateField:
    """A date typed as day/month/year, with messages that say what to type, within `bounds`."""
    return BoundedDateField(
        bounds=bounds,
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as day/month/year, for example 27/3/2026",
            **(error_messages or {}),
        },
    )


def form_add_application_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's refusal on the field it concerns, or at the top of the form."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
