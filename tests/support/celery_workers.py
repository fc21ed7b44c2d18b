"""Celery worker processes that a test starts, kills and restarts itself (the `celery_worker` fixture
in tests/conftest.py covers the common case of one worker for a whole test).

Each worker is a real `celery -A config worker` against the test database and this test process's
Redis database (settings.CELERY_BROKER_URL), with a node name of its own so that a test can talk to
one worker while another is running or dead.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.support.processes import process_stop

ROOT = Path(__file__).resolve().parent.parent.parent


def worker_database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """One worker process. `pool="prefork"` with `concurrency` pool processes, or `pool="solo"` (the
    task runs in the main process, so killing that process kills the task). `beat=True` embeds
    Celery beat (`-B`)."""

    def __init__(
        self, name: str, *, env: dict | None = None, pool: str = "solo", concurrency: int = 1, beat: bool = False
    ):
        from django.conf import settings

        self.name = f"{name}-{os.getpid()}@localhost"
        broker = settings.CELERY_BROKER_URL
        self.env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "CELERY_BROKER_URL": broker,
            "CELERY_RESULT_BACKEND": broker,
            "BROKER_DEVELOPMENT": "true",
            **(env or {}),
        }
        self.args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            "-n",
            self.name,
        ]
        if beat:
            self.args.append("-B")
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self, *, wait: bool = True) -> "Worker":
        (ROOT / "var").mkdir(exist_ok=True)
        self._log = open(ROOT / "var" / f"celery-worker-{os.getpid()}.log", "ab")  # closed in stop()
        self.proc = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 30) -> None:
        from config.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Celery worker {self.name} exited with {self.proc.returncode}")
            if app.control.ping(destination=[self.name], timeout=0.5):
                return
        raise RuntimeError(f"Celery worker {self.name} did not start")

    def active_task_pids(self, task_name: str) -> list[int]:
        """Pool processes currently running `task_name` (from the worker's own report)."""
        from config.celery import app

        replies = app.control.inspect(destination=[self.name], timeout=1).active() or {}
        return [task["worker_pid"] for task in replies.get(self.name, []) if task["name"] == task_name]

    def kill(self, pid: int | None = None) -> None:
        """SIGKILL: no shutdown, no acknowledgement, no clean-up (an OOM kill or a lost node)."""
        target = pid or self.proc.pid
        os.kill(target, signal.SIGKILL)
        if target == self.proc.pid:
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        process_stop(self.proc, self._log)
        self._log = None


def broker_flush() -> None:
    """Empty this test process's Redis database: queued, unacknowledged and scheduled messages."""
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
