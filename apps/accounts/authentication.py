"""API authentication: `Authorization: Bearer <token>` everywhere, and on a self-hosted broker the
open-source Pact Broker's HTTP Basic users from the environment.

A bearer token is looked up by its SHA-256 in the current organisation's schema (one indexed
query), so a token of one organisation is unknown in every other. Tokens of deactivated users,
revoked or expired tokens, and the old secret of a rotated token all fail at once. Every failure
is counted and audited without the secret (apps/accounts/token_failures.py).
"""

import base64
import binascii
import hmac
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.db.models.expressions import RawSQL
from django.utils import timezone
from rest_framework import authentication, exceptions

from apps.accounts.models import ApiToken, Role, User
from apps.accounts.permissions import permissions_preload
from apps.accounts.token_failures import token_failure_record
from apps.accounts.tokens import token_digest

# last_used_at is written at most this often per token, so reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=5)


# The user's roles come with the token (one statement per request, not two).
_ROLES_OF_TOKEN_USER = RawSQL(
    f"SELECT COALESCE(json_agg(json_build_object('key', r.key, 'permissions', r.permissions)), '[]'::json)"
    f" FROM {Role._meta.db_table} r JOIN {User.roles.through._meta.db_table} ur ON ur.role_id = r.id"
    f" WHERE ur.user_id = {ApiToken._meta.db_table}.user_id",
    [],
)


def token_lookup(secret: str) -> ApiToken | None:
    """The live token with this secret, or None (and the failure counted and audited)."""
    token = (
        ApiToken.objects.select_related("user")
        .annotate(user_roles=_ROLES_OF_TOKEN_USER)
        .filter(digest=token_digest(secret))
        .first()
    )
    now = timezone.now()
    reason = (
        "unknown"
        if token is None
        else "revoked"
        if token.revoked_at is not None
        else "owner deactivated"
        if not token.user.is_active
        else "expired"
        if token.expires_at is not None and token.expires_at <= now
        else None
    )
    if reason is not None:
        token_failure_record(secret=secret, reason=reason, token=token)
        return None
    permissions_preload(token.user, [SimpleNamespace(**role) for role in token.user_roles])
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        parts = header.split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid Authorization header.")
        token = token_lookup(parts[1])
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


# The OSS broker's basic-auth write user may do everything its API offers; the read-only user
# may only read. Neither may manage people, roles or billing (the OSS broker has none of that).
BASIC_READ_WRITE_PERMISSIONS = frozenset(
    {
        "contract_data:read:*",
        "contract_data:manage:*",
        "contract_data:bulk_delete:*",
        "deployment_and_release:record:*",
        "environment:manage:*",
        "environment:read:*",
        "webhook:manage:*",
        "secret:manage:*",
        "secret:read:*",
    }
)
BASIC_READ_ONLY_PERMISSIONS = frozenset({"contract_data:read:*"})


@dataclass(frozen=True)
class BasicAuthPrincipal:
    """A configured basic-auth user of a self-hosted broker (not a database row)."""

    username: str
    read_only: bool
    granted_permissions: frozenset = field(default=frozenset())
    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = False
    pk = None
    kind = "basic"

    @property
    def email(self) -> str:
        return self.username


@dataclass(frozen=True)
class BasicCredential:
    """Stands in `request.auth` so BrokerPermission applies the read-only rule to basic auth too."""

    read_only: bool


def _matches(given: str, expected: str | None) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def basic_auth_principal(username: str, password: str) -> BasicAuthPrincipal | None:
    if _matches(username, settings.PACT_BROKER_BASIC_AUTH_USERNAME) and _matches(
        password, settings.PACT_BROKER_BASIC_AUTH_PASSWORD
    ):
        return BasicAuthPrincipal(username, False, BASIC_READ_WRITE_PERMISSIONS)
    if _matches(username, settings.PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME) and _matches(
        password, settings.PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD
    ):
        return BasicAuthPrincipal(username, True, BASIC_READ_ONLY_PERMISSIONS)
    return None


class BasicAuthentication(authentication.BaseAuthentication):
    """HTTP Basic with the users configured in the environment; self-hosted mode only (a hosted
    organisation has people and tokens instead, and PactFlow dropped shared basic auth too)."""

    def authenticate(self, request):
        if not settings.SINGLE_TENANT:
            return None
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"basic":
            return None
        if not (settings.PACT_BROKER_BASIC_AUTH_USERNAME or settings.PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME):
            raise exceptions.AuthenticationFailed("Basic authentication is not configured on this broker.")
        try:
            username, _, password = base64.b64decode(header[1], validate=True).decode("utf-8").partition(":")
        except (IndexError, binascii.Error, UnicodeDecodeError):
            raise exceptions.AuthenticationFailed("Invalid basic authentication header.")
        principal = basic_auth_principal(username, password)
        if principal is None:
            raise exceptions.AuthenticationFailed("Invalid username or password.")
        return principal, BasicCredential(read_only=principal.read_only)

    def authenticate_header(self, request):
        return 'Basic realm="Pact Broker"'
