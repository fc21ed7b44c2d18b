"""Reads of secrets (names and descriptions only: values are decrypted by `services` alone)."""

from apps.secrets.models import Secret


def secrets_list() -> list[Secret]:
    return list(Secret.objects.order_by("name").select_related("team"))


def secret_find(uuid: str) -> Secret | None:
    return Secret.objects.filter(uuid=uuid).select_related("team").first()
