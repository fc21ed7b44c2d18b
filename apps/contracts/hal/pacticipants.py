"""HAL bodies of pacticipants and labels (the broker's PacticipantDecorator, LabelDecorator, ...).

Bodies read `pacticipant.label_list` and `pacticipant.latest_version` attached by the queries, so a
list costs the same number of queries whatever its length.
"""

from apps.contracts.hal.urls import curies, label_url, pacticipant_url
from apps.contracts.hal.versions import embedded_version_body, timestamps
from apps.core.hal import encode as encode_segment
from apps.core.hal import omit_none, template_url, url

DEPRECATED_LATEST_VERSION = "DEPRECATED - please use latestVersion"
DEPRECATED_LIST_ITEM = "DEPRECATED - Please use the embedded pacticipants collection"


def embedded_label_body(request, pacticipant_name: str, label_name: str) -> dict:
    href = label_url(request, pacticipant_name, label_name)
    return {"name": label_name, "_links": {"self": {"title": "Label", "name": label_name, "href": href}}}


def pacticipant_body(request, pacticipant) -> dict:
    name = pacticipant.name
    href = pacticipant_url(request, name)
    template_base = template_url(request, f"/pacticipants/{encode_segment(name)}")
    body = omit_none(
        {
            "name": name,
            "displayName": pacticipant.display_name,
            "repositoryUrl": pacticipant.repository_url,
            "repositoryName": pacticipant.repository_name,
            "repositoryNamespace": pacticipant.repository_namespace,
            "mainBranch": pacticipant.main_branch,
            **timestamps(pacticipant),
        }
    )
    embedded = {}
    if pacticipant.latest_version is not None:
        embedded["latestVersion"] = embedded_version_body(request, pacticipant.latest_version)
        # The broker still renders the old dasherized copy, marked deprecated in its title and name.
        embedded["latest-version"] = {
            **embedded_version_body(request, pacticipant.latest_version),
            "title": DEPRECATED_LATEST_VERSION,
            "name": DEPRECATED_LATEST_VERSION,
        }
    embedded["labels"] = [embedded_label_body(request, name, label.name) for label in pacticipant.label_list]
    body["_embedded"] = embedded
    body["_links"] = {
        "self": {"href": href},
        "pb:versions": {"href": f"{href}/versions"},
        "pb:version": {
            "title": "Get, create or delete a pacticipant version",
            "href": f"{template_base}/versions/{{version}}",
            "templated": True,
        },
        "pb:version-tag": {
            "title": f"Get, create or delete a tag for a version of {name}",
            "href": f"{template_base}/versions/{{version}}/tags/{{tag}}",
            "templated": True,
        },
        "pb:branch-version": {
            "title": f"Get or add/create a version for a branch of {name}",
            "href": f"{template_base}/branches/{{branch}}/versions/{{version}}",
            "templated": True,
        },
        "pb:label": {
            "title": f"Get, create or delete a label for {name}",
            "href": f"{template_base}/labels/{{label}}",
            "templated": True,
        },
        "versions": {"title": "Deprecated - use pb:versions", "href": f"{href}/versions"},
        "pb:branches": {"href": f"{href}/branches"},
        "pb:can-i-deploy-badge": {
            "title": f"Can I Deploy {name} badge",
            "href": f"{template_base}/latest-version/{{tag}}/can-i-deploy/to/{{environmentTag}}/badge",
            "templated": True,
        },
        "pb:can-i-deploy-branch-to-environment-badge": {
            "title": f"Can I Deploy {name} from branch to environment badge",
            "href": f"{template_base}/branches/{{branch}}/latest-version/can-i-deploy/to-environment/"
            f"{{environment}}/badge",
            "templated": True,
        },
        "curies": curies(request, "pacticipant"),
    }
    return body


def pacticipants_collection_body(
    request, pacticipants, *, page_body: dict | None = None, with_deprecated_copy: bool = True
) -> dict:
    """`GET /pacticipants` (with the deprecated non-embedded copy) and `/pacticipants/label/{label}`."""
    items = [pacticipant_body(request, pacticipant) for pacticipant in pacticipants]
    body = {"_embedded": {"pacticipants": items}}
    if with_deprecated_copy:
        # Kept for broker compatibility: a second, non-embedded copy of every item, titled as deprecated.
        body["pacticipants"] = [{**item, "title": DEPRECATED_LIST_ITEM} for item in items]
    links = {
        # `/pacticipants` for the label-scoped list too, as the broker links it
        "self": {"href": url(request, "pacticipants")},
        "pb:pacticipants-with-label": {
            "title": "Find pacticipants by label",
            "href": template_url(request, "/pacticipants/label/{label}"),
            "templated": True,
        },
        "pb:pacticipants": [
            {"href": item["_links"]["self"]["href"], "title": "Pacticipant", "name": item["name"]} for item in items
        ],
        "pacticipants": [
            {
                "href": item["_links"]["self"]["href"],
                "title": item["name"],
                "name": "DEPRECATED - please use pb:pacticipants",
            }
            for item in items
        ],
    }
    if page_body:
        body["page"] = page_body["page"]
        links.update(page_body["links"])
    body["_links"] = links
    return body


def label_body(request, label) -> dict:
    pacticipant_name = label.pacticipant.name
    return {
        "name": label.name,
        **timestamps(label),
        "_links": {
            "self": {"title": "Label", "name": label.name, "href": label_url(request, pacticipant_name, label.name)},
            "pacticipant": {
                "title": "Pacticipant",
                "name": pacticipant_name,
                "href": pacticipant_url(request, pacticipant_name),
            },
        },
    }


def labels_collection_body(request, names: list[str], *, page_body: dict | None = None) -> dict:
    """`GET /labels`: the distinct label names; the broker hides the per-label links here."""
    body = {"_embedded": {"labels": [{"name": name} for name in names]}}
    links = {"self": {"title": "Labels", "href": url(request, "labels")}}
    if page_body:
        body["page"] = page_body["page"]
        links.update(page_body["links"])
    body["_links"] = links
    return body
