"""Branches and branch versions: add a version to a branch, remove it, delete branches.

A branch head is the most recently *added* branch version (see `find_or_create.py`). Only when the
head's version or branch version disappears is the head recomputed, and then it becomes the
remaining branch version with the highest version order (§1.1 of the broker reference).
"""

from django.db import transaction

from apps.accounts.audit import audit_record
from apps.contracts.models import Branch, BranchVersion, Pacticipant
from apps.contracts.services.find_or_create import (
    branch_version_find_or_create,
    pacticipant_find_or_create,
    version_find_or_create,
)
from apps.contracts.services.versions import branch_heads_restore


@transaction.atomic
def branch_version_create(*, pacticipant_name: str, branch_name: str, number: str) -> tuple[BranchVersion, bool]:
    """PUT a version on a branch: pacticipant, version and branch are created when missing."""
    pacticipant = pacticipant_find_or_create(name=pacticipant_name)
    version = version_find_or_create(pacticipant=pacticipant, number=number).version
    # Repeating the PUT changes nothing: not even the branch's updatedAt, which publishing bumps.
    created = not _branch_version_exists(version, branch_name) and branch_version_find_or_create(
        version=version, branch_name=branch_name
    )
    branch_version = BranchVersion.objects.select_related("branch").get(version=version, branch_name=branch_name)
    branch_version.version = version
    branch_version.pacticipant = pacticipant
    if created:
        audit_record(
            action="branch_version.created",
            target=_branch_target(pacticipant.name, branch_name),
            details={"pacticipant": pacticipant.name, "branch": branch_name, "version": number},
        )
    return branch_version, created


def _branch_target(pacticipant_name: str, branch_name: str) -> tuple:
    return ("branch", branch_name, f"{pacticipant_name} {branch_name}")


def _branch_version_exists(version, branch_name: str) -> bool:
    return BranchVersion.objects.filter(version=version, branch_name=branch_name).exists()


@transaction.atomic
def branch_version_remove(*, branch_version: BranchVersion) -> None:
    """Take a version off a branch (the version stays); the head moves back if it was this one."""
    branch_id = branch_version.branch_id
    BranchVersion.objects.filter(pk=branch_version.pk).delete()
    branch_heads_restore(branch_ids=[branch_id])
    pacticipant_name = branch_version.pacticipant.name
    audit_record(
        action="branch_version.deleted",
        target=_branch_target(pacticipant_name, branch_version.branch_name),
        details={
            "pacticipant": pacticipant_name,
            "branch": branch_version.branch_name,
            "version": branch_version.version.number,
        },
    )


@transaction.atomic
def branch_delete(*, branch: Branch) -> None:
    """Delete a branch with its branch versions and head; the versions themselves are kept."""
    Branch.objects.filter(pk=branch.pk).delete()
    audit_record(
        action="branch.deleted",
        target=_branch_target(branch.pacticipant.name, branch.name),
        details={"pacticipant": branch.pacticipant.name, "branch": branch.name},
    )


def branches_to_delete(pacticipant: Pacticipant, *, exclude: list[str]):
    """Every branch but the excluded ones and the main branch, which bulk deletion always keeps."""
    keep = set(exclude)
    if pacticipant.main_branch:
        keep.add(pacticipant.main_branch)
    return Branch.objects.filter(pacticipant=pacticipant).exclude(name__in=keep)


@transaction.atomic
def branches_delete_except(*, pacticipant: Pacticipant, exclude: list[str]) -> tuple[int, list[str]]:
    """Bulk delete; returns (how many were deleted, names of the remaining branches by creation)."""
    doomed = branches_to_delete(pacticipant, exclude=exclude)
    names = list(doomed.order_by("name").values_list("name", flat=True))
    count = len(names)
    doomed.delete()
    audit_record(
        action="branches.deleted",
        target=("pacticipant", pacticipant.name, pacticipant.name),
        details={"pacticipant": pacticipant.name, "branches": names},
    )
    remaining = list(
        Branch.objects.filter(pacticipant=pacticipant).order_by("created_at", "id").values_list("name", flat=True)
    )
    return count, remaining
