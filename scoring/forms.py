from django import forms

from dacrre.accounts.models import Area


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
