"""The HAL body of a verification result, in the broker's shape."""

from apps.contracts.hal.pacts import pact_name
from apps.contracts.hal.urls import pact_version_url
from apps.contracts.hal.urls import verification_url as _verification_url
from apps.core import hal
from apps.verifications import queries


def verification_url(request, verification) -> str:
    return _verification_url(
        request,
        verification.consumer.name,
        verification.provider.name,
        verification.pact_version.sha,
        verification.number,
    )


def verification_body(request, verification, publication=None) -> dict:
    """The broker's verification decorator (nil properties omitted but `verifiedBy`, no createdAt). The pact is named
    after its newest publication (given, known to a just-recorded verification, or looked up)."""
    number = getattr(verification, "pact_consumer_version_number", None)
    if number is None:
        publication = publication or queries.latest_publication_for_content(verification.pact_version_id)
        number = publication.consumer_version.number if publication else None
    consumer, provider = verification.consumer.name, verification.provider.name
    name = pact_name(consumer, number, provider)
    verified_by = hal.omit_none(
        {"implementation": verification.verified_by_implementation, "version": verification.verified_by_version}
    )
    body = hal.omit_none(
        {
            "providerName": provider,
            "providerApplicationVersion": verification.provider_version.number,
            "success": verification.success,
            "verificationDate": hal.timestamp(verification.execution_date),
            "buildUrl": verification.build_url,
            "testResults": verification.test_results,
        }
    )
    body["verifiedBy"] = verified_by  # `{}` when the verifier did not say, as the broker
    body["_links"] = {
        "self": hal.link(
            verification_url(request, verification),
            title="Verification result",
            name=f"Verification result {verification.number} for {name}",
        ),
        "pb:pact-version": hal.link(
            pact_version_url(
                request, consumer, provider, verification.pact_version.sha, {"cvn": number} if number else None
            ),
            title="Pact",
            name=name,
        ),
        "pb:triggered-webhooks": hal.link(
            verification_url(request, verification) + "/triggered-webhooks",
            title="Webhooks triggered by the publication of this verification result",
        ),
    }
    return body
