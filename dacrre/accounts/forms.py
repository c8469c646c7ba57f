from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is disabled. Contact your administrator.",
        "agency_inactive": "Your agency's access to dacrre has been withdrawn. Contact your administrator.",
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.may_read:
            raise forms.ValidationError(self.error_messages["agency_inactive"], code="agency_inactive")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )


class EnrolmentForm(forms.Form):
    token = forms.CharField(
        label="Code from your app",
        max_length=6,
        min_length=6,
        help_text="Enter the 6-digit code your authenticator app shows for dacrre.",
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "min_length": "Enter the 6-digit code from your authenticator app",
        },
    )
