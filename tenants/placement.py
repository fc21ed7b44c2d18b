"""Placement: which PostgreSQL server holds an organisation's schema (dedicated database servers).

Most organisations live on the platform's own server (`DATABASE_URL`, the alias `default`), beside
the public schema. An operator can place one on another server instead (`org_create --database`,
`org_move`): the servers are named in ORGANISATION_DATABASES (`alias=postgres://...`), and the
organisation's alias is kept on its row in the platform's tenant table (`Tenant.database`).

How queries follow the placement. Every query of the code base goes through Django's `default`
connection (the ORM, raw cursors, `transaction.atomic()`, django-tenants' `schema_context`). So the
placement is applied where django-tenants chooses the organisation: `set_tenant` (and `set_schema`,
`set_schema_to_public`, which call it) of our backend (tenants/postgresql_backend) asks this module
for the organisation's server and, when it is another one, installs that server's connection as
this thread's `default` (`connections["default"]`), leaving the previous one on the public schema.
Requests (routing calls `set_tenant`), Celery tasks (`tenant_task` enters `tenant_context`),
services that use `schema_context(schema_name)` and management commands all follow without knowing.
Leaving the organisation (`set_schema_to_public`, the end of a `schema_context`, the end of a
request) puts the platform's connection back.

A dedicated server holds, like the platform's, a public schema with the shared apps' tables (empty
but for migrations: django-tenants' search path includes it), the template schema new organisations
are cloned from, its own spare schemas, and its organisations' schemas. The platform's own tables
(organisations, domains, billing: apps that are shared but not tenant apps) are read and written on
the platform's server whatever the current organisation: `PlacementRouter` sends them to the alias
`platform`, which is the platform's connection while another server's is installed as `default`.

Transactions: a transaction is on one server. Work that writes on both (provisioning a dedicated
organisation writes its row on the platform and its schema on its server) is ordered so that a
failure leaves at worst an unused schema on the dedicated server, which is dropped on the way out
(see Tenant.create_schema and tenants/operations.py).

`organisation_server(alias)` pins the thread to one server for a block (migrations, the spare pool,
moving an organisation): inside it, `set_tenant` changes the schema but never the server.

With no ORGANISATION_DATABASES (the default, and every self-hosted broker) none of this costs a
query: every organisation is on the platform server.
"""

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
from django.dispatch import receiver
from django.test.signals import setting_changed
from django_tenants.utils import get_public_schema_name, get_tenant_base_schema

logger = logging.getLogger(__name__)

PLATFORM = DEFAULT_DB_ALIAS  # the platform's own server: DATABASE_URL
# The alias under which the platform's connection is reachable while another server's is `default`.
PLATFORM_ROUTE = "platform"


class PlacementError(Exception):
    """An unknown server, or an operation refused because of where an organisation lives."""


def dedicated_servers() -> list[str]:
    return list(settings.ORGANISATION_DATABASES)


def servers() -> list[str]:
    """Every server organisations can live on, the platform's first."""
    return [PLATFORM, *dedicated_servers()]


def server_check(alias: str) -> str:
    alias = (alias or PLATFORM).strip()
    if alias not in servers():
        raise PlacementError(
            f"Unknown database server {alias!r}: one of {', '.join(servers())} (ORGANISATION_DATABASES)."
        )
    return alias


def server_settings(alias: str) -> dict:
    """The Django database settings of a server: the platform's, with the server's address and name."""
    base = dict(settings.DATABASES[PLATFORM])
    if alias == PLATFORM:
        return base
    try:
        address = settings.ORGANISATION_DATABASES[alias]  # config/env.py: database_from_url(url)
    except KeyError:
        raise ImproperlyConfigured(f"No database server {alias!r} in ORGANISATION_DATABASES") from None
    base.update({key: address[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")})
    base["TEST"] = {"NAME": address["NAME"]}  # a test run uses the server's database as given
    return connections.configure_settings({DEFAULT_DB_ALIAS: base})[DEFAULT_DB_ALIAS]


# --- This thread's connections ---------------------------------------------------------------------


class _State(threading.local):
    def __init__(self):
        self.platform = None  # the platform's connection while another server's is installed
        self.wrappers = {}  # alias -> this thread's connection to that dedicated server
        self.pinned = None  # organisation_server(): the server this thread stays on


_state = _State()


def _current():
    return connections[DEFAULT_DB_ALIAS]


def current_server() -> str:
    """The server this thread's `default` connection points at."""
    return getattr(_current(), "placement_alias", PLATFORM)


def platform_connection():
    """The platform server's connection of this thread, whichever server is `default` now."""
    return _state.platform if current_server() != PLATFORM else _current()


def _wrapper(alias: str):
    wrapper = _state.wrappers.get(alias)
    if wrapper is None:
        settings_dict = server_settings(alias)
        wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)
        wrapper.placement_alias = alias
        _state.wrappers[alias] = wrapper
    return wrapper


def server_install(alias: str):
    """Make `alias`'s connection this thread's `default`; returns it. Pinned threads do not move."""
    current = _current()
    current_alias = getattr(current, "placement_alias", PLATFORM)
    if alias == current_alias or _state.pinned is not None:
        return current
    if current_alias == PLATFORM:
        _state.platform = current
    target = _state.platform if alias == PLATFORM else _wrapper(alias)
    setattr(connections._connections, DEFAULT_DB_ALIAS, target)
    setattr(connections._connections, PLATFORM_ROUTE, _state.platform)
    return target


def server_of_schema(schema_name: str) -> str:
    """The server of the organisation owning `schema_name` (the platform's for the public schema, the
    template, spares and unknown names). One query on the platform, only when dedicated servers exist."""
    if not dedicated_servers() or schema_name in (get_public_schema_name(), get_tenant_base_schema()):
        return PLATFORM
    from django_tenants.utils import get_tenant_model

    table = f'"{get_public_schema_name()}"."{get_tenant_model()._meta.db_table}"'
    with platform_connection().cursor() as cursor:
        cursor.execute(f"SELECT database FROM {table} WHERE schema_name = %s", [schema_name])
        row = cursor.fetchone()
    return row[0] if row and row[0] else PLATFORM


def server_for(tenant) -> str:
    """The server of a Tenant row, or of the schema a django-tenants FakeTenant names (the answer is
    kept on it, so that leaving a nested `schema_context` asks nothing)."""
    alias = getattr(tenant, "database", None)
    if alias is None:
        alias = server_of_schema(tenant.schema_name)
        try:
            tenant.database = alias
        except AttributeError:
            pass
    if alias != PLATFORM and alias not in settings.ORGANISATION_DATABASES:
        raise ImproperlyConfigured(
            f"Organisation schema {tenant.schema_name} is placed on database server {alias!r}, "
            "which ORGANISATION_DATABASES does not name"
        )
    return alias


def routes(wrapper) -> bool:
    """Whether `set_tenant` on this connection follows placement: this thread's `default`, or one of
    the connections placement swaps in and out of it (not one being made, nor another alias's)."""
    if wrapper is getattr(connections._connections, DEFAULT_DB_ALIAS, None):
        return True
    return wrapper is _state.platform or any(wrapper is known for known in _state.wrappers.values())


def connection_for(tenant):
    """Called by the backend's set_tenant: the connection that must serve `tenant` from now on."""
    if _state.pinned is not None or (not dedicated_servers() and current_server() == PLATFORM):
        return _current()
    return server_install(server_for(tenant))


@contextmanager
def organisation_server(alias: str):
    """Run a block on one server's connection (its public schema to start with), whatever
    organisation it enters: migrations, the spare pool, provisioning and moving organisations."""
    from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper
    from django_tenants.postgresql_backend.base import FakeTenant

    alias = server_check(alias)
    previous = _current()
    previous_tenant, previous_pin = previous.tenant, _state.pinned
    _state.pinned = None
    wrapper = server_install(alias)
    _state.pinned = alias
    TenantDatabaseWrapper.set_tenant(wrapper, FakeTenant(schema_name=get_public_schema_name()))
    try:
        yield wrapper
    finally:
        TenantDatabaseWrapper.set_tenant(wrapper, FakeTenant(schema_name=get_public_schema_name()))
        _state.pinned = None
        server_install(getattr(previous, "placement_alias", PLATFORM))
        _state.pinned = previous_pin
        if previous_tenant is not None:
            TenantDatabaseWrapper.set_tenant(previous, previous_tenant)


@contextmanager
def unreachable_skipped(alias: str, what: str):
    """Around platform-wide work visiting each server (readiness, metrics, the spare pool): a dedicated
    server that cannot be reached is logged and skipped, so one customer's database being down never
    stops the platform's pods from becoming ready, being scraped or filling the other pools."""
    from django.db import DatabaseError

    if alias == PLATFORM:
        yield
        return
    try:
        yield
    except DatabaseError:
        logger.warning("%s: database server %s skipped (unreachable or failing)", what, alias, exc_info=True)


def servers_close(*, only_unusable: bool = True) -> None:
    """Close this thread's connections to dedicated servers (obsolete ones only, by default), as
    Django does for its own at the start and end of each request."""
    for wrapper in list(_state.wrappers.values()):
        if wrapper is _current():
            continue
        if only_unusable:
            wrapper.close_if_unusable_or_obsolete()
        else:
            wrapper.close()


@receiver(request_started)
@receiver(request_finished)
def _request_boundary(**kwargs):
    """Each request starts and ends on the platform's connection (routing then picks the server)."""
    if current_server() != PLATFORM and _state.pinned is None:
        server_install(PLATFORM)
        _current().set_schema_to_public()
    servers_close()


@receiver(setting_changed)
def _servers_changed(*, setting, **kwargs):
    if setting in ("ORGANISATION_DATABASES", "DATABASES"):
        if current_server() != PLATFORM:
            _state.pinned = None
            server_install(PLATFORM)
        servers_close(only_unusable=False)
        _state.wrappers.clear()


# --- Routing the platform's own tables ------------------------------------------------------------


def _platform_only_labels() -> frozenset[str]:
    from django.apps import apps

    shared_only = set(settings.SHARED_APPS) - set(settings.TENANT_APPS)
    return frozenset(config.label for config in apps.get_app_configs() if config.name in shared_only)


class PlacementRouter:
    """Organisations, domains, billing (apps shared but not tenant apps) live on the platform's
    server: while another server's connection is `default`, they go to the platform's."""

    _labels = None

    def _route(self, model, **hints):
        if PlacementRouter._labels is None:
            PlacementRouter._labels = _platform_only_labels()
        if model._meta.app_label in PlacementRouter._labels and current_server() != PLATFORM:
            return PLATFORM_ROUTE
        return DEFAULT_DB_ALIAS

    db_for_read = _route
    db_for_write = _route

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None  # django-tenants' router decides
