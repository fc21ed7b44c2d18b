"""API token secrets: how they look, how they are hashed.

A token is `cbt_ro_<random>` (read-only) or `cbt_rw_<random>` (read-write). The fixed prefix lets
secret scanners recognise a leaked token; only its SHA-256 is stored, so a database leak reveals
no usable token. SHA-256 (not a slow password hash) is right here: the secret has 256 bits of
entropy, and every API request must verify it in constant time with one indexed lookup.
"""

import hashlib
import secrets

TOKEN_PREFIX = "cbt_"


def token_generate(*, read_only: bool) -> str:
    return f"{TOKEN_PREFIX}{'ro' if read_only else 'rw'}_{secrets.token_urlsafe(32)}"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_display_prefix(secret: str) -> str:
    return secret[:12]
