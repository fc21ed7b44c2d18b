"""Semantic ordering of a new version (`ORDER_VERSIONS_BY_DATE=false`), as the broker's `OrderVersions`.

By default a version's `order` is the next value of a global sequence (creation order) and nothing
here runs. With semantic ordering the broker walks the pacticipant's versions from the highest
order down: every version the new one does not come after (`apps/contracts/semver.py`) moves up by
one, and the new version takes the order just above the first one it does come after, or the
bottom when there is none. So a version number that cannot be parsed goes below every other
version (below earlier unparsable ones too), and versions never move past each other afterwards.

Differences from the Ruby broker that change no answer:
- orders are not re-based to 0, 1, 2...: the new version takes "one above" the version below it
  (the lowest order when it goes to the bottom), and a new highest version keeps its sequence value;
- "latest" rows carry copies of a version's order (`Tag.version_order`, `BranchVersion.version_order`,
  `PactPublication.consumer_version_order`, `LatestPactPublication.consumer_version_order`); the
  statement that moves versions moves their copies too, so every "latest" query stays right.

Concurrency: `version_order_lock` locks the pacticipant row (`FOR NO KEY UPDATE`, which foreign-key
checks do not wait for) *before* the version is inserted, so creators of versions of one pacticipant
go one after the other, each seeing the versions the others committed. Locking only after the insert
is not enough: another creator's uncommitted new version could hold the very order a move needs,
and the two would wait for each other. `version_unique_order` is checked at the end of each
statement (DEFERRABLE INITIALLY IMMEDIATE), so moving a run of versions up by one cannot collide
with itself.
"""

from django.conf import settings
from django.db import connection
from django.db.transaction import TransactionManagementError

from apps.contracts.models import BranchVersion, LatestPactPublication, Pacticipant, PactPublication, Tag, Version
from apps.contracts.semver import SemanticVersion, semver_compare, semver_parse

_LOCK = f"SELECT 1 FROM {Pacticipant._meta.db_table} WHERE id = %s FOR NO KEY UPDATE"
_OTHERS = (
    f'SELECT number, "order" FROM {Version._meta.db_table} WHERE pacticipant_id = %s AND id <> %s ORDER BY "order" DESC'
)

_PLACE = f"""
WITH shifted AS (
  UPDATE {Version._meta.db_table} SET "order" = "order" + 1
   WHERE pacticipant_id = %(pacticipant)s AND "order" >= %(order)s AND id <> %(version)s
  RETURNING id, "order"
), placed AS (
  UPDATE {Version._meta.db_table} SET "order" = %(order)s WHERE id = %(version)s RETURNING id, "order"
), moved AS (
  SELECT id, "order" FROM shifted UNION ALL SELECT id, "order" FROM placed
), tags AS (
  UPDATE {Tag._meta.db_table} t SET version_order = m."order" FROM moved m WHERE t.version_id = m.id
), branch_versions AS (
  UPDATE {BranchVersion._meta.db_table} b SET version_order = m."order" FROM moved m WHERE b.version_id = m.id
), publications AS (
  UPDATE {PactPublication._meta.db_table} p SET consumer_version_order = m."order"
    FROM moved m WHERE p.consumer_version_id = m.id
), latest_publications AS (
  UPDATE {LatestPactPublication._meta.db_table} l SET consumer_version_order = m."order"
    FROM moved m WHERE l.consumer_version_id = m.id
)
SELECT count(*) FROM shifted
"""


def _comes_after(mine: SemanticVersion | None, existing_number: str) -> bool:
    """The broker's `new_version_after_existing_version?`: strictly after; unparsable is never after."""
    if mine is None:
        return False
    theirs = semver_parse(existing_number)
    return theirs is None or semver_compare(mine, theirs) > 0


def version_order_lock(*, pacticipant_id: int) -> None:
    """Before finding or creating a version: with semantic ordering, lock its pacticipant until the
    transaction ends (one statement); nothing when versions are ordered by date."""
    if settings.ORDER_VERSIONS_BY_DATE:
        return
    if not connection.in_atomic_block:
        # As select_for_update: a lock released at once would let two creators interleave.
        raise TransactionManagementError("version_order_lock needs a transaction to hold the lock")
    with connection.cursor() as cursor:
        cursor.execute(_LOCK, [pacticipant_id])


def version_order_place(*, version: Version) -> int:
    """Give a version just created under `version_order_lock` its semantic place; returns its order
    (also set on `version`).

    Nothing to do (no statement) when versions are ordered by date. Otherwise one statement (read),
    and one more when the version does not simply go on top.
    """
    if settings.ORDER_VERSIONS_BY_DATE:
        return version.order
    with connection.cursor() as cursor:
        cursor.execute(_OTHERS, [version.pacticipant_id, version.pk])
        others = cursor.fetchall()
        if not others:
            return version.order
        parsed = semver_parse(version.number)
        below = next((order for number, order in others if _comes_after(parsed, number)), None)
        if below is None:
            new_order = others[-1][1]  # the bottom: the lowest order, everything else moves up
        elif below == others[0][1] and version.order > below:
            return version.order  # on top already (the usual case): keep the sequence value
        else:
            new_order = below + 1
        cursor.execute(_PLACE, {"pacticipant": version.pacticipant_id, "version": version.pk, "order": new_order})
    version.order = new_order
    return new_order
