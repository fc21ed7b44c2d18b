"""`organisation_import`: an archive from `organisation_export` written into a new, empty organisation.

The archive is first unpacked into a temporary directory, member by member, accepting only the names
an export writes (no paths outside it, no links), and every file is checked against the manifest's
SHA-256 before anything is written. Rows are then written in the archive's resource order, in
batches of BATCH lines, by PostgreSQL itself (`json_populate_recordset`), with the ids they had: the
schema is new, so nothing collides, and the id sequences (and the version order and verification
number sequences) are moved past them afterwards. The caller runs this inside the transaction that
created the organisation, so a refused or failed import leaves nothing behind.

Not in an archive, so not restored: secrets (re-enter them), API tokens (make new ones), user
passwords (people set one with "forgot password" or sign in through SSO), webhook passwords (those
webhooks are imported disabled and listed), SSO settings.
"""

import hashlib
import json
import os
import re
import tarfile
import tempfile

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from apps.portability.archive import BY_NAME, CONTENT_COLUMN, FORMAT, RESOURCES, SEQUENCES, data_path, pact_path

BATCH = 1000
CONTENT_BATCH = 50  # pact versions carry their documents (up to megabytes each)
_MEMBER = re.compile(r"^(manifest\.json|data/[a-z_]+\.jsonl|pacts/[0-9]{1,18}\.json)$")
_MANIFEST_LIMIT = 256 * 1024 * 1024


class ArchiveError(Exception):
    """The archive is refused, with why."""


def _unpack(path: str, into: str) -> dict:
    try:
        archive = tarfile.open(path, mode="r|gz")
    except (OSError, tarfile.TarError) as exc:
        raise ArchiveError(f"{os.path.basename(path)} is not an organisation archive: {exc}") from exc
    with archive:
        try:
            for member in archive:
                if not member.isfile() or not _MEMBER.match(member.name):
                    raise ArchiveError(f"Unexpected entry in the archive: {member.name!r}.")
                target = os.path.join(into, member.name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                source = archive.extractfile(member)
                with open(target, "wb") as handle:
                    while chunk := source.read(1 << 20):
                        handle.write(chunk)
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise ArchiveError(f"The archive is damaged: {exc}") from exc
    manifest_path = os.path.join(into, "manifest.json")
    if not os.path.exists(manifest_path) or os.path.getsize(manifest_path) > _MANIFEST_LIMIT:
        raise ArchiveError("The archive has no manifest.json.")
    try:
        with open(manifest_path, "rb") as handle:
            manifest = json.load(handle)
    except ValueError as exc:
        raise ArchiveError(f"The archive's manifest is not JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(
            f"Unknown archive format {manifest.get('format') if isinstance(manifest, dict) else None!r}; this code reads {FORMAT}."
        )
    return manifest


def _verify(manifest: dict, root: str) -> None:
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise ArchiveError("The archive's manifest lists no files.")
    present = {
        os.path.relpath(os.path.join(directory, name), root) for directory, _, names in os.walk(root) for name in names
    } - {"manifest.json"}
    if present != set(files):
        extra = sorted(present - set(files)) or sorted(set(files) - present)
        raise ArchiveError(f"The archive's files do not match its manifest (e.g. {extra[0]}).")
    for name, entry in files.items():
        digest = hashlib.sha256()
        with open(os.path.join(root, name), "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        if not isinstance(entry, dict) or digest.hexdigest() != entry.get("sha256"):
            raise ArchiveError(
                f"{name} does not match its checksum in the manifest: the archive was altered or damaged."
            )
        if name.startswith("data/"):
            resource = BY_NAME.get(name[len("data/") : -len(".jsonl")])
            if resource is None:
                raise ArchiveError(f"Unknown resource {name}.")
            unknown = set(entry.get("columns") or []) - set(resource.columns)
            if unknown or not entry.get("columns"):
                raise ArchiveError(f"{name} has columns this release does not know: {', '.join(sorted(unknown))}.")
    known = set(MigrationLoader(None, ignore_no_migrations=True, load=True).disk_migrations)
    newer = {tuple(row) for row in manifest.get("migrations") or [] if isinstance(row, list)} - known
    if newer:
        raise ArchiveError(
            f"This archive was made by newer code (e.g. migration {'.'.join(sorted(newer)[0])}); import it with that release or a later one."
        )


def _batches(path: str, size: int = BATCH):
    batch = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            batch.append(line.rstrip("\n"))
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


def _with_content(batch: list[str], root: str) -> list[str]:
    rows = []
    for line in batch:
        try:
            row = json.loads(line)
            pact_id = int(row["id"])
        except (ValueError, TypeError, KeyError) as exc:
            raise ArchiveError(f"A line of data/pact_versions.jsonl is not a pact version: {exc}") from exc
        document = os.path.join(root, pact_path(pact_id))
        if not os.path.exists(document):
            raise ArchiveError(f"The pact document {pact_path(pact_id)} is missing.")
        with open(document, encoding="utf-8") as handle:
            row[CONTENT_COLUMN] = handle.read()
        rows.append(json.dumps(row))
    return rows


def organisation_import(*, path: str, schema_name: str) -> dict:
    """Write the archive at `path` into the (new, empty) organisation schema `schema_name`, inside the
    caller's transaction. Returns a report: rows per resource and what needs re-entering."""

    def q(table: str) -> str:
        return f'"{schema_name}"."{table}"'

    report = {"rows": {}, "disabled_webhooks": [], "not_included": {}, "organisation": None, "name": None}
    with tempfile.TemporaryDirectory(prefix="org-import-") as root:
        manifest = _unpack(path, root)
        _verify(manifest, root)
        report["organisation"], report["name"] = manifest.get("organisation"), manifest.get("name")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # An operator's job, not a request: the sessions' statement timeout (a few seconds) would
            # stop a big table's batch on a busy server. Until the end of the caller's transaction.
            cursor.execute("SET LOCAL statement_timeout = 0")
            # A new organisation's schema holds the built-in roles; the archive brings its own.
            for resource in reversed(RESOURCES):
                cursor.execute(f"DELETE FROM {q(resource.table)}")
            for resource in RESOURCES:
                entry = manifest["files"].get(data_path(resource.name))
                if entry is None:
                    continue
                columns = list(entry["columns"]) + ([CONTENT_COLUMN] if resource.name == "pact_versions" else [])
                fills = {column: sql for column, sql in resource.fill.items() if column not in columns}
                target = ", ".join(f'"{column}"' for column in [*columns, *fills])
                values = ", ".join([*(f'r."{column}"' for column in columns), *fills.values()])
                sql = (
                    f"INSERT INTO {q(resource.table)} ({target}) SELECT {values} "
                    f"FROM json_populate_recordset(NULL::{q(resource.table)}, %s::json) r"
                )
                count = 0
                size = CONTENT_BATCH if resource.name == "pact_versions" else BATCH
                for batch in _batches(os.path.join(root, data_path(resource.name)), size):
                    if resource.name == "pact_versions":
                        batch = _with_content(batch, root)
                    cursor.execute(sql, ["[" + ",".join(batch) + "]"])
                    count += len(batch)
                report["rows"][resource.name] = count
                if resource.has_id:
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), coalesce(max(id), 0) + 1, false) "
                        f"FROM {q(resource.table)}",
                        [q(resource.table)],
                    )
            for sequence, (table, column) in SEQUENCES.items():
                cursor.execute(
                    f"SELECT setval(%s, greatest((SELECT last_value FROM {q(sequence)}), "
                    f'coalesce((SELECT max("{column}") FROM {q(table)}), 0) + 1), false)',
                    [q(sequence)],
                )
            not_included = manifest.get("not_included") or {}
            passwords = [
                uuid
                for uuid in [
                    *(not_included.get("webhook_passwords") or []),
                    *(not_included.get("webhook_headers") or []),
                ]
                if isinstance(uuid, str)
            ]
            if passwords:
                cursor.execute(
                    f"UPDATE {q('webhooks_webhook')} SET enabled = false WHERE uuid = ANY(%s) RETURNING uuid",
                    [passwords],
                )
                report["disabled_webhooks"] = sorted(row[0] for row in cursor.fetchall())
            report["not_included"] = not_included
    return report
