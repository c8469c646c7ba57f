from django import forms


class BreakGlassReviewForm(forms.Form):
    note = forms.CharField(
        label="Review note",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter a review note saying whether the access was justified"},
    )
