"""The items of the broker's JSON dashboard (`GET /dashboard`, apps/ui/api/dashboard.py).

Items are in the broker's shape (its DashboardDecorator, shared/reference/pact-broker-api.md §8.3),
newest activity first. The body is hand-built in the broker, so absent values are `null` rather
than omitted.
"""

from apps.contracts.hal.urls import pacticipant_url, tag_url, version_url
from apps.core import hal
from apps.ui.queries.dashboard import DashboardExtras


def _pact_segments(row) -> list[str]:
    return ["pacts", "provider", row.provider.name, "consumer", row.consumer.name]


def _version(request, row, version, branches: list[str], extras: DashboardExtras, *, linked: bool) -> dict:
    body = {
        "number": version.number,
        "branch": branches[-1] if branches else None,  # the version's most recent branch, as Version#branch
        "headBranchNames": extras.head_branches[version.pk],
    }
    if linked:
        body["_links"] = {"self": {"href": version_url(request, row.consumer.name, version.number)}}
    return body


def _tags(request, pacticipant_name: str, version, extras: DashboardExtras) -> list[dict]:
    return [
        {
            "name": name,
            "latest": True,
            "_links": {"self": {"href": tag_url(request, pacticipant_name, version.number, name)}},
        }
        for name in extras.latest_tags[version.pk]
    ]


def dashboard_item(request, row, extras: DashboardExtras) -> dict:
    key = (row.consumer.pk, row.provider.pk)
    verification = row.verification
    provider_version = verification.provider_version if verification else None
    triggered_at = extras.webhook_triggered_at.get(key)
    return {
        "consumer": {
            "name": row.consumer.name,
            "version": (
                _version(request, row, row.consumer_version, row.consumer_branches, extras, linked=True)
                if row.consumer_version
                else None
            ),
            "_links": {"self": {"href": pacticipant_url(request, row.consumer.name)}},
        },
        "provider": {
            "name": row.provider.name,
            "version": (
                _version(request, row, provider_version, row.provider_branches, extras, linked=False)
                if provider_version
                else None
            ),
            "_links": {"self": {"href": pacticipant_url(request, row.provider.name)}},
        },
        "pact": {
            "createdAt": hal.timestamp(row.pact_created_at),
            "_links": {
                "self": {"href": hal.url(request, *_pact_segments(row), "version", row.consumer_version.number)}
            },
        }
        if row.consumer_version
        else None,
        "pactTags": _tags(request, row.consumer.name, row.consumer_version, extras) if row.consumer_version else [],
        "latestVerificationResult": {
            "success": verification.success,
            "verifiedAt": hal.timestamp(verification.created_at),
            "_links": {
                "self": {
                    # by the consumer version's number, as the broker links it
                    "href": hal.url(
                        request,
                        *_pact_segments(row),
                        *(
                            ["version", row.consumer_version.number]
                            if row.consumer_version
                            else ["pact-version", row.pact_sha]
                        ),
                        "verification-results",
                        "latest",
                    )
                }
            },
        }
        if verification
        else None,
        "latestVerificationResultTags": (
            _tags(request, row.provider.name, provider_version, extras) if provider_version else []
        ),
        "verificationStatus": row.status,
        "webhookStatus": extras.webhook_status.get(key, "none"),
        "latestWebhookExecution": {"triggeredAt": hal.timestamp(triggered_at)} if triggered_at else None,
        "_links": {
            "pb:webhook-status": {
                "title": f"Status of webhooks for {row.consumer.name}/{row.provider.name} pact",
                "href": hal.url(request, *_pact_segments(row), "webhooks", "status"),
            },
        },
    }
