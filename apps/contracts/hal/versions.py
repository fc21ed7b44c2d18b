"""HAL bodies of versions, as the broker's VersionDecorator and VersionsDecorator render them.

The bodies read details attached by `queries.version_details_attach` (tags, branch versions, pacts),
so rendering a list of versions costs no query per version.
"""

from datetime import timedelta

from apps.contracts import hooks
from apps.contracts.hal.urls import (
    branch_version_url,
    curies,
    pact_url,
    pacticipant_url,
    request_url,
    tag_url,
    version_url,
)
from apps.core.hal import omit_none, timestamp, url

# Creating a row stamps createdAt and updatedAt with two readings of the clock microseconds apart;
# any later update is a later request.
SAME_MOMENT = timedelta(milliseconds=1)


def timestamps(row) -> dict:
    """createdAt, and updatedAt once the row has been updated (the broker's Timestamps module, which
    compares the exact times: an update in the same second as the creation still shows)."""
    body = {"createdAt": timestamp(row.created_at)}
    updated_at = getattr(row, "updated_at", None)
    if updated_at is not None and abs(updated_at - row.created_at) >= SAME_MOMENT:
        body["updatedAt"] = timestamp(updated_at)
    return body


def embedded_version_body(request, version) -> dict:
    """The short version embedded in a pacticipant (latestVersion)."""
    href = version_url(request, version.pacticipant.name, version.number)
    return {"number": version.number, "_links": {"self": {"title": "Version", "name": version.number, "href": href}}}


def embedded_branch_version_body(request, pacticipant_name: str, branch_version) -> dict:
    href = branch_version_url(request, pacticipant_name, branch_version.branch_name, branch_version.version_number)
    return {
        "name": branch_version.branch_name,
        "latest": branch_version.is_head,
        "_links": {"self": {"title": "Branch version", "name": branch_version.branch_name, "href": href}},
    }


def embedded_tag_body(request, pacticipant_name: str, number: str, tag_name: str) -> dict:
    href = tag_url(request, pacticipant_name, number, tag_name)
    return {"name": tag_name, "_links": {"self": {"title": "Tag", "name": tag_name, "href": href}}}


def version_body(request, version, *, self_href: str | None = None, environment_links: bool = True) -> dict:
    """A version. `self_href` is the URL it was requested at (latest-version, branch head, ...).
    `environment_links`: the deployment and release links, which the broker renders on the version
    resource but not on the versions inside a list."""
    pacticipant_name = version.pacticipant.name
    number = version.number
    href = version_url(request, pacticipant_name, number)
    branch_versions = [
        embedded_branch_version_body(request, pacticipant_name, branch_version)
        for branch_version in version.branch_version_list
    ]
    body = omit_none({"number": number, "buildUrl": version.build_url, **timestamps(version)})
    body["_embedded"] = {
        "branchVersions": branch_versions,
        "tags": [embedded_tag_body(request, pacticipant_name, number, tag.name) for tag in version.tag_list],
    }
    links = {
        "self": {"title": "Version", "name": number, "href": self_href or href},
        "pb:pacticipant": {
            "title": "Pacticipant",
            "name": pacticipant_name,
            "href": pacticipant_url(request, pacticipant_name),
        },
        "pb:tag": {
            "href": href + "/tags/{tag}",
            "title": "Get, create or delete a tag for this pacticipant version",
            "templated": True,
        },
        "pb:latest-verification-results-where-pacticipant-is-consumer": {
            "title": "Latest verification results for consumer version",
            "href": url(request, "verification-results", "consumer", pacticipant_name, "version", number, "latest"),
        },
        "pb:pact-versions": [
            {
                "title": "Pact",
                "name": f"Pact between {pacticipant_name} ({number}) and {provider_name}",
                "href": pact_url(request, provider_name, pacticipant_name, number),
            }
            for provider_name in version.pact_provider_names
        ],
    }
    if environment_links:
        links.update(hooks.version_links(request, version))  # the environments app's links
    links["curies"] = curies(request, "version")
    body["_links"] = links
    return body


def version_and_updated_date(version) -> str:
    return f"Version {version.number} - {version.updated_at.strftime('%d/%m/%Y')}"


def versions_collection_body(
    request,
    pacticipant_name: str,
    versions,
    *,
    title: str | None = None,
    page_body: dict | None = None,
    unnamed_links: bool = False,
) -> dict:
    """A list of versions (pacticipant versions, branch versions, tag versions), newest first.

    `unnamed_links`: the broker's tag versions list renders its own links without the pacticipant's
    name (`/pacticipants/`, a null title, "All application versions of "); kept, clients read them."""
    pacticipant_href = pacticipant_url(request, "" if unnamed_links else pacticipant_name)
    hrefs = [version_url(request, pacticipant_name, version.number) for version in versions]
    pairs = list(zip(versions, hrefs, strict=True))
    body = {
        "_embedded": {
            # In a collection each version's self link is its canonical URL, not the list's.
            "versions": [
                version_body(request, version, self_href=href, environment_links=False) for version, href in pairs
            ]
        }
    }
    links = {
        "self": {
            "href": request_url(request),
            "title": title or f"All application versions of {'' if unnamed_links else pacticipant_name}",
        }
    }
    if page_body:
        body["page"] = page_body["page"]
        links.update(page_body["links"])
    links["pb:pacticipant"] = {"href": pacticipant_href, "title": None if unnamed_links else pacticipant_name}
    links["pb:versions"] = [{"href": href, "title": version_and_updated_date(version)} for version, href in pairs]
    # Deprecated duplicates the broker still renders (kept for old clients).
    links["pacticipant"] = {"href": pacticipant_href, "title": "Deprecated - please use pb:pacticipant"}
    links["versions"] = [{"href": href, "title": "Deprecated - please use pb:versions"} for href in hrefs]
    body["_links"] = links
    return body
