"""SCIM's routes under `/scim/v2/` (RFC 7644) and `/scim/` (the paths PactFlow documents)."""

from django.urls import path

from sso.scim import api


def _routes(prefix: str, suffix: str) -> list:
    base = {"scim_base": "/" + prefix.rstrip("/")}
    return [
        path(f"{prefix}ServiceProviderConfig", api.ServiceProviderConfigView.as_view(), base, name=f"scim{suffix}-spc"),
        path(f"{prefix}Schemas", api.SchemasView.as_view(), base, name=f"scim{suffix}-schemas"),
        path(f"{prefix}Schemas/<str:ident>", api.SchemasView.as_view(), base, name=f"scim{suffix}-schema"),
        path(f"{prefix}ResourceTypes", api.ResourceTypesView.as_view(), base, name=f"scim{suffix}-resource-types"),
        path(
            f"{prefix}ResourceTypes/<str:ident>",
            api.ResourceTypesView.as_view(),
            base,
            name=f"scim{suffix}-resource-type",
        ),
        path(f"{prefix}Users", api.UsersView.as_view(), base, name=f"scim{suffix}-users"),
        path(f"{prefix}Users/<str:uuid>", api.UserView.as_view(), base, name=f"scim{suffix}-user"),
        path(f"{prefix}Groups", api.GroupsView.as_view(), base, name=f"scim{suffix}-groups"),
        path(f"{prefix}Groups/<str:uuid>", api.GroupView.as_view(), base, name=f"scim{suffix}-group"),
        path(f"{prefix}<path:rest>", api.UnknownView.as_view(), base, name=f"scim{suffix}-unknown"),
    ]


urlpatterns = _routes("scim/v2/", "") + _routes("scim/", "-pactflow")
