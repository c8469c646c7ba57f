from django import forms

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV extract of DA incidents",
        help_text="The columns are listed in the guide below.",
        error_messages={"required": "Choose a CSV file to upload"},
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file (.csv)")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 50 MB; split it")
        try:
            upload.content = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file must be saved as UTF-8 CSV") from exc
        return upload
