"""Every route is behind a gate or says loudly that it is not (apps/core/public.py).

Walks both URL confs: an API view must be a BrokerAPIView that authenticates and checks a
permission; a page must be behind `require_permission` (or the platform's staff gate); a dispatcher
must hand over only to gated views; anything else must be `@dangerously_public("why")` and listed in
`PUBLIC_ROUTES`. A new route that skips authentication without saying so fails here."""

import pytest
from django.urls import URLResolver, get_resolver
from django.utils.module_loading import import_string

from apps.accounts.api.base import IsPrincipal
from apps.accounts.permissions import BrokerPermission
from apps.core.public import PUBLIC_ROUTES, PUBLIC_WHEN_CONFIGURED, DangerouslyPublicWhenConfigured
from apps.core.views import BrokerAPIView

CONFS = {"tenant": "config.urls_tenant", "public": "config.urls_public"}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name, pattern.callback


def _view_class(callback):
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


CONDITIONAL = {import_string(path) for paths in PUBLIC_WHEN_CONFIGURED.values() for path in paths}


def _api_gated(cls) -> bool:
    if issubclass(cls, DangerouslyPublicWhenConfigured):
        # public only when an operator says so, and then listed in apps/core/public.py
        return (
            any(issubclass(cls, listed) for listed in CONDITIONAL)
            and getattr(cls, "public_when", "") in PUBLIC_WHEN_CONFIGURED
        )
    return (
        issubclass(cls, BrokerAPIView)
        and bool(cls.authentication_classes)
        # BrokerPermission, IsPrincipal, or a refinement of one (e.g. the preferences' own-or-members rules,
        # whose answers per role the route table pins)
        and any(issubclass(p, (BrokerPermission, IsPrincipal)) for p in cls.permission_classes)
        and cls.get_permissions is BrokerAPIView.get_permissions
        and cls.get_authenticators is BrokerAPIView.get_authenticators
    )


def _gated(callback) -> bool:
    cls = _view_class(callback)
    if cls is not None and issubclass(cls, BrokerAPIView):
        return _api_gated(cls)
    if getattr(callback, "permission_gate", None):
        return True
    targets = getattr(callback, "dispatches_to", None)
    if targets:
        resolved = [import_string(t) for t in targets]
        return all(_api_gated(t) if isinstance(t, type) else getattr(t, "permission_gate", None) for t in resolved)
    return False


def _public_reason(callback) -> str | None:
    cls = _view_class(callback)
    return getattr(callback, "dangerously_public", None) or getattr(cls, "dangerously_public", None)


ROUTES = [
    (conf, route, name, callback)
    for conf, module in CONFS.items()
    for route, name, callback in _routes(get_resolver(module).url_patterns)
]


@pytest.mark.parametrize(
    ("conf", "route", "name", "callback"), ROUTES, ids=[f"{conf}:/{route}" for conf, route, _, _ in ROUTES]
)
def test_every_route_is_gated_or_says_loudly_that_it_is_public(conf, route, name, callback):
    reason = _public_reason(callback)
    if reason is None:
        assert _gated(callback), (
            f"/{route} ({name}) skips authentication without saying so: gate it, or mark it "
            "@dangerously_public('why') and list it in apps/core/public.py"
        )
    else:
        assert not _gated(callback), f"/{route} ({name}) is gated and marked public"
        assert name in PUBLIC_ROUTES[conf], f"/{route} ({name}) is public but not listed in PUBLIC_ROUTES"


def test_the_list_names_only_public_routes():
    marked = {(conf, name) for conf, _, name, callback in ROUTES if _public_reason(callback)}

    assert {(conf, name) for conf, names in PUBLIC_ROUTES.items() for name in names} == marked
