"""Bodies and URLs of provider contracts and cross-contract verification results (PactFlow's shapes)."""

import base64

from apps.contracts.hal.urls import pacticipant_url, version_url
from apps.core import hal


def provider_contract_url(request, provider: str, version: str) -> str:
    return hal.url(request, "contracts", "provider", provider, "version", version)


def provider_contract_ui_url(request, provider: str, version: str) -> str:
    return hal.url(request, "ui", "provider-contracts", "provider", provider, "version", version)


def cross_contract_results_url(request, provider: str, provider_version: str, consumer: str, sha: str) -> str:
    return hal.url(
        request,
        "contracts",
        "provider",
        provider,
        "version",
        provider_version,
        "consumer",
        consumer,
        "pact-version",
        sha,
        "verification-results",
    )


def _b64(text: str | None) -> str | None:
    return None if text is None else base64.b64encode(text.encode()).decode()


def self_verification_body(publication) -> dict:
    return {
        "success": publication.self_verification_success,
        "content": _b64(publication.self_verification_content),
        "contentType": publication.self_verification_content_type,
        "format": publication.self_verification_format,
        "verifier": publication.verifier,
        "verifierVersion": publication.verifier_version,
    }


def provider_contract_body(request, publication, *, with_content: bool = True) -> dict:
    provider, number = publication.provider.name, publication.provider_version.number
    contract = publication.contract_version
    body = {
        "providerName": provider,
        "providerVersionNumber": number,
        "specification": contract.specification,
        "contentType": contract.content_type,
        "sha": contract.sha,
        "createdAt": hal.timestamp(publication.created_at),
        "buildUrl": publication.build_url,
        "selfVerificationResults": self_verification_body(publication)
        if with_content
        else {
            "success": publication.self_verification_success,
            "verifier": publication.verifier,
            "verifierVersion": publication.verifier_version,
        },
    }
    if with_content:
        body["content"] = contract.content
    body["_links"] = {
        "self": hal.link(
            provider_contract_url(request, provider, number),
            title="Provider contract",
            name=f"Provider contract of {provider} version {number}",
        ),
        "pb:pacticipant": hal.link(pacticipant_url(request, provider), title="Pacticipant", name=provider),
        "pb:pacticipant-version": hal.link(
            version_url(request, provider, number), title="Pacticipant version", name=number
        ),
        "pf:ui": hal.link(provider_contract_ui_url(request, provider, number), title="Provider contract page"),
    }
    return body


def cross_contract_results_body(request, found) -> dict:
    """PactFlow's `.../verification-results` of a pact content against a provider version's contract."""
    comparison, publication = found.comparison, found.publication
    mismatches = comparison.results.get("mismatches", [])
    self_success = publication.self_verification_success is True
    cross = {
        "success": comparison.success,
        "results": {
            "errors": [m for m in mismatches if m.get("severity") == "error"],
            "warnings": [m for m in mismatches if m.get("severity") == "warning"],
        },
        "verificationDate": hal.timestamp(comparison.created_at),
        "verifier": comparison.verifier,
        "verifierVersion": comparison.verifier_version,
    }
    if not (comparison.success and self_success):
        cross["failureReason"] = found.reason
    return {
        "summary": {
            "success": comparison.success and self_success,
            "reason": found.reason,
            "source": "cross-contract comparison",
        },
        "crossContractVerificationResults": cross,
        "providerContractVerificationResults": self_verification_body(publication),
        "_links": {
            "self": hal.link(
                cross_contract_results_url(
                    request,
                    publication.provider.name,
                    publication.provider_version.number,
                    found.pact_version.consumer.name,
                    found.pact_version.sha,
                ),
                title="Cross-contract verification results",
            ),
            "pf:provider-contract": hal.link(
                provider_contract_url(request, publication.provider.name, publication.provider_version.number),
                title="Provider contract",
            ),
            "pf:ui": hal.link(
                provider_contract_ui_url(request, publication.provider.name, publication.provider_version.number),
                title="Provider contract page",
            ),
        },
    }
