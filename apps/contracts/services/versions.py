"""Pacticipants, versions, branches and tags: find-or-create with the broker's side effects.

Concurrent publishers race to create the same rows; each create runs in a savepoint and falls
back to reading the winner's row, so neither fails (the broker uses insert-ignore the same way).
"""
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.contracts.models import Branch, BranchHead, BranchVersion, Pacticipant, Tag, Version
from apps.contracts.names import display_name_generate
from apps.contracts.services.version_order import version_order_lock, version_order_place


def _create_or_get(model, lookup: dict, defaults: dict | None = None):
    """(row, created). SELECT first; INSERT in a savepoint; on a lost race, SELECT the winner."""
    row = model.objects.filter(**lookup).first()
    if row is not None:
        return row, False
    try:
        with transaction.atomic():
            return model.objects.create(**lookup, **(defaults or {})), True
    except IntegrityError:
        return model.objects.get(**lookup), False


def pacticipant_find_or_create(*, name: str) -> tuple[Pacticipant, bool]:
    return _create_or_get(Pacticipant, {"name": name}, {"display_name": display_name_generate(name)})


def version_find_or_create(*, pacticipant: Pacticipant, number: str,
                           build_url: str | None = None) -> tuple[Version, bool]:
    version_order_lock(pacticipant_id=pacticipant.pk)  # semantic ordering only
    version, created = _create_or_get(
        Version, {"pacticipant": pacticipant, "number": number}, {"build_url": build_url}
    )
    if created:
        version_order_place(version=version)
    if not created and build_url and version.build_url != build_url:
        version.build_url = build_url
        version.save(update_fields=["build_url", "updated_at"])
    return version, created


def _main_branch_detect(pacticipant: Pacticipant, name: str) -> None:
    """Set mainBranch from the first branch (or tag) named like a main branch (`auto_detect_main_branch`)."""
    if pacticipant.main_branch is None and name in settings.BROKER_MAIN_BRANCH_CANDIDATES:
        Pacticipant.objects.filter(pk=pacticipant.pk, main_branch__isnull=True).update(main_branch=name)
        pacticipant.main_branch = name


def branch_version_add(*, version: Version, branch_name: str,
                       auto_created: bool = False) -> tuple[BranchVersion, bool]:
    """Put a version on a branch. A newly added branch version becomes the branch head."""
    pacticipant = version.pacticipant
    branch, _ = _create_or_get(Branch, {"pacticipant": pacticipant, "name": branch_name})
    branch_version, created = _create_or_get(
        BranchVersion,
        {"branch": branch, "version": version},
        {"pacticipant": pacticipant, "branch_name": branch_name, "version_order": version.order,
         "auto_created": auto_created},
    )
    if created:
        BranchHead.objects.update_or_create(
            branch=branch,
            defaults={"branch_version": branch_version, "version": version, "pacticipant": pacticipant,
                      "branch_name": branch_name},
        )
        # Branch.updated_at orders branch lists; the broker throttles this write to once a minute.
        if timezone.now() - branch.updated_at > timedelta(minutes=1):
            Branch.objects.filter(pk=branch.pk).update(updated_at=timezone.now())
        _main_branch_detect(pacticipant, branch_name)
    return branch_version, created


def tag_add(*, version: Version, name: str) -> tuple[Tag, bool]:
    """Tag a version, with the broker's side effects of a first tag (branch, main branch)."""
    had_tags = Tag.objects.filter(version=version).exists()
    tag, created = _create_or_get(
        Tag, {"version": version, "name": name},
        {"pacticipant_id": version.pacticipant_id, "version_order": version.order},
    )
    if created and not had_tags and settings.BROKER_USE_FIRST_TAG_AS_BRANCH:
        young = timezone.now() - version.created_at <= timedelta(
            seconds=settings.BROKER_FIRST_TAG_AS_BRANCH_SECONDS
        )
        if young and not BranchVersion.objects.filter(version=version).exists():
            branch_version_add(version=version, branch_name=name, auto_created=True)
    if created:
        _main_branch_detect(version.pacticipant, name)
        # A tag named like an environment records a deployment there (the broker's
        # create_deployed_versions_for_tags, kept for teams still on the tag workflow).
        from apps.environments.services import deployed_version_for_tag

        deployed_version_for_tag(version, name)
    return tag, created


def branch_heads_restore(*, branch_ids) -> None:
    """Give each of these branches that lost its head the highest-order branch version left."""
    for branch_id in Branch.objects.filter(pk__in=branch_ids, head__isnull=True).values_list("pk", flat=True):
        branch_version = (
            BranchVersion.objects.filter(branch_id=branch_id).order_by("-version_order", "-id").first()
        )
        if branch_version is not None:
            BranchHead.objects.create(
                branch_id=branch_id, branch_version=branch_version, version_id=branch_version.version_id,
                pacticipant_id=branch_version.pacticipant_id, branch_name=branch_version.branch_name,
            )


def _tags_replace(version: Version, names: list[str]) -> None:
    """Make the version's tags exactly `names` (the broker's PUT/PATCH of a version with `tags`)."""
    Tag.objects.filter(version=version).exclude(name__in=names).delete()
    for name in dict.fromkeys(names):
        tag_add(version=version, name=name)


@transaction.atomic
def version_create_or_update(*, pacticipant_name: str, number: str, attributes: dict,
                             replace: bool) -> tuple[Version, bool]:
    """PUT (replace=True: buildUrl overwritten, null when absent) or PATCH (only given properties).

    Tags are replaced only when the `tags` key is given; the version's order and createdAt never
    change. The pacticipant is created when missing.
    """
    pacticipant, _ = pacticipant_find_or_create(name=pacticipant_name)
    version, created = version_find_or_create(pacticipant=pacticipant, number=number)
    version.pacticipant = pacticipant
    if replace or "buildUrl" in attributes:
        if version.build_url != attributes.get("buildUrl"):
            version.build_url = attributes.get("buildUrl")
            version.save(update_fields=["build_url", "updated_at"])
    if "tags" in attributes:
        _tags_replace(version, [tag["name"] for tag in attributes["tags"] or []])
    return version, created


@transaction.atomic
def version_delete(*, version: Version) -> None:
    """Delete a version with its tags, branch versions, publications and verifications.

    Branches whose head was this version fall back to their highest-order remaining version.
    """
    branch_ids = list(BranchVersion.objects.filter(version=version).values_list("branch_id", flat=True))
    Version.objects.filter(pk=version.pk).delete()
    branch_heads_restore(branch_ids=branch_ids)


@transaction.atomic
def version_tag_create(*, pacticipant_name: str, number: str, tag_name: str) -> tuple[Tag, bool]:
    """PUT a tag: the pacticipant and the version are created when missing (as the broker does)."""
    pacticipant, _ = pacticipant_find_or_create(name=pacticipant_name)
    version, _ = version_find_or_create(pacticipant=pacticipant, number=number)
    version.pacticipant = pacticipant
    tag, created = tag_add(version=version, name=tag_name)
    tag.version = version
    return tag, created


@transaction.atomic
def tag_remove(*, tag: Tag) -> None:
    Tag.objects.filter(pk=tag.pk).delete()
