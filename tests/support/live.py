"""End-to-end support: organisations on a live server, host names, and the official Pact CLI."""

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django_tenants.utils import schema_exists

from tests.support.tenancy import Org, org_create

ROOT = Path(__file__).resolve().parents[2]
PACT_BIN = ROOT / "tools" / "pact-cli" / "node_modules" / ".bin" / "pact"
HOSTS_FILE = Path("/etc/hosts")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def ensure_host_names(*names: str) -> None:
    """Make tenant host names resolve to 127.0.0.1 (they do not resolve here without /etc/hosts)."""
    current = HOSTS_FILE.read_text()
    missing = [name for name in names if f" {name}\n" not in current and f"\t{name}\n" not in current]
    if missing:
        with HOSTS_FILE.open("a") as hosts:
            for name in missing:
                hosts.write(f"127.0.0.1 {name}\n")


def live_org_create(slug: str) -> Org:
    """An organisation for a live-server test (committed; drop it with `live_org_drop`)."""
    connection.set_schema_to_public()
    if schema_exists(slug.replace("-", "_")):  # left over by a crashed earlier run
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks may block the drop
            cursor.execute(f'DROP SCHEMA "{slug.replace("-", "_")}" CASCADE')
    org = org_create(slug)
    ensure_host_names(org.host)
    return org


def live_org_drop(org: Org) -> None:
    connection.set_schema_to_public()
    org.tenant.delete(force_drop=True)


@dataclass
class PactCli:
    """Runs the official `pact` CLI against a broker base URL with a token."""

    base_url: str
    token: str | None

    def run(
        self, *args: str, check: bool = False, timeout: int = 120, broker_env: bool = True
    ) -> subprocess.CompletedProcess:
        """`broker_env=False` leaves out PACT_BROKER_BASE_URL (the verifier would also fetch the
        provider's pacts from the broker when it is set, on top of any --url)."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("PACT_")}
        env["PACT_DO_NOT_TRACK"] = "true"
        if broker_env:
            env["PACT_BROKER_BASE_URL"] = self.base_url
        if self.token:
            env["PACT_BROKER_TOKEN"] = self.token
        result = subprocess.run([str(PACT_BIN), *args], env=env, capture_output=True, text=True, timeout=timeout)
        # The verifier colours names and statuses; tests read plain text.
        result.stdout, result.stderr = _ANSI.sub("", result.stdout), _ANSI.sub("", result.stderr)
        if check and result.returncode != 0:
            raise AssertionError(f"pact {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
        return result

    def broker(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return self.run("broker", *args, **kwargs)
