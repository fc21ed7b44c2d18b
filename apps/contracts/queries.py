"""Reads on pacticipants and versions used across apps."""
from apps.contracts.models import BranchHead, Pacticipant, Tag, Version


def pacticipant_find(name: str) -> Pacticipant | None:
    """Exact, case-sensitive lookup (the broker's default `use_case_sensitive_resource_names`)."""
    return Pacticipant.objects.filter(name=name).first()


def version_find(pacticipant: Pacticipant, number: str) -> Version | None:
    return Version.objects.filter(pacticipant=pacticipant, number=number).first()


def latest_version(pacticipant: Pacticipant) -> Version | None:
    return Version.objects.filter(pacticipant=pacticipant).order_by("-order").first()


def latest_version_with_tag(pacticipant: Pacticipant, tag: str) -> Version | None:
    tag_row = (
        Tag.objects.filter(pacticipant=pacticipant, name=tag).order_by("-version_order")
        .select_related("version").first()
    )
    return tag_row.version if tag_row else None


def branch_head_version(pacticipant: Pacticipant, branch: str) -> Version | None:
    head = BranchHead.objects.filter(pacticipant=pacticipant, branch_name=branch).select_related("version").first()
    return head.version if head else None
