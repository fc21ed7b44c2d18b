"""Matrix bodies: HAL+JSON (rows, summary, notices) and the text/plain table, in the broker's shapes.

Matrix bodies are hand-built in the broker, so absent values are JSON null (not omitted).
"""

from datetime import datetime

from apps.contracts.hal import urls as contract_urls
from apps.core.hal import encode, link, timestamp, url
from apps.matrix.rows import Row
from apps.matrix.service import MatrixResult


def _timestamp(value) -> str | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return timestamp(value)


def pact_url(request, row: Row) -> str:
    return url(
        request,
        "pacts",
        "provider",
        row.provider_name,
        "consumer",
        row.consumer_name,
        "version",
        row.consumer_version_number,
    )


def verification_url(request, row: Row) -> str:
    if row.cross_contract is not None:  # PactFlow links a comparison result to its cross-contract resource
        return url(
            request,
            "contracts",
            "provider",
            row.provider_name,
            "version",
            row.provider_version_number,
            "consumer",
            row.consumer_name,
            "pact-version",
            row.pact_version_sha,
            "verification-results",
        )
    # The broker links a verification through its pact content with the consumer version in metadata.
    return contract_urls.verification_url(
        request,
        row.consumer_name,
        row.provider_name,
        row.pact_version_sha,
        row.verification_number,
        {"cvn": row.consumer_version_number},
    )


def _branch_versions(request, pacticipant: str, number: str, branches: list) -> list:
    # `branches` and `branchVersions` are the same list in the broker's rows: branch versions
    return [
        {
            "name": b["name"],
            "latest": b["latest"],
            "_links": {
                "self": {
                    "title": "Branch version",
                    "name": b["name"],
                    "href": url(request, "pacticipants", pacticipant, "branches", b["name"], "versions", number),
                }
            },
        }
        for b in branches
    ]


def _version(request, pacticipant: str, number: str, tags: list, branches: list, environments: list) -> dict:
    version_href = url(request, "pacticipants", pacticipant, "versions", number)
    return {
        "number": number,
        "branch": branches[-1]["name"] if branches else None,
        "branches": _branch_versions(request, pacticipant, number, branches),
        "branchVersions": _branch_versions(request, pacticipant, number, branches),
        "environments": [
            {
                "uuid": e["uuid"],
                "name": e["name"],
                "displayName": e["displayName"],
                "production": e["production"],
                "createdAt": _timestamp(e["createdAt"]),
                "_links": {
                    "self": {"title": "Environment", "name": e["name"], "href": url(request, "environments", e["uuid"])}
                },
            }
            for e in environments
        ],
        "tags": [
            {
                "name": t["name"],
                "latest": t["latest"],
                "_links": {"self": link(f"{version_href}/tags/{encode(t['name'])}")},
            }
            for t in tags
        ],
        "_links": {"self": link(version_href)},
    }


def row_body(request, row: Row) -> dict:
    body = {
        "consumer": {
            "name": row.consumer_name,
            "version": _version(
                request,
                row.consumer_name,
                row.consumer_version_number,
                row.consumer_version_tags,
                row.consumer_version_branches,
                row.consumer_version_environments,
            ),
            "_links": {"self": link(url(request, "pacticipants", row.consumer_name))},
        },
        "provider": {
            "name": row.provider_name,
            "version": None
            if row.provider_version_number is None
            else _version(
                request,
                row.provider_name,
                row.provider_version_number,
                row.provider_version_tags or [],
                row.provider_version_branches or [],
                row.provider_version_environments or [],
            ),
            "_links": {"self": link(url(request, "pacticipants", row.provider_name))},
        },
        "pact": {
            "createdAt": timestamp(row.pact_created_at),
            "_links": {"self": link(pact_url(request, row))},
        },
        "verificationResult": None
        if row.verification_id is None
        else {
            "success": row.success,
            "verifiedAt": timestamp(row.verified_at),
            "_links": {"self": link(verification_url(request, row))},
        },
    }
    if row.ignored:
        body["ignored"] = True
    return body


def matrix_body(request, result: MatrixResult) -> dict:
    return {
        "summary": result.summary.as_dict(),
        "notices": result.summary.notices(),
        "matrix": [row_body(request, row) for row in result.rows],
    }


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def matrix_text(result: MatrixResult) -> str:
    """The broker's text/plain matrix: a table, then `Deployable:` (Ruby inspect) and `Reason:`."""
    headers = ["CONSUMER", "C_VERSION", "REVISION", "PROVIDER", "P_VERSION", "NUMBER", "SUCCESS"]
    lines = [
        [
            _cell(v)
            for v in (
                r.consumer_name,
                r.consumer_version_number,
                r.pact_revision_number,
                r.provider_name,
                r.provider_version_number,
                r.verification_number,
                r.success,
            )
        ]
        for r in result.rows
    ]
    if lines:
        widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
        table = "\n".join(
            [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)), "-|-".join("-" * w for w in widths)]
            + [" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
        )
    else:
        table = "No data."
    deployable = {True: "true", False: "false", None: "nil"}[result.summary.deployable]
    return f"{table}\n\nDeployable: {deployable}\nReason: {result.summary.reason}\n"
