"""`Authorization: Bearer <token>` for the API. One indexed query per request."""
from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from apps.accounts.models import ApiToken
from apps.accounts.tokens import token_digest

# last_used_at is written at most this often per token, so reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def token_lookup(secret: str) -> ApiToken | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        return None
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
