"""Victims' experience forms in the every-form guard (tests/guards/test_every_form.py)."""

from django.urls import reverse

from experience.models import SatisfactionSurvey
from tests.guards.test_every_form import Submission, World, case_page, day, form


@form("experience:survey")
def _survey(w: World) -> Submission:
    answers = {
        "ease_of_contact": "very_satisfied",
        "actions_taken": "fairly_satisfied",
        "progress_updates": "neither",
        "treatment_by_staff": "completely_satisfied",
        "whole_experience": "declined",
    }
    return Submission(
        user=w.officer,
        url=reverse("experience:survey", args=[w.case.public_id, w.victim.public_id]),
        data={"outcome": "answered", "method": "phone", "surveyed_on": day(0), **answers},
        redirect=case_page(w),
        message="Satisfaction survey recorded.",
        check=lambda _: SatisfactionSurvey.objects.get(case=w.case).treatment_by_staff == "completely_satisfied",
    )


@form("experience:thresholds")
def _thresholds(w: World) -> Submission:
    from experience.models import SatisfactionThreshold

    values = {
        "ease_of_contact": "75",
        "actions_taken": "70",
        "progress_updates": "60",
        "treatment_by_staff": "90",
        "whole_experience": "80",
    }
    return Submission(
        user=w.supervisor,
        url=reverse("experience:thresholds"),
        data=values,
        redirect=reverse("reports:performance"),
        message="Satisfaction thresholds saved.",
        check=lambda _: SatisfactionThreshold.objects.get(agency=w.police).progress_updates == 60,
    )
