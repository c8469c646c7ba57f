"""Form pieces every app uses: UK dates as people type them, and domain errors shown on the form."""

from django import forms

from .exceptions import ApplicationError

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]


def uk_date_field(label: str, *, required: bool = True) -> forms.DateField:
    """A date typed as day/month/year, with messages that say what to type."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text="For example, 27/3/2026",
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as day/month/year, for example 27/3/2026",
        },
    )


def form_add_application_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's refusal on the field it concerns, or at the top of the form."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
