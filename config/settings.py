"""Settings, all from the environment (see the README's settings table)."""
from pathlib import Path

from config.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -----------------------------------------------------------------------------------------
# DEBUG is off unless asked for; a production secret key has no default.
DEBUG = env_bool("DEBUG", False)
DEVELOPMENT = env_bool("BROKER_DEVELOPMENT", False)
SECRET_KEY = env_str("SECRET_KEY") or (
    "insecure-development-key-only-for-local-use" if (DEBUG or DEVELOPMENT) else None
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

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
    "apps.matrix",
    "apps.webhooks",
    "apps.secrets",
]
INSTALLED_APPS = list(dict.fromkeys(["tenants", *SHARED_APPS, *TENANT_APPS]))

MIDDLEWARE = [
    "tenants.middleware.RequestContextMiddleware",
    "tenants.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tenants.middleware.TenantRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/contract_broker")
    )
}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Hosts and proxies ----------------------------------------------------------------------------
ALLOWED_HOSTS = (
    ["*"] if SINGLE_TENANT else [BASE_DOMAIN, f".{BASE_DOMAIN}", *env_list("ALLOWED_HOSTS")]
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
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0)
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", False)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Auth -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# How long a sign-up confirmation link stays valid (seconds).
SIGNUP_CONFIRMATION_MAX_AGE = env_int("SIGNUP_CONFIRMATION_MAX_AGE", 3 * 24 * 3600)

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.accounts.permissions.BrokerPermission"],
    "EXCEPTION_HANDLER": "apps.core.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# --- Pact Broker behaviour (the open-source broker's configuration, same defaults) -------------
# Changed content for an already published consumer version: allowed, or refused with 409.
BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION = env_bool("PACT_BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION", False)
BROKER_USE_FIRST_TAG_AS_BRANCH = env_bool("PACT_BROKER_USE_FIRST_TAG_AS_BRANCH", True)
BROKER_FIRST_TAG_AS_BRANCH_SECONDS = 10
BROKER_MAIN_BRANCH_CANDIDATES = env_list("PACT_BROKER_MAIN_BRANCH_CANDIDATES", ["develop", "main", "master"])
BROKER_CREATE_DEPLOYED_VERSIONS_FOR_TAGS = env_bool("PACT_BROKER_CREATE_DEPLOYED_VERSIONS_FOR_TAGS", True)
# Pact badges (SVG) readable without a token, for READMEs.
BROKER_ENABLE_PUBLIC_BADGE_ACCESS = env_bool("PACT_BROKER_ENABLE_PUBLIC_BADGE_ACCESS", False)
# Fixed public base URL for links (else built from the request).
PUBLIC_BASE_URL = env_str("PACT_BROKER_BASE_URL")

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

# --- Email ----------------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
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
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(tenant)s %(request_id)s",
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

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True
