"""`organisation_export`: one organisation's data as an archive (apps/portability/archive.py).

Read in one REPEATABLE READ, READ ONLY transaction, so every file shows the same moment, and through
server-side cursors, so memory stays bounded whatever the organisation's size: each data file is
written to a temporary file while its SHA-256 is computed, then appended to the tar stream. PostgreSQL
renders each row as JSON (`row_to_json`), which keeps every value exactly (timestamps to the
microsecond, JSON columns, arrays).
"""

import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from datetime import UTC, datetime

from django.db import connection, transaction

from apps.portability.archive import CONTENT_COLUMN, FORMAT, RESOURCES, data_path, pact_path
from apps.webhooks.delivery import SENSITIVE_HEADER
from apps.webhooks.rendering import ANY_TEMPLATE

BATCH = 2000
CONTENT_BATCH = 50  # pact documents are up to megabytes each: few at a time keeps memory flat


class ExportError(Exception):
    pass


def _quoted(schema: str, table: str) -> str:
    return f'"{schema}"."{table}"'


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, mtime: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, mtime
    archive.addfile(info, io.BytesIO(data))


def _rows(raw, sql: str, params=None, *, batch: int = BATCH):
    """A server-side cursor over `sql`, fetched `batch` rows at a time."""
    with raw.cursor(name=f"export_{time.monotonic_ns()}") as cursor:
        cursor.itersize = batch
        cursor.execute(sql, params)
        yield from cursor


def _not_included(raw, schema: str) -> dict:
    def column(sql):
        with raw.cursor() as cursor:
            cursor.execute(sql)
            return [row[0] for row in cursor.fetchall()]

    return {
        "secrets": column(f"SELECT name FROM {_quoted(schema, 'secrets_secret')} ORDER BY name"),
        "webhook_passwords": column(
            f"SELECT uuid FROM {_quoted(schema, 'webhooks_webhook')} WHERE password IS NOT NULL ORDER BY uuid"
        ),
        "api_tokens": column(f"SELECT count(*) FROM {_quoted(schema, 'accounts_apitoken')}")[0],
        "sso": "SSO settings are not exported (they hold private keys and client secrets); set them up again.",
    }


def organisation_export(*, schema_name: str, slug: str, name: str, out) -> dict:
    """Write the archive of the organisation in `schema_name` to the binary file object `out`;
    returns the manifest."""
    connection.ensure_connection()
    mtime = int(datetime.now(UTC).timestamp())
    files: dict[str, dict] = {}
    removed_headers: list[str] = []
    outermost = not connection.in_atomic_block  # inside a caller's transaction (tests) it sees that one's snapshot
    with transaction.atomic(), tempfile.TemporaryDirectory(prefix="org-export-") as scratch:
        raw = connection.connection
        with raw.cursor() as cursor:
            if outermost:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # A long read, not a request: no statement timeout (FETCHes of big tables on a busy server).
            cursor.execute("SET LOCAL statement_timeout = 0")
            cursor.execute(f"SELECT app, name FROM {_quoted(schema_name, 'django_migrations')} ORDER BY app, name")
            migrations = [list(row) for row in cursor.fetchall()]
        # gzip at level 1: JSON lines compress well at any level, and tarfile's own "w|gz" (level 9)
        # spends most of an export's time compressing.
        compressed = gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1, mtime=mtime)
        with compressed, tarfile.open(fileobj=compressed, mode="w|") as archive:
            for resource in RESOURCES:
                columns = resource.columns
                select = ", ".join(f'"{column}"' for column in columns)
                order = "id" if resource.has_id else select
                path = os.path.join(scratch, f"{resource.name}.jsonl")
                digest, rows = hashlib.sha256(), 0
                with open(path, "wb") as handle:
                    for (text,) in _rows(
                        raw,
                        f"SELECT row_to_json(r)::text FROM (SELECT {select} FROM "
                        f"{_quoted(schema_name, resource.table)} ORDER BY {order}) r",
                    ):
                        if resource.name == "webhooks":
                            text = _webhook_credentials_removed(text, removed_headers)
                        data = text.encode() + b"\n"
                        handle.write(data)
                        digest.update(data)
                        rows += 1
                member = data_path(resource.name)
                files[member] = {
                    "sha256": digest.hexdigest(),
                    "bytes": os.path.getsize(path),
                    "rows": rows,
                    "columns": columns,
                }
                archive.add(path, arcname=member, filter=lambda info: _normalise(info, mtime))
                os.unlink(path)
            for pact_id, content in _rows(
                raw,
                f"SELECT id, {CONTENT_COLUMN} FROM {_quoted(schema_name, 'contracts_pactversion')} ORDER BY id",
                batch=CONTENT_BATCH,
            ):
                data = content.encode()
                member = pact_path(pact_id)
                files[member] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                _add_bytes(archive, member, data, mtime)
            manifest = {
                "format": FORMAT,
                "organisation": slug,
                "name": name,
                "exported_at": datetime.now(UTC).isoformat(),
                "migrations": migrations,
                "not_included": {**_not_included(raw, schema_name), "webhook_headers": sorted(removed_headers)},
                "files": files,
            }
            # Last, so that it can list every file; a reader finds it by name.
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode(), mtime)
    return manifest


def _webhook_credentials_removed(line: str, removed: list[str]) -> str:
    """A webhook row without literal credentials in its headers (Authorization, *Token*), as the API
    masks them; a `${user.NAME}` template is kept (it holds no secret). The webhook is listed."""
    row = json.loads(line)
    headers = row.get("headers") or {}
    kept = {
        name: value
        for name, value in headers.items()
        if not (SENSITIVE_HEADER.search(name) and value and not ANY_TEMPLATE.search(str(value)))
    }
    if kept == headers:
        return line
    removed.append(row["uuid"])
    row["headers"] = kept
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def _normalise(info: tarfile.TarInfo, mtime: int) -> tarfile.TarInfo:
    info.mode, info.mtime, info.uid, info.gid, info.uname, info.gname = 0o600, mtime, 0, 0, "", ""
    return info
