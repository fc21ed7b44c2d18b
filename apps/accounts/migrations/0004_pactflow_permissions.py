"""PactFlow's permission names and predefined roles; team administrators; the Default team.

Custom roles' grants move to the new names without losing one (each old name maps to every new
scope that covers what it allowed). The old built-in "Viewer" (API and UI) is PactFlow's "Read-Only"
(PactFlow renamed it the same way); the new "Viewer" is UI-only. The new built-in roles are created,
a custom role squatting on a built-in name is renamed "(custom)". In an organisation's schema the
"Default" team is created with every person and system account in it (contracts 0004 adds the
applications), so nobody loses access to what they could change before.
"""

from django.db import migrations, models

# old name -> the new scopes that together allow at least what it allowed
RENAMES = {
    "contracts:read": ["contract_data:read:*"],
    # Publishing was never limited by team: the widest scope keeps every grant.
    "contracts:publish": ["contract_data:manage:*"],
    "verifications:publish": ["contract_data:manage:*"],
    "pacticipants:manage": [
        "contract_data:manage:team",
        "contract_data:manage:own",
        "contract_data:bulk_delete:team",
        "contract_data:bulk_delete:own",
    ],
    "pacticipants:manage:any": ["contract_data:manage:*", "contract_data:bulk_delete:*"],
    "deployments:record": ["deployment_and_release:record:*", "environment:read:*"],
    "environments:manage": ["environment:manage:*", "environment:read:*"],
    "webhooks:manage": ["webhook:manage:*", "secret:read:*"],
    "secrets:manage": ["secret:manage:*", "secret:read:*"],
    "users:read": ["user:read:*", "team:read:*", "role:read:*", "system_account:read:*"],
    "users:manage": ["user:manage:*", "user:invite"],
    "roles:manage": ["role:manage:*", "role:read:*"],
    "teams:manage": ["team:manage:*", "team:read:*"],
    "system_accounts:manage": ["system_account:manage:*", "system_account:read:*"],
    "tokens:manage": ["token:manage:own"],
    "audit:read": ["audit:read:*"],
    "settings:manage": ["authentication_settings:manage:*", "system_preference:manage:*"],
    "billing:manage": ["billing:manage:*"],
}

# Frozen copies of the predefined roles' names and descriptions (their permissions come from code).
BUILTINS = {
    "administrator": ("Administrator", "Everything, including users, roles and billing."),
    "user": ("User", "Default for people: their teams' applications, webhooks and secrets; read everything."),
    "ci": ("CI/CD", "Default for system accounts: publish, verify, record deployments and releases."),
    "viewer": ("Viewer", "Read contract data, users and teams in the UI; no API access."),
    "read_only": ("Read-Only", 'Read contract data, users and teams, in the UI and the API (was "Viewer").'),
    "team_administrator": ("Team Administrator", "Manage one team; given by being named one of its administrators."),
    "organization_administrator": (
        "Organization Administrator",
        "People, teams, roles, system accounts and sign-in; no contract data; takes no seat.",
    ),
    "scim": ("SCIM", "For the system account an identity provider provisions people and teams with."),
    "no_access": ("No Access", "No permissions at all."),
}


def renamed(scopes) -> list[str]:
    result = set()
    for scope in scopes or []:
        result.update(RENAMES.get(scope, [scope]))
    return sorted(result)


def forwards(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    User = apps.get_model("accounts", "User")
    Team = apps.get_model("accounts", "Team")
    for role in Role.objects.filter(key__isnull=True):
        role.permissions = renamed(role.permissions)
        role.save(update_fields=["permissions"])
    old_viewer = Role.objects.filter(key="viewer").first()
    if old_viewer is not None and not Role.objects.filter(key="read_only").exists():
        # Everyone who had the old Viewer keeps exactly what it allowed, under its new name.
        old_viewer.key, old_viewer.name = "read_only", "Read-Only"
        old_viewer.save(update_fields=["key", "name"])
    for key, (name, description) in BUILTINS.items():
        Role.objects.filter(name=name, key__isnull=True).update(name=f"{name} (custom)")
        Role.objects.update_or_create(key=key, defaults={"name": name, "description": description})
    if getattr(schema_editor.connection, "schema_name", "public") == "public":
        return  # platform staff have no teams
    default, _ = Team.objects.get_or_create(name="Default")
    default.members.add(*User.objects.all())


def backwards(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    inverse = {}
    for old, news in RENAMES.items():
        for new in news:
            inverse.setdefault(new, old)
    for role in Role.objects.filter(key__isnull=True):
        role.permissions = sorted({inverse.get(scope, scope) for scope in role.permissions or []})
        role.save(update_fields=["permissions"])
    Role.objects.filter(key="viewer").delete()
    Role.objects.filter(key="read_only").update(key="viewer", name="Viewer")
    Role.objects.filter(
        key__in=["team_administrator", "organization_administrator", "scim", "no_access"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_audit_actor"),
    ]

    operations = [
        migrations.AddField(
            model_name="team",
            name="administrators",
            field=models.ManyToManyField(blank=True, related_name="administered_teams", to="accounts.user"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
