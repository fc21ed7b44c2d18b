"""Pacticipants and their labels: create, update (replace or merge), delete.

Deleting a pacticipant cascades through the foreign keys to everything that belongs to it (§8 of
the broker reference): its versions with their tags, branch versions, publications and
verifications; its branches, labels and integrations; and the pact contents and verifications in
which it is the consumer or the provider.
"""
from django.db import transaction

from apps.contracts.models import Label, Pacticipant
from apps.contracts.names import display_name_generate
from apps.contracts.services.find_or_create import pacticipant_find_or_create

# API property -> model field, for the properties a user may set.
PACTICIPANT_ATTRIBUTES = {
    "displayName": "display_name",
    "repositoryUrl": "repository_url",
    "repositoryName": "repository_name",
    "repositoryNamespace": "repository_namespace",
    "mainBranch": "main_branch",
}


def _attributes_apply(pacticipant: Pacticipant, attributes: dict, *, replace: bool) -> None:
    for key, field in PACTICIPANT_ATTRIBUTES.items():
        if replace or key in attributes:
            setattr(pacticipant, field, attributes.get(key))
    # The broker stores a blank main branch as NULL and always has a display name.
    if not pacticipant.main_branch:
        pacticipant.main_branch = None
    if not (pacticipant.display_name or "").strip():
        pacticipant.display_name = display_name_generate(pacticipant.name)


@transaction.atomic
def pacticipant_create(*, name: str, attributes: dict) -> Pacticipant:
    existing = Pacticipant.objects.filter(name=name).first()
    if existing is not None:  # the broker inserts-or-ignores: the existing one, unchanged (201)
        return existing
    pacticipant = Pacticipant(name=name)
    _attributes_apply(pacticipant, attributes, replace=False)
    pacticipant.save()
    return pacticipant


@transaction.atomic
def pacticipant_update(*, pacticipant: Pacticipant, attributes: dict, replace: bool) -> Pacticipant:
    """PUT replaces every property (absent ones become null); PATCH changes only those given."""
    _attributes_apply(pacticipant, attributes, replace=replace)
    pacticipant.save()
    return pacticipant


@transaction.atomic
def pacticipant_delete(*, pacticipant: Pacticipant) -> None:
    Pacticipant.objects.filter(pk=pacticipant.pk).delete()


@transaction.atomic
def label_add(*, pacticipant_name: str, name: str) -> tuple[Label, bool]:
    """Label a pacticipant, creating the pacticipant if needed (as the broker's PUT label does)."""
    pacticipant = pacticipant_find_or_create(name=pacticipant_name)
    label, created = Label.objects.get_or_create(pacticipant=pacticipant, name=name)
    label.pacticipant = pacticipant
    return label, created


@transaction.atomic
def label_remove(*, label: Label) -> None:
    Label.objects.filter(pk=label.pk).delete()
