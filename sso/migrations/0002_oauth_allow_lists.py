"""GitHub/Google sign-in admits invited people only unless an allow-list opens it (issue 13).

Before, an empty `restrict_to` let any GitHub user join; now empty allow-lists mean "invited people
and members only", so such organisations close (documented in docs/sso.md). A GitHub
organisation restriction becomes the organisations allow-list and a Google domain restriction the
domains allow-list: nothing that was closed opens.
"""
from django.db import migrations, models


def restrict_to_allow_lists(apps, schema_editor):
    OAuthClient = apps.get_model("sso", "OAuthClient")
    for client in OAuthClient.objects.all():
        values = "\n".join(v.strip().lower() for v in client.restrict_to.replace(",", "\n").splitlines() if v.strip())
        if client.provider == "github":
            client.allowed_orgs = values
        else:
            client.allowed_domains = values
        client.save(update_fields=["allowed_orgs", "allowed_domains"])


def allow_lists_restrict_to(apps, schema_editor):
    OAuthClient = apps.get_model("sso", "OAuthClient")
    for client in OAuthClient.objects.all():
        # Going back must not open anything either: a GitHub app with no organisation left would
        # admit everyone, so it keeps its domains/teams as a restriction it can never satisfy.
        client.restrict_to = client.allowed_orgs or client.allowed_domains or (
            "-no-such-organisation-" if client.provider == "github" else "")
        client.save(update_fields=["restrict_to"])


class Migration(migrations.Migration):
    dependencies = [("sso", "0001_initial")]

    operations = [
        migrations.AddField(model_name="oauthclient", name="allowed_orgs", field=models.TextField(blank=True)),
        migrations.AddField(model_name="oauthclient", name="allowed_teams", field=models.TextField(blank=True)),
        migrations.AddField(model_name="oauthclient", name="allowed_domains", field=models.TextField(blank=True)),
        migrations.RunPython(restrict_to_allow_lists, allow_lists_restrict_to),
        migrations.RemoveField(model_name="oauthclient", name="restrict_to"),
    ]
