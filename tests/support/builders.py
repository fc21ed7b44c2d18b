"""Test data: pacts, verifications and deployments written straight through the models.

`pact_publish` and `verification_publish` mirror what the publish services do (the broker's
rules, shared/reference/pact-broker-api.md §3 and §4) without HTTP:
- a publication finds-or-creates consumer, provider and consumer version (with branch/tags),
  finds-or-creates the pact *content* (PactVersion) by its SHA, adds a PactPublication (a new
  revision when the content for that consumer version changes), points LatestPactPublication at
  it, and creates the Integration;
- a verification finds-or-creates the provider version (with branch/tags, which must exist before
  the result), records the Verification against the pact content, and upserts LatestVerification.
Call them inside the tenant's schema (e.g. `schema_context`).
"""
import hashlib
import json
from datetime import UTC, datetime

from apps.contracts.models import (
    Integration,
    LatestPactPublication,
    PactPublication,
    PactVersion,
    Version,
)
from apps.contracts.services.versions import (
    branch_version_add,
    pacticipant_find_or_create,
    tag_add,
    version_find_or_create,
)
from apps.verifications.models import LatestVerification, Verification


def version_ensure(pacticipant_name: str, number: str, *, branch: str | None = None,
                   tags: tuple[str, ...] | list[str] = ()) -> Version:
    pacticipant, _ = pacticipant_find_or_create(name=pacticipant_name)
    version, _ = version_find_or_create(pacticipant=pacticipant, number=number)
    version.pacticipant = pacticipant
    if branch:
        branch_version_add(version=version, branch_name=branch)
    for tag in tags:
        tag_add(version=version, name=tag)
    return version


def pact_publish(consumer: str, consumer_version: str, provider: str, *, content: dict | None = None,
                 branch: str | None = None, tags: tuple[str, ...] | list[str] = ()) -> PactPublication:
    cv = version_ensure(consumer, consumer_version, branch=branch, tags=tags)
    provider_row, _ = pacticipant_find_or_create(name=provider)
    document = content or {
        "consumer": {"name": consumer}, "provider": {"name": provider},
        "interactions": [{"description": "a request", "request": {"method": "GET", "path": "/"},
                          "response": {"status": 200}}],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }
    sha = hashlib.sha1(json.dumps(document, sort_keys=True).encode()).hexdigest()
    pact_version, _ = PactVersion.objects.get_or_create(
        consumer=cv.pacticipant, provider=provider_row, sha=sha,
        defaults={"content": json.dumps(document), "interactions_count": len(document.get("interactions", []))},
    )
    latest = LatestPactPublication.objects.filter(consumer_version=cv, provider=provider_row).first()
    if latest is not None and latest.pact_version_id == pact_version.pk:
        return latest.pact_publication
    revision = (latest.pact_publication.revision_number + 1) if latest else 1
    publication = PactPublication.objects.create(
        consumer_version=cv, provider=provider_row, consumer=cv.pacticipant, revision_number=revision,
        pact_version=pact_version, consumer_version_order=cv.order,
    )
    LatestPactPublication.objects.update_or_create(
        consumer_version=cv, provider=provider_row,
        defaults={"consumer": cv.pacticipant, "pact_publication": publication, "pact_version": pact_version,
                  "consumer_version_order": cv.order, "created_at": cv.created_at},
    )
    Integration.objects.get_or_create(consumer=cv.pacticipant, provider=provider_row)
    return publication


def verification_publish(consumer: str, consumer_version: str, provider: str, provider_version: str, *,
                         success: bool = True, branch: str | None = None,
                         tags: tuple[str, ...] | list[str] = ()) -> Verification:
    """Verify the current pact of (consumer version, provider) by a provider version."""
    latest = LatestPactPublication.objects.select_related("consumer_version").get(
        consumer__name=consumer, consumer_version__number=consumer_version, provider__name=provider
    )
    pv = version_ensure(provider, provider_version, branch=branch, tags=tags)
    verification = Verification.objects.create(
        success=success, provider_version=pv, pact_version_id=latest.pact_version_id,
        consumer_id=latest.consumer_id, provider_id=latest.provider_id,
        execution_date=datetime.now(UTC), tag_names=list(tags),
    )
    LatestVerification.objects.update_or_create(
        pact_version_id=latest.pact_version_id, provider_version=pv,
        defaults={"verification": verification, "consumer_id": latest.consumer_id,
                  "provider_id": latest.provider_id, "created_at": verification.created_at},
    )
    return verification


def environment_ensure(name: str, *, production: bool = False):
    from apps.environments.models import Environment

    environment, _ = Environment.objects.get_or_create(
        name=name, defaults={"display_name": name.title(), "production": production}
    )
    return environment


def deploy(pacticipant: str, version: str, environment: str, *, target: str | None = None):
    from apps.environments.services import deployment_record

    deployed, _ = deployment_record(
        version=version_ensure(pacticipant, version), environment=environment_ensure(environment), target=target
    )
    return deployed


def release(pacticipant: str, version: str, environment: str):
    from apps.environments.services import release_record

    released, _ = release_record(
        version=version_ensure(pacticipant, version), environment=environment_ensure(environment)
    )
    return released
