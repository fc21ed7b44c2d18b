"""Pacticipants, versions, branches and tags: the one find-or-create path, with the broker's side effects.

Everything that may name a pacticipant, a version, a branch or a tag that does not exist yet comes
through here: publishing (pacts and provider contracts), verification results, and the PUTs of a
version, a tag, a branch version and a label. Each kind of row is found-or-created with one
`INSERT ... ON CONFLICT` (concurrent writers never fail, like the broker's insert-ignore), so a
publication touching a consumer, several providers, a version, a branch and tags runs a constant
number of statements.

The broker's side effects, each written once below:
- a newly added branch version becomes the branch head; the branch's `updated_at` is bumped at most
  once a minute (`branch_version_find_or_create`);
- a branch (or tag) named like a main branch sets the pacticipant's unset `mainBranch`
  (`auto_detect_main_branch`, `_main_branch_detect`);
- the first tag of a young version with no branch becomes its branch (`use_first_tag_as_branch`,
  `_first_tag_as_branch`);
- on a tag's own PUT (and a version's PUT with tags), a tag named like an environment records a
  deployment there (`create_deployed_versions_for_tags`); publishing with tags does not.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from apps.accounts.audit import audit_entry
from apps.accounts.permissions import acting_user
from apps.accounts.services import team_default_join
from apps.contracts.events import version_tagged
from apps.contracts.models import Branch, BranchHead, BranchVersion, Pacticipant, Tag, Version
from apps.contracts.names import display_name_generate
from apps.contracts.services.version_order import version_order_lock, version_order_place


def pacticipants_find_or_create(*, names: list[str]) -> dict[str, Pacticipant]:
    """{name: Pacticipant}: one SELECT when all exist, else one INSERT and one more SELECT."""
    wanted = list(dict.fromkeys(names))
    found = {p.name: p for p in Pacticipant.objects.filter(name__in=wanted)}
    missing = [name for name in wanted if name not in found]
    if missing:
        creator = acting_user()
        Pacticipant.objects.bulk_create(
            [Pacticipant(name=name, display_name=display_name_generate(name), created_by=creator) for name in missing],
            ignore_conflicts=True,
        )
        found.update({p.name: p for p in Pacticipant.objects.filter(name__in=missing)})
        team_default_join(pacticipant_names=missing)
    return found


def pacticipant_find_or_create(*, name: str) -> Pacticipant:
    return pacticipants_find_or_create(names=[name])[name]


@dataclass
class FoundVersion:
    version: Version
    created: bool
    tag_names: list[str]  # the version's tags before this request, oldest first
    had_branch: bool

    @property
    def had_tags(self) -> bool:
        return bool(self.tag_names)


_VERSION_UPSERT = f"""
INSERT INTO {Version._meta.db_table} AS v (pacticipant_id, number, build_url, created_at, updated_at)
VALUES (%s, %s, %s, COALESCE(%s, now()),
        COALESCE(%s, now()) + CASE WHEN %s THEN interval '1 millisecond' ELSE interval '0' END)
ON CONFLICT (pacticipant_id, number) DO UPDATE
  SET build_url = COALESCE(EXCLUDED.build_url, v.build_url),
      updated_at = CASE WHEN EXCLUDED.build_url IS DISTINCT FROM v.build_url AND EXCLUDED.build_url IS NOT NULL
                        THEN now() ELSE v.updated_at END
RETURNING v.id, v."order", v.build_url, v.created_at, v.updated_at, (v.xmax = 0),
  ARRAY(SELECT t.name FROM {Tag._meta.db_table} t WHERE t.version_id = v.id ORDER BY t.created_at, t.name),
  EXISTS (SELECT 1 FROM {BranchVersion._meta.db_table} bv WHERE bv.version_id = v.id)
"""


def version_find_or_create(
    *,
    pacticipant: Pacticipant,
    number: str,
    build_url: str | None = None,
    created_at: datetime | None = None,
    stamped_apart: bool = True,
) -> FoundVersion:
    """Find or create a version in one statement (a given build URL overwrites the stored one).

    `created_at`: the creation time of a new version when it is not now (an import from another
    broker keeps the source's times, so "latest" answers the same there and here).

    The upsert also locks the version row until commit, so two publications for the same consumer
    version are serialised and the content-modification check cannot race. With semantic ordering
    the pacticipant is locked first and a new version then moved to its place (`version_order.py`:
    one more statement for an existing version, two or three for a new one).

    `stamped_apart`: a new version's updatedAt is a moment after its createdAt, so its body shows
    updatedAt, as the broker's (which reads the clock twice when it creates a version as a side effect
    of publishing, tagging, ...). Only the version resource's own PUT/PATCH stamps both alike.
    """
    version_order_lock(pacticipant_id=pacticipant.pk)
    with connection.cursor() as cursor:
        apart = stamped_apart and created_at is None  # an imported version keeps its own times
        cursor.execute(_VERSION_UPSERT, [pacticipant.pk, number, build_url, created_at, created_at, apart])
        pk, order, stored_url, created_at, updated_at, created, tag_names, had_branch = cursor.fetchone()
    version = Version(
        pk=pk,
        pacticipant=pacticipant,
        number=number,
        order=order,
        build_url=stored_url,
        created_at=created_at,
        updated_at=updated_at,
    )
    version._state.adding = False
    if created:
        version_order_place(version=version)
    return FoundVersion(version=version, created=created, tag_names=list(tag_names), had_branch=had_branch)


_BRANCH_ADD = f"""
WITH b AS (
  INSERT INTO {Branch._meta.db_table} AS br (pacticipant_id, name, created_at, updated_at)
  VALUES (%(pacticipant)s, %(name)s, COALESCE(%(created)s, now()), COALESCE(%(created)s, now()))
  ON CONFLICT (pacticipant_id, name) DO UPDATE
    SET updated_at = CASE WHEN %(created)s::timestamptz IS NOT NULL THEN GREATEST(br.updated_at, %(created)s)
                          WHEN br.updated_at < now() - interval '1 minute' THEN now() ELSE br.updated_at END
  RETURNING br.id
), bv AS (
  INSERT INTO {BranchVersion._meta.db_table}
    (branch_id, version_id, pacticipant_id, branch_name, version_order, auto_created, created_at, updated_at)
  SELECT b.id, %(version)s, %(pacticipant)s, %(name)s, %(order)s, %(auto)s, COALESCE(%(created)s, now()),
    COALESCE(%(created)s, now()) FROM b
  ON CONFLICT (branch_id, version_id) DO NOTHING
  RETURNING id, branch_id
), head AS (
  INSERT INTO {BranchHead._meta.db_table} AS h (branch_id, branch_version_id, version_id, pacticipant_id, branch_name)
  SELECT bv.branch_id, bv.id, %(version)s, %(pacticipant)s, %(name)s FROM bv
  ON CONFLICT (branch_id) DO UPDATE
    SET branch_version_id = EXCLUDED.branch_version_id, version_id = EXCLUDED.version_id
  RETURNING 1
)
SELECT (SELECT count(*) FROM bv), (SELECT count(*) FROM head)
"""


def branch_version_find_or_create(
    *, version: Version, branch_name: str, auto_created: bool = False, created_at: datetime | None = None
) -> bool:
    """Put the version on a branch (one statement); True when the branch version is new.
    `created_at`: when it was added, if not now (an import keeps the source's times)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _BRANCH_ADD,
            {
                "pacticipant": version.pacticipant_id,
                "name": branch_name,
                "version": version.pk,
                "order": version.order,
                "auto": auto_created,
                "created": created_at,
            },
        )
        created = cursor.fetchone()[0] > 0
    if created:
        _main_branch_detect(version.pacticipant, branch_name)
    return created


def tags_find_or_create(
    *,
    found: FoundVersion,
    names: list[str],
    branch_given: bool = False,
    deployments_record: bool = False,
    created_at: datetime | None = None,
) -> list[str]:
    """Tag a version (one statement); returns the names that were new, in the order given.

    `branch_given`: the same request puts the version on a branch, so no tag becomes one.
    `deployments_record`: the tag's own PUT, where a tag named like an environment is a deployment.
    """
    names = list(dict.fromkeys(names))
    if not names:
        return []
    version = found.version
    # Django cannot tell which rows an ignore-conflicts insert created, so ask PostgreSQL directly.
    values = ", ".join(["(%s, %s, %s, %s, COALESCE(%s, now()), COALESCE(%s, now()))"] * len(names))
    params = [
        p for name in names for p in (version.pk, name, version.pacticipant_id, version.order, created_at, created_at)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Tag._meta.db_table} (version_id, name, pacticipant_id, version_order, created_at, "
            f"updated_at) VALUES {values} ON CONFLICT (version_id, name) DO NOTHING RETURNING name",
            params,
        )
        created = {row[0] for row in cursor.fetchall()}
    created_in_order = [name for name in names if name in created]
    if created_in_order and not branch_given:
        _first_tag_as_branch(found=found, tag_name=created_in_order[0])
    for name in created_in_order:
        _main_branch_detect(version.pacticipant, name)
    if deployments_record and created_in_order:
        # A tag named like an environment records a deployment there (the broker's
        # create_deployed_versions_for_tags, kept for teams still on the tag workflow): the
        # environments app listens (apps/environments/receivers.py).
        version_tagged(version=version, tag_names=created_in_order)
    found.tag_names.extend(created_in_order)
    return created_in_order


def found_audit_entries(*, pacticipant: Pacticipant, found: FoundVersion, branch: str | None, tags: list[str]) -> list:
    """Unsaved audit entries for what a publication found-or-created: the version when new, the
    branch version `branch` and the tags `tags` (pass only the new ones). The caller inserts them
    with its own entries in one statement (apps.accounts.audit.audit_entries_insert)."""
    number = found.version.number
    where = {"pacticipant": pacticipant.name, "version": number}
    entries = []
    if found.created:
        label = f"{pacticipant.name} {number}"
        entries.append(audit_entry(action="version.created", target=("version", number, label), details=where))
    if branch:
        entries.append(
            audit_entry(
                action="branch_version.created",
                target=("branch", branch, f"{pacticipant.name} {branch}"),
                details={**where, "branch": branch},
            )
        )
    entries.extend(audit_entry(action="tag.created", target=("tag", tag, tag), details=where) for tag in tags)
    return entries


def _first_tag_as_branch(*, found: FoundVersion, tag_name: str) -> None:
    """The broker's `use_first_tag_as_branch`: a version's first tag becomes its branch when the
    version has none and is young (created within BROKER_FIRST_TAG_AS_BRANCH_SECONDS)."""
    if found.had_tags or found.had_branch or not settings.BROKER_USE_FIRST_TAG_AS_BRANCH:
        return
    # A version made by this very request is young whatever the clocks say (its created_at is
    # the transaction's start, which a long transaction leaves behind Python's clock).
    if found.created or _young(found.version.created_at):
        branch_version_find_or_create(version=found.version, branch_name=tag_name, auto_created=True)
        found.had_branch = True


def _young(created_at: datetime) -> bool:
    return timezone.now() - created_at <= timedelta(seconds=settings.BROKER_FIRST_TAG_AS_BRANCH_SECONDS)


def _main_branch_detect(pacticipant: Pacticipant, name: str) -> None:
    """Set mainBranch from the first branch (or tag) named like a main branch (`auto_detect_main_branch`)."""
    if pacticipant.main_branch is None and name in settings.BROKER_MAIN_BRANCH_CANDIDATES:
        # An update of the pacticipant, so its updatedAt shows (the broker saves the row), even in the
        # request that created it: at least a millisecond after its creation (hal/versions.py).
        updated_at = Greatest(Value(timezone.now()), F("created_at") + Value(timedelta(milliseconds=1)))
        Pacticipant.objects.filter(pk=pacticipant.pk, main_branch__isnull=True).update(
            main_branch=name, updated_at=updated_at
        )
        pacticipant.main_branch = name
