"""Absolute URLs of the broker's pacticipant, version, branch, tag and label resources.

Segments are percent-encoded one by one (a branch "feat/x" becomes "feat%2Fx"), as the broker does.
"""

from apps.contracts.metadata import metadata_encode
from apps.core.hal import url


def pacticipant_url(request, name: str) -> str:
    return url(request, "pacticipants", name)


def versions_url(request, pacticipant_name: str) -> str:
    return url(request, "pacticipants", pacticipant_name, "versions")


def version_url(request, pacticipant_name: str, number: str) -> str:
    return url(request, "pacticipants", pacticipant_name, "versions", number)


def tag_url(request, pacticipant_name: str, number: str, tag_name: str) -> str:
    return url(request, "pacticipants", pacticipant_name, "versions", number, "tags", tag_name)


def branches_url(request, pacticipant_name: str) -> str:
    return url(request, "pacticipants", pacticipant_name, "branches")


def branch_url(request, pacticipant_name: str, branch_name: str) -> str:
    return url(request, "pacticipants", pacticipant_name, "branches", branch_name)


def branch_version_url(request, pacticipant_name: str, branch_name: str, number: str) -> str:
    return url(request, "pacticipants", pacticipant_name, "branches", branch_name, "versions", number)


def label_url(request, pacticipant_name: str, label_name: str) -> str:
    return url(request, "pacticipants", pacticipant_name, "labels", label_name)


def pact_url(request, provider_name: str, consumer_name: str, number: str) -> str:
    return url(request, "pacts", "provider", provider_name, "consumer", consumer_name, "version", number)


def pact_version_url(request, consumer_name: str, provider_name: str, sha: str, metadata: dict | None = None) -> str:
    """The content permalink, with the `/metadata/{m}` segment when the URL was handed out for
    particular consumer versions (pacts for verification, webhooks, the pact's own links).
    `request` may be a base URL string (apps.core.hal.url)."""
    href = url(request, "pacts", "provider", provider_name, "consumer", consumer_name, "pact-version", sha)
    return f"{href}/metadata/{metadata_encode(metadata)}" if metadata else href


def verification_url(
    request, consumer_name: str, provider_name: str, sha: str, number, metadata: dict | None = None
) -> str:
    return f"{pact_version_url(request, consumer_name, provider_name, sha, metadata)}/verification-results/{number}"


def curies(request, context: str) -> list[dict]:
    return [{"name": "pb", "href": f"{url(request)}/doc/{{rel}}?context={context}", "templated": True}]


def resource_url(request) -> str:
    """The URL of the requested resource without its query (base of next/previous page links)."""
    return url(request) + request.get_full_path().split("?", 1)[0]


def request_url(request) -> str:
    """The requested URL including its query, as the broker echoes in collection self links."""
    return url(request) + request.get_full_path()
