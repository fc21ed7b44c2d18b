"""Small helpers for tests that run real servers and workers as processes or threads."""

import socket
import subprocess


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_stop(proc: subprocess.Popen | None, log=None) -> None:
    """SIGTERM, then SIGKILL after 20 s; closes the process's log file."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    if log is not None:
        log.close()
