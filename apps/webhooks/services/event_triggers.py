"""Which webhook events a publication or a verification raises (the broker's rules, §7.2).

Publishing code calls `contract_published_webhooks_trigger` once per pact publication (also for
an identical re-publish), verification code calls `verification_published_webhooks_trigger` once
per verification. Both are best called inside the writing transaction: the triggered webhooks then
commit with the data and the deliveries are queued only after that commit.
"""

from apps.contracts.models import BranchHead, PactPublication
from apps.contracts.queries.content_changes import content_change_reasons
from apps.environments.queries import provider_versions_deployed_or_released
from apps.verifications.models import Verification
from apps.webhooks.models import Events, TriggeredWebhook
from apps.webhooks.services.trigger import webhooks_trigger

INFER = object()


def _previous_sha_inferred(publication: PactPublication) -> str | None:
    """Content of this consumer version's pact before this publication (None: a new pact)."""
    previous = (
        PactPublication.objects.filter(
            consumer_version_id=publication.consumer_version_id,
            provider_id=publication.provider_id,
            revision_number__lt=publication.revision_number,
        )
        .order_by("-revision_number")
        .select_related("pact_version")
        .first()
    )
    return previous.pact_version.sha if previous else None


def content_changed(publication: PactPublication, previous_sha) -> bool:
    """contract_content_changed: the contracts app's rule (`content_change_reasons`, which also words
    the publish notices)."""
    return bool(content_change_reasons(publication, previous_sha))


def _deployed_and_released_provider_versions(provider) -> list[tuple]:
    """(version, description) for currently deployed/supported provider versions."""
    return list(provider_versions_deployed_or_released(provider))


def required_verification_contexts(publication: PactPublication) -> list[dict]:
    """One context per provider version that should verify this content and has not: the head of
    the provider's main branch, and each currently deployed / released provider version."""
    provider = publication.provider
    candidates: list[tuple] = []
    if provider.main_branch:
        head = (
            BranchHead.objects.filter(pacticipant=provider, branch_name=provider.main_branch)
            .select_related("version")
            .first()
        )
        if head:
            candidates.append((head.version, "latest from main branch", provider.main_branch))
    candidates.extend((v, d, None) for v, d in _deployed_and_released_provider_versions(provider))
    verified = set(
        Verification.objects.filter(
            pact_version_id=publication.pact_version_id, provider_version_id__in=[c[0].pk for c in candidates]
        ).values_list("provider_version_id", flat=True)
    )
    contexts: dict[int, dict] = {}
    for version, description, branch in candidates:
        if version.pk in verified:
            continue
        context = contexts.setdefault(
            version.pk,
            {
                "provider_version_number": version.number,
                "provider_version_branch": branch or "",
                "provider_version_descriptions": [],
            },
        )
        if branch and not context["provider_version_branch"]:
            context["provider_version_branch"] = branch
        context["provider_version_descriptions"].append(description)
    return list(contexts.values())


def contract_published_webhooks_trigger(
    *, pact_publication: PactPublication, previous_pact_version_sha=INFER, event_context: dict | None = None
) -> list[TriggeredWebhook]:
    """The events of one pact publication.

    previous_pact_version_sha: the SHA of this consumer version's pact for this provider before
    the publish, or None if it had none. Left out, it is read from the previous revision.
    event_context: {"base_url": request base URL, "build_url": publish buildUrl}.
    """
    if previous_pact_version_sha is INFER:
        previous_pact_version_sha = _previous_sha_inferred(pact_publication)
    triggered = webhooks_trigger(
        event_name=Events.CONTRACT_PUBLISHED, pact_publication=pact_publication, event_context=event_context
    )
    if content_changed(pact_publication, previous_pact_version_sha):
        triggered += webhooks_trigger(
            event_name=Events.CONTRACT_CONTENT_CHANGED, pact_publication=pact_publication, event_context=event_context
        )
    contexts = required_verification_contexts(pact_publication)
    if contexts:
        triggered += webhooks_trigger(
            event_name=Events.CONTRACT_REQUIRING_VERIFICATION_PUBLISHED,
            pact_publication=pact_publication,
            event_context=event_context,
            contexts=contexts,
        )
    return triggered


def verification_published_webhooks_trigger(
    *, verification: Verification, pact_publication: PactPublication | None = None, event_context: dict | None = None
) -> list[TriggeredWebhook]:
    """provider_verification_published, then _succeeded or _failed.

    event_context: {"base_url", "build_url", "consumer_version_selectors": [{"consumer_version_number",
    "tag"}...]} - the selectors from the verified pact URL's metadata, one delivery per consumer version.
    """
    event_context = {"build_url": verification.build_url or "", **(event_context or {})}
    outcome = Events.PROVIDER_VERIFICATION_SUCCEEDED if verification.success else Events.PROVIDER_VERIFICATION_FAILED
    triggered = []
    for event_name in (Events.PROVIDER_VERIFICATION_PUBLISHED, outcome):
        triggered += webhooks_trigger(
            event_name=event_name,
            pact_publication=pact_publication,
            verification=verification,
            event_context=event_context,
        )
    return triggered
