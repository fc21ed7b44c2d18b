"""Forms of the UI's write pages. Webhook input is turned into the API's JSON shape and validated by
apps/webhooks' own contract (webhook_fields_parse), so the page and the API accept the same webhooks
with the same messages."""

from django import forms
from django.conf import settings

from apps.accounts.models import Team
from apps.contracts.models import Pacticipant
from apps.core.parsers import json_parse
from apps.webhooks.delivery import SENSITIVE_HEADER
from apps.webhooks.models import Events, Webhook
from apps.webhooks.redaction import MASK

EVENT_LABELS = {
    Events.CONTRACT_CONTENT_CHANGED: "Contract content changed",
    Events.CONTRACT_PUBLISHED: "Contract published",
    Events.CONTRACT_REQUIRING_VERIFICATION_PUBLISHED: "Contract requiring verification published",
    Events.PROVIDER_VERIFICATION_PUBLISHED: "Verification published",
    Events.PROVIDER_VERIFICATION_SUCCEEDED: "Verification succeeded",
    Events.PROVIDER_VERIFICATION_FAILED: "Verification failed",
}
# Where the API's error keys ("request.url") land in the form.
ERROR_FIELDS = {
    "consumer": "consumer",
    "consumer.name": "consumer",
    "consumer.label": "consumer_label",
    "provider": "provider",
    "provider.name": "provider",
    "provider.label": "provider_label",
    "events": "events",
    "description": "description",
    "enabled": "enabled",
    "request.method": "method",
    "request.url": "url",
    "request.headers": "headers",
    "request.username": "username",
    "request.password": "password",
}


class WebhookForm(forms.Form):
    description = forms.CharField(required=False, max_length=500)
    consumer = forms.ChoiceField(required=False, label="Consumer")
    consumer_label = forms.CharField(required=False, max_length=255, label="…or consumers with the label")
    provider = forms.ChoiceField(required=False, label="Provider")
    provider_label = forms.CharField(required=False, max_length=255, label="…or providers with the label")
    events = forms.MultipleChoiceField(
        choices=list(EVENT_LABELS.items()), widget=forms.CheckboxSelectMultiple, required=False
    )
    method = forms.ChoiceField(label="HTTP method")
    url = forms.CharField(label="URL", widget=forms.TextInput(attrs={"size": 60}))
    headers = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="One header a line: Name: value"
    )
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="JSON or text; ${pactbroker.consumerName} and ${user.SECRET} are replaced",
    )
    username = forms.CharField(required=False)
    password = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Write-only. Leave blank to keep the saved password.",
    )
    enabled = forms.BooleanField(required=False, initial=True)
    team = forms.ChoiceField(required=False, label="Team", help_text="Its team's secrets are the ones it may use.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = team_choices()
        names = list(Pacticipant.objects.order_by("name").values_list("name", flat=True))
        for side in ("consumer", "provider"):
            self.fields[side].choices = [("", f"Any {side}")] + [(n, n) for n in names]
        methods = settings.WEBHOOK_HTTP_METHOD_WHITELIST or ["POST"]
        self.fields["method"].choices = [(m, m) for m in methods]

    def clean_headers(self) -> dict:
        headers = {}
        for number, line in enumerate(self.cleaned_data["headers"].splitlines(), start=1):
            if not line.strip():
                continue
            name, colon, value = line.partition(":")
            if not colon or not name.strip():
                raise forms.ValidationError(f"Line {number} is not “Name: value”.")
            headers[name.strip()] = value.strip()
        return headers

    def api_body(self) -> dict:
        """The webhook as the API's JSON body (what webhook_fields_parse validates)."""
        data = self.cleaned_data
        body = data["body"] or None
        if body is not None:
            try:
                parsed = json_parse(body)  # the size and depth limits of every JSON body
                if isinstance(parsed, dict | list):
                    body = parsed
            except ValueError:
                pass
        return {
            "description": data["description"] or None,
            "consumer": _scope(data["consumer"], data["consumer_label"]),
            "provider": _scope(data["provider"], data["provider_label"]),
            "events": [{"name": e} for e in data["events"]],
            "enabled": data["enabled"],
            "teamUuid": data["team"] or None,
            "request": {
                "method": data["method"],
                "url": data["url"],
                "headers": data["headers"],
                "body": body,
                "username": data["username"] or None,
                "password": data["password"] or None,
            },
        }

    def add_api_errors(self, errors) -> None:
        if not isinstance(errors, dict):
            self.add_error(None, "; ".join(map(str, errors)))
            return
        for key, messages in errors.items():
            field = ERROR_FIELDS.get(key)
            for message in messages:
                self.add_error(field, message if field else f"{key}: {message}" if key else message)


def _scope(name: str, label: str) -> dict | None:
    if not name and not label:
        return None
    return {key: value for key, value in (("name", name), ("label", label)) if value}


def webhook_initial(webhook: Webhook) -> dict:
    """Form values of a saved webhook; sensitive header values are masked (a mask keeps the saved value)."""
    headers = "\n".join(
        f"{name}: {MASK if SENSITIVE_HEADER.search(name) else value}" for name, value in (webhook.headers or {}).items()
    )
    return {
        "description": webhook.description or "",
        "consumer": webhook.consumer.name if webhook.consumer else "",
        "provider": webhook.provider.name if webhook.provider else "",
        "consumer_label": webhook.consumer_label or "",
        "provider_label": webhook.provider_label or "",
        "events": webhook.events,
        "method": webhook.method,
        "url": webhook.url,
        "headers": headers,
        "body": webhook.body or "",
        "username": webhook.username or "",
        "enabled": webhook.enabled,
        "team": str(webhook.team.uuid) if webhook.team_id else "",
    }


def team_choices() -> list[tuple[str, str]]:
    return [("", "No team")] + [
        (str(uuid), name) for uuid, name in Team.objects.order_by("name").values_list("uuid", "name")
    ]


class SecretForm(forms.Form):
    name = forms.CharField(max_length=255, help_text="Use it in a webhook as ${user.NAME}")
    description = forms.CharField(required=False, max_length=500)
    value = forms.CharField(
        widget=forms.PasswordInput(render_value=False), help_text="Write-only: never shown again, not even to you."
    )
    team = forms.ChoiceField(
        required=False, label="Team", help_text="Only this team's webhooks may use it; it cannot change later."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = team_choices()
