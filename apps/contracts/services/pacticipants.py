"""Pacticipants and their labels: create, update (replace or merge), delete.

Deleting a pacticipant cascades through the foreign keys to everything that belongs to it (§8 of
the broker reference): its versions with their tags, branch versions, publications and
verifications; its branches, labels and integrations; and the pact contents and verifications in
which it is the consumer or the provider.
"""

from datetime import datetime

from django.db import transaction

from apps.accounts.audit import audit_record, changes
from apps.accounts.permissions import acting_user
from apps.accounts.services import team_default_join
from apps.contracts.models import Label, Pacticipant
from apps.contracts.names import display_name_generate
from apps.contracts.services.find_or_create import pacticipant_find_or_create

# The pacticipant fields a user may set (the API's properties are parsed in apps/contracts/api/contracts.py).
PACTICIPANT_FIELDS = ("display_name", "repository_url", "repository_name", "repository_namespace", "main_branch")


def _target(pacticipant: Pacticipant) -> tuple:
    return ("pacticipant", pacticipant.name, pacticipant.name)


def _fields(pacticipant: Pacticipant) -> dict:
    return {field: getattr(pacticipant, field) for field in PACTICIPANT_FIELDS}


def _attributes_apply(pacticipant: Pacticipant, attributes: dict[str, str | None], *, replace: bool) -> None:
    unknown = set(attributes) - set(PACTICIPANT_FIELDS)
    if unknown:  # a caller's mistake (e.g. the API's camelCase names), never silently ignored
        raise TypeError(f"not pacticipant fields: {sorted(unknown)}")
    for field in PACTICIPANT_FIELDS:
        if replace or field in attributes:
            setattr(pacticipant, field, attributes.get(field))
    # The broker stores a blank main branch as NULL and always has a display name.
    if not pacticipant.main_branch:
        pacticipant.main_branch = None
    if not (pacticipant.display_name or "").strip():
        pacticipant.display_name = display_name_generate(pacticipant.name)


@transaction.atomic
def pacticipant_create(
    *, name: str, attributes: dict[str, str | None], created_at: datetime | None = None
) -> Pacticipant:
    """`attributes`: values of PACTICIPANT_FIELDS, by field name (absent ones are left empty).
    `created_at`: the creation time when not now (an import from another broker keeps it)."""
    existing = Pacticipant.objects.filter(name=name).first()
    if existing is not None:  # the broker inserts-or-ignores: the existing one, unchanged (201)
        return existing
    pacticipant = Pacticipant(name=name, created_by=acting_user())
    _attributes_apply(pacticipant, attributes, replace=False)
    pacticipant.save()
    team_default_join(pacticipant_names=[name])
    if created_at is not None:  # auto_now_add/auto_now set "now" on the way in
        Pacticipant.objects.filter(pk=pacticipant.pk).update(created_at=created_at, updated_at=created_at)
        pacticipant.created_at = pacticipant.updated_at = created_at
    audit_record(action="pacticipant.created", target=_target(pacticipant), details=_fields(pacticipant))
    return pacticipant


@transaction.atomic
def pacticipant_update(*, pacticipant: Pacticipant, attributes: dict[str, str | None], replace: bool) -> Pacticipant:
    """`attributes` by field name, as for `pacticipant_create`. PUT (replace) sets every field (absent
    ones become null); PATCH changes only those given."""
    before = _fields(pacticipant)
    _attributes_apply(pacticipant, attributes, replace=replace)
    pacticipant.save()
    audit_record(
        action="pacticipant.updated", target=_target(pacticipant), details=changes(before, _fields(pacticipant))
    )
    return pacticipant


@transaction.atomic
def pacticipant_delete(*, pacticipant: Pacticipant) -> None:
    Pacticipant.objects.filter(pk=pacticipant.pk).delete()
    audit_record(action="pacticipant.deleted", target=_target(pacticipant))


@transaction.atomic
def label_add(*, pacticipant_name: str, name: str) -> tuple[Label, bool]:
    """Label a pacticipant, creating the pacticipant if needed (as the broker's PUT label does)."""
    pacticipant = pacticipant_find_or_create(name=pacticipant_name)
    label, created = Label.objects.get_or_create(pacticipant=pacticipant, name=name)
    label.pacticipant = pacticipant
    if created:
        audit_record(action="label.added", target=("label", name, name), details={"pacticipant": pacticipant.name})
    return label, created


@transaction.atomic
def label_remove(*, label: Label) -> None:
    Label.objects.filter(pk=label.pk).delete()
    audit_record(
        action="label.removed",
        target=("label", label.name, label.name),
        details={"pacticipant": label.pacticipant.name},
    )
