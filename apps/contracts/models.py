"""The Pact Broker's domain: pacticipants, versions, branches, tags, labels and pacts.

Tables mirror the open-source broker's (see shared/reference/pact-broker-api.md §1) so that its
rules carry over. Pact content is stored once per distinct content (`PactVersion`); publications
point at it. "Latest" rows are kept current on write (`LatestPactPublication`, `BranchHead`)
instead of being computed from history at read time.
"""

from django.db import models
from django.db.models import F, Func, Value


def _nextval(sequence: str):
    return Func(Value(sequence), function="nextval", output_field=models.BigIntegerField())


VERSION_ORDER_SEQUENCE = "contracts_version_order_seq"


class Pacticipant(models.Model):
    name = models.CharField(max_length=255, unique=True)
    display_name = models.CharField(max_length=255, null=True, blank=True)
    repository_url = models.TextField(null=True, blank=True)
    repository_name = models.CharField(max_length=255, null=True, blank=True)
    repository_namespace = models.CharField(max_length=255, null=True, blank=True)
    main_branch = models.CharField(max_length=255, null=True, blank=True)
    # Who created it: `contract_data:*:own` grants cover what one created (PactFlow's rule).
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(models.functions.Lower("name"), name="pacticipant_lower_name")]

    def __str__(self) -> str:
        return self.name


class Version(models.Model):
    """A pacticipant's application version. `order` defines "latest": a sequence value (creation
    order), or a semantic place when ORDER_VERSIONS_BY_DATE is false (services/version_order.py)."""

    pacticipant = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="versions")
    number = models.CharField(max_length=255)
    order = models.BigIntegerField(db_default=_nextval(VERSION_ORDER_SEQUENCE))
    build_url = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pacticipant", "number"], name="version_unique_number"),
            # Checked at the end of each statement, so semantic ordering can move a run of
            # versions up by one in one UPDATE (apps/contracts/services/version_order.py).
            models.UniqueConstraint(
                fields=["pacticipant", "order"], name="version_unique_order", deferrable=models.Deferrable.IMMEDIATE
            ),
        ]
        indexes = [models.Index(F("pacticipant"), F("order").desc(), name="version_latest")]

    def __str__(self) -> str:
        return f"{self.pacticipant_id}:{self.number}"


class Branch(models.Model):
    pacticipant = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="branches")
    name = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pacticipant", "name"], name="branch_unique_name")]


class BranchVersion(models.Model):
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="branch_versions")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="branch_versions")
    # Denormalised so "versions on branch X" needs no join.
    pacticipant = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    branch_name = models.CharField(max_length=255)
    version_order = models.BigIntegerField()
    auto_created = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["branch", "version"], name="branch_version_unique")]
        indexes = [
            models.Index(fields=["pacticipant", "branch_name", "version_order"], name="branch_version_lookup"),
            models.Index(fields=["version"], name="branch_version_by_version"),
        ]


class BranchHead(models.Model):
    """The most recently *added* version of a branch (not the highest order), as the broker defines."""

    branch = models.OneToOneField(Branch, on_delete=models.CASCADE, related_name="head")
    branch_version = models.ForeignKey(BranchVersion, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")
    pacticipant = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    branch_name = models.CharField(max_length=255)

    class Meta:
        indexes = [models.Index(fields=["pacticipant", "branch_name"], name="branch_head_lookup")]


class Tag(models.Model):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=255)
    pacticipant = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    version_order = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "name"], name="tag_unique_name")]
        indexes = [
            models.Index(F("pacticipant"), F("name"), F("version_order").desc(), name="tag_latest"),
        ]


class Label(models.Model):
    pacticipant = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pacticipant", "name"], name="label_unique_name")]
        indexes = [models.Index(fields=["name"], name="label_by_name")]


class PactVersion(models.Model):
    """One distinct pact content between a consumer and a provider. Verifications attach here."""

    consumer = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    sha = models.CharField(max_length=40)
    content = models.TextField()  # the JSON as stored (with interaction _ids), served unchanged
    interactions_count = models.IntegerField(default=0)
    messages_count = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consumer", "provider", "sha"], name="pact_version_unique_sha")]
        indexes = [models.Index(fields=["sha"], name="pact_version_by_sha")]


class PactPublication(models.Model):
    """A publication of content for (consumer version, provider); a changed re-publish adds a revision."""

    # Foreign keys are looked up through the indexes in Meta (no single-column duplicates to write).
    consumer_version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="pact_publications", db_index=False
    )
    provider = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+", db_index=False)
    consumer = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+", db_index=False)
    revision_number = models.IntegerField(default=1)
    pact_version = models.ForeignKey(PactVersion, on_delete=models.CASCADE, related_name="publications", db_index=False)
    consumer_version_order = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consumer_version", "provider", "revision_number"], name="pact_publication_revision"
            )
        ]
        indexes = [
            models.Index(fields=["pact_version"], name="pact_publication_by_content"),
            # The matrix of one pacticipant: its newest publications as consumer and as provider.
            models.Index(F("consumer"), F("created_at").desc(), name="pact_publication_newest_c"),
            models.Index(F("provider"), F("created_at").desc(), name="pact_publication_newest_p"),
        ]


class LatestPactPublication(models.Model):
    """The current (non-overridden) publication per (consumer version, provider). Kept on write."""

    # Foreign keys are looked up through the indexes in Meta (no single-column duplicates to write).
    consumer_version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+", db_index=False)
    provider = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+", db_index=False)
    consumer = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+", db_index=False)
    pact_publication = models.OneToOneField(PactPublication, on_delete=models.CASCADE, related_name="+")
    pact_version = models.ForeignKey(PactVersion, on_delete=models.CASCADE, related_name="+", db_index=False)
    consumer_version_order = models.BigIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consumer_version", "provider"], name="latest_pact_per_version")]
        indexes = [
            models.Index(F("consumer"), F("provider"), F("consumer_version_order").desc(), name="latest_pact_lookup"),
            models.Index(F("provider"), F("consumer_version_order").desc(), name="latest_pact_by_provider"),
            models.Index(fields=["pact_version"], name="latest_pact_by_content"),
        ]


class Integration(models.Model):
    """A consumer-provider pair, created when the first pact between them is published."""

    consumer = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    contract_data_updated_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consumer", "provider"], name="integration_unique_pair")]
        indexes = [models.Index(fields=["provider"], name="integration_by_provider")]
