"""The password backend with the organisation's SSO policy applied.

Every password check (the login form, and HTTP Basic when it comes) goes through Django's
`authenticate()`, so enforcing "SAML required" here closes the password door everywhere at once.
"""

from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django_tenants.utils import get_public_schema_name

from sso.queries import password_login_allowed

# Session logins from SAML and social sign-in are recorded against this backend so that
# `get_user` on later requests is plain ModelBackend logic.
SESSION_BACKEND = "sso.auth.TenantModelBackend"


class TenantModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            return None
        # The public site (platform staff sign-in) has no organisation, so no SSO policy applies.
        if connection.schema_name == get_public_schema_name():
            return user
        if not password_login_allowed(email=user.email, user=user):
            if request is not None:
                request.sso_password_refused = True
            return None
        return user
