from django.urls import include, path

from sso.api import views as api
from sso.views import settings as settings_views
from sso.views import sign_in as views

urlpatterns = [
    path("sso/saml/metadata", views.saml_metadata, name="saml-metadata"),
    path("sso/saml/login", views.saml_login, name="saml-login"),
    path("sso/saml/acs", views.saml_acs, name="saml-acs"),
    path("sso/saml/sls", views.saml_sls, name="saml-sls"),
    path("sso/saml/logout", views.saml_logout, name="saml-logout"),
    path("sso/", include("sso.social_urls", namespace="social")),
    path("", include("sso.scim.urls")),  # SCIM 2.0 provisioning (sso/scim/)
    path("admin/sso", api.SsoSettingsView.as_view(), name="api-sso"),
    path("admin/sso/policy", api.SsoPolicyView.as_view(), name="api-sso-policy"),
    path("admin/sso/<str:provider>", api.SsoProviderView.as_view(), name="api-sso-provider"),
    path("settings/sso", settings_views.sso_settings, name="sso-settings"),
    path("settings/sso/policy", settings_views.policy_update, name="sso-policy-update"),
    path("settings/sso/saml", settings_views.saml_update, name="sso-saml-update"),
    path("settings/sso/<str:provider>", settings_views.oauth_update, name="sso-oauth-update"),
]
