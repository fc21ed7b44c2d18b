#!/usr/bin/env python3
"""`make run`: start everything the product needs, set up a demo organisation, and serve it.

- PostgreSQL: DATABASE_URL if set, else an embedded server (the `pgserver` package) under var/.
- Celery: CELERY_BROKER_URL / REDIS_URL if set, else kombu's filesystem transport under var/ (a
  real worker process, no server needed), and Celery beat for the periodic tasks (config/celery.py).
- Web: gunicorn on PORT (default 8000).
Ctrl-C stops everything this script started.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = sys.executable


def embedded_postgres() -> tuple[str, object]:
    import pgserver
    import psycopg

    server = pgserver.get_server(VAR / "pgdata", cleanup_mode="stop")
    uri = server.get_uri()
    with psycopg.connect(uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'contract_broker'").fetchone()
        if not exists:
            conn.execute("CREATE DATABASE contract_broker")
    socket_dir = uri.split("host=", 1)[1]
    return f"postgresql://postgres@/contract_broker?host={socket_dir}", server


def stop_leftover_postgres() -> None:
    """pgserver keeps the server up while it thinks another handle is alive (e.g. after a crash of an
    earlier run); we started it for this run, so make sure it stops with us."""
    pid_file = VAR / "pgdata" / "postmaster.pid"
    if not pid_file.exists():
        return
    try:
        os.kill(int(pid_file.read_text().split()[0]), signal.SIGINT)  # PostgreSQL's fast shutdown
    except (ProcessLookupError, ValueError):
        pass


def main() -> int:
    VAR.mkdir(exist_ok=True)
    env = dict(os.environ)
    env.setdefault("BROKER_DEVELOPMENT", "true")
    env.setdefault("SECURE_COOKIES", "false")
    env.setdefault("LOG_FORMAT", "text")
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    port = env.setdefault("PORT", "8000")
    server = None
    if not env.get("DATABASE_URL"):
        print("Starting embedded PostgreSQL under var/pgdata ...", flush=True)
        env["DATABASE_URL"], server = embedded_postgres()
    if not (env.get("CELERY_BROKER_URL") or env.get("REDIS_URL")):
        env["CELERY_BROKER_URL"] = "filesystem://"

    def manage(*args: str) -> None:
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)

    children: list[subprocess.Popen] = []
    try:
        manage("broker_setup")
        manage("collectstatic", "--noinput", "-v", "0")
        manage("demo_setup", "--port", port)
        children.append(
            subprocess.Popen(
                [PYTHON, "-m", "celery", "-A", "config", "worker", "--concurrency=2", "--loglevel=INFO"],
                cwd=ROOT,
                env=env,
            )
        )
        children.append(
            subprocess.Popen(
                [PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"],
                cwd=ROOT,
                env=env,
            )
        )
        children.append(
            subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "-c",
                    "deploy/gunicorn.conf.py",
                    "--bind",
                    f"0.0.0.0:{port}",
                    "config.wsgi:application",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        stopping = []
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, lambda *_: stopping.append(True))
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
        return 0 if stopping else 1
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        if server is not None:
            server.cleanup()
            stop_leftover_postgres()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
