"""Verification results, attached to pact *content* (PactVersion) and a provider version."""

from django.db import models
from django.db.models import F, Func, Value

from apps.contracts.models import Pacticipant, PactVersion, Version

VERIFICATION_NUMBER_SEQUENCE = "verifications_number_seq"


class Verification(models.Model):
    # A global sequence, shared by all pacts, as in the broker.
    number = models.BigIntegerField(
        db_default=Func(Value(VERIFICATION_NUMBER_SEQUENCE), function="nextval", output_field=models.BigIntegerField())
    )
    success = models.BooleanField()
    # Foreign keys are looked up through the indexes in Meta (no single-column duplicates to write).
    provider_version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="verifications", db_index=False
    )
    pact_version = models.ForeignKey(
        PactVersion, on_delete=models.CASCADE, related_name="verifications", db_index=False
    )
    consumer = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+", db_index=False)
    provider = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+", db_index=False)
    build_url = models.TextField(null=True, blank=True)
    execution_date = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    test_results = models.JSONField(null=True, blank=True)
    wip = models.BooleanField(default=False)
    pact_pending = models.BooleanField(null=True)
    consumer_version_selector_hashes = models.JSONField(null=True, blank=True)
    # Provider version tags at the time of verification (tags must exist before results are posted).
    tag_names = models.JSONField(null=True, blank=True)
    verified_by_implementation = models.CharField(max_length=255, null=True, blank=True)
    verified_by_version = models.CharField(max_length=255, null=True, blank=True)
    verified_by_client_implementation = models.CharField(max_length=255, null=True, blank=True)
    verified_by_client_version = models.CharField(max_length=255, null=True, blank=True)
    verified_by_client_test_framework = models.CharField(max_length=255, null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["pact_version", "provider_version"], name="verification_lookup"),
            models.Index(fields=["provider_version"], name="verification_by_provider_ver"),
            models.Index(fields=["number"], name="verification_by_number"),
            # The matrix of one pacticipant: its newest results, and a content's results newest first.
            models.Index(F("consumer"), F("created_at").desc(), name="verification_newest_c"),
            models.Index(F("provider"), F("created_at").desc(), name="verification_newest_p"),
            models.Index(F("pact_version"), F("id").desc(), name="verification_newest_by_pact"),
        ]


class LatestVerification(models.Model):
    """The newest verification per (pact content, provider version). Kept on write; the matrix joins it."""

    # Foreign keys are looked up through the indexes in Meta (no single-column duplicates to write).
    pact_version = models.ForeignKey(PactVersion, on_delete=models.CASCADE, related_name="+", db_index=False)
    provider_version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+", db_index=False)
    verification = models.OneToOneField(Verification, on_delete=models.CASCADE, related_name="+")
    consumer = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+", db_index=False)
    provider = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+", db_index=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pact_version", "provider_version"], name="latest_verification_unique")
        ]
        indexes = [
            models.Index(F("pact_version"), F("verification").desc(), name="latest_verification_by_pact"),
            models.Index(fields=["provider_version"], name="latest_verification_by_pv"),
            # "Has this integration ever been verified?" (publish notices, badges) without a scan.
            models.Index(F("consumer"), F("provider"), F("verification").desc(), name="latest_verification_by_pair"),
            models.Index(F("consumer"), F("created_at").desc(), name="latest_verification_newest_c"),
            models.Index(F("provider"), F("created_at").desc(), name="latest_verification_newest_p"),
        ]


class SuccessfulVerificationForProviderTag(models.Model):
    """A successful verification of content by a provider version carrying a tag (drives tag pending/WIP)."""

    pact_version = models.ForeignKey(PactVersion, on_delete=models.CASCADE, related_name="+")
    provider_version_tag_name = models.CharField(max_length=255)
    wip = models.BooleanField(default=False)
    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="+")
    execution_date = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pact_version", "provider_version_tag_name", "wip"], name="successful_tag_unique"
            )
        ]
