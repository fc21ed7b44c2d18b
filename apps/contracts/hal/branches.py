"""HAL bodies of branches, branch versions and tags."""

from apps.contracts.hal.urls import (
    branch_url,
    branch_version_url,
    pacticipant_url,
    request_url,
    tag_url,
    version_url,
)
from apps.contracts.hal.versions import timestamps
from apps.core.hal import timestamp


def branch_body(request, pacticipant_name: str, branch) -> dict:
    href = branch_url(request, pacticipant_name, branch.name)
    # A branch always shows updatedAt, as the broker's BranchDecorator does.
    return {
        "name": branch.name,
        "createdAt": timestamp(branch.created_at),
        "updatedAt": timestamp(getattr(branch, "updated_at", None) or branch.created_at),
        "_links": {
            "self": {"title": "Branch", "href": href},
            "pb:latest-version": {"title": "Latest version for branch", "href": f"{href}/latest-version"},
        },
    }


def branches_collection_body(request, pacticipant_name: str, branches, *, page_body: dict) -> dict:
    links = {
        "self": {"title": f"{pacticipant_name} branches", "href": request_url(request)},
        "pb:branches": [
            {"name": branch.name, "href": branch_url(request, pacticipant_name, branch.name)} for branch in branches
        ],
        **page_body["links"],
    }
    return {
        "_embedded": {"branches": [branch_body(request, pacticipant_name, branch) for branch in branches]},
        "page": page_body["page"],
        "_links": links,
    }


def branch_version_body(request, branch_version) -> dict:
    pacticipant_name = branch_version.pacticipant.name
    number = branch_version.version.number
    return {
        **timestamps(branch_version),
        "_links": {
            "self": {
                "title": "Branch version",
                "href": branch_version_url(request, pacticipant_name, branch_version.branch_name, number),
            },
            "pb:branch": {
                "title": "Branch",
                "name": branch_version.branch_name,
                "href": branch_url(request, pacticipant_name, branch_version.branch_name),
            },
            "pb:version": {"title": "Version", "name": number, "href": version_url(request, pacticipant_name, number)},
        },
    }


def tag_body(request, tag) -> dict:
    pacticipant_name = tag.version.pacticipant.name
    number = tag.version.number
    return {
        "name": tag.name,
        **timestamps(tag),
        "_links": {
            "self": {"title": "Tag", "name": tag.name, "href": tag_url(request, pacticipant_name, number, tag.name)},
            "version": {"title": "Version", "name": number, "href": version_url(request, pacticipant_name, number)},
            "pacticipant": {
                "title": "Pacticipant",
                "name": pacticipant_name,
                "href": pacticipant_url(request, pacticipant_name),
            },
        },
    }
