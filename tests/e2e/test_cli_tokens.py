"""The official Pact CLI with a user's tokens: the read-write token publishes, the read-only one
reads and is refused every write, and a token of another organisation is refused outright."""

from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from apps.contracts.models import Pacticipant, Tag
from tests.support.live import PactCli

pytestmark = pytest.mark.e2e

PACT = Path(__file__).resolve().parents[1] / "fixtures" / "pacts"


def test_read_write_token_publishes_and_read_only_token_reads_but_cannot_write(live_acme):
    org, base_url = live_acme
    writer = PactCli(base_url=base_url, token=org.token)
    reader = PactCli(base_url=base_url, token=org.read_token)

    created = writer.broker("create-or-update-pacticipant", "--name", "Foo")
    listed = reader.broker("list-pacticipants")
    refused = reader.broker("create-or-update-pacticipant", "--name", "Bar")
    refused_tag = reader.broker(
        "create-version-tag", "--pacticipant", "Foo", "--version", "1", "--tag", "prod", "--auto-create-version"
    )

    assert created.returncode == 0, created.stdout + created.stderr
    assert listed.returncode == 0 and "Foo" in listed.stdout
    assert refused.returncode != 0
    assert "403" in refused.stdout + refused.stderr or "read-only" in refused.stdout + refused.stderr
    # This CLI command prints the refusal but exits 0 (its own quirk), so read what it printed.
    assert "403" in refused_tag.stdout + refused_tag.stderr
    with schema_context(org.schema):
        assert list(Pacticipant.objects.values_list("name", flat=True)) == ["Foo"]
        assert not Tag.objects.exists()


def test_a_wrong_token_is_refused(live_acme):
    org, base_url = live_acme
    stranger = PactCli(base_url=base_url, token="cbt_rw_not-a-real-token")

    result = stranger.broker("list-pacticipants")

    assert result.returncode != 0
    assert "401" in result.stdout + result.stderr
