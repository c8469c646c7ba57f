from django import forms


class VictimDetailsForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    address = forms.CharField(
        label="Address", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    phone = forms.CharField(label="Phone", required=False, max_length=30)
    email = forms.EmailField(
        label="Email", required=False, error_messages={"invalid": "Enter an email address like name@example.com"}
    )
    safe_contact_arrangements = forms.CharField(
        label="Safe contact instructions",
        help_text="Safe number, safe times, code word: how to contact them without putting them at risk.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    in_refuge = forms.ChoiceField(
        label="In a refuge?", choices=[("no", "No"), ("yes", "Yes")], widget=forms.RadioSelect, initial="no"
    )
    refuge_details = forms.CharField(
        label="Refuge details", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    workplace = forms.CharField(
        label="Workplace", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def values(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["in_refuge"] = data["in_refuge"] == "yes"
        return data


class ChildDetailsForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    school = forms.CharField(label="School", required=False, max_length=200)
