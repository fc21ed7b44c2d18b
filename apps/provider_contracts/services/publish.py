"""Publishing a provider contract: PactFlow's `POST /provider-contracts/provider/{p}/publish` and the
older `PUT /contracts/provider/{p}/version/{v}`.

In one transaction: the provider (found or created), its version with branch and tags (the same
set-based find-or-create as pact publishing), the content (stored once per distinct content, by the
SHA-256 of its bytes) and a publication carrying the provider's self-verification result. Any
content is accepted: a description that cannot be read, or breaks the OpenAPI specification, is
reported by the comparison (`spec.unparsable`, `spec.invalid`), never by refusing the publication.
The comparisons with the consumers' pacts run after commit in a Celery task (services/comparisons.py),
so publishing costs a few statements whatever the number of consumers.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import connection, transaction

from apps.accounts.audit import audit_entries_insert, audit_entry
from apps.contracts.models import Integration, Pacticipant, Version
from apps.contracts.services.find_or_create import (
    branch_version_find_or_create,
    found_audit_entries,
    pacticipants_find_or_create,
    tags_find_or_create,
    version_find_or_create,
)
from apps.provider_contracts import queueing
from apps.provider_contracts.models import ProviderContractPublication, ProviderContractVersion


@dataclass
class ContractToPublish:
    content: bytes
    content_type: str | None
    specification: str
    self_verification: dict = field(default_factory=dict)  # success, content (text), content_type, ...


@dataclass
class ProviderContractPublished:
    provider: Pacticipant
    version: Version
    version_created: bool
    branch: str | None
    tags: list[str]
    publication: ProviderContractPublication
    content_created: bool
    consumer_names: list[str]


_CONTENT_UPSERT = f"""
WITH new AS (
  INSERT INTO {ProviderContractVersion._meta.db_table} AS c
    (provider_id, sha, content, content_type, specification, created_at)
  VALUES (%s, %s, %s, %s, %s, now())
  ON CONFLICT (provider_id, sha) DO NOTHING
  RETURNING id, TRUE
)
SELECT * FROM new
UNION ALL
SELECT id, FALSE FROM {ProviderContractVersion._meta.db_table} WHERE provider_id = %s AND sha = %s
LIMIT 1
"""


def content_sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def provider_contract_publish(
    *,
    provider_name: str,
    version_number: str,
    contract: ContractToPublish,
    branch: str | None = None,
    tags: list[str] | tuple = (),
    build_url: str | None = None,
) -> ProviderContractPublished:
    """Publish a provider version's contract; the comparisons are scheduled after commit."""
    tags = list(dict.fromkeys(tags))
    with transaction.atomic(savepoint=False):
        provider = pacticipants_find_or_create(names=[provider_name])[provider_name]
        found = version_find_or_create(pacticipant=provider, number=version_number, build_url=build_url)
        branch_created = bool(branch) and branch_version_find_or_create(version=found.version, branch_name=branch)
        tags_created = tags_find_or_create(found=found, names=tags, branch_given=bool(branch))
        sha = content_sha(contract.content)
        # Looked up first: a content already stored (the usual re-publish) is not sent to the database again.
        contract_version_id = (
            ProviderContractVersion.objects.filter(provider=provider, sha=sha).values_list("id", flat=True).first()
        )
        content_created = False
        if contract_version_id is None:
            text = contract.content.decode("utf-8", errors="replace")
            with connection.cursor() as cursor:
                cursor.execute(
                    _CONTENT_UPSERT,
                    [provider.pk, sha, text, contract.content_type or "", contract.specification, provider.pk, sha],
                )
                contract_version_id, content_created = cursor.fetchone()
        results = contract.self_verification
        publication = ProviderContractPublication.objects.create(
            provider=provider,
            provider_version=found.version,
            contract_version_id=contract_version_id,
            self_verification_success=results.get("success"),
            self_verification_content=results.get("content"),
            self_verification_content_type=results.get("content_type"),
            self_verification_format=results.get("format"),
            verifier=results.get("verifier"),
            verifier_version=results.get("verifier_version"),
            build_url=build_url,
        )
        _audit(provider, found, publication, sha, branch if branch_created else None, tags_created)
        consumer_names = sorted(Integration.objects.filter(provider=provider).values_list("consumer__name", flat=True))
        schema_name = connection.schema_name
        transaction.on_commit(lambda: _comparisons_schedule(schema_name, publication.pk))
    return ProviderContractPublished(
        provider=provider,
        version=found.version,
        version_created=found.created,
        branch=branch,
        tags=tags,
        publication=publication,
        content_created=content_created,
        consumer_names=consumer_names,
    )


def _audit(provider, found, publication, sha: str, branch: str | None, tags_created: list[str]) -> None:
    """The request's entries (version, new branch and tags, the contract) with one statement."""
    number = found.version.number
    entries = found_audit_entries(pacticipant=provider, found=found, branch=branch, tags=tags_created)
    entries.append(
        audit_entry(
            action="provider_contract.published",
            target=("provider_contract", number, f"{provider.name} {number}"),
            details={
                "provider": provider.name,
                "providerVersion": number,
                "sha": sha,
                "selfVerificationSuccess": publication.self_verification_success,
            },
        )
    )
    audit_entries_insert(entries)


def _comparisons_schedule(schema_name: str, publication_id: int) -> None:
    queueing.queue_or_run(queueing.COMPARE_PUBLICATION, schema_name, publication_id)
