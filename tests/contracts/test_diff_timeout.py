"""Diff endpoints answer 408 after PACT_CONTENT_DIFF_TIMEOUT (the broker's pact_content_diff_timeout),
and the abandoned computation really stops."""

import random
import threading
import time

import pytest

from apps.core.deadline import DeadlineExceeded, call_with_deadline
from tests.support.pacts import pact_put

BASE = "/pacts/provider/Bar/consumer/Foo"


def _big_pact(seed: int, interactions: int = 2500) -> dict:
    """A pact whose diff against another seed takes seconds (every interaction differs a little)."""
    rng = random.Random(seed)
    return {
        "consumer": {"name": "Foo"},
        "provider": {"name": "Bar"},
        "interactions": [
            {
                "description": f"request {i}",
                "request": {"method": "GET", "path": f"/things/{i}"},
                "response": {"status": 200, "body": {"id": i, "values": [rng.randint(0, 3) for _ in range(8)]}},
            }
            for i in range(interactions)
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


def _diff_workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "pact-content-diff"]


def _wait_for_no_diff_workers(seconds: float = 2.0) -> bool:
    deadline = time.monotonic() + seconds
    while _diff_workers() and time.monotonic() < deadline:
        time.sleep(0.01)
    return not _diff_workers()


@pytest.fixture
def big_pacts(acme):
    client = acme.client()
    first = pact_put(client, _big_pact(1), version="1").json()
    second = pact_put(client, _big_pact(2), version="2").json()
    return client, first["_links"]["pb:pact-version"]["name"], second["_links"]["pb:pact-version"]["name"]


def test_every_diff_endpoint_answers_408_when_the_diff_takes_too_long(big_pacts, settings):
    client, sha1, sha2 = big_pacts
    settings.PACT_CONTENT_DIFF_TIMEOUT = 0.2

    for path in (
        f"{BASE}/version/2/diff/previous-distinct",
        f"{BASE}/version/2/diff/version/1",
        f"{BASE}/pact-version/{sha2}/diff/pact-version/{sha1}",
    ):
        response = client.get(path)

        assert response.status_code == 408, path
        assert response["Content-Type"] == "text/plain;charset=utf-8"
        assert response.content.decode() == (
            "The diff did not finish within 0.2 seconds (pact_content_diff_timeout) and was abandoned.\n"
        )
        # The computation was stopped, not left running in the background.
        assert _wait_for_no_diff_workers(), "the abandoned diff is still running"


def test_with_enough_time_a_large_diff_is_answered(acme, settings):
    client = acme.client()
    pact_put(client, _big_pact(1, interactions=300), version="1")
    pact_put(client, _big_pact(2, interactions=300), version="2")
    settings.PACT_CONTENT_DIFF_TIMEOUT = 60

    response = client.get(f"{BASE}/version/2/diff/version/1")

    assert response.status_code == 200
    assert response.content.decode().startswith("# Diff between versions 1 and 2 of the pact between Foo and Bar")
    assert not _diff_workers()


def test_a_small_diff_is_unaffected_by_a_small_timeout(acme, settings):
    client = acme.client()
    pact_put(client, _big_pact(1, interactions=2), version="1")
    pact_put(client, _big_pact(2, interactions=2), version="2")
    settings.PACT_CONTENT_DIFF_TIMEOUT = 5

    response = client.get(f"{BASE}/version/2/diff/previous-distinct")

    assert response.status_code == 200
    assert "-" in response.content.decode() and "+" in response.content.decode()


def test_unknown_pacts_are_still_404_not_408(acme, settings):
    settings.PACT_CONTENT_DIFF_TIMEOUT = 0.001
    assert acme.client().get(f"{BASE}/version/9/diff/version/1").status_code == 404


# --- apps.core.deadline --------------------------------------------------------------------------


def _spin(seconds: float) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return "done"


def test_call_with_deadline_returns_the_result_in_time():
    assert call_with_deadline(_spin, 0.01, seconds=5, name="deadline-test") == "done"


def test_call_with_deadline_reraises_the_functions_error():
    with pytest.raises(ZeroDivisionError):
        call_with_deadline(lambda: 1 / 0, seconds=5, name="deadline-test")


def test_call_with_deadline_interrupts_the_worker():
    with pytest.raises(DeadlineExceeded):
        call_with_deadline(_spin, 30, seconds=0.05, name="deadline-test")

    # Interrupted, not waited for: the worker thread (spinning for 30 s otherwise) is gone.
    deadline = time.monotonic() + 2
    while any(t.name == "deadline-test" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(t.name == "deadline-test" for t in threading.enumerate())


def test_the_timeout_setting_takes_decimals_and_refuses_nonsense(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_float

    name = "PACT_BROKER_PACT_CONTENT_DIFF_TIMEOUT"
    monkeypatch.delenv(name, raising=False)
    assert env_float(name, 15.0) == 15.0
    monkeypatch.setenv(name, "0.5")
    assert env_float(name, 15.0) == 0.5
    for bad in ("soon", "nan", "inf"):
        monkeypatch.setenv(name, bad)
        with pytest.raises(ImproperlyConfigured):
            env_float(name, 15.0)
