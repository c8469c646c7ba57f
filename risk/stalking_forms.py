from django import forms

from cases.models import Case

from .models import Answer
from .stalking import STALKING_QUESTIONS


class StalkingScreeningForm(forms.Form):
    victim = forms.ChoiceField(label="Who is the screening with?", error_messages={"required": "Choose the victim"})
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False, max_length=10000)

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._victims = {str(v.public_id): v for v in case.victims.select_related("person")}
        self.fields["victim"].choices = [(k, v.person.full_name) for k, v in self._victims.items()]  # type: ignore[attr-defined]
        for question in STALKING_QUESTIONS:
            self.fields[f"s_{question.key}"] = forms.ChoiceField(
                label=f"{question.number}. {question.text}",
                choices=Answer.choices,
                error_messages={
                    "required": f"Answer question {question.number} (choose 'Not known' if you do not know)"
                },
            )

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"s_{question.key}"] for question in STALKING_QUESTIONS]

    def recorded(self) -> dict:
        data = self.cleaned_data
        return {
            "victim": self._victims[data["victim"]],
            "answers": {question.key: data[f"s_{question.key}"] for question in STALKING_QUESTIONS},
            "notes": data["notes"],
        }
