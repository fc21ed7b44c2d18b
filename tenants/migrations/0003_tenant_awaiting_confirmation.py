from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tenants", "0002_plan_and_seats"),
    ]

    operations = [
        migrations.AddField(
            model_name="tenant",
            name="awaiting_confirmation",
            field=models.BooleanField(default=False),
        ),
    ]
