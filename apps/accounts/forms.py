"""Forms of the sign-in, password and settings pages. Rules live in services; forms only parse."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from apps.accounts import lockout
from apps.accounts.audit import audit_record, client_ip
from apps.accounts.models import User
from apps.accounts.permissions import CATALOGUE


class LoginForm(AuthenticationForm):
    """Sign-in with the lock-out applied before the password is even checked."""

    username = forms.EmailField(label="Email", widget=forms.EmailInput(attrs={"autofocus": True}))
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": ("Too many failed sign-in attempts. Try again in %(minutes)s minutes or reset your password."),
    }

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        ip = client_ip(self.request) if self.request is not None else None
        remaining = lockout.lockout_remaining(email=email, ip=ip)
        if remaining is not None:
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": max(1, int(remaining.total_seconds() // 60) + 1)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if lockout.login_failure_record(email=email, ip=ip):
                audit_record(
                    actor=None,
                    action="user.locked_out",
                    target=("user", "", email),
                    details={"email": email},
                    request=self.request,
                )
            raise
        lockout.login_success_record(email=email, ip=ip)
        return cleaned

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.kind != User.Kind.HUMAN:
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        if not user.email_confirmed:
            raise forms.ValidationError(
                "Please confirm your email address first: follow the link we sent you.",
                code="unconfirmed",
            )


class NewPasswordForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150, required=False)
    password1 = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        return cleaned


class TokenForm(forms.Form):
    name = forms.CharField(label="Description", max_length=100)
    read_only = forms.BooleanField(label="Read-only", required=False, initial=True)
    expires_at = forms.DateTimeField(
        label="Expires (optional, UTC)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email")
    name = forms.CharField(label="Name", max_length=150, required=False)
    seat_type = forms.ChoiceField(
        label="Seat type", choices=User.SeatType.choices, initial=User.SeatType.EDITOR, required=False
    )


class RoleForm(forms.Form):
    name = forms.CharField(max_length=100)
    description = forms.CharField(max_length=500, required=False)
    permissions = forms.MultipleChoiceField(
        choices=[(info.scope, f"{info.label} — {info.description}") for info in CATALOGUE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class TeamForm(forms.Form):
    name = forms.CharField(max_length=100)
    pacticipants = forms.CharField(
        label="Applications (one name per line)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    members = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [
            (str(user.uuid), f"{user.name or user.email} ({user.email})") for user in users
        ]

    def pacticipant_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["pacticipants"].splitlines() if line.strip()]


class SystemAccountForm(forms.Form):
    name = forms.CharField(max_length=150)


class PersonalPreferencesForm(forms.Form):
    token_expiry_alert = forms.BooleanField(
        required=False, label="Show an alert when my tokens are about to expire (and email me once per token)"
    )


class SystemPreferencesForm(forms.Form):
    """The organisation's preferences; the choices come from the view (roles, teams)."""

    UNITS = [
        ("", "Tokens do not expire"),
        ("hours", "hours"),
        ("days", "days"),
        ("weeks", "weeks"),
        ("months", "months"),
    ]

    token_expiry_amount = forms.IntegerField(required=False, min_value=1, label="Tokens expire after")
    token_expiry_unit = forms.ChoiceField(required=False, choices=UNITS, label="Unit")
    login_banner = forms.CharField(
        required=False,
        label="Announcement banner (Markdown), shown on the sign-in page and atop every page",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    default_role = forms.ChoiceField(required=False, label="Default role for new people")
    default_team = forms.ChoiceField(required=False, label="Default team for new people and applications")

    def __init__(self, *args, roles=(), teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_role"].choices = [("", "User (PactFlow's default)")] + [
            (str(role.uuid), role.name) for role in roles
        ]
        self.fields["default_team"].choices = [("", 'The "Default" team, while it exists')] + [
            (str(team.uuid), team.name) for team in teams
        ]

    def clean(self):
        cleaned = super().clean()
        amount, unit = cleaned.get("token_expiry_amount"), cleaned.get("token_expiry_unit")
        if unit and amount is None:
            self.add_error("token_expiry_amount", "Say after how many " + unit + " tokens expire.")
        return cleaned

    def values(self) -> dict:
        """The form as the preferences service's name/value pairs."""
        data = self.cleaned_data
        unit = data.get("token_expiry_unit")
        return {
            "apiTokenExpiry": {"amount": data["token_expiry_amount"], "unit": unit} if unit else None,
            "loginBanner": data.get("login_banner") or "",
            "defaultRoleUuid": data.get("default_role") or None,
            "defaultTeamUuid": data.get("default_team") or None,
        }
