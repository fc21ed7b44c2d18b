"""Per-organisation backup and restore (`manage.py org_backup` / `org_restore`).

An organisation's data is exactly its schema plus a few platform rows in the public schema: its
tenant row (name, slug, plan, seats, suspension), its domains and its billing account. A backup is a
tar file holding:

- `manifest.json`: format version, organisation, when, and the tenant migrations the schema had;
- `platform.json`: those platform rows;
- `schema.sql`: `pg_dump --schema=<schema>` in plain SQL (no owners, no grants), so it restores
  with `psql` into any PostgreSQL of the same or a newer major version.

Restore goes into a database whose public schema is migrated (an empty installation, or the same one
after the organisation was deleted): the SQL runs in one transaction (`psql --single-transaction`),
then the platform rows are written in one Django transaction; if those fail the schema is dropped
again, so a failed restore leaves nothing behind. A schema from older code is then migrated.
Restoring over an organisation that exists is refused (delete it first, or restore elsewhere).

The dump is consistent for the schema (pg_dump takes one snapshot); the platform rows are read
just before it, and change rarely (plan, seats, domains).
"""

import io
import json
import os
import subprocess
import tarfile
from datetime import UTC, datetime

from django.db import connection, transaction
from django_tenants.utils import schema_exists

from tenants import placement

FORMAT = 1
_PLATFORM_FIELDS = ["name", "slug", "schema_name", "plan", "seats", "created_at", "suspended_at", "suspension_reason"]
_BILLING_EXCLUDE = {"id", "tenant", "updated_at"}


class BackupError(Exception):
    pass


def libpq_env(db: dict | None = None) -> dict:
    """pg_dump/psql connection settings from Django's (password in the environment, not argv): the
    current connection's, or those given (another database server's: tenants/servers.py)."""
    db = db or connection.settings_dict
    env = {
        **os.environ,
        "PGDATABASE": db["NAME"],
        "PGHOST": db.get("HOST") or "127.0.0.1",
        "PGPORT": str(db.get("PORT") or 5432),
        "PGUSER": db.get("USER") or "",
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    env.pop("PGOPTIONS", None)
    return env


def pg_run(command: list[str], *, db: dict | None = None, **kwargs) -> bytes:
    """Run pg_dump or psql against a database (the current connection's by default)."""
    try:
        result = subprocess.run(command, env=libpq_env(db), capture_output=True, check=False, **kwargs)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)") from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def organisation_backup(*, slug: str, out: str) -> dict:
    """Write the organisation's backup to `out` (mode 0600; never overwrites); returns the manifest."""
    from billing.models import BillingAccount
    from tenants.models import Domain, Tenant

    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise BackupError(f"There is no organisation {slug!r}.")
    platform = {
        "tenant": {field: getattr(tenant, field) for field in _PLATFORM_FIELDS},
        "domains": list(
            Domain.objects.filter(tenant=tenant).order_by("-is_primary", "domain").values("domain", "is_primary")
        ),
        "billing": (
            BillingAccount.objects.filter(tenant=tenant)
            .values(*[f.name for f in BillingAccount._meta.concrete_fields if f.name not in _BILLING_EXCLUDE])
            .first()
        ),
    }
    with placement.organisation_server(tenant.database):  # its schema's server (tenants/placement.py)
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT app, name FROM "{tenant.schema_name}".django_migrations ORDER BY app, name')
            migrations = [list(row) for row in cursor.fetchall()]
        dump = pg_run(["pg_dump", "--schema", tenant.schema_name, "--no-owner", "--no-privileges", "--format=plain"])
    manifest = {
        "format": FORMAT,
        "organisation": tenant.slug,
        "schema": tenant.schema_name,
        "created_at": datetime.now(UTC).isoformat(),
        "migrations": migrations,
        "schema_sql_bytes": len(dump),
    }
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle, tarfile.open(fileobj=handle, mode="w:gz") as archive:
        _add(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
        _add(archive, "platform.json", json.dumps(platform, indent=2, default=_json_default).encode())
        _add(archive, "schema.sql", dump)
    return manifest


def _read(path: str) -> tuple[dict, dict, bytes]:
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            files = {
                name: archive.extractfile(name).read() for name in ("manifest.json", "platform.json", "schema.sql")
            }
    except (OSError, tarfile.TarError, KeyError) as exc:
        raise BackupError(f"{path} is not an organisation backup: {exc}") from exc
    manifest = json.loads(files["manifest.json"])
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} has backup format {manifest.get('format')}; this code reads {FORMAT}.")
    return manifest, json.loads(files["platform.json"]), files["schema.sql"]


def organisation_restore(*, path: str) -> dict:
    """Restore a backup made by `organisation_backup` into this database; returns its manifest."""
    from django.db.migrations.loader import MigrationLoader
    from django.utils.dateparse import parse_datetime

    from billing.models import BillingAccount
    from tenants.migration_state import schemas_behind
    from tenants.models import Domain, Tenant

    manifest, platform, dump = _read(path)
    schema, slug = manifest["schema"], manifest["organisation"]
    known = set(MigrationLoader(None, ignore_no_migrations=True, load=True).disk_migrations)
    unknown = {tuple(row) for row in manifest["migrations"]} - known
    if unknown:
        raise BackupError(
            f"This backup was made by newer code (migrations unknown here, e.g. "
            f"{'.'.join(sorted(unknown)[0])}); restore it with that release or a later one."
        )
    connection.set_schema_to_public()
    if Tenant.objects.filter(slug=slug).exists() or schema_exists(schema):
        raise BackupError(
            f"The organisation {slug!r} (schema {schema}) exists here; delete it first or restore "
            "into another database."
        )
    taken = Domain.objects.filter(domain__in=[d["domain"] for d in platform["domains"]]).values_list(
        "domain", flat=True
    )
    if taken:
        raise BackupError(f"The host name(s) {', '.join(taken)} belong to another organisation here.")
    pg_run(["psql", "--quiet", "--no-psqlrc", "--single-transaction", "-v", "ON_ERROR_STOP=1"], input=dump)
    try:
        with transaction.atomic():
            row = dict(platform["tenant"])
            for field in ("created_at", "suspended_at"):
                row[field] = parse_datetime(row[field]) if row.get(field) else None
            tenant = Tenant(**row)
            tenant.auto_create_schema = False  # the schema came from the dump
            tenant.save(verbosity=0)
            Tenant.objects.filter(pk=tenant.pk).update(created_at=row["created_at"])  # auto_now_add
            for domain in platform["domains"]:
                Domain.objects.create(tenant=tenant, **domain)
            if platform.get("billing"):
                BillingAccount.objects.create(tenant=tenant, **platform["billing"])
    except Exception:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        raise
    if schemas_behind([schema]):  # a backup from older code: bring its schema up to this release
        from django.core.management import call_command

        call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)
    return manifest
