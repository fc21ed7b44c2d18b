"""`GET /metrics`: the open-source broker's JSON counts of what an organisation holds (not the
platform's Prometheus scrape, which is `/-/metrics`).

It lives in the webhooks app because this is the lowest layer that sees every table it counts
(contracts, verifications, environments and webhooks). A constant number of queries, whatever the data.
"""

from django.db.models import Count, Q, Sum
from rest_framework.response import Response

from apps.contracts.models import (
    BranchVersion,
    LatestPactPublication,
    Pacticipant,
    PactPublication,
    PactVersion,
    Tag,
    Version,
)
from apps.core import hal
from apps.core.views import BrokerAPIView
from apps.environments.models import DeployedVersion, Environment, ReleasedVersion
from apps.verifications.models import Verification
from apps.webhooks.models import TriggeredWebhook, Webhook, WebhookExecution


def _distribution(rows) -> dict[str, int]:
    """{n: how many groups have n rows}, keys in ascending order (JSON keys are strings)."""
    counts: dict[int, int] = {}
    for row in rows:
        counts[row["n"]] = counts.get(row["n"], 0) + 1
    return {str(n): counts[n] for n in sorted(counts)}


def _first_and_last(model) -> tuple[str | None, str | None]:
    first = model.objects.order_by("pk").values_list("created_at", flat=True).first()
    last = model.objects.order_by("-pk").values_list("created_at", flat=True).first()
    return hal.timestamp(first), hal.timestamp(last)


def _interactions() -> dict:
    newest_per_integration = (
        LatestPactPublication.objects.order_by("consumer_id", "provider_id", "-consumer_version_order")
        .distinct("consumer_id", "provider_id")
        .values("pact_version_id")
    )
    sums = PactVersion.objects.filter(pk__in=newest_per_integration).aggregate(
        interactions=Sum("interactions_count"), messages=Sum("messages_count")
    )
    interactions, messages = sums["interactions"] or 0, sums["messages"] or 0
    return {
        "latestInteractionsCount": interactions,
        "latestMessagesCount": messages,
        "latestInteractionsAndMessagesCount": interactions + messages,
    }


def metrics() -> dict:
    publications_first, publications_last = _first_and_last(PactPublication)
    verifications_first, verifications_last = _first_and_last(Verification)
    verifications = Verification.objects.aggregate(
        count=Count("pk"),
        successes=Count("pk", filter=Q(success=True)),
        failures=Count("pk", filter=Q(success=False)),
    )
    with_branch = Version.objects.filter(branch_versions__isnull=False).distinct().count()
    return {
        "interactions": _interactions(),
        "pacticipants": {
            "count": Pacticipant.objects.count(),
            "withMainBranchSetCount": Pacticipant.objects.filter(main_branch__isnull=False).count(),
        },
        "integrations": {"count": PactPublication.objects.values("consumer_id", "provider_id").distinct().count()},
        "pactPublications": {
            "count": PactPublication.objects.count(),
            "first": publications_first,
            "last": publications_last,
        },
        "pactVersions": {"count": PactVersion.objects.count()},
        "pactRevisionsPerConsumerVersion": {
            "distribution": _distribution(
                PactPublication.objects.values("consumer_version_id", "provider_id").annotate(n=Count("pk"))
            )
        },
        "verificationResults": {
            "count": verifications["count"],
            "successCount": verifications["successes"],
            "failureCount": verifications["failures"],
            "distinctCount": Verification.objects.values("provider_version_id", "pact_version_id", "success")
            .distinct()
            .count(),
            "first": verifications_first,
            "last": verifications_last,
        },
        "verificationResultsPerPactVersion": {
            "distribution": _distribution(Verification.objects.values("pact_version_id").annotate(n=Count("pk")))
        },
        "pacticipantVersions": {
            "count": Version.objects.count(),
            "withUserCreatedBranchCount": BranchVersion.objects.filter(auto_created=False)
            .values("version_id")
            .distinct()
            .count(),
            "withBranchCount": with_branch,
            "withBranchSetCount": with_branch,
        },
        "webhooks": {"count": Webhook.objects.count()},
        "tags": {
            "count": Tag.objects.count(),
            "distinctCount": Tag.objects.values("name").distinct().count(),
            "distinctWithPacticipantCount": Tag.objects.values("name", "pacticipant_id").distinct().count(),
        },
        "triggeredWebhooks": {"count": TriggeredWebhook.objects.count()},
        "webhookExecutions": {"count": WebhookExecution.objects.count()},
        "matrix": {"count": -1},  # the broker does not count it either (too slow, no meaning)
        "environments": {"count": Environment.objects.count()},
        "deployedVersions": {
            "count": DeployedVersion.objects.count(),
            "userCreatedCount": DeployedVersion.objects.filter(auto_created=False).count(),
            "currentlyDeployedCount": DeployedVersion.objects.filter(undeployed_at__isnull=True).count(),
        },
        "releasedVersions": {
            "count": ReleasedVersion.objects.count(),
            "currentlySupportedCount": ReleasedVersion.objects.filter(support_ended_at__isnull=True).count(),
        },
    }


class MetricsResource(BrokerAPIView):
    def get(self, request):
        return Response(metrics())
