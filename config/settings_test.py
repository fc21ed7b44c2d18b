"""Settings for the test suite: the real settings with development defaults and fast hashing."""
import os

os.environ.setdefault("BROKER_DEVELOPMENT", "true")
os.environ.setdefault("LOG_FORMAT", "text")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from config.settings import *  # noqa: E402,F403

# Password hashing is not under test; a fast hasher keeps the suite quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
