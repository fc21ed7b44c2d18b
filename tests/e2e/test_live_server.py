"""The live-server fixtures work: a tenant host resolves and routes, and the Pact CLI runs."""

import pytest
import requests

from tests.support.live import PACT_BIN

pytestmark = pytest.mark.e2e


def test_live_tenant_host_serves_its_organisation(live_acme):
    org, base_url = live_acme

    response = requests.get(f"{base_url}/login", timeout=10)

    assert response.status_code == 200
    assert "Acme" in response.text


def test_pact_cli_is_installed():
    assert PACT_BIN.exists(), "run `make deps` to install the pinned Pact CLI"
