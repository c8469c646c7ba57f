import datetime

from django import forms
from django.utils import timezone

from dacrre.core import dates
from dacrre.core.forms import uk_date_field


class PeriodForm(forms.Form):
    start = uk_date_field("Start date", bounds=dates.REPORT_STARTS)
    end = uk_date_field("End date", bounds=dates.REPORT_ENDS)

    @staticmethod
    def default_period() -> tuple[datetime.date, datetime.date]:
        """The last 12 months, today included (rolling, as the accountability pack reports)."""
        today = timezone.localdate()
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            year_ago = today.replace(year=today.year - 1, day=28)
        return year_ago + datetime.timedelta(days=1), today

    @classmethod
    def default_initial(cls) -> dict[str, str]:
        # As people type them, so that pressing Show without changing them works.
        start, end = cls.default_period()
        return {"start": f"{start.day}/{start.month}/{start.year}", "end": f"{end.day}/{end.month}/{end.year}"}

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be on or after the start date")
        if start and end and (end - start).days > 366 * 3:
            self.add_error("end", "Choose a period of at most three years")
        return cleaned
