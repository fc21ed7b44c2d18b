"""Template rendering: `${pactbroker.*}` parameters and `${user.NAME}` secrets.

Parameter values follow the broker's `PactAndVerificationParameters`
(pact-broker-api.md §7.3). Substitution is a plain replace, with three deliberate safety
differences from the Ruby broker: values are URL-escaped in the URL (the broker does this too),
JSON-escaped inside a JSON body (so a name containing a quote cannot break the JSON), and CR/LF are
removed from header values (no header injection).
"""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from apps.contracts.hal import urls as contract_urls
from apps.contracts.models import BranchVersion, Label, PactPublication, Tag
from apps.verifications.models import Verification

PARAMETER = re.compile(r"\$\{pactbroker\.([A-Za-z]+)\}")
SECRET = re.compile(r"\$\{user\.([A-Za-z0-9_\-.]+)\}")
ANY_TEMPLATE = re.compile(r"\$\{[^}]*\}")

PARAMETER_NAMES = [
    "pactUrl",
    "verificationResultUrl",
    "consumerName",
    "providerName",
    "consumerVersionNumber",
    "providerVersionNumber",
    "consumerVersionTags",
    "providerVersionTags",
    "consumerVersionBranch",
    "providerVersionBranch",
    "providerVersionDescriptions",
    "consumerLabels",
    "providerLabels",
    "githubVerificationStatus",
    "bitbucketVerificationStatus",
    "azureDevOpsVerificationStatus",
    "gitlabVerificationStatus",
    "eventName",
    "buildUrl",
    "currentlyDeployedProviderVersionNumber",
]


class MissingSecret(Exception):
    """A template names a secret the tenant does not have: nothing is sent (fail closed)."""


def pact_version_url(base_url: str, publication: PactPublication, metadata: dict | None = None) -> str:
    return contract_urls.pact_version_url(
        base_url, publication.consumer.name, publication.provider.name, publication.pact_version.sha, metadata
    )


def verification_url(base_url: str, verification: Verification) -> str:
    return contract_urls.verification_url(
        base_url,
        verification.consumer.name,
        verification.provider.name,
        verification.pact_version.sha,
        verification.number,
    )


def _tags(version) -> list[str]:
    return list(Tag.objects.filter(version=version).order_by("created_at", "id").values_list("name", flat=True))


def _last_branch(version) -> str:
    row = BranchVersion.objects.filter(version=version).order_by("-created_at", "-id").first()
    return row.branch_name if row else ""


def _labels(pacticipant) -> str:
    return ", ".join(Label.objects.filter(pacticipant=pacticipant).order_by("name").values_list("name", flat=True))


def verification_for_contract_event(publication: PactPublication) -> Verification | None:
    """Latest verification of the content from the provider's main branch, else the latest one."""
    verifications = Verification.objects.filter(pact_version_id=publication.pact_version_id)
    main = publication.provider.main_branch
    if main:
        on_main = verifications.filter(provider_version__branch_versions__branch_name=main).order_by("-id").first()
        if on_main:
            return on_main
    return verifications.order_by("-id").first()


def _statuses(verification) -> dict:
    if verification is None:
        return {
            "githubVerificationStatus": "pending",
            "bitbucketVerificationStatus": "INPROGRESS",
            "azureDevOpsVerificationStatus": "pending",
            "gitlabVerificationStatus": "pending",
        }
    ok = verification.success
    return {
        "githubVerificationStatus": "success" if ok else "failure",
        "bitbucketVerificationStatus": "SUCCESSFUL" if ok else "FAILED",
        "azureDevOpsVerificationStatus": "succeeded" if ok else "failed",
        "gitlabVerificationStatus": "success" if ok else "failed",
    }


def template_parameters(
    *,
    publication: PactPublication | None,
    verification: Verification | None,
    context: dict,
    base_url: str,
    placeholder_names: tuple[str, str] | None = None,
) -> dict:
    """Every `${pactbroker.X}` value for one triggered webhook (X without the prefix)."""
    if publication is None:  # test execution with no pact yet: placeholders, as the broker does
        consumer, provider = placeholder_names or ("placeholder-consumer", "placeholder-provider")
        return {
            **dict.fromkeys(PARAMETER_NAMES, ""),
            "consumerName": consumer,
            "providerName": provider,
            "pactUrl": contract_urls.pact_url(base_url, provider, consumer, "placeholder-consumer-version-number"),
            "consumerVersionNumber": "placeholder-consumer-version-number",
            "eventName": context.get("event_name", ""),
            **_statuses(None),
        }
    consumer_version = publication.consumer_version
    consumer_tags = _tags(consumer_version)
    params = {
        "pactUrl": pact_version_url(
            base_url, publication, {"cvn": consumer_version.number, "cvt": consumer_tags, "w": "true"}
        ),
        "verificationResultUrl": verification_url(base_url, verification) if verification else "",
        "consumerName": publication.consumer.name,
        "providerName": publication.provider.name,
        "consumerVersionNumber": context.get("consumer_version_number") or consumer_version.number,
        "consumerVersionTags": ", ".join(context["consumer_version_tags"])
        if context.get("consumer_version_tags")
        else ", ".join(consumer_tags),
        "consumerVersionBranch": (context.get("consumer_version_branch") or "")
        if "consumer_version_branch" in context
        else _last_branch(consumer_version),
        "providerVersionNumber": context.get("provider_version_number")
        or (verification.provider_version.number if verification else ""),
        "providerVersionTags": ", ".join(context["provider_version_tags"])
        if context.get("provider_version_tags")
        else (", ".join(_tags(verification.provider_version)) if verification else ""),
        "providerVersionBranch": (context.get("provider_version_branch") or "")
        if "provider_version_branch" in context
        else (_last_branch(verification.provider_version) if verification else ""),
        "providerVersionDescriptions": ", ".join(context.get("provider_version_descriptions") or []),
        "consumerLabels": _labels(publication.consumer),
        "providerLabels": _labels(publication.provider),
        "eventName": context.get("event_name", ""),
        "buildUrl": context.get("build_url") or "",
        "currentlyDeployedProviderVersionNumber": context.get("currently_deployed_provider_version_number") or "",
        **_statuses(verification),
    }
    return params


@dataclass
class RenderedRequest:
    method: str
    url: str
    headers: dict[str, str]
    body: str | None
    username: str | None
    password: str | None
    # Values that must never appear in logs: substituted secrets and the password.
    sensitive_values: list[str] = field(default_factory=list)


def secret_names(*texts) -> set[str]:
    names = set()
    for text in texts:
        if isinstance(text, str):
            names.update(SECRET.findall(text))
        elif isinstance(text, dict):
            for key, value in text.items():
                names.update(secret_names(key, value))
    return names


def _substitute(text: str | None, params: dict, secrets: dict, escape) -> str | None:
    if text is None:
        return None

    def parameter(match):
        name = match.group(1)
        return escape(params[name]) if name in params else match.group(0)

    def secret(match):
        name = match.group(1)
        if name not in secrets:
            raise MissingSecret(f"The secret '{name}' used by this webhook does not exist.")
        return escape(secrets[name])

    return SECRET.sub(secret, PARAMETER.sub(parameter, text))


def _no_newlines(value: str) -> str:
    return value.replace("\r", "").replace("\n", "")


def _json_string_escape(value: str) -> str:
    return json.dumps(value)[1:-1]


def request_render(webhook, params: dict, secrets: dict) -> RenderedRequest:
    """The concrete request of a webhook template (saved or unsaved `Webhook`)."""
    body_escape = _json_string_escape if webhook.is_json_request_body else (lambda v: v)
    headers = {
        _no_newlines(name): _no_newlines(_substitute(str(value), params, secrets, lambda v: v))
        for name, value in (webhook.headers or {}).items()
    }
    used = secret_names(webhook.url, webhook.headers or {}, webhook.body, webhook.username, webhook.password)
    sensitive = [secrets[name] for name in used if name in secrets]
    password = _substitute(webhook.password, params, secrets, lambda v: v)
    if password:
        sensitive.append(password)
    return RenderedRequest(
        method=webhook.method.upper(),
        url=_substitute(webhook.url, params, secrets, lambda v: quote_plus(str(v))),
        headers=headers,
        body=_substitute(webhook.body, params, secrets, body_escape),
        username=_substitute(webhook.username, params, secrets, lambda v: v),
        password=password,
        sensitive_values=[v for v in sensitive if v],
    )


def render_with_placeholder(text: str, placeholder: str = "placeholder") -> str:
    """Replace every template expression with a placeholder (URL validation, descriptions)."""
    return ANY_TEMPLATE.sub(placeholder, text)
