"""Recording verification results (`POST .../pact-version/{sha}[/metadata/{m}]/verification-results`).

A result attaches to pact *content* (PactVersion) and a provider version (found or created by
number; clients must create its branch and tags first, the broker never does it here). In one
transaction it writes the verification (number from the global sequence, snapshot of the provider
version's tags), upserts `LatestVerification` for (content, provider version), records successful
results per provider tag (`SuccessfulVerificationForProviderTag`, insert-ignore) and touches the
integration, in three statements. The hook `events.verification_published` runs after commit.

`verification_delete` removes one result with its triggered webhooks and their logs (as the broker's
`Verifications::Service.delete`; no webhook event is fired) and puts the head rows back the way
publishing would have left them without it: `LatestVerification` of its (content, provider version)
falls back to the newest remaining result, and `SuccessfulVerificationForProviderTag` rows it held go
to the earliest remaining successful result with that tag.
"""

import json
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.audit import audit_record
from apps.contracts.metadata import consumer_version_ids
from apps.contracts.models import Integration
from apps.contracts.services.find_or_create import version_find_or_create
from apps.core.errors import NotFound
from apps.verifications import events, queries
from apps.verifications.models import LatestVerification, SuccessfulVerificationForProviderTag, Verification


def _text(value) -> str | None:
    return None if value is None else str(value)[:255]


_RECORD = f"""
WITH v AS (
  INSERT INTO {Verification._meta.db_table} (
    success, provider_version_id, pact_version_id, consumer_id, provider_id, build_url, execution_date,
    created_at, test_results, wip, pact_pending, consumer_version_selector_hashes, tag_names,
    verified_by_implementation, verified_by_version, verified_by_client_implementation,
    verified_by_client_version, verified_by_client_test_framework)
  VALUES (%(success)s, %(provider_version)s, %(pact_version)s, %(consumer)s, %(provider)s, %(build_url)s,
    %(execution_date)s, %(now)s, %(test_results)s::jsonb, %(wip)s, %(pending)s, %(selectors)s::jsonb,
    %(tag_names)s::jsonb, %(implementation)s, %(implementation_version)s, %(client_implementation)s,
    %(client_version)s, %(client_test_framework)s)
  RETURNING id, number
), latest AS (
  INSERT INTO {LatestVerification._meta.db_table}
    (pact_version_id, provider_version_id, verification_id, consumer_id, provider_id, created_at)
  SELECT %(pact_version)s, %(provider_version)s, v.id, %(consumer)s, %(provider)s, %(now)s FROM v
  ON CONFLICT (pact_version_id, provider_version_id)
    DO UPDATE SET verification_id = EXCLUDED.verification_id, created_at = EXCLUDED.created_at
), per_tag AS (
  INSERT INTO {SuccessfulVerificationForProviderTag._meta.db_table}
    (pact_version_id, provider_version_tag_name, wip, verification_id, execution_date)
  SELECT %(pact_version)s, tag, %(wip)s, v.id, %(execution_date)s
    FROM v CROSS JOIN unnest(%(successful_tags)s::text[]) AS tag
  ON CONFLICT (pact_version_id, provider_version_tag_name, wip) DO NOTHING
), touched AS (
  -- At most once a second: a burst of results for one integration does not queue on its row lock.
  UPDATE {Integration._meta.db_table} SET contract_data_updated_at = %(now)s
   WHERE consumer_id = %(consumer)s AND provider_id = %(provider)s
     AND (contract_data_updated_at IS NULL OR contract_data_updated_at < %(now)s - interval '1 second')
)
SELECT id, number FROM v
"""


def _json(value):
    return None if value is None else json.dumps(value)


def verification_record(
    *,
    consumer_name: str,
    provider_name: str,
    pact_version_sha: str,
    success: bool,
    provider_version_number: str,
    metadata: dict | None = None,
    build_url: str | None = None,
    test_results=None,
    execution_date: datetime | None = None,
    verified_by: dict | None = None,
    created_at: datetime | None = None,
    announce: bool = True,
) -> Verification:
    """Record one verification result. Raises NotFound when the pact content does not exist.

    Three statements: the pact content (with the numbers the answer and the event need), the
    provider version (with its tags), and one statement writing the verification, its
    latest-per-provider-version row, its per-tag success rows and the integration's timestamp.
    The returned verification carries `pact_consumer_version_number` (names the pact in the body).

    `created_at` (when the result was published, if not now) and `announce=False` (no event, so no
    webhook fires) are for an import of another broker's history (apps/broker_import).
    """
    metadata = metadata or {}
    verified_by = verified_by or {}
    # No savepoint: inside a request's transaction any failure rolls the whole request back.
    with transaction.atomic(savepoint=False):
        pact_version = queries.pact_version_for_verification(
            consumer_name, provider_name, pact_version_sha, consumer_version_ids(metadata)
        )
        if pact_version is None:
            raise NotFound()
        provider = pact_version.provider
        found = version_find_or_create(pacticipant=provider, number=provider_version_number)
        provider_version, tag_names = found.version, found.tag_names
        wip = str(metadata.get("w", "")).lower() == "true"
        pending = metadata.get("p")
        now = created_at or timezone.now()
        verification = Verification(
            success=success,
            provider_version=provider_version,
            pact_version=pact_version,
            consumer_id=pact_version.consumer_id,
            provider=provider,
            build_url=build_url,
            execution_date=execution_date or now,
            created_at=now,
            test_results=test_results,
            wip=wip,
            pact_pending=None if pending is None else str(pending).lower() == "true",
            consumer_version_selector_hashes=metadata.get("s") or None,
            tag_names=tag_names,
            verified_by_implementation=_text(verified_by.get("implementation")),
            verified_by_version=_text(verified_by.get("version")),
            verified_by_client_implementation=_text(verified_by.get("client_implementation")),
            verified_by_client_version=_text(verified_by.get("client_version")),
            verified_by_client_test_framework=_text(verified_by.get("client_test_framework")),
        )
        with connection.cursor() as cursor:
            cursor.execute(
                _RECORD,
                {
                    "success": success,
                    "provider_version": provider_version.pk,
                    "pact_version": pact_version.pk,
                    "consumer": pact_version.consumer_id,
                    "provider": provider.pk,
                    "build_url": build_url,
                    "execution_date": verification.execution_date,
                    "now": now,
                    "test_results": _json(test_results),
                    "wip": wip,
                    "pending": verification.pact_pending,
                    "selectors": _json(verification.consumer_version_selector_hashes),
                    "tag_names": _json(tag_names),
                    "implementation": verification.verified_by_implementation,
                    "implementation_version": verification.verified_by_version,
                    "client_implementation": verification.verified_by_client_implementation,
                    "client_version": verification.verified_by_client_version,
                    "client_test_framework": verification.verified_by_client_test_framework,
                    "successful_tags": tag_names if success else [],
                },
            )
            verification.pk, verification.number = cursor.fetchone()
        verification._state.adding = False
        consumer_versions = tuple(pact_version.selected_consumer_version_numbers or ())
        if metadata.get("cvn"):
            consumer_versions = (*consumer_versions, metadata["cvn"])
        event = events.VerificationPublished(
            schema_name=connection.schema_name,
            verification_id=verification.pk,
            verification_number=verification.number,
            success=success,
            consumer_name=consumer_name,
            provider_name=provider_name,
            pact_version_sha=pact_version_sha,
            provider_version_number=provider_version_number,
            provider_version_tags=tuple(tag_names),
            consumer_version_numbers=consumer_versions,
            build_url=build_url,
            wip=wip,
            pending=verification.pact_pending,
        )
        if announce:
            events.verification_published(event)  # inside the transaction: listeners record an outbox row
        audit_record(
            action="verification.published",
            target=("verification", str(verification.number), f"{provider_name} {provider_version_number}"),
            details={
                "consumer": consumer_name,
                "provider": provider_name,
                "providerVersion": provider_version_number,
                "pactVersionSha": pact_version_sha,
                "number": verification.number,
                "success": success,
            },
        )
    verification.consumer = pact_version.consumer
    verification.pact_consumer_version_number = pact_version.latest_consumer_version_number
    return verification


_LATEST_RESTORE = f"""
INSERT INTO {LatestVerification._meta.db_table} AS lv
    (pact_version_id, provider_version_id, verification_id, consumer_id, provider_id, created_at)
SELECT v.pact_version_id, v.provider_version_id, v.id, v.consumer_id, v.provider_id, v.created_at
FROM {Verification._meta.db_table} v
WHERE v.pact_version_id = %s AND v.provider_version_id = %s
ORDER BY v.id DESC LIMIT 1
ON CONFLICT (pact_version_id, provider_version_id) DO UPDATE
    SET verification_id = EXCLUDED.verification_id, created_at = EXCLUDED.created_at
    WHERE lv.verification_id < EXCLUDED.verification_id
"""

_SUCCESSFUL_TAGS_RESTORE = f"""
INSERT INTO {SuccessfulVerificationForProviderTag._meta.db_table}
    (pact_version_id, provider_version_tag_name, wip, verification_id, execution_date)
SELECT DISTINCT ON (t.name) v.pact_version_id, t.name, v.wip, v.id, v.execution_date
FROM {Verification._meta.db_table} v
CROSS JOIN LATERAL jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(v.tag_names) = 'array' THEN v.tag_names ELSE '[]'::jsonb END) AS t(name)
WHERE v.pact_version_id = %s AND v.wip = %s AND v.success AND t.name = ANY(%s)
ORDER BY t.name, v.id
ON CONFLICT (pact_version_id, provider_version_tag_name, wip) DO NOTHING
"""


def verification_delete(*, consumer_name: str, provider_name: str, pact_version_sha: str, number: int) -> None:
    """Delete one verification result (`DELETE .../verification-results/{number}`). Raises NotFound."""
    with transaction.atomic():
        verification = (
            Verification.objects.select_for_update(of=("self",))
            .filter(
                consumer__name=consumer_name,
                provider__name=provider_name,
                pact_version__sha=pact_version_sha,
                number=number,
            )
            .only("id", "pact_version_id", "provider_version_id", "success", "wip", "tag_names")
            .first()
        )
        if verification is None:
            raise NotFound()
        # The ORM's cascade also removes its LatestVerification and SuccessfulVerificationForProviderTag
        # rows and its triggered webhooks with their executions.
        Verification.objects.filter(pk=verification.pk).delete()
        audit_record(
            action="verification.deleted",
            target=("verification", str(number), f"{consumer_name} → {provider_name} #{number}"),
            details={
                "consumer": consumer_name,
                "provider": provider_name,
                "pactVersionSha": pact_version_sha,
                "number": number,
            },
        )
        with connection.cursor() as cursor:
            cursor.execute(_LATEST_RESTORE, [verification.pact_version_id, verification.provider_version_id])
            if verification.success and verification.tag_names:
                cursor.execute(
                    _SUCCESSFUL_TAGS_RESTORE,
                    [verification.pact_version_id, verification.wip, list(verification.tag_names)],
                )
