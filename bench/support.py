"""Shared helpers: the bench database, Django setup, percentiles."""

import os
import statistics
import subprocess
import sys
from urllib.parse import urlparse

import psycopg


def database_url() -> str:
    return os.environ["DATABASE_URL"]


def ensure_database() -> None:
    url = urlparse(database_url())
    name = url.path.lstrip("/")
    admin = database_url().replace(f"/{name}", "/postgres", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def django_setup() -> None:
    import django

    ensure_database()
    django.setup()


def manage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], capture_output=True, text=True, check=True, env=dict(os.environ)
    )


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return {"p50": ordered[0], "p95": ordered[0], "p99": ordered[0]}
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50": statistics.median(ordered), "p95": cuts[94], "p99": cuts[98]}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"
