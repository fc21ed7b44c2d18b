"""Fixtures for identity tests: people with exactly the permissions a test names."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import ApiToken, User
from apps.accounts.permissions import ALL_PERMISSIONS, CATALOGUE

PASSWORD = "correct-horse-battery"


@dataclass
class Member:
    user: User
    token: str  # read-write
    read_token: str
    host: str

    def client(self, token: str | None = None) -> Client:
        return Client(HTTP_HOST=self.host, HTTP_AUTHORIZATION=f"Bearer {token or self.token}")


def plan_set(org, *, plan: str = "team", seats: int = 50) -> None:
    org.tenant.plan, org.tenant.seats = plan, seats
    org.tenant.save()


def member_create(
    org, *, email: str, roles: list[str] | None = None, permissions=None, kind: str = User.Kind.HUMAN
) -> Member:
    """A member whose roles are built-in `roles` (keys) or one custom role of exactly `permissions`."""
    with schema_context(org.schema):
        if permissions is not None:
            chosen = sorted(scopes_of(*permissions))
            role_list = [services.role_create(actor=None, name=f"custom {email}", permission_names=chosen)]
        else:
            role_list = [services.builtin_role(key) for key in roles or ["user"]]
        user = services.user_create(
            email=email,
            name=email.split("@")[0],
            password=PASSWORD,
            email_confirmed=True,
            roles=role_list,
            kind=kind,
        )
        _, rw = services.token_create(user=user, name="rw", read_only=False)
        _, ro = services.token_create(user=user, name="ro", read_only=True)
    return Member(user=user, token=rw, read_token=ro, host=org.host)


def scopes_of(*permissions: str) -> set[str]:
    """Catalogue scopes: a full scope as given, an action (`user:manage`) as all its scopes."""
    result = set()
    for permission in permissions:
        if permission in ALL_PERMISSIONS:
            result.add(permission)
        else:
            result |= {info.scope for info in CATALOGUE if info.scope.startswith(permission + ":")}
    return result


def all_but(permission: str) -> set[str]:
    return set(ALL_PERMISSIONS) - scopes_of(permission)


def browser_for(org, user: User) -> Client:
    client = Client(HTTP_HOST=org.host)
    with schema_context(org.schema):
        client.force_login(user)
    return client


@dataclass
class World:
    """Objects every route needs, in acme: a person, a pending invitee, a custom role, a team, a
    system account, and their tokens."""

    org: object
    target: User
    invitee: User
    role: object
    team: object
    bot: User
    ids: dict


def _world_drop() -> None:
    from django.db import connection

    from tenants.models import Tenant

    connection.set_schema_to_public()
    for tenant in Tenant.objects.filter(slug=WORLD_SLUG):
        tenant.delete(force_drop=True)
    # A flush by a transactional test can remove the row but not the schema.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks may block the drop
        cursor.execute(f'DROP SCHEMA IF EXISTS "{WORLD_SLUG.replace("-", "_")}" CASCADE')


WORLD_SLUG = "identity-world"


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker) -> World:
    """Built once per test module and committed (cloning a schema per test would dominate the run
    time); each test's own changes still roll back with its transaction. Dropped when the module
    ends, so no other module ever sees this organisation."""
    from tests.support.tenancy import org_create

    with django_db_blocker.unblock():
        _world_drop()  # left over from an interrupted run with --reuse-db
        world = _world_build(org_create(WORLD_SLUG, name="Identity World"))
    yield world
    with django_db_blocker.unblock():
        _world_drop()


@pytest.fixture
def world(shared_world, db) -> World:
    return shared_world


def _world_build(acme) -> World:
    plan_set(acme)
    with schema_context(acme.schema):
        target = services.user_create(
            email="target@acme.example", name="Target", password=PASSWORD, email_confirmed=True
        )
        invitee, _ = services.user_invite(
            actor=acme.admin, email="invitee@acme.example", base_url=f"http://{acme.host}/"
        )
        role = services.role_create(actor=None, name="Extra", permission_names=["contract_data:read:*"])
        team = services.team_create(actor=None, name="Core", pacticipant_names=["Foo"])
        bot = services.system_account_create(actor=None, name="ci-bot")
        bot_named, _ = services.token_create(user=bot, name="deploy", read_only=False)
        ids = {
            "target": str(target.uuid),
            "invitee": str(invitee.uuid),
            "role": str(role.uuid),
            "team": str(team.uuid),
            "bot": str(bot.uuid),
            "target_token": str(ApiToken.objects.get(user=target, slot="rw").uuid),
            "bot_token": str(ApiToken.objects.get(user=bot, slot="rw").uuid),
            "bot_named": str(bot_named.uuid),
        }
    return World(org=acme, target=target, invitee=invitee, role=role, team=team, bot=bot, ids=ids)


def fill(template: str, ids: dict) -> str:
    for key, value in ids.items():
        template = template.replace("{" + key + "}", value)
    return template
