"""The organisation archive: what `org_export` writes and `org_import` reads.

A gzipped tar file:

- `manifest.json`: format, organisation, when, the source's migrations, and for every other file its
  SHA-256, size in bytes, row count and (for data files) the columns of each line; plus what was
  deliberately left out (`not_included`): secret names, webhooks whose password was removed, how many
  API tokens there were.
- `data/<resource>.jsonl`: one JSON object per row, in primary-key order, exactly as PostgreSQL
  renders the row (`row_to_json`), so that an import writes the same values back
  (`json_populate_recordset`) and a second export of the copy is byte-identical.
- `pacts/<id>.json`: each distinct pact content, byte for byte as stored (its SHA and the
  verifications attached to it survive); `data/pact_versions.jsonl` holds the rest of the row.

Resources are listed in the order an import writes them (parents before children). Row ids are kept:
the copy goes into a new, empty organisation schema, and ids appear in URLs (verification numbers,
triggered webhooks), so keeping them is what makes the API answer the same.

Never in an archive: secret values (nor their ciphertext or data keys), API token digests, user
password hashes and invitation keys, webhook passwords and literal credentials in webhook headers
(Authorization, *Token*; a `${user.NAME}` template stays), SSO settings (they hold private keys and
client secrets), sessions, login throttles, and the webhook outbox (transient).
"""

from dataclasses import dataclass, field

from django.db import models

from apps.accounts.models import AuditEvent, Role, Team, TeamPacticipant, User
from apps.contracts.models import (
    Branch,
    BranchHead,
    BranchVersion,
    Integration,
    Label,
    LatestPactPublication,
    Pacticipant,
    PactPublication,
    PactVersion,
    Tag,
    Version,
)
from apps.environments.models import CurrentlyDeployedVersion, DeployedVersion, Environment, ReleasedVersion
from apps.provider_contracts.models import (
    Comparison,
    ComparisonVerification,
    ProviderContractPublication,
    ProviderContractVersion,
)
from apps.verifications.models import LatestVerification, SuccessfulVerificationForProviderTag, Verification
from apps.webhooks.models import TriggeredWebhook, Webhook, WebhookExecution

FORMAT = 1
CONTENT_COLUMN = "content"  # of pact_versions: written to pacts/<id>.json instead


@dataclass(frozen=True)
class Resource:
    name: str  # data/<name>.jsonl
    model: type[models.Model]
    exclude: frozenset[str] = frozenset()
    # SQL for NOT NULL columns that are never exported (e.g. an unusable password).
    fill: dict[str, str] = field(default_factory=dict)

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.model._meta.concrete_fields if f.column not in self.exclude]

    @property
    def has_id(self) -> bool:
        return self.model._meta.pk.column == "id"


def _through(model, name: str) -> type[models.Model]:
    return model._meta.get_field(name).remote_field.through


RESOURCES = [
    # People first: pacticipants, webhooks and others name the user who created them, and the import
    # checks every foreign key at once (SET CONSTRAINTS ALL IMMEDIATE).
    Resource("roles", Role),
    Resource(
        "users",
        User,
        exclude=frozenset({"password", "invitation_key"}),
        fill={"password": "'!' || md5(random()::text)", "invitation_key": "''"},
    ),
    Resource("user_roles", _through(User, "roles")),
    Resource("pacticipants", Pacticipant),
    Resource("labels", Label),
    Resource("versions", Version),
    Resource("branches", Branch),
    Resource("branch_versions", BranchVersion),
    Resource("branch_heads", BranchHead),
    Resource("tags", Tag),
    Resource("pact_versions", PactVersion, exclude=frozenset({CONTENT_COLUMN})),
    Resource("pact_publications", PactPublication),
    Resource("latest_pact_publications", LatestPactPublication),
    Resource("integrations", Integration),
    Resource("verifications", Verification),
    Resource("latest_verifications", LatestVerification),
    Resource("successful_verifications_for_provider_tags", SuccessfulVerificationForProviderTag),
    Resource("environments", Environment),
    Resource("deployed_versions", DeployedVersion),
    Resource("currently_deployed_versions", CurrentlyDeployedVersion),
    Resource("released_versions", ReleasedVersion),
    Resource("provider_contract_versions", ProviderContractVersion),
    Resource("provider_contract_publications", ProviderContractPublication),
    Resource("comparisons", Comparison),
    Resource("comparison_verifications", ComparisonVerification),
    Resource("webhooks", Webhook, exclude=frozenset({"password"})),
    Resource("triggered_webhooks", TriggeredWebhook),
    Resource("webhook_executions", WebhookExecution),
    Resource("teams", Team),
    Resource("team_members", _through(Team, "members")),
    Resource("team_pacticipants", TeamPacticipant),
    Resource("audit_events", AuditEvent),
]
BY_NAME = {resource.name: resource for resource in RESOURCES}
# Sequences that are not a table's own id sequence, moved past the imported values.
SEQUENCES = {
    "contracts_version_order_seq": ("contracts_version", "order"),
    "verifications_number_seq": ("verifications_verification", "number"),
}


def data_path(name: str) -> str:
    return f"data/{name}.jsonl"


def pact_path(pact_version_id: int) -> str:
    return f"pacts/{pact_version_id}.json"
