"""Who created a pacticipant (for `contract_data:*:own`), and every existing pacticipant in the
"Default" team (accounts 0004 made it with every person in it), so team-scoped grants keep covering
what people could change before."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def default_team_owns_everything(apps, schema_editor):
    Team = apps.get_model("accounts", "Team")
    TeamPacticipant = apps.get_model("accounts", "TeamPacticipant")
    Pacticipant = apps.get_model("contracts", "Pacticipant")
    team = Team.objects.filter(name="Default").first()
    if team is None:
        return
    owned = set(TeamPacticipant.objects.filter(team=team).values_list("pacticipant_name", flat=True))
    TeamPacticipant.objects.bulk_create(
        [
            TeamPacticipant(team=team, pacticipant_name=name)
            for name in Pacticipant.objects.values_list("name", flat=True)
            if name not in owned
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0003_version_order_checked_per_statement"),
        ("accounts", "0004_pactflow_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="pacticipant",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(default_team_owns_everything, migrations.RunPython.noop),
    ]
