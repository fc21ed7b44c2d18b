"""The check at the end of an import: the copy must answer as the source does.

1. counts per resource: what the source showed this run against what this organisation holds
   (this organisation may hold more, if it had data of its own before: only "fewer" is a difference);
2. the latest pact of every integration (`pb:latest-pact-versions`): same consumer version and
   the same content SHA;
3. can-i-deploy for the latest version of each application's main branch to each environment:
   the same answer and the same number of successful, failed and unknown rows.
Each difference is one line a person can act on.
"""

from urllib.parse import quote

from apps.contracts.models import LatestPactPublication, Pacticipant, Version
from apps.environments.models import DeployedVersion, Environment, ReleasedVersion
from apps.matrix.service import MatrixQueryInvalid, can_i_deploy
from apps.verifications.models import Verification
from apps.webhooks.models import Webhook

from .source import href, path_segment_after, with_query

OURS = {
    "environments": lambda: Environment.objects.count(),
    "pacticipants": lambda: Pacticipant.objects.count(),
    "versions": lambda: Version.objects.count(),
    "pacts": lambda: LatestPactPublication.objects.count(),
    "verifications": lambda: Verification.objects.count(),
    "deployments": lambda: DeployedVersion.objects.count(),
    "releases": lambda: ReleasedVersion.objects.count(),
    "webhooks": lambda: Webhook.objects.count(),
}


def compare(importer) -> list[str]:
    differences = []
    source = importer.source
    index = importer.index
    source_counts = dict(importer.seen)
    source_counts["versions"] = int(importer.totals.get("versions") or 0)
    for key, ours in OURS.items():
        theirs = source_counts.get(key)
        here = ours()
        if theirs is not None and here < theirs:
            differences.append(f"{key}: {theirs} on the source, {here} here")
    importer.run.report["counts"] = {"source": source_counts, "here": {k: f() for k, f in OURS.items()}}

    latest_url = href(index, "pb:latest-pact-versions")
    listed = (source.get(latest_url) or {}).get("pacts") or [] if latest_url else []
    urls = []
    for entry in listed:
        self_links = (entry.get("_links") or {}).get("self")
        self_links = self_links if isinstance(self_links, list) else [self_links]
        urls.append(self_links[-1]["href"] if self_links and self_links[-1] else None)
    bodies = importer.fetch([u for u in urls if u], missing_ok=True)
    for body in bodies:
        if not body:
            continue
        consumer = (body["_links"].get("pb:consumer") or {}).get("name")
        provider = (body["_links"].get("pb:provider") or {}).get("name")
        number = (body["_links"].get("pb:consumer-version") or {}).get("name")
        sha = path_segment_after(href(body, "pb:pact-version") or "", "pact-version")
        row = (
            LatestPactPublication.objects.filter(consumer__name=consumer, provider__name=provider)
            .select_related("consumer_version", "pact_version")
            .order_by("-consumer_version_order")
            .first()
        )
        if row is None:
            differences.append(f"latest pact {consumer} → {provider}: missing here (source: version {number})")
        elif row.consumer_version.number != number or row.pact_version.sha != sha:
            differences.append(
                f"latest pact {consumer} → {provider}: source has version {number} ({sha}), "
                f"here {row.consumer_version.number} ({row.pact_version.sha})"
            )

    environments = list(Environment.objects.order_by("name").values_list("name", flat=True))
    for pacticipant in Pacticipant.objects.exclude(main_branch__isnull=True).order_by("name"):
        head = source.get(
            source.url("pacticipants", pacticipant.name, "branches", pacticipant.main_branch, "latest-version"),
            missing_ok=True,
        )
        if not head:
            continue
        number = head["number"]
        for environment in environments:
            query = f"pacticipant={_q(pacticipant.name)}&version={_q(number)}&environment={_q(environment)}"
            theirs = source.get(with_query(source.url("can-i-deploy"), query), missing_ok=True)
            if theirs is None:
                continue
            try:
                ours = can_i_deploy(pacticipant=pacticipant.name, version=number, environment=environment).summary
                here = {"deployable": ours.deployable, **ours.counts}
            except MatrixQueryInvalid as exc:
                here = {"deployable": None, "errors": exc.errors}
            summary = theirs.get("summary") or {}
            compared = ("deployable", "success", "failed", "unknown")
            if any(summary.get(key) != here.get(key) for key in compared):
                differences.append(
                    f"can-i-deploy {pacticipant.name} {number} to {environment}: source "
                    f"{ {k: summary.get(k) for k in compared} }, here { {k: here.get(k) for k in compared} }"
                )
    return differences


def _q(value: str) -> str:
    return quote(value, safe="")
