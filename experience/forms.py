from django import forms

from dacrre.core import dates
from dacrre.core.forms import uk_date_field

from .models import Aspect, Satisfaction, SurveyMethod, SurveyOutcome


class SurveyForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Did the victim take part?",
        choices=SurveyOutcome.choices,
        error_messages={"required": "Say whether the victim took part"},
    )
    method = forms.ChoiceField(
        label="How were they asked?",
        choices=SurveyMethod.choices,
        error_messages={"required": "Say how the victim was asked"},
    )
    surveyed_on = uk_date_field("Date asked", bounds=dates.SURVEY_TAKEN)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for aspect in Aspect:
            self.fields[aspect.value] = forms.ChoiceField(
                label=f"{aspect.label}: how satisfied were they?", choices=Satisfaction.choices, required=False
            )

    def aspect_fields(self) -> list[forms.BoundField]:
        return [self[aspect] for aspect in Aspect.values]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("outcome") == SurveyOutcome.ANSWERED:
            for aspect in Aspect:
                if not data.get(aspect.value):
                    self.add_error(aspect.value, f"Choose an answer for {aspect.label} (or 'Did not want to answer')")
        return data

    def answers(self) -> dict[str, str]:
        return {aspect: self.cleaned_data.get(aspect, "") for aspect in Aspect.values}


class ThresholdsForm(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for aspect in Aspect:
            self.fields[aspect.value] = forms.IntegerField(
                label=f"{aspect.label}: Low below (%)",
                min_value=0,
                max_value=100,
                error_messages={
                    "required": f"Enter the threshold for {aspect.label}",
                    "invalid": "Enter a whole percentage, like 80",
                    "min_value": "Enter a percentage from 0 to 100",
                    "max_value": "Enter a percentage from 0 to 100",
                },
            )

    def aspect_fields(self) -> list[forms.BoundField]:
        return [self[aspect] for aspect in Aspect.values]
