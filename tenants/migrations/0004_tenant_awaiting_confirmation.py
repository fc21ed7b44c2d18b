from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tenants", "0003_tenant_suspended"),
    ]

    operations = [
        migrations.AddField(
            model_name="tenant",
            name="awaiting_confirmation",
            field=models.BooleanField(default=False),
        ),
    ]
