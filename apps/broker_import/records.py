"""Each source resource written through our own services (so every "latest" table, integration and
branch head is kept as a publication here would keep it), with the source's creation times and
identities. Each function is idempotent: what exists already is left alone (or, for a deployment
or release that has ended on the source since, ended here too), so a second run adds only what is
new. No webhook fires: history is not news (`verification_record(announce=False)`; publications go
through `pacts_write`, which records no event by itself).
"""

import json
from dataclasses import dataclass, field

from django.db import transaction

from apps.contracts import services as contract_services
from apps.contracts.models import Label, LatestPactPublication, Pacticipant, PactVersion, Version
from apps.contracts.services.find_or_create import (
    FoundVersion,
    branch_version_find_or_create,
    tags_find_or_create,
    version_find_or_create,
)
from apps.contracts.services.pacts import PactToWrite, integration_limits_check, pacts_write
from apps.core.errors import BrokerError
from apps.environments import services as environment_services
from apps.environments.models import DeployedVersion, Environment, ReleasedVersion
from apps.verifications.services.verifications import verification_record
from apps.webhooks.api.contract import webhook_fields_parse
from apps.webhooks.models import Webhook
from apps.webhooks.services.webhooks import webhook_save

from .source import parse_time

PACTICIPANT_ATTRIBUTES = {
    "displayName": "display_name",
    "repositoryUrl": "repository_url",
    "repositoryName": "repository_name",
    "repositoryNamespace": "repository_namespace",
    "mainBranch": "main_branch",
}


def environment_import(body: dict) -> bool:
    """True when created. Matched by uuid, then by name (an environment made by hand before)."""
    if Environment.objects.filter(uuid=body["uuid"]).exists() or Environment.objects.filter(name=body["name"]).exists():
        return False
    environment_services.environment_create(
        name=body["name"],
        display_name=body.get("displayName"),
        production=bool(body.get("production")),
        contacts=body.get("contacts"),
        uuid=body["uuid"],
        created_at=parse_time(body.get("createdAt")),
    )
    return True


@transaction.atomic
def pacticipant_import(body: dict) -> bool:
    """Create the pacticipant (or bring its main branch, repository and display name up to date)
    and its labels; True when created."""
    attributes = {ours: body.get(theirs) for theirs, ours in PACTICIPANT_ATTRIBUTES.items() if body.get(theirs)}
    pacticipant = Pacticipant.objects.filter(name=body["name"]).first()
    created = pacticipant is None
    if created:
        pacticipant = contract_services.pacticipant_create(
            name=body["name"], attributes=attributes, created_at=parse_time(body.get("createdAt"))
        )
    elif any(getattr(pacticipant, field) != value for field, value in attributes.items()):
        contract_services.pacticipant_update(pacticipant=pacticipant, attributes=attributes, replace=False)
    labels = [label.get("name") for label in (body.get("_embedded") or {}).get("labels") or []]
    have = set(Label.objects.filter(pacticipant=pacticipant).values_list("name", flat=True))
    for name in labels:
        if name and name not in have:
            contract_services.label_add(pacticipant_name=pacticipant.name, name=name)
    return created


@dataclass
class VersionWritten:
    version: Version
    created: bool
    branches_added: int = 0
    tags_added: int = 0


def version_import(pacticipant: Pacticipant, body: dict, existing: dict | None = None) -> VersionWritten:
    """A version with its branches (in the source's order) and tags. `existing`: this version's
    branch and tag names already here ({"branches": set, "tags": set}), or None when unknown."""
    created_at = parse_time(body.get("createdAt"))
    embedded = body.get("_embedded") or {}
    branch_names = [b.get("name") for b in embedded.get("branchVersions") or embedded.get("branches") or []]
    tag_names = [t.get("name") for t in embedded.get("tags") or []]
    with transaction.atomic():
        found = version_find_or_create(
            pacticipant=pacticipant, number=body["number"], build_url=body.get("buildUrl"), created_at=created_at
        )
        have_branches = existing["branches"] if existing else set()
        added_branches = 0
        for name in branch_names:
            if name and name not in have_branches:
                added_branches += bool(
                    branch_version_find_or_create(version=found.version, branch_name=name, created_at=created_at)
                )
        new_tags = [name for name in tag_names if name and name not in (existing["tags"] if existing else set())]
        # branch_given: the source's branches are the truth, no tag becomes one here.
        added_tags = tags_find_or_create(found=found, names=new_tags, branch_given=True, created_at=created_at)
    return VersionWritten(found.version, found.created, added_branches, len(added_tags))


def deployment_import(version: Version, environment: Environment, body: dict) -> str | None:
    """'created', 'ended' (current here, ended on the source since) or None (nothing to do)."""
    undeployed_at = parse_time(body.get("undeployedAt"))
    if body.get("currentlyDeployed") is False and undeployed_at is None:
        undeployed_at = parse_time(body.get("updatedAt") or body.get("createdAt"))
    existing = DeployedVersion.objects.filter(uuid=body["uuid"]).first()
    if existing is not None:
        if existing.undeployed_at is None and undeployed_at is not None:
            environment_services.deployment_undeploy(deployed_version=existing, undeployed_at=undeployed_at)
            return "ended"
        return None
    environment_services.deployment_record(
        version=version,
        environment=environment,
        target=body.get("applicationInstance") or body.get("target"),
        uuid=body["uuid"],
        created_at=parse_time(body.get("createdAt")),
        undeployed_at=undeployed_at,
    )
    return "created"


def release_import(version: Version, environment: Environment, body: dict) -> str | None:
    ended_at = parse_time(body.get("supportEndedAt"))
    if body.get("currentlySupported") is False and ended_at is None:
        ended_at = parse_time(body.get("updatedAt") or body.get("createdAt"))
    existing = ReleasedVersion.objects.filter(uuid=body["uuid"]).first()
    if existing is None:
        existing = ReleasedVersion.objects.filter(version=version, environment=environment).first()
    if existing is not None:
        if existing.support_ended_at is None and ended_at is not None:
            environment_services.release_support_end(released_version=existing, support_ended_at=ended_at)
            return "ended"
        return None
    environment_services.release_record(
        version=version,
        environment=environment,
        uuid=body["uuid"],
        created_at=parse_time(body.get("createdAt")),
        support_ended_at=ended_at,
    )
    return "created"


def pact_document(body: dict):
    """The pact as it was published, from the stored pact the source serves: without what the broker
    merges into the answer (`createdAt`, `_links`) and without the interactions' `_id`s (the SHA is
    computed before they are added, and publishing adds the same ones back, first in each
    interaction). Key order is kept, so the content stored here is the same bytes, with the same SHA."""
    doc = {key: value for key, value in body.items() if key not in ("_links", "createdAt")}
    for key in ("interactions", "messages"):
        if isinstance(doc.get(key), list):
            doc[key] = [
                {k: v for k, v in item.items() if k != "_id"} if isinstance(item, dict) else item for item in doc[key]
            ]
    return doc


def pact_exists(version: Version, provider_name: str) -> bool:
    return LatestPactPublication.objects.filter(consumer_version=version, provider__name=provider_name).exists()


def pact_import(consumer: Pacticipant, version: Version, provider_name: str, body: dict) -> bool:
    """One publication (the source shows only the newest revision); True when written."""
    with transaction.atomic():
        integration_limits_check(consumer_name=consumer.name, provider_names=[provider_name])
        provider = contract_services.pacticipant_find_or_create(name=provider_name)
        found = FoundVersion(version=version, created=False, tag_names=[], had_branch=True)
        written = pacts_write(
            consumer=consumer,
            found=found,
            pacts=[PactToWrite(provider=provider, doc=pact_document(body))],
            # The source holds this content for this version: take it as it is there.
            allow_modification=True,
            created_at=parse_time(body.get("createdAt")),
        )
    return not written[0].existed or written[0].content_changed


def pact_import_known(consumer: Pacticipant, version: Version, provider_name: str, sha: str, created_at) -> bool | None:
    """A publication of content already imported (known by its SHA), without reading it again;
    None when the content is not here yet."""
    stored = PactVersion.objects.filter(consumer=consumer, provider__name=provider_name, sha=sha).values_list(
        "content", flat=True
    )
    content = next(iter(stored), None)
    if content is None:
        return None
    return pact_import(consumer, version, provider_name, {**json.loads(content), "createdAt": created_at})


def verification_import(*, consumer_name: str, provider_name: str, sha: str, body: dict, verified_at) -> None:
    verified_by = body.get("verifiedBy") or {}
    client = verified_by.get("clientLanguage") or {}
    verification_record(
        consumer_name=consumer_name,
        provider_name=provider_name,
        pact_version_sha=sha,
        success=bool(body.get("success")),
        provider_version_number=body["providerApplicationVersion"],
        build_url=body.get("buildUrl"),
        test_results=body.get("testResults"),
        execution_date=parse_time(body.get("verificationDate")) or verified_at,
        verified_by={
            "implementation": verified_by.get("implementation"),
            "version": verified_by.get("version"),
            "client_implementation": verified_by.get("client_implementation") or client.get("name"),
            "client_version": verified_by.get("client_version") or client.get("version"),
            "client_test_framework": verified_by.get("client_test_framework") or client.get("testFramework"),
        },
        created_at=verified_at or parse_time(body.get("verificationDate")),
        announce=False,
    )


MASKED = "*"


@dataclass
class WebhookResult:
    created: bool
    to_reenter: list[str] = field(default_factory=list)  # what must be typed in again
    refused: str | None = None  # why it could not be imported


def _masked(value) -> bool:
    return isinstance(value, str) and value != "" and set(value) == {MASKED}


def webhook_import(body: dict) -> WebhookResult:
    """Imported disabled: the source never shows passwords or secret header values (they come
    masked), so the webhook would fail until someone types them in again."""
    if Webhook.objects.filter(uuid=body["uuid"]).exists():
        return WebhookResult(created=False)
    data = {key: body.get(key) for key in ("description", "consumer", "provider", "events")}
    request = dict(body.get("request") or {})
    to_reenter = []
    if _masked(request.get("password")):
        request["password"] = None
        to_reenter.append("password")
    headers = dict(request.get("headers") or {})
    for name, value in list(headers.items()):
        if _masked(value):
            headers[name] = ""
            to_reenter.append(f"header {name}")
    request["headers"] = headers
    data["request"] = request
    data["enabled"] = False
    try:
        fields = webhook_fields_parse(data, uuid=body["uuid"])
    except BrokerError as exc:
        return WebhookResult(created=False, refused=str(getattr(exc, "body", exc)))
    webhook_save(webhook=Webhook(uuid=body["uuid"]), fields=fields, created_at=parse_time(body.get("createdAt")))
    return WebhookResult(created=True, to_reenter=to_reenter)
