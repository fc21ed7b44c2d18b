"""Provider contracts (OpenAPI descriptions), their self-verification, and comparisons with pacts.

Tables follow PactFlow's (shared reference, pactflow-features §1j):

- `ProviderContractVersion`: one distinct content per provider (SHA-256 of the bytes), stored once,
  as pact content is (`PactVersion`);
- `ProviderContractPublication`: a provider version publishing a content, with the result of the
  provider's own tests against it (the *self-verification*). Re-publishing for the same version adds
  a row; the newest one per provider version is the current one;
- `Comparison`: one pact content against one contract content, de-duplicated by the pair: a
  compatible/incompatible verdict and the mismatches (apps/provider_contracts/comparison);
- `ComparisonVerification`: the verification result written for a (pact content, provider version)
  pair from a comparison and a publication. The matrix, can-i-deploy, badges and webhooks read
  verification results; a comparison result *is* one there, marked by this row (its `reason` says why
  it passed or failed, for can-i-deploy).
"""

from django.db import models
from django.db.models import F

from apps.contracts.models import Pacticipant, PactVersion, Version
from apps.verifications.models import Verification


class ProviderContractVersion(models.Model):
    provider = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    sha = models.CharField(max_length=64)
    content = models.TextField()
    content_type = models.CharField(max_length=255)
    specification = models.CharField(max_length=50, default="oas")
    # Where the description breaks the OpenAPI specification: the costly check (openapi-spec-validator),
    # run once per content by the first comparison and shared by every worker. None: not checked yet.
    problems = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "sha"], name="provider_contract_version_unique_sha")]


class ProviderContractPublication(models.Model):
    provider = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+", db_index=False)
    provider_version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="provider_contracts", db_index=False
    )
    contract_version = models.ForeignKey(ProviderContractVersion, on_delete=models.CASCADE, related_name="publications")
    # The provider's own test run against its description (PactFlow's selfVerificationResults).
    # None: no result was given, which never counts as a success.
    self_verification_success = models.BooleanField(null=True)
    self_verification_content = models.TextField(null=True, blank=True)  # decoded text
    self_verification_content_type = models.CharField(max_length=255, null=True, blank=True)
    self_verification_format = models.CharField(max_length=255, null=True, blank=True)
    verifier = models.CharField(max_length=255, null=True, blank=True)
    verifier_version = models.CharField(max_length=255, null=True, blank=True)
    build_url = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(F("provider_version"), F("id").desc(), name="pc_publication_by_version"),
            models.Index(F("provider"), F("id").desc(), name="pc_publication_by_provider"),
        ]


class Comparison(models.Model):
    pact_version = models.ForeignKey(PactVersion, on_delete=models.CASCADE, related_name="+", db_index=False)
    contract_version = models.ForeignKey(ProviderContractVersion, on_delete=models.CASCADE, related_name="+")
    success = models.BooleanField()
    results = models.JSONField()  # ComparisonResult.to_dict()
    verifier = models.CharField(max_length=255)
    verifier_version = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pact_version", "contract_version"], name="comparison_unique_pair")
        ]


class ComparisonVerification(models.Model):
    verification = models.OneToOneField(Verification, on_delete=models.CASCADE, related_name="+")
    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="+")
    publication = models.ForeignKey(
        ProviderContractPublication, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    pact_version = models.ForeignKey(PactVersion, on_delete=models.CASCADE, related_name="+", db_index=False)
    reason = models.TextField()  # one line for can-i-deploy: why it is compatible or not
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["publication", "pact_version"], name="comparison_verification_once")
        ]
        indexes = [models.Index(fields=["pact_version"], name="comparison_verif_by_pact")]
