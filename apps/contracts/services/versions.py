"""Versions and tags: PUT/PATCH of a version, deleting it, PUT and DELETE of a tag.

Finding or creating the pacticipant, the version and the tags (with the broker's side effects) is
`find_or_create.py`'s.
"""

from django.db import transaction

from apps.accounts.audit import audit_record
from apps.contracts.models import Branch, BranchHead, BranchVersion, Tag, Version
from apps.contracts.services.find_or_create import (
    FoundVersion,
    pacticipant_find_or_create,
    tags_find_or_create,
    version_find_or_create,
)

# `version_create_or_update(build_url=UNCHANGED)`: a PATCH without `buildUrl` keeps the stored one.
UNCHANGED = object()


def version_target(pacticipant_name: str, number: str) -> tuple:
    return ("version", number, f"{pacticipant_name} {number}")


def branch_heads_restore(*, branch_ids) -> None:
    """Give each of these branches that lost its head the highest-order branch version left."""
    for branch_id in Branch.objects.filter(pk__in=branch_ids, head__isnull=True).values_list("pk", flat=True):
        branch_version = BranchVersion.objects.filter(branch_id=branch_id).order_by("-version_order", "-id").first()
        if branch_version is not None:
            BranchHead.objects.create(
                branch_id=branch_id,
                branch_version=branch_version,
                version_id=branch_version.version_id,
                pacticipant_id=branch_version.pacticipant_id,
                branch_name=branch_version.branch_name,
            )


def _tags_replace(found: FoundVersion, names: list[str]) -> None:
    """Make the version's tags exactly `names` (the broker's PUT/PATCH of a version with `tags`)."""
    Tag.objects.filter(version=found.version).exclude(name__in=names).delete()
    found.tag_names = [name for name in found.tag_names if name in names]
    tags_find_or_create(found=found, names=names, deployments_record=True)


@transaction.atomic
def version_create_or_update(
    *,
    pacticipant_name: str,
    number: str,
    build_url: str | None | object = UNCHANGED,
    tag_names: list[str] | None = None,
) -> tuple[Version, bool]:
    """PUT or PATCH of a version: `build_url` is set unless UNCHANGED (None clears it), the tags are
    replaced by `tag_names` unless it is None; the version's order and createdAt never change. The
    pacticipant is created when missing.
    """
    pacticipant = pacticipant_find_or_create(name=pacticipant_name)
    found = version_find_or_create(pacticipant=pacticipant, number=number, stamped_apart=False)
    version = found.version
    if build_url is not UNCHANGED and version.build_url != build_url:
        version.build_url = build_url
        if found.created:  # part of the creation: updatedAt stays createdAt (both the database's clock)
            Version.objects.filter(pk=version.pk).update(build_url=build_url)
        else:
            version.save(update_fields=["build_url", "updated_at"])
    if tag_names is not None:
        _tags_replace(found, tag_names)
    audit_record(
        action="version.created" if found.created else "version.updated",
        target=version_target(pacticipant.name, number),
        details={"pacticipant": pacticipant.name, "buildUrl": version.build_url, "tags": found.tag_names},
    )
    return version, found.created


@transaction.atomic
def version_delete(*, version: Version) -> None:
    """Delete a version with its tags, branch versions, publications and verifications.

    Branches whose head was this version fall back to their highest-order remaining version.
    """
    branch_ids = list(BranchVersion.objects.filter(version=version).values_list("branch_id", flat=True))
    Version.objects.filter(pk=version.pk).delete()
    branch_heads_restore(branch_ids=branch_ids)
    audit_record(
        action="version.deleted",
        target=version_target(version.pacticipant.name, version.number),
        details={"pacticipant": version.pacticipant.name},
    )


@transaction.atomic
def version_tag_create(*, pacticipant_name: str, number: str, tag_name: str) -> tuple[Tag, bool]:
    """PUT a tag: the pacticipant and the version are created when missing (as the broker does)."""
    pacticipant = pacticipant_find_or_create(name=pacticipant_name)
    found = version_find_or_create(pacticipant=pacticipant, number=number)
    created = bool(tags_find_or_create(found=found, names=[tag_name], deployments_record=True))
    tag = Tag.objects.get(version=found.version, name=tag_name)
    tag.version = found.version
    if created:
        audit_record(
            action="tag.created",
            target=("tag", tag_name, tag_name),
            details={"pacticipant": pacticipant.name, "version": number},
        )
    return tag, created


@transaction.atomic
def tag_remove(*, tag: Tag) -> None:
    Tag.objects.filter(pk=tag.pk).delete()
    audit_record(
        action="tag.deleted",
        target=("tag", tag.name, tag.name),
        details={"pacticipant": tag.version.pacticipant.name, "version": tag.version.number},
    )
