"""Settings for the test suite: the real settings with development defaults and fast hashing."""
import os

os.environ.setdefault("BROKER_DEVELOPMENT", "true")
os.environ.setdefault("LOG_FORMAT", "text")
# The suite runs two processes on two cores beside browsers and workers: a generous bound, still on.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "60000")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# One Redis database per test process (xdist worker), used from the start so that the producer
# never has to switch brokers; the celery_worker fixture empties it before starting a worker.
_REDIS_DB = 8 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0) % 8
os.environ.setdefault("CELERY_BROKER_URL", f"redis://127.0.0.1:6379/{_REDIS_DB}")
os.environ.setdefault("CELERY_RESULT_BACKEND", f"redis://127.0.0.1:6379/{_REDIS_DB}")

from config.settings import *  # noqa: E402,F403

# Password hashing is not under test; a fast hasher keeps the suite quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
