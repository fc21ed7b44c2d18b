"""Writes on the contracts domain. Import from here (`from apps.contracts import services`); the
submodules are split by concept (pacticipants, versions, branches, pacts, publishing, ...).
`content` (the pact content codec) and `version_order` are the building blocks these writes share."""

from apps.contracts.services.branches import (
    branch_delete,
    branch_version_create,
    branch_version_remove,
    branches_delete_except,
)
from apps.contracts.services.contracts import ContractToPublish, contracts_publish
from apps.contracts.services.find_or_create import (
    branch_version_find_or_create,
    pacticipant_find_or_create,
    pacticipants_find_or_create,
    tags_find_or_create,
    version_find_or_create,
)
from apps.contracts.services.integrations import integration_delete, integrations_delete_all
from apps.contracts.services.pacticipants import (
    label_add,
    label_remove,
    pacticipant_create,
    pacticipant_delete,
    pacticipant_update,
)
from apps.contracts.services.pacts import pact_delete, pact_publications_delete, pact_publish
from apps.contracts.services.versions import tag_remove, version_create_or_update, version_delete, version_tag_create

__all__ = [
    "ContractToPublish",
    "branch_delete",
    "branch_version_create",
    "branch_version_find_or_create",
    "branch_version_remove",
    "branches_delete_except",
    "contracts_publish",
    "integration_delete",
    "integrations_delete_all",
    "label_add",
    "label_remove",
    "pact_delete",
    "pact_publications_delete",
    "pact_publish",
    "pacticipant_create",
    "pacticipant_delete",
    "pacticipant_find_or_create",
    "pacticipant_update",
    "pacticipants_find_or_create",
    "tag_remove",
    "tags_find_or_create",
    "version_create_or_update",
    "version_delete",
    "version_find_or_create",
    "version_tag_create",
]
