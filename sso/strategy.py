"""social-auth strategy that reads client ids, secrets and restrictions per organisation.

social-core asks for settings by name (SOCIAL_AUTH_GITHUB_KEY...). Those that belong to an
organisation (client id and secret, allow-lists) come from its OAuthClient row (or the platform-wide
app), everything else from Django
settings. The request's tenant is already the active schema, so these are plain queries.
"""

from social_django.strategy import DjangoStrategy

from sso import queries

_PROVIDER_FOR_PREFIX = {"SOCIAL_AUTH_GITHUB_": "github", "SOCIAL_AUTH_GOOGLE_OAUTH2_": "google"}


class TenantStrategy(DjangoStrategy):
    def get_setting(self, name):
        for prefix, provider in _PROVIDER_FOR_PREFIX.items():
            key = name[len(prefix) :]
            if name.startswith(prefix) and key in ("KEY", "SECRET", "ALLOWED_ORGS", "ALLOWED_TEAMS", "ALLOWED_DOMAINS"):
                credentials = self._credentials(provider)
                if credentials is None:
                    raise AttributeError(name)
                return {
                    "KEY": credentials.client_id,
                    "SECRET": credentials.client_secret,
                    "ALLOWED_ORGS": sorted(credentials.allow.orgs),
                    "ALLOWED_TEAMS": sorted(credentials.allow.teams),
                    "ALLOWED_DOMAINS": sorted(credentials.allow.domains),
                }[key]
        return super().get_setting(name)

    def _credentials(self, provider):
        cache = self.__dict__.setdefault("_sso_credentials", {})
        if provider not in cache:
            cache[provider] = queries.oauth_credentials(provider)
        return cache[provider]
