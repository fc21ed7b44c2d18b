"""Shared bits of the settings pages (the permission gate is `apps.accounts.permissions.require_permission`)."""

from apps.accounts.permissions import user_has_permission


def can(request, permission: str) -> bool:
    return user_has_permission(request.user, permission)
