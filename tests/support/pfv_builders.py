"""Test data for pacts-for-verification: publications and verifications written through the models.

These mirror what the publish and verification services (built on other branches) write, row for
row, so the read side can be tested before they exist:

- `publish` = `POST /contracts/publish` for one pact: pacticipants, consumer version, branch and tags
  (through `apps.contracts.services.versions`, with their side effects), the pact content found or
  created by SHA, a publication (a new revision when the content changed), the current-publication
  row (`LatestPactPublication`) and the integration.
- `verify` = `POST .../verification-results`: the provider version with its branch and tags (which
  must exist before results are posted), the verification with its tag snapshot, the newest
  verification per (content, provider version) and, for a success, one
  `SuccessfulVerificationForProviderTag` per provider tag.

`at=` back-dates what a call creates, for the rules that compare dates (WIP windows, branches
created after a verification).
"""
import hashlib
import json
from datetime import datetime

from django.utils import timezone

from apps.contracts.models import (
    Branch,
    BranchVersion,
    Integration,
    LatestPactPublication,
    Pacticipant,
    PactPublication,
    PactVersion,
    Tag,
    Version,
)
from apps.contracts.services.versions import (
    branch_version_add,
    pacticipant_find_or_create,
    tag_add,
    version_find_or_create,
)
from apps.verifications.models import LatestVerification, SuccessfulVerificationForProviderTag, Verification


def pact_content(consumer: str, provider: str, description: str = "a request") -> dict:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [{"description": description, "request": {"method": "GET", "path": "/things"},
                          "response": {"status": 200}}],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


def _sha(content: dict) -> str:
    canonical = {key: content[key] for key in ("interactions", "messages") if key in content}
    return hashlib.sha1(json.dumps(canonical, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _version(pacticipant: Pacticipant, number: str, branch: str | None, tags, at: datetime | None) -> Version:
    version, created = version_find_or_create(pacticipant=pacticipant, number=number)
    if created and at:
        Version.objects.filter(pk=version.pk).update(created_at=at)
        version.created_at = at
    if branch:
        branch_version_add(version=version, branch_name=branch)
        if at:
            Branch.objects.filter(pacticipant=pacticipant, name=branch, created_at__gt=at).update(created_at=at)
            BranchVersion.objects.filter(version=version).update(created_at=at)
    for tag in tags:
        tag_add(version=version, name=tag)
        if at:
            Tag.objects.filter(version=version, name=tag).update(created_at=at)
    return version


def publish(consumer: str, version: str, provider: str, *, content: dict | None = None, branch: str | None = None,
            tags=(), at: datetime | None = None, description: str = "a request") -> PactPublication:
    consumer_row, _ = pacticipant_find_or_create(name=consumer)
    provider_row, _ = pacticipant_find_or_create(name=provider)
    consumer_version = _version(consumer_row, version, branch, tags, at)
    content = content or pact_content(consumer, provider, description)
    sha = _sha(content)
    pact_version, _ = PactVersion.objects.get_or_create(
        consumer=consumer_row, provider=provider_row, sha=sha,
        defaults={"content": json.dumps(content), "interactions_count": len(content.get("interactions", []))},
    )
    current = LatestPactPublication.objects.filter(consumer_version=consumer_version, provider=provider_row).first()
    if current and current.pact_version_id == pact_version.id:
        return current.pact_publication
    publication = PactPublication.objects.create(
        consumer_version=consumer_version, provider=provider_row, consumer=consumer_row,
        revision_number=(current.pact_publication.revision_number + 1) if current else 1,
        pact_version=pact_version, consumer_version_order=consumer_version.order,
    )
    if at:
        PactPublication.objects.filter(pk=publication.pk).update(created_at=at)
    LatestPactPublication.objects.update_or_create(
        consumer_version=consumer_version, provider=provider_row,
        defaults={"consumer": consumer_row, "pact_publication": publication, "pact_version": pact_version,
                  "consumer_version_order": consumer_version.order, "created_at": consumer_version.created_at},
    )
    Integration.objects.get_or_create(consumer=consumer_row, provider=provider_row,
                                      defaults={"contract_data_updated_at": timezone.now()})
    return publication


def verify(publication_or_pact_version, provider_version: str, *, success: bool = True, branch: str | None = None,
           tags=(), wip: bool = False, pact_pending: bool | None = None, at: datetime | None = None) -> Verification:
    pact_version = getattr(publication_or_pact_version, "pact_version", publication_or_pact_version)
    provider = pact_version.provider
    version = _version(provider, provider_version, branch, tags, at)
    tag_names = list(Tag.objects.filter(version=version).order_by("name").values_list("name", flat=True))
    when = at or timezone.now()
    verification = Verification.objects.create(
        success=success, provider_version=version, pact_version=pact_version, consumer=pact_version.consumer,
        provider=provider, execution_date=when, wip=wip, pact_pending=pact_pending, tag_names=tag_names,
    )
    if at:
        Verification.objects.filter(pk=verification.pk).update(created_at=at)
    LatestVerification.objects.update_or_create(
        pact_version=pact_version, provider_version=version,
        defaults={"verification": verification, "consumer": pact_version.consumer, "provider": provider,
                  "created_at": when},
    )
    if success:
        for tag in tag_names:
            SuccessfulVerificationForProviderTag.objects.get_or_create(
                pact_version=pact_version, provider_version_tag_name=tag, wip=wip,
                defaults={"verification": verification, "execution_date": when},
            )
    return verification


def environment_create(name: str, production: bool = False):
    from apps.environments import services

    return services.environment_create(data={"name": name, "production": production})


def record_deployment(consumer: str, version: str, environment: str, *, target: str | None = None,
                      undeployed: bool = False) -> None:
    from apps.environments import services
    from apps.environments.models import Environment

    row = Version.objects.get(pacticipant__name=consumer, number=version)
    deployed = services.deployment_record(
        version=row, environment=Environment.objects.get(name=environment), target=target
    )
    if isinstance(deployed, tuple):
        deployed = deployed[0]
    if undeployed:
        services.deployment_undeploy(deployed_version=deployed)


def record_release(consumer: str, version: str, environment: str, *, support_ended: bool = False) -> None:
    from apps.environments import services
    from apps.environments.models import Environment

    row = Version.objects.get(pacticipant__name=consumer, number=version)
    released, _ = services.release_record(version=row, environment=Environment.objects.get(name=environment))
    if support_ended:
        services.release_support_end(released_version=released)
