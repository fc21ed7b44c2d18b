"""Replay every recorded scenario against our server and compare with the reference's answers.

Each scenario runs in a fresh organisation (the module's shared `acme`, its writes rolled back after
each test) through the Django test client. A scenario listed in known_differences.py must still
differ (so the list only shrinks: remove an entry once it is fixed); any other must agree exactly.
"""

import json
import os
from pathlib import Path

import pytest

from tests.compat.harness import Response, compare, run
from tests.compat.known_differences import UPDATED_AT_TIMING, known_ids
from tests.compat.scenarios import all_scenarios

GOLDEN = Path(__file__).resolve().parent / "golden"
GROUPS = all_scenarios()
KNOWN = known_ids()
DUMP = os.environ.get("COMPAT_DUMP")


def _golden(group: str) -> dict:
    path = GOLDEN / f"{group}.json"
    return json.loads(path.read_text()) if path.exists() else {}


GOLDENS = {group: _golden(group) for group in GROUPS}
CASES = [pytest.param(group, scenario, id=scenario.id) for group, scenarios in GROUPS.items() for scenario in scenarios]


def _sender(client):
    def send(method: str, path: str, headers: dict[str, str], body: bytes | None) -> Response:
        extra = {}
        content_type = None
        for name, value in headers.items():
            if name.lower() == "content-type":
                content_type = value
            else:
                extra["HTTP_" + name.upper().replace("-", "_")] = value
        kwargs = {"data": body or b""}
        if content_type is not None:
            kwargs["content_type"] = content_type
            extra["CONTENT_TYPE"] = content_type  # the test client drops it for an empty body; HTTP does not
        if path.startswith("//"):
            # The test client parses `//pacticipants` as a host and an empty path (urlparse); over
            # HTTP the server receives the path as sent, so send it as the server would see it.
            extra["PATH_INFO"] = path.split("?", 1)[0]
        response = client.generic(method, path, **kwargs, **extra)
        return Response(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.content)

    return send


def test_every_scenario_is_recorded_and_every_known_difference_is_a_scenario():
    ids = {scenario.id for scenarios in GROUPS.values() for scenario in scenarios}
    unrecorded = sorted(s.id for group, scenarios in GROUPS.items() for s in scenarios if s.id not in GOLDENS[group])
    assert not unrecorded, f"record these with `python -m tests.compat.record -k ID`: {unrecorded}"
    assert not sorted(KNOWN - ids), "known differences that name no scenario"


def _without_updated_at(value):
    if isinstance(value, dict):
        return {key: _without_updated_at(item) for key, item in value.items() if key != "updatedAt"}
    if isinstance(value, list):
        return [_without_updated_at(item) for item in value]
    return value


@pytest.mark.parametrize(("group", "scenario"), CASES)
def test_replay(group, scenario, acme):
    actual = run(scenario, _sender(acme.client()), f"http://{acme.host}")
    if DUMP:  # COMPAT_DUMP=dir writes our normalised answers, to read beside the golden files
        Path(DUMP).mkdir(parents=True, exist_ok=True)
        (Path(DUMP) / f"{scenario.id}.json").write_text(json.dumps(actual, indent=1, ensure_ascii=False))
    expected = GOLDENS[group][scenario.id]
    if scenario.id in UPDATED_AT_TIMING:
        expected, actual = _without_updated_at(expected), _without_updated_at(actual)
    differences = compare(expected, actual)
    if scenario.id in KNOWN:
        assert differences, (
            f"{scenario.id} now answers as the reference does: remove it from tests/compat/known_differences.py"
        )
    else:
        assert not differences, "\n".join(differences)
