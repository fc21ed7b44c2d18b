"""Test data, built through the real services (call them inside the tenant's schema).

One set of factories for every test suite: what a test sets up is written by the same code that
writes it in production, side effects and all (branch heads, main-branch detection, the first tag
as branch, content SHAs, revisions, latest rows, integrations, domain events).

- `version_ensure`: a pacticipant version, with a branch and tags as their PUTs add them;
- `pact_publish`: one pact for a consumer version, as `/contracts/publish` writes it. The plan's
  integration limit is not applied (it is set-up, not a publication under test), and changed content
  for an existing version is a new revision, as with `allowDangerousContractModification`;
- `verify` / `verification_publish`: a verification result for a publication's content;
- `environment_ensure`, `deploy`, `release`: environments, deployed and released versions.

`at=` back-dates what a call creates, for the rules that compare dates (WIP windows, branches
created after a verification); it is the one thing written past the services.
"""

from datetime import datetime

from django.db import transaction

from apps.contracts.models import (
    Branch,
    BranchVersion,
    LatestPactPublication,
    PactPublication,
    PactVersion,
    Tag,
    Version,
)
from apps.contracts.services.branches import branch_version_create
from apps.contracts.services.find_or_create import (
    branch_version_find_or_create,
    pacticipants_find_or_create,
    tags_find_or_create,
    version_find_or_create,
)
from apps.contracts.services.pacts import PactToWrite, pacts_write, published_events_schedule
from apps.contracts.services.versions import version_create_or_update, version_tag_create
from apps.environments import services as environments
from apps.environments.models import Environment
from apps.verifications.models import LatestVerification, Verification
from apps.verifications.services import verification_record


def pact_content(consumer: str, provider: str, description: str = "a request") -> dict:
    """A one-interaction pact; a different `description` is different content."""
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {"description": description, "request": {"method": "GET", "path": "/things"}, "response": {"status": 200}}
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


def version_ensure(
    pacticipant: str, number: str, *, branch: str | None = None, tags=(), at: datetime | None = None
) -> Version:
    """The version (created when missing), put on `branch` and tagged as the branch and tag PUTs do."""
    version, created = version_create_or_update(pacticipant_name=pacticipant, number=number)
    if created and at:
        Version.objects.filter(pk=version.pk).update(created_at=at)
        version.created_at = at
    if branch:
        branch_version_create(pacticipant_name=pacticipant, branch_name=branch, number=number)
        if at:
            Branch.objects.filter(pacticipant=version.pacticipant, name=branch, created_at__gt=at).update(created_at=at)
            BranchVersion.objects.filter(version=version).update(created_at=at)
    for tag in tags:
        version_tag_create(pacticipant_name=pacticipant, number=number, tag_name=tag)
        if at:
            Tag.objects.filter(version=version, name=tag).update(created_at=at)
    version.pacticipant.refresh_from_db()
    return version


def pact_publish(
    consumer: str,
    consumer_version: str,
    provider: str,
    *,
    content: dict | str | None = None,
    branch: str | None = None,
    tags=(),
    at: datetime | None = None,
    description: str = "a request",
    events: bool = True,
) -> PactPublication:
    """Publish one pact (`content` a pact document, or a string standing for its only interaction).

    `events=False` leaves out the domain event (the webhooks outbox row), for the webhook tests that
    trigger the publication's webhooks themselves, synchronously.
    """
    if content is None or isinstance(content, str):
        content = pact_content(consumer, provider, content or description)
    with transaction.atomic():
        pacticipants = pacticipants_find_or_create(names=[consumer, provider])
        found = version_find_or_create(pacticipant=pacticipants[consumer], number=consumer_version)
        if branch:
            branch_version_find_or_create(version=found.version, branch_name=branch)
        tags_find_or_create(found=found, names=list(tags), branch_given=bool(branch))
        written = pacts_write(
            consumer=pacticipants[consumer],
            found=found,
            allow_modification=True,
            pacts=[PactToWrite(provider=pacticipants[provider], doc=content)],
        )
        if events:
            published_events_schedule(
                consumer=pacticipants[consumer], version=found.version, written=written, branch=branch, tags=tuple(tags)
            )
    if at:
        if found.created:
            Version.objects.filter(pk=found.version.pk).update(created_at=at)
            LatestPactPublication.objects.filter(consumer_version=found.version).update(created_at=at)
        if branch:
            Branch.objects.filter(pacticipant=found.version.pacticipant, name=branch, created_at__gt=at).update(
                created_at=at
            )
            BranchVersion.objects.filter(version=found.version).update(created_at=at)
        Tag.objects.filter(version=found.version, name__in=list(tags)).update(created_at=at)
        PactPublication.objects.filter(pk=written[0].publication.pk).update(created_at=at)
    return PactPublication.objects.select_related("consumer", "provider", "consumer_version", "pact_version").get(
        pk=written[0].publication.pk
    )


def verify(
    publication_or_pact_version,
    provider_version: str,
    *,
    success: bool = True,
    branch: str | None = None,
    tags=(),
    wip: bool = False,
    pact_pending: bool | None = None,
    test_results=None,
    at: datetime | None = None,
) -> Verification:
    """Record a verification of a publication's (or a pact version's) content by a provider version,
    whose branch and tags exist before the result, as the CLI's do."""
    pact_version: PactVersion = getattr(publication_or_pact_version, "pact_version", publication_or_pact_version)
    provider = pact_version.provider
    version_ensure(provider.name, provider_version, branch=branch, tags=tags, at=at)
    metadata = {"w": "true"} if wip else {}
    if pact_pending is not None:
        metadata["p"] = "true" if pact_pending else "false"
    verification = verification_record(
        consumer_name=pact_version.consumer.name,
        provider_name=provider.name,
        pact_version_sha=pact_version.sha,
        success=success,
        provider_version_number=provider_version,
        metadata=metadata,
        execution_date=at,
        test_results=test_results,
    )
    if at:
        Verification.objects.filter(pk=verification.pk).update(created_at=at)
        LatestVerification.objects.filter(verification=verification).update(created_at=at)
        verification.created_at = at
    return verification


def verification_publish(
    consumer: str,
    consumer_version: str,
    provider: str,
    provider_version: str,
    *,
    success: bool = True,
    branch: str | None = None,
    tags=(),
    test_results=None,
) -> Verification:
    """Verify the current pact of (consumer version, provider) by a provider version."""
    latest = LatestPactPublication.objects.select_related("pact_version__consumer", "pact_version__provider").get(
        consumer__name=consumer, consumer_version__number=consumer_version, provider__name=provider
    )
    return verify(
        latest.pact_version, provider_version, success=success, branch=branch, tags=tags, test_results=test_results
    )


def environment_ensure(name: str, *, production: bool = False) -> Environment:
    existing = Environment.objects.filter(name=name).first()
    return existing or environments.environment_create(name=name, display_name=name.title(), production=production)


def deploy(pacticipant: str, version: str, environment: str, *, target: str | None = None, undeployed: bool = False):
    deployed, _ = environments.deployment_record(
        version=version_ensure(pacticipant, version), environment=environment_ensure(environment), target=target
    )
    if undeployed:
        environments.deployment_undeploy(deployed_version=deployed)
    return deployed


def release(pacticipant: str, version: str, environment: str, *, support_ended: bool = False):
    released, _ = environments.release_record(
        version=version_ensure(pacticipant, version), environment=environment_ensure(environment)
    )
    if support_ended:
        environments.release_support_end(released_version=released)
    return released
