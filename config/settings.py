"""Settings, all from the environment; docs/configuration.md lists every variable (a test keeps it current)."""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from config.env import (
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    env_words,
    organisation_databases_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -----------------------------------------------------------------------------------------
# DEBUG is off unless asked for; a production secret key has no default.
DEBUG = env_bool("DEBUG", False)
DEVELOPMENT = env_bool("BROKER_DEVELOPMENT", False)
SECRET_KEY = env_str("SECRET_KEY") or (
    "insecure-development-key-only-for-local-use" if (DEBUG or DEVELOPMENT) else None
)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set (or BROKER_DEVELOPMENT=true for local use)")

# --- Tenancy --------------------------------------------------------------------------------------
# The public site lives on BASE_DOMAIN; organisation "acme" on acme.BASE_DOMAIN.
BASE_DOMAIN = env_str("BASE_DOMAIN", "localhost").lower()
# Self-hosted mode: one organisation served on any host name, no sign-up.
SINGLE_TENANT = env_bool("BROKER_SINGLE_TENANT", False)
SINGLE_TENANT_SCHEMA = env_str("BROKER_SINGLE_TENANT_SCHEMA", "broker")
SINGLE_TENANT_NAME = env_str("BROKER_SINGLE_TENANT_NAME", "Pact Broker")
TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# New organisations are cloned from this fully migrated template schema (fast provisioning).
TENANT_BASE_SCHEMA = "tenant_template"
# Spare organisation schemas cloned ahead of time, so a sign-up renames one instead of cloning
# (tenants/spares.py; Celery beat keeps the pool filled). 0 turns the pool off.
TENANT_SPARE_SCHEMAS = env_int("TENANT_SPARE_SCHEMAS", 2)
# Caps on cloning spares, so a flood of sign-ups cannot keep workers cloning: per fill run, per hour.
TENANT_SPARE_SCHEMAS_PER_FILL = env_int("TENANT_SPARE_SCHEMAS_PER_FILL", 5)
TENANT_SPARE_SCHEMAS_PER_HOUR = env_int("TENANT_SPARE_SCHEMAS_PER_HOUR", 60)
TENANT_CREATION_FAKES_MIGRATIONS = True
# One `SET search_path` per request rather than one per cursor.
TENANT_LIMIT_SET_CALLS = True
TENANT_MULTIPROCESSING_MAX_PROCESSES = env_int("MIGRATION_PROCESSES", 2)
# How long a host -> tenant lookup is cached (seconds); domain changes invalidate it at once.
TENANT_CACHE_SECONDS = env_int("TENANT_CACHE_SECONDS", 300)

SHARED_APPS = [
    "django_tenants",
    "tenants",  # before django_tenants' commands so our migrate_schemas wins
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "apps.core",
    "apps.accounts",
    "billing",  # plans, Stripe customers/subscriptions, processed Stripe events: public schema only
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "apps.accounts",
    "apps.contracts",
    "apps.verifications",
    "apps.environments",
    "apps.provider_contracts",  # bi-directional contract testing: OpenAPI provider contracts, comparisons
    "apps.matrix",
    "apps.webhooks",
    "apps.secrets",
    # SSO (issue 8): per-organisation login policy, SAML IdP settings, replay store, and
    # social-auth's association/nonce tables. Tenant-only: the public site has no sign-in.
    "social_django",
    "sso",
    "apps.pacts_for_verification",  # pacts for verification: selectors, pending and WIP pacts (no models)
    # The web UI (issue 10): dashboard, network diagram, contract views, matrix, can-i-deploy,
    # environments, webhooks, settings navigation and secrets. Server-rendered pages, no models.
    "apps.ui",
    # Import from a running Pact Broker (issue 18): import runs and their ledger, Settings > Import.
    "apps.broker_import",
    # Organisation data (issue 18): export/import archives, retention clean-up.
    "apps.portability",
    "apps.retention",
]
INSTALLED_APPS = list(dict.fromkeys(["tenants", *SHARED_APPS, *TENANT_APPS]))

MIDDLEWARE = [
    "tenants.middleware.RequestContextMiddleware",
    # Prometheus: serves /-/metrics and measures every request by route (tenants/metrics.py).
    "tenants.metrics.MetricsMiddleware",
    "apps.accounts.middleware.AuditContextMiddleware",  # client address for audit entries
    "tenants.health.HealthCheckMiddleware",
    "apps.core.middleware.RequestLimitsMiddleware",  # 413 before a too-large body is read; NUL in URLs
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.TenantRoutingMiddleware",
    "apps.core.middleware.BrokerPathMiddleware",  # the broker's path rules: `.csv`/`.json` as Accept, no new lines
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Past-due organisations become read-only after the grace period (billing/middleware.py).
    "billing.middleware.ReadOnlyOrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (settings below)
]

ROOT_URLCONF = "config.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/contract_broker"))
}
# Every session: a statement timeout (a runaway query fails instead of holding a worker; migrations
# lift it) and the planner's random-I/O cost for a database that lives in memory or on SSD (at the
# default 4.0 the planner prefers sequential scans of big tables to index lookups). Set either to
# an empty string to leave the server's value (e.g. behind a pooler that refuses startup options).
_SESSION_SETTINGS = {
    "statement_timeout": env_str("DATABASE_STATEMENT_TIMEOUT_MS", "5000"),
    "random_page_cost": env_str("DATABASE_RANDOM_PAGE_COST", "1.1"),
}
# Behind PgBouncer in transaction pooling mode (DATABASE_POOLER=transaction) nothing may live in the
# session: the search path and the settings above are set per transaction (tenants/postgresql_backend),
# and server-side cursors and prepared statements are off. Migrations connect directly (docs/operations.md).
DATABASE_POOLER = env_str("DATABASE_POOLER", "")
if DATABASE_POOLER not in ("", "transaction"):
    raise ImproperlyConfigured("DATABASE_POOLER must be empty or 'transaction'")
if DATABASE_POOLER:
    DATABASES["default"].update(
        POOLER=DATABASE_POOLER,
        DISABLE_SERVER_SIDE_CURSORS=True,
        OPTIONS={"prepare_threshold": None},
        POOLED_SETTINGS={name: value for name, value in _SESSION_SETTINGS.items() if value},
    )
elif any(_SESSION_SETTINGS.values()):
    DATABASES["default"]["OPTIONS"] = {
        "options": " ".join(f"-c {name}={value}" for name, value in _SESSION_SETTINGS.items() if value)
    }
# Dedicated database servers (tenants/placement.py): organisations an operator places on another
# PostgreSQL server ("each customer isolated on its own database instance"). Whitespace-separated
# `alias=postgres://...` pairs; the platform's own server (DATABASE_URL) is the alias "default".
ORGANISATION_DATABASES = organisation_databases_from_env("ORGANISATION_DATABASES")
# Platform-only models (organisations, billing) always on the platform server, whatever server the
# current organisation's queries go to; then django-tenants' router for migrations.
DATABASE_ROUTERS = ["tenants.placement.PlacementRouter", "django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Hosts and proxies ----------------------------------------------------------------------------
# Self-hosted: the host of PACT_BROKER_BASE_URL, loopback and ALLOWED_HOSTS; every host name only
# when the operator opts in (PACT_BROKER_ALLOW_ANY_HOST). A Host header never builds emailed links
# (apps/accounts/links.py); refusing unknown hosts also keeps it out of cached HAL links.
ALLOW_ANY_HOST = env_bool("PACT_BROKER_ALLOW_ANY_HOST", False)
_BASE_URL_HOST = urlsplit(env_str("PACT_BROKER_BASE_URL") or "").hostname
ALLOWED_HOSTS = (
    (
        ["*"]
        if ALLOW_ANY_HOST
        else [h for h in (_BASE_URL_HOST, "localhost", "127.0.0.1", "[::1]") if h] + env_list("ALLOWED_HOSTS")
    )
    if SINGLE_TENANT
    else [BASE_DOMAIN, f".{BASE_DOMAIN}", *env_list("ALLOWED_HOSTS")]
)
# Honour X-Forwarded-Host/-Proto only behind a proxy we trust.
TRUST_PROXY = env_bool("TRUST_PROXY", False)
USE_X_FORWARDED_HOST = TRUST_PROXY
USE_X_FORWARDED_PORT = TRUST_PROXY
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUST_PROXY else None

# --- Security headers and cookies -----------------------------------------------------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES", not (DEBUG or DEVELOPMENT))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS is sent only on requests that arrived over TLS (directly, or per X-Forwarded-Proto from a
# trusted proxy): one year by default outside development.
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0 if (DEBUG or DEVELOPMENT) else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no inline
# script or style, no eval, never framed (docs/security.md). htmx and Cytoscape are configured for it.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    },
}
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", False)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Auth -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password sign-in goes through a backend that applies the organisation's SSO policy (SAML
# required, password off, break-glass admin); GitHub and Google are social-auth backends.
AUTHENTICATION_BACKENDS = [
    "sso.auth.TenantModelBackend",
    "sso.backends.GithubLogin",
    "sso.backends.GoogleLogin",
]
# How long a sign-up confirmation link stays valid (seconds).
SIGNUP_CONFIRMATION_MAX_AGE = env_int("SIGNUP_CONFIRMATION_MAX_AGE", 3 * 24 * 3600)
# Sign-up rate limits (tenants/limits.py), "<count>/<period>" with period s, m, h or d (e.g. "10/h",
# "50/d"); empty turns a limit off. Counted per client address and per email, over all attempts.
SIGNUP_RATE_LIMIT_PER_IP = env_str("SIGNUP_RATE_LIMIT_PER_IP", "10/h")
SIGNUP_RATE_LIMIT_PER_EMAIL = env_str("SIGNUP_RATE_LIMIT_PER_EMAIL", "3/h")
# Organisations whose sign-up was never confirmed are removed this long after sign-up (seconds; beat
# task tenants.unconfirmed_remove). At least SIGNUP_CONFIRMATION_MAX_AGE: no link outlives its org.
SIGNUP_UNCONFIRMED_REMOVE_AFTER = env_int("SIGNUP_UNCONFIRMED_REMOVE_AFTER", 7 * 24 * 3600)

# Organisation data (issue 18, docs/organisation-data.md). Closing: how long a closed organisation
# stays read-only (and can be reopened by an administrator) before its data is deleted (days).
ORGANISATION_CLOSE_GRACE_DAYS = env_int("ORGANISATION_CLOSE_GRACE_DAYS", 14)
# Export archives made from the UI: where they are kept, and for how long (hours) before removal.
ORGANISATION_EXPORT_DIR = env_str("ORGANISATION_EXPORT_DIR", str(BASE_DIR / "var" / "exports"))
ORGANISATION_EXPORT_KEEP_HOURS = env_int("ORGANISATION_EXPORT_KEEP_HOURS", 72)
# Retention clean-up (daily, beat task retention.clean_all): one organisation's pass stops starting
# batches after this many seconds; the next day's pass continues.
RETENTION_CLEAN_MAX_SECONDS = env_int("RETENTION_CLEAN_MAX_SECONDS", 1800)


def _check_signup_settings() -> None:
    import re

    from django.core.exceptions import ImproperlyConfigured

    for name in ("SIGNUP_RATE_LIMIT_PER_IP", "SIGNUP_RATE_LIMIT_PER_EMAIL"):
        value = globals()[name]
        if value and not re.fullmatch(r"[0-9]+/[0-9]*[smhd]", value):
            raise ImproperlyConfigured(f"{name} must look like '10/h' (count/period: s, m, h or d), not {value!r}")
    if SIGNUP_UNCONFIRMED_REMOVE_AFTER < SIGNUP_CONFIRMATION_MAX_AGE:
        raise ImproperlyConfigured(
            "SIGNUP_UNCONFIRMED_REMOVE_AFTER must not be shorter than SIGNUP_CONFIRMATION_MAX_AGE"
        )


_check_signup_settings()

# --- Identity: invitations, password reset, sign-in lock-out, self-hosted basic auth --------------
# (apps/accounts; docs/accounts.md)
# How long an invitation link stays valid (seconds); PactFlow's is 7 days.
INVITATION_MAX_AGE = env_int("INVITATION_MAX_AGE", 7 * 24 * 3600)
# How long a password-reset link stays valid (seconds).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)
# Failed sign-ins of one email from one address before a lock-out; and of one email from anywhere.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_EMAIL = env_int("LOGIN_FAILURE_LIMIT_PER_EMAIL", 20)
# How long a lock-out lasts, and the window failures are counted in (seconds).
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Self-hosted only: the OSS Pact Broker's basic-auth users and its allow_public_read switch.
PACT_BROKER_BASIC_AUTH_USERNAME = env_str("PACT_BROKER_BASIC_AUTH_USERNAME", "")
PACT_BROKER_BASIC_AUTH_PASSWORD = env_str("PACT_BROKER_BASIC_AUTH_PASSWORD", "")
PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME = env_str("PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME", "")
PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD = env_str("PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD", "")
PACT_BROKER_ALLOW_PUBLIC_READ = env_bool("PACT_BROKER_ALLOW_PUBLIC_READ", False)
if (PACT_BROKER_BASIC_AUTH_USERNAME and not PACT_BROKER_BASIC_AUTH_PASSWORD) or (
    PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME and not PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("A PACT_BROKER_BASIC_AUTH_*USERNAME needs its *PASSWORD too")
# --- Single sign-on (sso/; docs/sso.md) ---------------------------------------------
# Only for migration sso 0004: the key material client secrets were sealed with before envelope encryption.
SSO_ENCRYPTION_KEY = env_str("SSO_ENCRYPTION_KEY") or None
# Platform-wide OAuth apps, used by organisations that enable GitHub/Google without their own app.
SSO_GITHUB_CLIENT_ID = env_str("SSO_GITHUB_CLIENT_ID", "")
SSO_GITHUB_CLIENT_SECRET = env_str("SSO_GITHUB_CLIENT_SECRET", "")
SSO_GOOGLE_CLIENT_ID = env_str("SSO_GOOGLE_CLIENT_ID", "")
SSO_GOOGLE_CLIENT_SECRET = env_str("SSO_GOOGLE_CLIENT_SECRET", "")
# Fetching IdP metadata from a URL: https and public addresses only, unless this is on (tests, labs).
SSO_METADATA_ALLOW_PRIVATE = env_bool("SSO_METADATA_ALLOW_PRIVATE", False)
# Settings > Import (apps/broker_import) may read a source broker on a private address: on by
# default for a self-hosted broker (its source is usually next to it), off in SaaS (SSRF).
# `manage.py broker_import` is an operator's command and always may.
BROKER_IMPORT_ALLOW_PRIVATE = env_bool("BROKER_IMPORT_ALLOW_PRIVATE", SINGLE_TENANT)
# Concurrent reads from the source broker of an import started from the settings page.
BROKER_IMPORT_WORKERS = env_int("BROKER_IMPORT_WORKERS", 4)
# How long an SP-initiated SAML request may take at the IdP before its response is refused (seconds).
SSO_SAML_REQUEST_MAX_AGE = env_int("SSO_SAML_REQUEST_MAX_AGE", 600)
# social-auth: our strategy reads per-organisation client ids/secrets and restrictions.
SOCIAL_AUTH_STRATEGY = "sso.strategy.TenantStrategy"
SOCIAL_AUTH_URL_NAMESPACE = "social"
SOCIAL_AUTH_JSONFIELD_ENABLED = True
SOCIAL_AUTH_LOGIN_ERROR_URL = "/login"
SOCIAL_AUTH_RAISE_EXCEPTIONS = True
SOCIAL_AUTH_PIPELINE = (
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_uid",
    "sso.pipeline.mode_allowed",
    "social_core.pipeline.social_auth.social_user",
    "sso.pipeline.user_link_or_provision",
    "social_core.pipeline.social_auth.associate_user",
    "sso.pipeline.user_active_required",
    # No load_extra_data: provider access tokens are never stored.
)
# Provider endpoints (overridable for tests or GitHub Enterprise; defaults are the public services).
SOCIAL_AUTH_GITHUB_AUTHORIZATION_URL = env_str(
    "SSO_GITHUB_AUTHORIZATION_URL", "https://github.com/login/oauth/authorize"
)
SOCIAL_AUTH_GITHUB_ACCESS_TOKEN_URL = env_str(
    "SSO_GITHUB_ACCESS_TOKEN_URL", "https://github.com/login/oauth/access_token"
)
SOCIAL_AUTH_GITHUB_API_URL = env_str("SSO_GITHUB_API_URL", "https://api.github.com/")
SOCIAL_AUTH_GOOGLE_OAUTH2_AUTHORIZATION_URL = env_str(
    "SSO_GOOGLE_AUTHORIZATION_URL", "https://accounts.google.com/o/oauth2/auth"
)
SOCIAL_AUTH_GOOGLE_OAUTH2_ACCESS_TOKEN_URL = env_str(
    "SSO_GOOGLE_ACCESS_TOKEN_URL", "https://oauth2.googleapis.com/token"
)
SOCIAL_AUTH_GOOGLE_OAUTH2_USERINFO_URL = env_str(
    "SSO_GOOGLE_USERINFO_URL", "https://www.googleapis.com/oauth2/v3/userinfo"
)

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.BearerTokenAuthentication",
        "apps.accounts.authentication.BasicAuthentication",  # self-hosted mode only
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.accounts.permissions.BrokerPermission"],
    "EXCEPTION_HANDLER": "apps.core.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": ["apps.core.parsers.BrokerJSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# --- Abuse limits (docs/limits.md) ------------------------------------------------------------------
# Largest request body in bytes (pacts, publications, webhooks, forms...); larger ones get 413.
REQUEST_BODY_LIMIT = env_int("REQUEST_BODY_LIMIT", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_LIMIT  # Django's own check of request.body and forms
# Deepest nesting of arrays/objects accepted in a JSON body or pact (deeper: 400).
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 100)
# Largest page a paginated list serves (`size`/`pageSize` above it are clamped to it).
PAGE_SIZE_MAX = env_int("PAGE_SIZE_MAX", 1000)
# Largest matrix `limit` (rows of the matrix and can-i-deploy; larger values are clamped).
MATRIX_LIMIT_MAX = env_int("MATRIX_LIMIT_MAX", 1000)
for _name in ("REQUEST_BODY_LIMIT", "JSON_MAX_DEPTH", "PAGE_SIZE_MAX", "MATRIX_LIMIT_MAX"):
    if globals()[_name] < 1:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{_name} must be at least 1")

# --- Pact Broker behaviour (the open-source broker's configuration, same defaults) -------------
# Changed content for an already published consumer version: allowed, or refused with 409.
BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION = env_bool("PACT_BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION", False)
BROKER_USE_FIRST_TAG_AS_BRANCH = env_bool("PACT_BROKER_USE_FIRST_TAG_AS_BRANCH", True)
BROKER_FIRST_TAG_AS_BRANCH_SECONDS = 10
BROKER_MAIN_BRANCH_CANDIDATES = env_list("PACT_BROKER_MAIN_BRANCH_CANDIDATES", ["develop", "main", "master"])
BROKER_CREATE_DEPLOYED_VERSIONS_FOR_TAGS = env_bool("PACT_BROKER_CREATE_DEPLOYED_VERSIONS_FOR_TAGS", True)
# "Latest" follows version creation order (true, the broker's default) or semantic version order
# (false: apps/contracts/services/version_order.py; version numbers of pacts and verifications must
# then parse with one of SEMVER_FORMATS, tried in turn: %M major, %m minor, %p patch, %s pre-release,
# %d build metadata).
ORDER_VERSIONS_BY_DATE = env_bool("PACT_BROKER_ORDER_VERSIONS_BY_DATE", True)
SEMVER_FORMATS = env_words("PACT_BROKER_SEMVER_FORMATS", "%M.%m.%p%s%d %M.%m %M")
if not all(any(part in fmt for part in ("%M", "%m", "%p")) for fmt in SEMVER_FORMATS):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("each of PACT_BROKER_SEMVER_FORMATS needs %M, %m or %p, e.g. '%M.%m.%p%s%d %M.%m %M'")
# Publishing a pact that would create a pacticipant whose name is a spelling variant of an existing
# one ("Foo Service" / "foo-service") is refused with 409 (apps/contracts/duplicate_names.py).
CHECK_FOR_POTENTIAL_DUPLICATE_PACTICIPANT_NAMES = env_bool(
    "PACT_BROKER_CHECK_FOR_POTENTIAL_DUPLICATE_PACTICIPANT_NAMES", True
)
# Seconds a pact diff may take before the diff endpoints answer 408 (the computation is abandoned).
PACT_CONTENT_DIFF_TIMEOUT = env_float("PACT_BROKER_PACT_CONTENT_DIFF_TIMEOUT", 15.0)
if PACT_CONTENT_DIFF_TIMEOUT <= 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PACT_BROKER_PACT_CONTENT_DIFF_TIMEOUT must be greater than 0")
# WIP pacts: how far back verifications count when deciding a pact is no longer work in progress.
PACT_BROKER_VERIFIED_BY_OTHER_BRANCH_LOOKBACK_DAYS = env_int("PACT_BROKER_VERIFIED_BY_OTHER_BRANCH_LOOKBACK_DAYS", 30)
# Pact badges (SVG) readable without a token, for READMEs.
BROKER_ENABLE_PUBLIC_BADGE_ACCESS = env_bool("PACT_BROKER_ENABLE_PUBLIC_BADGE_ACCESS", False)
# Badges: `redirect` (the broker's default: a 307 to shields.io) or `local` (drawn here, no third
# party); the broker's `proxy` (fetched from shields.io, answered as an SVG) is answered as `local`.
BADGE_PROVIDER_MODE = env_str("PACT_BROKER_BADGE_PROVIDER_MODE", "redirect").strip().lower()
if BADGE_PROVIDER_MODE == "proxy":
    BADGE_PROVIDER_MODE = "local"
if BADGE_PROVIDER_MODE not in ("redirect", "local"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PACT_BROKER_BADGE_PROVIDER_MODE must be redirect, local or proxy")
# Where `redirect` sends badges (empty: draw locally, as the broker does without it).
BADGE_SHIELDS_IO_BASE_URL = env_str("PACT_BROKER_SHIELDS_IO_BASE_URL", "https://img.shields.io")
# Fixed public base URL for links (else built from the request).
PUBLIC_BASE_URL = env_str("PACT_BROKER_BASE_URL")


# --- Webhooks (the open-source broker's settings and defaults; lists are comma/space separated) ---
def _env_words(name: str, default: str) -> list[str]:
    import os

    return [w for w in os.environ.get(name, default).replace(",", " ").split() if w]


def _env_seconds_list(name: str, default: str) -> list[float]:
    from django.core.exceptions import ImproperlyConfigured

    try:
        values = [float(w) for w in _env_words(name, default)]
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a list of seconds, e.g. '10 60 120'") from exc
    if any(v < 0 for v in values):
        raise ImproperlyConfigured(f"{name} must not contain negative delays")
    return values


# Delays before each retry; attempts = 1 + len(schedule) (the broker's 10 60 120 300 600 1200 = 7).
WEBHOOK_RETRY_SCHEDULE = _env_seconds_list("PACT_BROKER_WEBHOOK_RETRY_SCHEDULE", "10 60 120 300 600 1200")
WEBHOOK_HTTP_METHOD_WHITELIST = [m.upper() for m in _env_words("PACT_BROKER_WEBHOOK_HTTP_METHOD_WHITELIST", "POST")]
WEBHOOK_SCHEME_WHITELIST = [s.lower() for s in _env_words("PACT_BROKER_WEBHOOK_SCHEME_WHITELIST", "https")]
# Hosts webhooks may target: names, *.domain, IPs, CIDR ranges or /regex/. Empty = any public host.
# An IP/CIDR entry is also the only way to let a webhook reach a private/loopback address.
WEBHOOK_HOST_WHITELIST = _env_words("PACT_BROKER_WEBHOOK_HOST_WHITELIST", "")
WEBHOOK_HTTP_CODE_SUCCESS = [
    int(c) for c in _env_words("PACT_BROKER_WEBHOOK_HTTP_CODE_SUCCESS", "200 201 202 203 204 205 206")
]
WEBHOOK_REDACT_SENSITIVE_DATA = env_bool("PACT_BROKER_WEBHOOK_REDACT_SENSITIVE_DATA", True)
# Per-request timeouts (seconds): connect, and the whole request including the response body.
WEBHOOK_CONNECT_TIMEOUT = float(env_str("WEBHOOK_CONNECT_TIMEOUT", "5"))
WEBHOOK_TIMEOUT = float(env_str("WEBHOOK_TIMEOUT", "15"))
# At most this much of a response body is read and kept in the logs.
WEBHOOK_RESPONSE_BODY_LIMIT = env_int("WEBHOOK_RESPONSE_BODY_LIMIT", 64 * 1024)
WEBHOOK_USER_AGENT = env_str("PACT_BROKER_USER_AGENT", "Pact Broker v2.120.0")
# A delivery's lease is connect + 2 x read timeout + this margin (seconds): how long a delivery whose
# worker died mid-request stays claimed before another worker may send it again.
WEBHOOK_LEASE_MARGIN = float(env_str("WEBHOOK_LEASE_MARGIN", "30"))
# The sweeper (Celery beat, task webhooks.requeue_all): how often it runs, and how long a due delivery
# may wait in the queue before it is enqueued again (a lost message). Seconds.
WEBHOOK_REQUEUE_INTERVAL = float(env_str("WEBHOOK_REQUEUE_INTERVAL", "60"))
WEBHOOK_REQUEUE_AFTER = float(env_str("WEBHOOK_REQUEUE_AFTER", "60"))
WEBHOOK_DISABLE_SSL_VERIFICATION = env_bool("PACT_BROKER_DISABLE_SSL_VERIFICATION", False)
# Per-organisation fairness: at most this many deliveries of one organisation in flight at once (keep
# it below the workers' total concurrency); a delivery over the cap is re-queued after about
# WEBHOOK_ORG_BUSY_DELAY seconds (with jitter), freeing the worker for other organisations.
WEBHOOK_ORG_CONCURRENCY = env_int("WEBHOOK_ORG_CONCURRENCY", 2)
WEBHOOK_ORG_BUSY_DELAY = float(env_str("WEBHOOK_ORG_BUSY_DELAY", "1"))

# --- Secrets: master keys "id:base64(32 bytes)", comma separated, the first one wraps -----------
# No default in production: secrets are refused (409) until keys are configured.
_DEVELOPMENT_MASTER_KEY = "dev:ZGV2ZWxvcG1lbnQtb25seS1tYXN0ZXIta2V5LTMyYnk="
SECRETS_MASTER_KEYS = env_str("SECRETS_MASTER_KEYS") or (_DEVELOPMENT_MASTER_KEY if (DEBUG or DEVELOPMENT) else "")
if SECRETS_MASTER_KEYS:
    from apps.secrets.crypto import master_keys_parse as _parse_master_keys

    try:
        _parse_master_keys(SECRETS_MASTER_KEYS)  # fail at boot, not at the first webhook
    except ValueError as _exc:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"SECRETS_MASTER_KEYS: {_exc}") from _exc
# --- Billing (Stripe) -------------------------------------------------------------------------
# Secrets have no default outside development: without STRIPE_SECRET_KEY billing is switched off
# (pages say so, the webhook answers 503), which is also right for a self-hosted broker.
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY") or ("sk_test_development" if DEVELOPMENT else None)
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET") or ("whsec_development" if DEVELOPMENT else None)
# Where the stripe client sends API calls (the tests point it at a local Stripe).
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "https://api.stripe.com")
# Seconds a webhook signature stays valid (Stripe's libraries default to 300).
STRIPE_WEBHOOK_TOLERANCE = env_int("STRIPE_WEBHOOK_TOLERANCE", 300)
# Per-seat prices of the plans; the annual ones are used for invoiced subscriptions.
STRIPE_PRICE_TEAM = env_str("STRIPE_PRICE_TEAM", "price_team" if DEVELOPMENT else "")
STRIPE_PRICE_BUSINESS = env_str("STRIPE_PRICE_BUSINESS", "price_business" if DEVELOPMENT else "")
STRIPE_PRICE_BUSINESS_ANNUAL = env_str("STRIPE_PRICE_BUSINESS_ANNUAL", "price_business_annual" if DEVELOPMENT else "")
STRIPE_PRICE_ENTERPRISE_ANNUAL = env_str(
    "STRIPE_PRICE_ENTERPRISE_ANNUAL", "price_enterprise_annual" if DEVELOPMENT else ""
)
# Days a past-due organisation keeps writing before it becomes read-only.
BILLING_GRACE_DAYS = env_int("BILLING_GRACE_DAYS", 7)
# Days until an invoice of an invoiced (annual) subscription is due.
BILLING_INVOICE_DAYS_UNTIL_DUE = env_int("BILLING_INVOICE_DAYS_UNTIL_DUE", 30)

# --- Templates and static files -------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context.tenant_context",
                "apps.ui.navigation.navigation",  # main and settings navigation, lazily per request
                "apps.accounts.preferences.announcement",  # the login banner (a system preference), lazily
            ]
        },
    }
]
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- Cache (keys always carry the schema) ---------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CACHES["default"]["KEY_FUNCTION"] = "django_tenants.cache.make_key"
CACHES["default"]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX", "cb")

# --- Background work ------------------------------------------------------------------------------
# With no broker configured, Celery uses kombu's filesystem transport: a real worker, no server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
CELERY_FILESYSTEM_DIR = Path(env_str("CELERY_FILESYSTEM_DIR", str(BASE_DIR / "var" / "celery")))
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND")
# Celery beat keeps its last-run times in this file (beat's schedule itself is in config/celery.py).
CELERY_BEAT_SCHEDULE_FILENAME = env_str("CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "var" / "celerybeat-schedule"))

# --- Email ----------------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"no-reply@{BASE_DOMAIN}")

# --- Logging: one JSON object a line, with tenant and request id ---------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "config.logging.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(tenant)s %(request_id)s %(trace_id)s %(span_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(tenant)s %(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": env_str("LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Operations: Prometheus metrics (tenants/metrics.py; docs/operations.md) -----------------------
# The bearer token Prometheus sends to /-/metrics; unset, the endpoint is a 404.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# Every answer says what it cost the server (Server-Timing: app, cpu, sql); for benchmarks only.
SERVER_TIMING = env_bool("SERVER_TIMING", False)
# How long the scrape-time gauges (organisations, active tokens, spare schemas) are reused (seconds).
METRICS_PLATFORM_CACHE_SECONDS = env_int("METRICS_PLATFORM_CACHE_SECONDS", 60)
# Celery workers serve their task and webhook metrics on this port (0: not served).
METRICS_WORKER_PORT = env_int("METRICS_WORKER_PORT", 0)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True
