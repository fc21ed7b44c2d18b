"""The import, phase by phase, resumable and idempotent (docs/migrating.md).

Phases, in an order where everything a write needs exists already:
1. environments;
2. pacticipants (attributes, labels);
3. versions of every pacticipant, oldest first (their order here is their creation order, as on
   the source), with branches and tags, and the deployments and releases of each version (the
   `pb:record-deployment`/`pb:record-release` links of a version list its history per environment);
4. pacts of every consumer version, oldest first, with the verification results of their content
   (the matrix of the consumer version names them; each is then read in full), after all versions
   so that every provider version already exists with its creation time;
5. webhooks, disabled, with what must be re-entered;
6. the check (`verify.py`).

Memory stays bounded: one page of versions (100) is held at a time, with its pacts and results.
Reads run on a small thread pool; writes stay on this thread, one transaction per version.
The run's checkpoint (phase, pacticipant, pages done) is saved after every page, so an interrupted
run continues where it stopped; a new run skips what exists (a delta before a cut-over).
"""

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from django.db import connection, transaction
from django.utils import timezone

from apps.contracts.models import BranchVersion, LatestPactPublication, Pacticipant, PactVersion, Tag, Version
from apps.core.errors import BrokerError
from apps.environments.models import Environment

from . import records, verify
from .models import ImportedVerification, ImportRun
from .source import Source, SourceError, href, links, path_segment_after

PHASES = ["environments", "pacticipants", "versions", "pacts", "webhooks", "verify"]
COUNTED = ["environments", "pacticipants", "versions", "pacts", "verifications", "deployments", "releases", "webhooks"]


class Cancelled(Exception):
    pass


class Importer:
    def __init__(
        self,
        source: Source,
        run: ImportRun,
        *,
        workers: int = 8,
        on_progress: Callable | None = None,
        deployment_history: str = "all",
    ):
        self.source = source
        # "all": every version's deployments and releases per environment (two reads per version and
        # environment); "current": only what is deployed or released now, from each environment's
        # currently-deployed and currently-supported lists (two reads per environment), much faster
        # on a big broker.
        self.deployment_history = deployment_history
        self._placements: dict[tuple, list] | None = None  # --deployment-history current, read once
        self.run = run
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="broker-import")
        self.on_progress = on_progress or (lambda importer: None)
        self.counts = {key: int(run.counts.get(key, 0)) for key in COUNTED}
        self.seen = {key: 0 for key in COUNTED}  # on the source, this run (for the check)
        self.totals = dict(run.totals)
        # Versions handled in phases 3 and 4 (the progress bar's unit; a resumed run starts from its count).
        self.units_done = int(run.totals.get("units_done") or 0) if run.checkpoint else 0
        self.started = time.monotonic()
        self.environments: dict[str, Environment] = {}
        self.index: dict = {}

    # --- plumbing ------------------------------------------------------------------------------

    def fetch(self, urls: list[str], *, missing_ok: bool = False) -> list:
        return list(self.pool.map(lambda url: self.source.get(url, missing_ok=missing_ok), urls))

    def save(self, **fields) -> None:
        fields.setdefault("counts", self.counts)
        fields.setdefault("totals", {**self.totals, "units_done": self.units_done})
        for name, value in fields.items():
            setattr(self.run, name, value)
        ImportRun.objects.filter(pk=self.run.pk).update(updated_at=timezone.now(), **fields)
        if ImportRun.objects.filter(pk=self.run.pk, cancel_requested=True).exists():
            raise Cancelled()
        self.on_progress(self)

    def count(self, key: str, created: bool = True) -> None:
        self.seen[key] += 1
        if created:
            self.counts[key] += 1

    def eta_seconds(self) -> float | None:
        total = 2 * int(self.totals.get("versions") or 0)
        if not self.units_done or not total:
            return None
        rate = self.units_done / max(0.001, time.monotonic() - self.started)
        return max(0.0, (total - self.units_done) / rate)

    # --- the run -------------------------------------------------------------------------------

    def execute(self) -> dict:
        checkpoint = dict(self.run.checkpoint or {})
        start = PHASES.index(checkpoint["phase"]) if checkpoint.get("phase") in PHASES else 0
        self.index = self.source.index()
        self.save(status=ImportRun.Status.RUNNING, error="")
        try:
            for phase in PHASES[start:]:
                resume = checkpoint if checkpoint.get("phase") == phase else {}
                self.save(phase=phase, checkpoint={"phase": phase, **{k: v for k, v in resume.items() if k != "phase"}})
                getattr(self, f"phase_{phase}")(resume)
        finally:
            self.pool.shutdown(wait=False, cancel_futures=True)
        return self.run.report

    def phase_environments(self, resume: dict) -> None:
        url = href(self.index, "pb:environments")
        if not url:
            return
        for body in (self.source.get(url) or {}).get("_embedded", {}).get("environments") or []:
            self.count("environments", records.environment_import(body))
        self.save()

    def pacticipant_names(self) -> list[str]:
        return list(Pacticipant.objects.order_by("name").values_list("name", flat=True))

    def phase_pacticipants(self, resume: dict) -> None:
        url = href(self.index, "pb:pacticipants")
        versions_urls = []
        with transaction.atomic():
            for body in self.source.all_pages(url, "pacticipants"):
                self.count("pacticipants", records.pacticipant_import(body))
                versions_url = href(body, "pb:versions")
                if versions_url:
                    versions_urls.append(versions_url)
        self.totals["versions"] = sum(self.pool.map(self.source.total, versions_urls))
        self.totals["pacticipants"] = self.seen["pacticipants"]
        self.save()

    def _environments_load(self) -> None:
        self.environments = {e.uuid: e for e in Environment.objects.all()}
        self.environments_by_name = {e.name: e for e in self.environments.values()}

    def _pacticipant_pages(self, phase: str, resume: dict):
        """(pacticipant, page index from oldest, versions oldest first) for every pacticipant from
        the checkpoint on. The next page is read while this one is written (no database work on the
        reading thread: it would not be in this organisation's schema)."""
        names = [
            name
            for name in self.pacticipant_names()
            if resume.get("pacticipant") is None or name >= resume["pacticipant"]
        ]
        pacticipants = {}
        for name, from_oldest, items in _prefetched(self._source_pages(names, resume)):
            if name not in pacticipants:
                pacticipants = {name: Pacticipant.objects.get(name=name)}
            yield pacticipants[name], from_oldest, items

    def _source_pages(self, names: list[str], resume: dict):
        for name in names:
            start = int(resume.get("page", 0)) if name == resume.get("pacticipant") else 0
            body = self.source.get(self.source.url("pacticipants", name), missing_ok=True)
            url = href(body, "pb:versions") if body else None
            if not url:  # here but not on the source (this organisation's own)
                continue
            for from_oldest, items in self.source.pages_oldest_first(url, "versions", start_page_from_oldest=start):
                yield name, from_oldest, items

    def _page_done(self, phase: str, pacticipant: Pacticipant, from_oldest: int, items: list) -> None:
        """Inside the page's transaction: the checkpoint is committed with what the page wrote."""
        self.units_done += len(items)
        self.save(checkpoint={"phase": phase, "pacticipant": pacticipant.name, "page": from_oldest + 1})

    def _existing_details(self, pacticipant: Pacticipant, numbers: list[str]) -> dict:
        versions = {v.number: v for v in Version.objects.filter(pacticipant=pacticipant, number__in=numbers)}
        details = {number: {"version": v, "branches": set(), "tags": set()} for number, v in versions.items()}
        by_id = {v.pk: details[number] for number, v in versions.items()}
        for version_id, name in BranchVersion.objects.filter(version_id__in=by_id).values_list(
            "version_id", "branch_name"
        ):
            by_id[version_id]["branches"].add(name)
        for version_id, name in Tag.objects.filter(version_id__in=by_id).values_list("version_id", "name"):
            by_id[version_id]["tags"].add(name)
        return details

    def phase_versions(self, resume: dict) -> None:
        self._environments_load()
        for pacticipant, from_oldest, items in self._pacticipant_pages("versions", resume):
            with transaction.atomic():  # one commit per page, with its checkpoint
                self._versions_page(pacticipant, items)
                self._page_done("versions", pacticipant, from_oldest, items)

    def _versions_page(self, pacticipant: Pacticipant, items: list[dict]) -> None:
        existing = self._existing_details(pacticipant, [item["number"] for item in items])
        if self.deployment_history == "all":
            history = self._version_histories(items)
        else:
            placed = self._current_placements()
            history = {item["number"]: placed.get((pacticipant.name, item["number"]), []) for item in items}
        for item in items:
            known = existing.get(item["number"])
            written = records.version_import(pacticipant, item, known)
            self.count("versions", written.created)
            for _, kind, uuid, entry in sorted(history.get(item["number"], []), key=lambda h: h[0]):
                if kind == "deployedVersions":
                    outcome = records.deployment_import(written.version, self.environments[uuid], entry)
                    self.count("deployments", outcome == "created")
                else:
                    outcome = records.release_import(written.version, self.environments[uuid], entry)
                    self.count("releases", outcome == "created")

    def _version_histories(self, items: list[dict]) -> dict[str, list]:
        """The whole deployment and release history of each version, per environment: two reads per
        version and environment (`--deployment-history all`)."""
        probes = []
        rels = (("pb:record-deployment", "deployedVersions"), ("pb:record-release", "releasedVersions"))
        for item in items:
            for rel, kind in rels:
                found = links(item, rel)
                if not found:
                    # A broker whose version lists carry no such links: the documented path per environment.
                    segment = "deployed-versions" if kind == "deployedVersions" else "released-versions"
                    base = href(item, "self")
                    found = [{"href": f"{base}/{segment}/environment/{uuid}"} for uuid in self.environments]
                for link in found:
                    uuid = path_segment_after(link["href"], "environment")
                    if uuid in self.environments:
                        probes.append((item["number"], kind, uuid, link["href"]))
        answers = self.fetch([probe[3] for probe in probes], missing_ok=True)
        history: dict[str, list] = {}
        for (number, kind, uuid, _), answer in zip(probes, answers, strict=True):
            for entry in ((answer or {}).get("_embedded") or {}).get(kind) or []:
                history.setdefault(number, []).append((entry.get("createdAt") or "", kind, uuid, entry))
        return history

    def _current_placements(self) -> dict[tuple, list]:
        """What is deployed and released now, by (pacticipant, version number): two reads per
        environment for the whole import (`--deployment-history current`), read once."""
        if self._placements is None:
            self._placements = {}
            lists = [
                (uuid, kind, self.source.url("environments", uuid, segment, current))
                for uuid in self.environments
                for kind, segment, current in (
                    ("deployedVersions", "deployed-versions", "currently-deployed"),
                    ("releasedVersions", "released-versions", "currently-supported"),
                )
            ]
            answers = self.fetch([url for _, _, url in lists], missing_ok=True)
            for (uuid, kind, _), answer in zip(lists, answers, strict=True):
                for entry in ((answer or {}).get("_embedded") or {}).get(kind) or []:
                    embedded = entry.get("_embedded") or {}
                    key = (
                        (embedded.get("pacticipant") or {}).get("name"),
                        (embedded.get("version") or {}).get("number"),
                    )
                    self._placements.setdefault(key, []).append((entry.get("createdAt") or "", kind, uuid, entry))
        return self._placements

    def phase_pacts(self, resume: dict) -> None:
        for consumer, from_oldest, items in self._pacticipant_pages("pacts", resume):
            with transaction.atomic():  # one commit per page, with its checkpoint
                self._pacts_page(consumer, items)
                self._page_done("pacts", consumer, from_oldest, items)

    def _pacts_page(self, consumer: Pacticipant, items: list[dict]) -> None:
        with_pacts = [item for item in items if links(item, "pb:pact-versions")]
        if not with_pacts:
            return
        versions = {
            v.number: v
            for v in Version.objects.filter(pacticipant=consumer, number__in=[i["number"] for i in with_pacts])
        }
        for item in with_pacts:
            if item["number"] not in versions:  # published on the source since the versions phase
                versions[item["number"]] = records.version_import(consumer, item).version
        have = set(
            LatestPactPublication.objects.filter(consumer_version__in=list(versions.values())).values_list(
                "consumer_version__number", "provider__name"
            )
        )
        # The latest result per provider of each consumer version: small, and it names the SHA of
        # every verified pact (an unverified one has no result at all, whatever version has it).
        latest = self.fetch([self._matrix_url(consumer.name, item["number"], latestby="cvp") for item in with_pacts])
        pacts_known, _ = self._matrix_read(consumer.name, with_pacts, latest)
        to_fetch = []
        for item in with_pacts:
            for link in links(item, "pb:pact-versions"):
                provider = path_segment_after(link["href"], "provider")
                self.seen["pacts"] += 1
                key = (item["number"], provider)
                if key in have:
                    continue
                # A verified pact's SHA is in its matrix row: content already here is not read again
                # (the source stores content once per SHA, as we do, so it is the same bytes).
                known = pacts_known.get(key)
                written = None
                if known is not None:
                    written = records.pact_import_known(consumer, versions[key[0]], provider, *known)
                if written is None:
                    to_fetch.append((key, link["href"]))
                elif written:
                    self.counts["pacts"] += 1
        bodies = self.fetch([url for _, url in to_fetch])
        for ((number, provider), _), body in zip(to_fetch, bodies, strict=True):
            if body is not None and records.pact_import(consumer, versions[number], provider, body):
                self.counts["pacts"] += 1
        # Every result of a content shows in the matrix of any consumer version and provider that
        # have it: read the full matrix once per content in this run (a later run reads it again,
        # so results published since come over).
        if getattr(self, "_scanned_consumer", None) != consumer.name:
            self._scanned_consumer, self._scanned = consumer.name, set()
        scan = {}
        for key, (sha, _) in pacts_known.items():
            if sha not in self._scanned:
                scan.setdefault(sha, key)
        self._scanned |= set(scan)
        items_by_number = {item["number"]: item for item in with_pacts}
        scanned = [(items_by_number[number], provider) for number, provider in scan.values()]
        full = self.fetch(
            [self._matrix_url(consumer.name, item["number"], provider=provider) for item, provider in scanned]
        )
        _, verifications = self._matrix_read(consumer.name, [item for item, _ in scanned], full)
        self._verifications_import(consumer.name, verifications)

    def _matrix_url(self, consumer: str, number: str, *, latestby: str | None = None, provider: str | None = None):
        query = f"q[][pacticipant]={quote(consumer, safe='')}&q[][version]={quote(number, safe='')}"
        if provider:
            query += f"&q[][pacticipant]={quote(provider, safe='')}"
        if latestby:
            query += f"&latestby={latestby}"
        return self.source.url("matrix", query=query + "&limit=1000")

    def _matrix_read(self, consumer: str, items: list[dict], matrices: list) -> tuple[dict, dict]:
        """From the matrix of each consumer version: {(number, provider): (sha, pact createdAt)} of
        its verified pacts, and {(sha, verification number): (provider, url, verifiedAt)}."""
        pacts, verifications = {}, {}
        for item, matrix in zip(items, matrices, strict=True):
            for row in (matrix or {}).get("matrix") or []:
                result = row.get("verificationResult")
                if not result or (row.get("consumer") or {}).get("name") != consumer:
                    continue
                if ((row["consumer"].get("version") or {}).get("number")) != item["number"]:
                    continue
                url = href(result, "self") or ""
                sha = path_segment_after(url, "pact-version")
                number = url.rstrip("/").rsplit("/", 1)[-1]
                provider = row["provider"]["name"]
                if sha and number.isdigit():
                    verifications[(sha, int(number))] = (provider, url, result.get("verifiedAt"), item["number"])
                    pacts[(item["number"], provider)] = (sha, (row.get("pact") or {}).get("createdAt"))
        return pacts, verifications

    def _verifications_import(self, consumer: str, found: dict) -> None:
        if not found:
            return
        # A content's results show in the matrix of every consumer version that has it: count each
        # once (keys are per consumer, so the set holds one consumer's at most).
        if getattr(self, "_seen_consumer", None) != consumer:
            self._seen_consumer, self._seen_verifications = consumer, set()
        new_keys = set(found) - self._seen_verifications
        self.seen["verifications"] += len(new_keys)
        self._seen_verifications |= new_keys
        done = set(
            ImportedVerification.objects.filter(
                source_url=self.source.base_url, pact_version_sha__in={sha for sha, _ in found}
            ).values_list("pact_version_sha", "number")
        )
        todo = sorted(key for key in found if key not in done)
        bodies = self.fetch([found[key][1] for key in todo], missing_ok=True)
        for (sha, number), body in zip(todo, bodies, strict=True):
            if body is None:
                continue
            provider, _, verified_at, consumer_version = found[(sha, number)]
            with transaction.atomic():
                records.verification_import(
                    consumer_name=consumer,
                    provider_name=provider,
                    sha=self._sha_here(consumer, provider, sha, consumer_version),
                    body=body,
                    verified_at=records.parse_time(verified_at),
                )
                ImportedVerification.objects.create(
                    source_url=self.source.base_url, pact_version_sha=sha, number=number
                )
            self.counts["verifications"] += 1

    def _sha_here(self, consumer: str, provider: str, sha: str, consumer_version: str) -> str:
        """The SHA of the content here: the source's, unless the source computed it otherwise
        (then the content of the pact the result was for, found by its consumer version)."""
        cache = self.__dict__.setdefault("_sha_cache", {})
        if len(cache) > 10000:
            cache.clear()
        key = (consumer, provider, sha, consumer_version)
        if key not in cache:
            cache[key] = self._sha_lookup(consumer, provider, sha, consumer_version)
        return cache[key]

    def _sha_lookup(self, consumer: str, provider: str, sha: str, consumer_version: str) -> str:
        if PactVersion.objects.filter(consumer__name=consumer, provider__name=provider, sha=sha).exists():
            return sha
        row = (
            LatestPactPublication.objects.filter(
                consumer__name=consumer, provider__name=provider, consumer_version__number=consumer_version
            )
            .values_list("pact_version__sha", flat=True)
            .first()
        )
        return row or sha

    def phase_webhooks(self, resume: dict) -> None:
        url = href(self.index, "pb:webhooks")
        if not url:
            return
        listed = links(self.source.get(url) or {}, "pb:webhooks")
        to_reenter, refused = [], []
        for body in self.fetch([link["href"] for link in listed], missing_ok=True):
            if body is None:
                continue
            result = records.webhook_import(body)
            self.count("webhooks", result.created)
            label = f"{body.get('description') or body['uuid']} ({body['uuid']})"
            if result.to_reenter:
                to_reenter.append({"webhook": label, "uuid": body["uuid"], "fields": result.to_reenter})
            if result.refused:
                refused.append({"webhook": label, "uuid": body["uuid"], "reason": result.refused})
        report = dict(self.run.report)
        report["webhooks_to_reenter"] = report.get("webhooks_to_reenter", []) + to_reenter
        report["webhooks_refused"] = report.get("webhooks_refused", []) + refused
        self.save(report=report)

    def phase_verify(self, resume: dict) -> None:
        differences = verify.compare(self)
        report = dict(self.run.report)
        report["differences"] = differences
        status = ImportRun.Status.DIFFERENCES if differences else ImportRun.Status.SUCCEEDED
        self.save(report=report, status=status, finished_at=timezone.now(), checkpoint={})


def _prefetched(iterator):
    """The items of `iterator`, the next one read on another thread while the caller uses this one."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="broker-import-pages")
    done = object()
    try:
        future = executor.submit(next, iterator, done)
        while (item := future.result()) is not done:
            future = executor.submit(next, iterator, done)
            yield item
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def run_import(
    run: ImportRun,
    *,
    token: str | None = None,
    username: str | None = None,
    password: str | None = None,
    allow_private: bool = True,
    workers: int = 8,
    on_progress: Callable | None = None,
    deployment_history: str = "all",
) -> ImportRun:
    """Run (or continue) an import in the current organisation's schema; the run records the outcome."""
    assert connection.schema_name != "public", "an import runs inside an organisation's schema"
    importer = None
    try:
        source = Source(run.source_url, token=token, username=username, password=password, allow_private=allow_private)
        importer = Importer(
            source, run, workers=workers, on_progress=on_progress, deployment_history=deployment_history
        )
        importer.execute()
    except Cancelled:
        ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.CANCELLED, finished_at=timezone.now())
    except SourceError as exc:
        ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED, error=str(exc))
    except BrokerError as exc:  # refused here: the plan's limits, most likely
        body = exc.body if isinstance(exc.body, dict) else {}
        message = body.get("error") or json.dumps(body.get("errors") or body) or str(exc)
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED, error=f"This organisation refused part of the import: {message}"[:2000]
        )
    except Exception as exc:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    finally:
        run.refresh_from_db()
    return run
