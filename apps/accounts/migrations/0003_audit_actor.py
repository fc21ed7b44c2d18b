"""Audit entries say what kind of principal acted, through which API token, and which request (issue 17)."""

from django.db import migrations, models

# Entries written before this migration: an actor row is a person or a system account.
_BACKFILL = """
UPDATE accounts_auditevent e SET actor_kind = CASE u.kind WHEN 'system' THEN 'system_account' ELSE 'user' END
FROM accounts_user u WHERE e.actor_id = u.id
"""


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_identity'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='actor_kind',
            field=models.CharField(choices=[('user', 'Person'), ('system_account', 'System account'), ('platform_staff', 'Platform staff'), ('basic_auth', 'Basic auth user'), ('system', 'The broker itself')], default='system', max_length=20),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='method',
            field=models.CharField(blank=True, max_length=10),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='path',
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='token_name',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='token_uuid',
            field=models.UUIDField(blank=True, null=True),
        ),
        migrations.RunSQL(_BACKFILL, migrations.RunSQL.noop),
    ]
