"""Settings for the test suite: the real settings with development defaults and fast hashing."""

import os

os.environ.setdefault("BROKER_DEVELOPMENT", "true")
os.environ.setdefault("LOG_FORMAT", "text")
# The suite runs two processes on two cores beside browsers and workers: a generous bound, still on.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "60000")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# No spare schemas in the background of tests (tests/tenants/test_spares.py fills them itself).
os.environ.setdefault("TENANT_SPARE_SCHEMAS", "0")
# One Redis database per test process (xdist worker), used from the start so that the producer
# never has to switch brokers; the celery_worker fixture empties it before starting a worker.
# Assigned, not defaulted, in an xdist worker: workers inherit the controller's environment, where
# this module already ran (as "gw0"), and two workers sharing a queue steal each other's tasks.
# TEST_REDIS_URL (default redis://127.0.0.1:6379) names another Redis server, so that two checkouts can
# run the suite side by side.
_TEST_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _XDIST_WORKER or "CELERY_BROKER_URL" not in os.environ:
    _REDIS_URL = f"{_TEST_REDIS}/{8 + int((_XDIST_WORKER or 'gw0')[2:] or 0) % 8}"
    os.environ["CELERY_BROKER_URL"] = os.environ["CELERY_RESULT_BACKEND"] = _REDIS_URL

from config.settings import *  # noqa: E402,F403

# Password hashing is not under test; a fast hasher keeps the suite quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
