"""Attacks on the tenancy boundary through sign-up and the spare-schema pool.

Until this was fixed, a slug beginning with `spare-` mapped to a schema beginning with `spare_`, the
spare pool's own prefix: the next sign-up renamed the attacker's schema, admin included, into the
victim's organisation, left the attacker's organisation pointing at no schema, and stopped every
later `migrate_schemas` run. Spares now live under a prefix no slug can reach (`_spare_`), `spare-`
slugs are reserved, the pool never touches a schema an organisation row names, and a missing schema
is reported and skipped by `migrate_schemas`.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context, schema_exists

from apps.accounts import services as account_services
from apps.accounts.models import User
from tenants.migration_state import migrations_pending, schemas_behind
from tenants.models import Tenant
from tenants.services import tenant_provision
from tenants.spares import spare_schema_names, spare_schemas_drop, spare_schemas_fill
from tests.support.migrations import schema_put_one_migration_behind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spares_parked")]


PASSWORD = "tps-reports-cover-sheet"


def signup(client: Client, *, slug: str, email: str):
    return client.post(
        "/signup",
        {"org_name": slug.title(), "slug": slug, "admin_name": "Someone", "email": email, "password": PASSWORD},
        HTTP_HOST="localhost",
    )


def users_in(schema: str) -> list[str]:
    with schema_context(schema):
        return sorted(User.objects.values_list("email", flat=True))


def legacy_spare_named_org(slug: str = "spare-0"):
    """An organisation signed up before the fix with a slug that maps into the old spare prefix."""
    tenant = tenant_provision(name="Old Spare Co", slug=slug)
    with schema_context(tenant.schema_name):
        account_services.user_create(
            email=f"admin@{slug}.example", name="Old admin", password=PASSWORD, is_admin=True, email_confirmed=True
        )
    connection.set_schema_to_public()
    return tenant


def test_the_spare_slug_attack_over_http_cannot_take_the_victims_schema():
    attacker, victim = Client(), Client()

    attack = signup(attacker, slug="spare-0", email="mallory@evil.example")
    response = signup(victim, slug="victim-org", email="alice@victim.example")

    assert attack.status_code == 400
    assert "The subdomain “spare-0” is reserved. Please choose another." in attack.content.decode()
    assert not Tenant.objects.filter(slug="spare-0").exists() and not schema_exists("spare_0")
    assert response.status_code == 201
    assert Tenant.objects.get(slug="victim-org").schema_name == "victim_org"
    assert users_in("victim_org") == ["alice@victim.example"]


def test_an_existing_organisation_in_the_old_spare_namespace_is_never_taken_by_a_signup():
    old = legacy_spare_named_org()
    spare_schemas_fill(1)  # a real spare is ready too: the sign-up must take that one

    response = signup(Client(), slug="victim-org", email="alice@victim.example")

    assert response.status_code == 201
    assert users_in("victim_org") == ["alice@victim.example"]
    assert users_in(old.schema_name) == ["admin@spare-0.example"]
    assert spare_schema_names() == []
    # The older organisation still works: its admin signs in and sees the dashboard.
    browser = Client(HTTP_HOST="spare-0.localhost")
    login = browser.post("/login", {"username": "admin@spare-0.example", "password": PASSWORD})
    assert login.status_code == 302
    assert browser.get("/").status_code == 200


def test_an_existing_organisation_in_the_old_spare_namespace_is_never_taken_when_no_spare_is_ready():
    old = legacy_spare_named_org()

    response = signup(Client(), slug="victim-org", email="alice@victim.example")

    assert response.status_code == 201
    assert users_in("victim_org") == ["alice@victim.example"]
    assert users_in(old.schema_name) == ["admin@spare-0.example"]


def test_spare_upkeep_and_migrations_never_drop_an_organisations_schema():
    old = legacy_spare_named_org("spare-0123456789ab")  # exactly the old spares' name format
    with connection.cursor() as cursor:  # and a left-over spare of the old naming, owned by no one
        cursor.execute('CREATE SCHEMA "spare_aaaaaaaaaaaa"')

    call_command("migrate_schemas", verbosity=0)

    assert schema_exists(old.schema_name) and users_in(old.schema_name) == ["admin@spare-0123456789ab.example"]
    assert not schema_exists("spare_aaaaaaaaaaaa")
    assert spare_schemas_drop() == 0
    assert schema_exists(old.schema_name)


def test_migrate_schemas_skips_and_reports_an_organisation_whose_schema_is_missing():
    lost = tenant_provision(name="Lost", slug="lost-org")
    kept = tenant_provision(name="Kept", slug="kept-org")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA "{lost.schema_name}" CASCADE')
    schema_put_one_migration_behind(kept.schema_name)
    connection.set_schema_to_public()
    out, err = io.StringIO(), io.StringIO()

    call_command("migrate_schemas", stdout=out, stderr=err)

    assert (
        "Organisation lost-org: its schema lost_org does not exist; not migrated. "
        "Restore the schema or remove the organisation."
    ) in err.getvalue()
    assert "1 migrated" in out.getvalue()
    assert schemas_behind([kept.schema_name]) == []
    # Nor does it hold readiness back (/readyz waits for no pending migration).
    assert migrations_pending() == []
