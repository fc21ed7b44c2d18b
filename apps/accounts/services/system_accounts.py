"""System accounts: machine identities for CI. No password, no sign-in, no seat; a plan limit."""

import uuid

from django.db import transaction

from apps.accounts.models import User
from apps.accounts.services.delegation import system_account_manage_check
from apps.accounts.services.errors import IdentityError
from apps.accounts.services.users import system_accounts_check, user_create

# System accounts need a unique email for the user table, but never receive mail; `.invalid` is
# reserved (RFC 2606) so no message can ever be delivered to one.
SYSTEM_EMAIL_DOMAIN = "system-accounts.invalid"


@transaction.atomic
def system_account_create(*, actor, name: str, roles=None) -> User:
    name = (name or "").strip()
    if not name:
        raise IdentityError("name", "Give the system account a name.")
    if User.objects.filter(kind=User.Kind.SYSTEM, name__iexact=name).exists():
        raise IdentityError("name", f"There is already a system account called {name}.")
    system_account_manage_check(actor=actor, account=None, field="name")
    system_accounts_check()
    return user_create(
        email=f"system-{uuid.uuid4().hex[:12]}@{SYSTEM_EMAIL_DOMAIN}",
        name=name,
        password=None,
        kind=User.Kind.SYSTEM,
        email_confirmed=True,
        roles=roles,
        actor=actor,
    )
