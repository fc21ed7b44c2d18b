"""IdP-initiated SAML sign-in is off unless an organisation turns it on (issue 13).

The default was on. Existing organisations are switched off too: an unsolicited response cannot be
tied to the browser that receives it, so leaving it on silently is the risk this change removes. An
administrator who relies on IdP tiles (Okta, Entra "My Apps") turns it back on under Settings > SSO;
SP-initiated sign-in (the login page's SAML button, /sso/saml/login) keeps working throughout.
"""
from django.db import migrations, models


def switch_off(apps, schema_editor):
    apps.get_model("sso", "LoginPolicy").objects.update(saml_allow_idp_initiated=False)


class Migration(migrations.Migration):
    dependencies = [("sso", "0002_oauth_allow_lists")]

    operations = [
        migrations.AlterField(model_name="loginpolicy", name="saml_allow_idp_initiated",
                              field=models.BooleanField(default=False)),
        migrations.RunPython(switch_off, migrations.RunPython.noop),
    ]
