import datetime

from django import forms
from django.utils import timezone

from dacrre.core.forms import uk_date_field


class PeriodForm(forms.Form):
    start = uk_date_field("Start date")
    end = uk_date_field("End date")

    @staticmethod
    def default_initial() -> dict[str, datetime.date]:
        today = timezone.localdate()
        return {"start": today.replace(month=1, day=1), "end": today}

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be on or after the start date")
        if start and end and (end - start).days > 366 * 3:
            self.add_error("end", "Choose a period of at most three years")
        return cleaned
