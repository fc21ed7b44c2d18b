"""Deleting integrations: one consumer-provider pair, or everything (`DELETE /integrations`)."""

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from apps.accounts.audit import audit_record
from apps.contracts import hooks
from apps.contracts.models import Integration, Pacticipant, PactPublication, PactVersion, Version


def integration_delete(*, consumer: Pacticipant, provider: Pacticipant) -> None:
    """Remove everything the pair published and verified, as the broker does.

    Content rows go (cascading to publications, latest rows and verifications), then the versions of
    either side that no longer have a pact or a verification, the integration, and each pacticipant
    that is left with no versions and no integrations (the verifications app keeps its provider
    versions through `hooks.version_keeper_register`).
    """
    with transaction.atomic():
        PactVersion.objects.filter(consumer=consumer, provider=provider).delete()
        Integration.objects.filter(consumer=consumer, provider=provider).delete()
        Version.objects.filter(pacticipant__in=[consumer, provider]).filter(
            ~Exists(PactPublication.objects.filter(consumer_version=OuterRef("pk"))),
            *[~in_use for in_use in hooks.version_keepers()],
        ).delete()
        for pacticipant in (consumer, provider):
            orphan = (
                not Version.objects.filter(pacticipant=pacticipant).exists()
                and not Integration.objects.filter(Q(consumer=pacticipant) | Q(provider=pacticipant)).exists()
            )
            if orphan:
                Pacticipant.objects.filter(pk=pacticipant.pk).delete()
        label = f"{consumer.name} / {provider.name}"
        audit_record(
            action="integration.deleted",
            target=("integration", label, label),
            details={"consumer": consumer.name, "provider": provider.name},
        )


def integrations_delete_all() -> None:
    """Delete all pacticipant data of the organisation (the broker truncates the same tables).

    TRUNCATE ... CASCADE empties every table that references pacticipants, in this tenant's schema
    only (the search_path is the tenant's), without loading rows into Python.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # Django's foreign keys are deferred; PostgreSQL refuses TRUNCATE while checks are pending in
        # the transaction, so run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(Pacticipant._meta.db_table)} CASCADE")
        audit_record(action="integrations.deleted_all", target=("integration", "*", "all integrations"))
