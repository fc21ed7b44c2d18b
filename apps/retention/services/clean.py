"""`organisation_clean`: delete application versions no keep-selector keeps (apps/retention/selectors.py).

How it runs, and why:

- Candidates are found a batch at a time, walking version ids upwards (`v.id > last`), and the keep
  condition is evaluated again in the statement that deletes them: a version deployed between two
  batches is kept.
- Each batch is its own short transaction (BATCH versions and what hangs off them), with a lock
  timeout: the clean-up never holds locks for long, and if a request holds a row it needs, the batch
  gives way (it is retried in the next pass) rather than making the request wait. Other organisations
  never share a row or a table with it (one schema each).
- What hangs off a version (pact publications, verification results, tags, branch entries,
  deployment history, triggered webhooks and their executions, provider contract publications, the
  "latest" rows...) is deleted by SQL following the models' CASCADE relations, found from Django's
  model metadata so that a new table pointing at versions is covered without a change here. Django's
  own `delete()` would load every row into memory first.
- Then pact contents no publication and no verification refers to any more are deleted the same way.
- Dry run: the same selection, counted, nothing deleted.

The report says, per table, how many rows went (or per pacticipant, in a dry run, how many versions
would go and their range), and is kept as a RetentionRun.
"""

import logging
import time

from django.db import OperationalError, connection, models, transaction
from django.utils import timezone
from psycopg.errors import LockNotAvailable, QueryCanceled

from apps.accounts.audit import audit_record
from apps.contracts.models import PactVersion, Version
from apps.retention.models import RetentionRun
from apps.retention.selectors import effective_selectors, keep_predicate

logger = logging.getLogger(__name__)

BATCH = 200
LOCK_TIMEOUT_MS = 200
BATCH_TIMEOUT = "60s"  # one batch's deletes: far more than they need, far less than a pass
SCAN_TIMEOUT = "10min"  # the selection of candidates and the dry run's report (no locks taken)
# NO_JIT: the keep condition's correlated subqueries give the planner a huge cost estimate for a query that
# stops after BATCH rows, so PostgreSQL JIT-compiles it: 6 s of compiling for 0.4 s of work on `big`, per
# batch. Every statement of the clean-up runs with `jit = off`.


def _relations(model) -> list:
    """Every foreign key pointing at `model`, including those without a reverse accessor ("+")."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)
    ]


def _cascade(cursor, model, ids: list[int], counts: dict[str, int]) -> None:
    """Delete rows of `model` with these ids and, following CASCADE relations, every row that points
    at them; SET_NULL relations are nulled. Foreign keys are checked at commit (deferred)."""
    if not ids:
        return
    table = model._meta.db_table
    cursor.execute(f'DELETE FROM "{table}" WHERE id = ANY(%s) RETURNING id', [ids])
    deleted = [row[0] for row in cursor.fetchall()]
    if not deleted:
        return
    counts[table] = counts.get(table, 0) + len(deleted)
    for relation in _relations(model):
        child, column = relation.related_model, relation.field.column
        on_delete = relation.on_delete
        if on_delete is models.CASCADE:
            cursor.execute(f'SELECT id FROM "{child._meta.db_table}" WHERE "{column}" = ANY(%s)', [deleted])
            _cascade(cursor, child, [row[0] for row in cursor.fetchall()], counts)
        elif on_delete is models.SET_NULL:
            cursor.execute(
                f'UPDATE "{child._meta.db_table}" SET "{column}" = NULL WHERE "{column}" = ANY(%s)', [deleted]
            )


def _candidates(cursor, keep, after: int, limit: int) -> list[int]:
    cursor.execute(
        f"SELECT v.id FROM contracts_version v WHERE v.id > %s AND NOT {keep.sql} ORDER BY v.id LIMIT %s",
        [after, *keep.params, limit],
    )
    return [row[0] for row in cursor.fetchall()]


def _orphan_pact_versions(cursor, after: int, limit: int) -> list[int]:
    cursor.execute(
        "SELECT pv.id FROM contracts_pactversion pv WHERE pv.id > %s "
        "AND NOT EXISTS (SELECT 1 FROM contracts_pactpublication p WHERE p.pact_version_id = pv.id) "
        "AND NOT EXISTS (SELECT 1 FROM verifications_verification vr WHERE vr.pact_version_id = pv.id) "
        "ORDER BY pv.id LIMIT %s",
        [after, limit],
    )
    return [row[0] for row in cursor.fetchall()]


def _dry_run_report(cursor, keep) -> dict:
    cursor.execute(
        'SELECT p.name, count(*), (array_agg(v.number ORDER BY v."order"))[1], '
        '(array_agg(v.number ORDER BY v."order" DESC))[1] '
        "FROM contracts_version v JOIN contracts_pacticipant p ON p.id = v.pacticipant_id "
        f"WHERE NOT {keep.sql} GROUP BY p.name ORDER BY p.name",
        keep.params,
    )
    pacticipants = {
        name: {"versions": count, "from": first, "to": last} for name, count, first, last in cursor.fetchall()
    }
    cursor.execute("SELECT count(*) FROM contracts_version")
    total = cursor.fetchone()[0]
    deleting = sum(entry["versions"] for entry in pacticipants.values())
    return {
        "versions_total": total,
        "versions_to_delete": deleting,
        "versions_to_keep": total - deleting,
        "pacticipants": pacticipants,
    }


def organisation_clean(
    *,
    keep_selectors: list[dict],
    plan_days: int | None,
    dry_run: bool,
    batch: int = BATCH,
    max_seconds: float | None = None,
) -> dict:
    """One clean-up pass in the current organisation's schema; returns (and records) the report."""
    selectors = effective_selectors(keep_selectors, plan_days)
    keep = keep_predicate(selectors)
    run = RetentionRun.objects.create(dry_run=dry_run)
    report: dict = {"selectors": selectors, "plan_retention_days": plan_days, "dry_run": dry_run}
    started = time.monotonic()
    if dry_run:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = '{SCAN_TIMEOUT}'")
            cursor.execute("SET LOCAL jit = off")
            report.update(_dry_run_report(cursor, keep))
    else:
        counts: dict[str, int] = {}
        skipped = 0
        for model, find in (
            (Version, lambda c, after: _candidates(c, keep, after, batch)),
            (PactVersion, lambda c, after: _orphan_pact_versions(c, after, batch)),
        ):
            after = 0
            while max_seconds is None or time.monotonic() - started < max_seconds:
                with transaction.atomic(), connection.cursor() as cursor:
                    # Reads only: may take longer than a request's statement timeout on a big history.
                    cursor.execute(f"SET LOCAL statement_timeout = '{SCAN_TIMEOUT}'")
                    cursor.execute("SET LOCAL jit = off")  # see NO_JIT
                    ids = find(cursor, after)
                if not ids:
                    break
                after = ids[-1]
                batch_counts: dict[str, int] = {}
                try:
                    with transaction.atomic(), connection.cursor() as cursor:
                        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'")
                        cursor.execute(f"SET LOCAL statement_timeout = '{BATCH_TIMEOUT}'")
                        cursor.execute("SET LOCAL jit = off")
                        if model is Version:  # the keep condition again, under the lock: kept if it changed
                            cursor.execute(
                                f"SELECT v.id FROM contracts_version v WHERE v.id = ANY(%s) AND NOT {keep.sql} FOR UPDATE",
                                [ids, *keep.params],
                            )
                            ids = [row[0] for row in cursor.fetchall()]
                        _cascade(cursor, model, ids, batch_counts)
                        if ids:
                            audit_record(
                                action="retention.batch_deleted",
                                target=("retention", "", model._meta.model_name),
                                details={"model": model._meta.model_name, "deleted": len(ids)},
                            )
                except OperationalError as exc:  # a request holds a row: give way, the next pass retries
                    if not isinstance(exc.__cause__, LockNotAvailable | QueryCanceled):
                        raise
                    skipped += len(ids)
                    logger.info("retention batch skipped: %s", type(exc.__cause__).__name__)
                    continue
                for table, count in batch_counts.items():
                    counts[table] = counts.get(table, 0) + count
        report.update({"deleted": counts, "skipped_locked": skipped})  # versions (or contents) left for the next pass
    report["seconds"] = round(time.monotonic() - started, 3)
    run.finished_at, run.report = timezone.now(), report
    run.save(update_fields=["finished_at", "report"])
    logger.info("retention clean-up", extra={"dry_run": dry_run, "deleted": report.get("deleted")})
    return report
