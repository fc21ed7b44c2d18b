from django.apps import AppConfig


class EnvironmentsConfig(AppConfig):
    name = "apps.environments"
    label = "environments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.contracts.hooks import pacticipant_links_register, version_links_register
        from apps.environments import receivers  # noqa: F401  (connects the domain-event receivers)
        from apps.environments.queries import (
            environment_links_prefetch,
            pacticipant_deployed_environments,
            version_links_for_environments,
        )

        version_links_register(
            name="environments", links=version_links_for_environments, prefetch=environment_links_prefetch
        )
        pacticipant_links_register(name="environments", links=pacticipant_deployed_environments)
