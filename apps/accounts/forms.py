from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    username = forms.EmailField(label="Email", widget=forms.EmailInput(attrs={"autofocus": True}))

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.email_confirmed:
            raise forms.ValidationError(
                "Please confirm your email address first: follow the link we sent you.",
                code="unconfirmed",
            )
