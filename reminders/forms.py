from django import forms


class DismissForm(forms.Form):
    reason = forms.CharField(
        label="Why is this task not needed?",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": "Say why this task is not needed"},
    )
