"""social-auth strategy that reads client ids, secrets and restrictions per organisation.

social-core asks for settings by name (SOCIAL_AUTH_GITHUB_KEY...). Those that belong to an
organisation come from its OAuthClient row (or the platform-wide app), everything else from Django
settings. The request's tenant is already the active schema, so these are plain queries.
"""
from social_django.strategy import DjangoStrategy

from sso import queries

_PROVIDER_FOR_PREFIX = {"SOCIAL_AUTH_GITHUB_": "github", "SOCIAL_AUTH_GOOGLE_OAUTH2_": "google"}


class TenantStrategy(DjangoStrategy):
    def get_setting(self, name):
        for prefix, provider in _PROVIDER_FOR_PREFIX.items():
            if name.startswith(prefix) and name[len(prefix):] in ("KEY", "SECRET", "RESTRICT_TO"):
                credentials = self._credentials(provider)
                if credentials is None:
                    raise AttributeError(name)
                return {
                    "KEY": credentials.client_id,
                    "SECRET": credentials.client_secret,
                    "RESTRICT_TO": credentials.restrict_to,
                }[name[len(prefix):]]
        return super().get_setting(name)

    def _credentials(self, provider):
        cache = self.__dict__.setdefault("_sso_credentials", {})
        if provider not in cache:
            cache[provider] = queries.oauth_credentials(provider)
        return cache[provider]
