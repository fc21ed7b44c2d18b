"""A pact publication is compared with the provider's contracts, when the provider has any.

Reacts to the contracts app's domain event (sent after commit); the check "does this provider
publish contracts at all?" is one indexed lookup, so pacts of providers that run Pact verification
cost no task.
"""

from django.dispatch import receiver
from django_tenants.utils import schema_context

from apps.contracts.events import ContractPublished, contract_published_signal
from apps.provider_contracts import queueing
from apps.provider_contracts.models import ProviderContractPublication


@receiver(contract_published_signal)
def _contract_published(sender, event: ContractPublished, **kwargs):
    with schema_context(event.schema_name):
        if not ProviderContractPublication.objects.filter(provider__name=event.provider_name).exists():
            return
    queueing.queue_or_run(
        queueing.COMPARE_PACT, event.schema_name, event.consumer_name, event.provider_name, event.pact_version_sha
    )
