"""Typed access to settings from the environment.

Every helper fails loudly on a value it cannot parse, so a typo in a deployment is an error at boot,
not a silently wrong setting.
"""

import os
import re
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from exc
    if value != value or value in (float("inf"), float("-inf")):
        raise ImproperlyConfigured(f"{name} must be a finite number, not {raw!r}")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_words(name: str, default: str) -> list[str]:
    """A whitespace-separated list (the broker's style for list settings); an empty value is an error."""
    raw = os.environ.get(name, default)
    words = raw.split()
    if not words:
        raise ImproperlyConfigured(f"{name} must list at least one value")
    return words


def env_required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set")
    return value


def database_from_url(url: str) -> dict:
    """A Django DATABASES entry from a postgres:// URL (host may be a socket directory)."""
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"DATABASE_URL must be a postgres:// URL, not {parsed.scheme!r}")
    query = dict(part.split("=", 1) for part in parsed.query.split("&") if "=" in part)
    host = unquote(parsed.hostname or query.get("host", "") or "")
    if not host and query.get("host"):
        host = unquote(query["host"])
    return {
        "ENGINE": "tenants.postgresql_backend",
        "NAME": unquote(parsed.path.lstrip("/")) or "postgres",
        "USER": unquote(parsed.username or "postgres"),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


_SERVER_ALIAS = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


def organisation_databases_from_env(name: str) -> dict[str, dict]:
    """`alias=postgres://...` pairs, whitespace-separated: the dedicated database servers
    (tenants/placement.py), as alias -> database_from_url(url). `default` is the platform's own
    server and cannot be redefined."""
    servers = {}
    for pair in (os.environ.get(name) or "").split():
        alias, sep, url = pair.partition("=")
        if not sep or not _SERVER_ALIAS.match(alias) or alias == "default":
            raise ImproperlyConfigured(
                f"{name}: {pair.split('=')[0]!r} is not `alias=postgres://...` with a lower-case alias other than default"
            )
        if alias in servers:
            raise ImproperlyConfigured(f"{name}: the alias {alias!r} is given twice")
        servers[alias] = database_from_url(url)  # fails loudly on a bad URL
    return servers
