"""Writes on roles. Built-in roles are fixed (their permissions come from code); custom roles are
made of the same named permissions."""

from django.db import transaction

from apps.accounts import permissions, preferences
from apps.accounts.audit import audit_record
from apps.accounts.models import Role, User
from apps.accounts.services.delegation import grant_check, role_change_check
from apps.accounts.services.errors import IdentityError
from apps.accounts.services.preferences import preference_reference_drop


def _clean(*, name: str, permission_names, role: Role | None = None) -> tuple[str, list[str]]:
    name = (name or "").strip()
    if not name:
        raise IdentityError("name", "Give the role a name.")
    clash = Role.objects.filter(name__iexact=name)
    if role is not None:
        clash = clash.exclude(pk=role.pk)
    if clash.exists():
        raise IdentityError("name", f"There is already a role called {name}.")
    chosen = list(dict.fromkeys(permission_names or []))
    unknown = [scope for scope in chosen if scope not in permissions.ALL_PERMISSIONS]
    if unknown:
        raise IdentityError("permissions", f"Unknown permission: {', '.join(unknown)}.")
    return name, sorted(chosen)


def _fixed_check(role: Role, what: str) -> None:
    if role.builtin:
        raise IdentityError("role", f"{role.name} is a built-in role and cannot be {what}.")


@transaction.atomic
def role_create(*, actor, name: str, permission_names, description: str = "") -> Role:
    name, chosen = _clean(name=name, permission_names=permission_names)
    grant_check(actor=actor, granted=chosen, field="permissions")
    role = Role.objects.create(name=name, description=(description or "").strip()[:500], permissions=chosen)
    audit_record(actor=actor, action="role.created", target=role, details={"permissions": chosen})
    return role


@transaction.atomic
def role_update(*, actor, role: Role, name: str, permission_names, description: str = "") -> Role:
    _fixed_check(role, "changed")
    role_change_check(actor=actor, role=role)
    name, chosen = _clean(name=name, permission_names=permission_names, role=role)
    grant_check(actor=actor, granted=chosen, field="permissions")
    details = {
        "before": {"name": role.name, "permissions": role.permissions},
        "after": {"name": name, "permissions": chosen},
    }
    role.name, role.permissions, role.description = name, chosen, (description or "").strip()[:500]
    role.save()
    audit_record(actor=actor, action="role.updated", target=role, details=details)
    return role


@transaction.atomic
def role_delete(*, actor, role: Role) -> None:
    """People holding the role lose it (and what it granted) at once."""
    _fixed_check(role, "deleted")
    role_change_check(actor=actor, role=role)
    holders = list(User.objects.filter(roles=role).values_list("email", flat=True))
    audit_record(
        actor=actor,
        action="role.deleted",
        target=role,
        details={"permissions": role.permissions, "heldBy": holders},
    )
    preference_reference_drop(name=preferences.DEFAULT_ROLE, uuid=role.uuid)
    role.delete()


@transaction.atomic
def roles_reset(*, actor) -> list[Role]:
    """(Re)create the built-in roles with their names and descriptions from code (PactFlow's
    `POST /admin/roles/reset`). Custom roles are left alone; a custom role squatting on a built-in
    name is renamed so the built-in one can have it."""
    roles = []
    for key, builtin in permissions.BUILTIN_ROLES.items():
        Role.objects.filter(name=builtin.name, key__isnull=True).update(name=f"{builtin.name} (custom)")
        role, _ = Role.objects.update_or_create(
            key=key,
            defaults={
                "name": builtin.name,
                "description": builtin.description,
                "permissions": sorted(builtin.permissions),
            },
        )
        roles.append(role)
    audit_record(actor=actor, action="role.builtin_reset", target=("role", "", "built-in roles"))
    return roles
