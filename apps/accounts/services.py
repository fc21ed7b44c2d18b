"""Writes on users and tokens."""
from datetime import datetime

from django.db import transaction

from apps.accounts.models import ApiToken, User
from apps.accounts.tokens import token_digest, token_display_prefix, token_generate


@transaction.atomic
def user_create(*, email: str, name: str, password: str | None, is_admin: bool = False,
                email_confirmed: bool = False) -> User:
    return User.objects.create_user(
        email=email,
        password=password,
        name=name,
        is_staff=is_admin,
        is_superuser=is_admin,
        email_confirmed=email_confirmed,
    )


@transaction.atomic
def user_confirm_email(*, user: User) -> User:
    if not user.email_confirmed:
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
    return user


@transaction.atomic
def token_create(*, user: User, name: str, read_only: bool,
                 expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns it with its secret, which is never retrievable again."""
    secret = token_generate(read_only=read_only)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        read_only=read_only,
        prefix=token_display_prefix(secret),
        digest=token_digest(secret),
        expires_at=expires_at,
    )
    return token, secret
