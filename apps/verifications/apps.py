from django.apps import AppConfig


class VerificationsConfig(AppConfig):
    name = "apps.verifications"
    label = "verifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # What the contracts app asks of this one, without importing it (apps/contracts/hooks.py).
        from django.db.models import Exists, OuterRef

        from apps.contracts import hooks
        from apps.verifications.models import Verification
        from apps.verifications.queries import providers_with_verifications

        hooks.version_keeper_register(
            name="verifications",
            in_use=lambda: Exists(Verification.objects.filter(provider_version=OuterRef("pk"))),
        )
        hooks.providers_verified_register(providers_with_verifications)
