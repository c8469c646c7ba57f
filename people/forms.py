from django import forms

KEEP_FIRST, KEEP_SECOND, KEEP_APART = "keep_first", "keep_second", "keep_apart"


class DuplicateDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Are these the same person?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to merge the records or keep them apart"},
    )
    reason = forms.CharField(
        label="Why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Needed to merge: what shows they are the same person (for example, same address and phone "
        "in both incidents).",
    )

    def __init__(self, *args: object, first_label: str, second_label: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["decision"].choices = [  # type: ignore[attr-defined]
            (KEEP_FIRST, f"Same person: merge, keeping {first_label}"),
            (KEEP_SECOND, f"Same person: merge, keeping {second_label}"),
            (KEEP_APART, "Different people: keep apart"),
        ]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") in {KEEP_FIRST, KEEP_SECOND} and not str(cleaned.get("reason", "")).strip():
            self.add_error("reason", "Say why these records are the same person")
        return cleaned
