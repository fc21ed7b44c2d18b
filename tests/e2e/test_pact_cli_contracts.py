"""The official Pact CLI publishes, lists and fetches pacts, and the Rust verifier publishes results."""

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django_tenants.utils import schema_context

from apps.contracts.models import BranchHead, LatestPactPublication, Tag, Version
from apps.verifications.models import Verification
from tests.support.pacts import FIXTURES

pytestmark = pytest.mark.e2e


@pytest.fixture
def pact_dir(tmp_path):
    for name in ("foo-bar", "foo-baz"):
        shutil.copy(FIXTURES / f"{name}.json", tmp_path / f"{name}.json")
    return tmp_path


def _get(base_url, token, path):
    return requests.get(
        base_url + path, headers={"Authorization": f"Bearer {token}", "Accept": "application/hal+json"}, timeout=10
    )


def test_cli_publishes_a_file_with_branch_tag_and_build_url(pact_cli, live_acme, pact_dir):
    org, base_url = live_acme

    result = pact_cli.broker(
        "publish",
        str(pact_dir / "foo-bar.json"),
        "--consumer-app-version",
        "1.0.0",
        "--branch",
        "main",
        "--tag",
        "dev",
        "--build-url",
        "https://ci.example/1",
        check=True,
    )

    assert "Pact successfully published for Foo version 1.0.0 and provider Bar" in result.stdout + result.stderr
    with schema_context(org.schema):
        version = Version.objects.get(pacticipant__name="Foo", number="1.0.0")
        assert version.build_url == "https://ci.example/1"
        assert list(Tag.objects.filter(version=version).values_list("name", flat=True)) == ["dev"]
        assert BranchHead.objects.get(pacticipant__name="Foo", branch_name="main").version_id == version.pk
    pact = _get(base_url, org.token, "/pacts/provider/Bar/consumer/Foo/latest").json()
    assert pact["interactions"][0]["_id"]


def test_cli_publishes_a_directory_then_lists_and_gets_pacts(pact_cli, live_acme, pact_dir):
    org, base_url = live_acme
    pact_cli.broker("publish", str(pact_dir), "--consumer-app-version", "2.0.0", "--branch", "main", check=True)

    listed = pact_cli.broker("list-latest-pact-versions", check=True)
    fetched = pact_cli.broker("get-pacts", "--provider", "Bar", "--output", "json", check=True)

    assert "Foo" in listed.stdout and "Bar" in listed.stdout and "Baz" in listed.stdout
    pacts = json.loads(fetched.stdout)["pacts"]
    assert [p["name"] for p in pacts] == ["Foo"]
    assert pacts[0]["href"].endswith("/pacts/provider/Bar/consumer/Foo/version/2.0.0")
    with schema_context(org.schema):
        assert LatestPactPublication.objects.count() == 2


class _Provider(BaseHTTPRequestHandler):
    """The tiny provider the verifier checks foo-bar.json against."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        if self.path == "/things":
            body, status = json.dumps([{"id": 1}]).encode(), 200
        else:
            body, status = b"", 404
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def test_verifier_publishes_results_that_show_in_the_broker(pact_cli, live_acme, pact_dir, provider_server):
    org, base_url = live_acme
    pact_cli.broker(
        "publish", str(pact_dir / "foo-bar.json"), "--consumer-app-version", "1.0.0", "--branch", "main", check=True
    )
    pact_url = f"{base_url}/pacts/provider/Bar/consumer/Foo/latest"

    # --publish needs --broker-url, and with it the verifier also fetches Bar's pacts from the broker,
    # so the same pact is verified (and its result published) once per source.
    result = pact_cli.run(
        "verifier",
        "--url",
        pact_url,
        "--broker-url",
        base_url,
        "--token",
        org.token,
        "--hostname",
        "127.0.0.1",
        "--port",
        str(provider_server),
        "--provider-name",
        "Bar",
        "--publish",
        "--provider-version",
        "9.9.9",
        "--provider-branch",
        "main",
        broker_env=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    with schema_context(org.schema):
        verifications = list(Verification.objects.select_related("provider_version"))
        assert verifications and all(v.success for v in verifications)
        assert {v.provider_version.number for v in verifications} == {"9.9.9"}
        assert (
            BranchHead.objects.get(pacticipant__name="Bar", branch_name="main").version_id
            == verifications[0].provider_version_id
        )
        assert verifications[0].verified_by_implementation
    latest = _get(base_url, org.token, "/pacts/provider/Bar/consumer/Foo/latest/verification-results/latest")
    assert latest.status_code == 200
    assert latest.json()["providerApplicationVersion"] == "9.9.9"
    summary = _get(base_url, org.token, "/verification-results/consumer/Foo/version/1.0.0/latest").json()
    assert summary["providerSummary"]["successful"] == ["Bar"]
