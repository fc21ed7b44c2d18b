"""The environments app's reactions to the contracts app's domain events (connected in
EnvironmentsConfig.ready): the contracts app does not know this app exists."""

from django.dispatch import receiver

from apps.contracts.events import version_tagged_signal
from apps.environments.services import deployed_version_for_tag


@receiver(version_tagged_signal, dispatch_uid="environments.deployments_for_tags")
def deployments_for_tags_record(sender, *, version, tag_names, **kwargs) -> None:
    """A tag named like an environment records a deployment there, inside the tagging transaction."""
    for name in tag_names:
        deployed_version_for_tag(version, name)
