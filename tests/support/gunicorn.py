"""gunicorn processes a test starts as `make run` does (deploy/gunicorn.conf.py) against the test database.

For tests that need the real server in separate processes: several web processes at once, or
settings that differ from the test process's own (the live_server fixture runs in this process)."""

import http.client
import os
import subprocess
import sys
import time

from tests.support.celery_workers import ROOT, worker_database_url
from tests.support.processes import free_port, process_stop


class Gunicorn:
    """One gunicorn master with `workers` × `threads`; `env` is added to this process's environment."""

    def __init__(self, *, env: dict | None = None, workers: int = 1, threads: int = 4):
        from django.conf import settings

        self.port = free_port()
        broker = settings.CELERY_BROKER_URL
        self.env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "CELERY_BROKER_URL": broker,
            "CELERY_RESULT_BACKEND": broker,
            "BROKER_DEVELOPMENT": "true",
            "PYTHONUNBUFFERED": "1",
            "WEB_WORKERS": str(workers),
            "WEB_THREADS": str(threads),
            **(env or {}),
        }
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self, timeout: float = 60) -> "Gunicorn":
        (ROOT / "var").mkdir(exist_ok=True)
        self._log = open(ROOT / "var" / f"gunicorn-{os.getpid()}-{self.port}.log", "wb")  # closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                "/dev/null",
                "config.wsgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"gunicorn did not start (var/gunicorn-{os.getpid()}-{self.port}.log)")
            time.sleep(0.3)

    def stop(self) -> None:
        process_stop(self.proc, self._log)
        self._log = None


def request(
    port: int,
    host: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: bytes | None = None,
    connection: http.client.HTTPConnection | None = None,
) -> tuple[int, bytes]:
    """One request with a Host header (tenant host names need no DNS this way)."""
    client = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": host, "Accept": "application/hal+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
    client.request(method, path, body=body, headers=headers)
    response = client.getresponse()
    return response.status, response.read()
