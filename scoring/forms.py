from django import forms

from dacrre.accounts.models import Area, User

from .models import TaskingKind, TaskingResult


class TaskingForm(forms.Form):
    area = forms.ChoiceField(label="Area", error_messages={"required": "Choose the area"})
    top_n = forms.IntegerField(
        label="How many perpetrators",
        initial=10,
        min_value=1,
        max_value=100,
        error_messages={
            "required": "Enter how many perpetrators to list",
            "min_value": "Choose between 1 and 100 perpetrators",
            "max_value": "Choose between 1 and 100 perpetrators",
            "invalid": "Enter a whole number",
        },
    )

    def __init__(self, *args: object, areas: list[Area], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._areas = {str(a.public_id): a for a in areas}
        self.fields["area"].choices = [(key, a.name) for key, a in self._areas.items()]  # type: ignore[attr-defined]

    def clean_area(self) -> Area:
        return self._areas[self.cleaned_data["area"]]


class TaskingAssignForm(forms.Form):
    officer = forms.ChoiceField(label="Officer tasked", error_messages={"required": "Choose the officer to task"})
    kind = forms.ChoiceField(
        label="What they are to do",
        choices=TaskingKind.choices,
        error_messages={"required": "Choose what they are to do"},
    )
    instructions = forms.CharField(label="Instructions (optional)", max_length=300, required=False)

    def __init__(self, *args: object, officers: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._officers = {str(o.public_id): o for o in officers}
        self.fields["officer"].choices = [("", "Choose an officer")] + [  # type: ignore[attr-defined]
            (key, o.get_full_name() or o.username) for key, o in self._officers.items()
        ]

    def chosen_officer(self) -> User:
        return self._officers[self.cleaned_data["officer"]]


class TaskingResultForm(forms.Form):
    result = forms.ChoiceField(
        label="What came of it", choices=TaskingResult.choices, error_messages={"required": "Choose what came of it"}
    )
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, max_length=2000, required=False)
