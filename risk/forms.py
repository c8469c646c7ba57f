from django import forms

from cases.models import Case, RiskLevel

from .models import Answer
from .questions import QUESTIONS

JUDGEMENT_CHOICES = [
    ("", "Keep the level from the score"),
    (RiskLevel.MEDIUM, "Raise to medium"),
    (RiskLevel.HIGH, "Raise to high"),
]


class RiskAssessmentForm(forms.Form):
    victim = forms.ChoiceField(
        label="Who is the assessment with?", error_messages={"required": "Choose who the assessment is with"}
    )
    judgement_level = forms.ChoiceField(
        label="Professional judgement",
        choices=JUDGEMENT_CHOICES,
        required=False,
        help_text="You can raise the level from the score, never lower it.",
    )
    judgement_reason = forms.CharField(
        label="Reason for raising the level", widget=forms.Textarea, required=False, max_length=5000
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False, max_length=10000)

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["victim"].choices = [  # type: ignore[attr-defined]
            (str(v.public_id), v.person.full_name) for v in case.victims.select_related("person")
        ]
        for question in QUESTIONS:
            self.fields[f"q_{question.key}"] = forms.ChoiceField(
                label=f"{question.number}. {question.text}",
                choices=Answer.choices,
                error_messages={
                    "required": f"Answer question {question.number} (choose 'Not known' if you do not know)"
                },
            )

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{question.key}"] for question in QUESTIONS]

    def answers(self) -> dict[str, str]:
        return {question.key: self.cleaned_data[f"q_{question.key}"] for question in QUESTIONS}
