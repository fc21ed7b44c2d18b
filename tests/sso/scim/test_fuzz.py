"""Property-based fuzzing (Hypothesis) of SCIM's input: resources, PATCH operations, filters and
paging parameters. For every generated request: never a 5xx; a 4xx is SCIM's error body and
writes nothing (people, teams and audit entries unchanged)."""

import json

import pytest
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.models import AuditEvent, Team, User
from tests.sso.scim.conftest import GROUP, USER, error_of, okta_user, patch_body

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

leaf = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["\x00", "a\x00@acme.example", "x" * 300, "False", "Viewer", "p@acme.example"])
)
value = st.recursive(
    leaf,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=12,
)
user_keys = st.sampled_from(
    ["userName", "externalId", "emails", "name", "displayName", "active", "userType", "schemas", "title", "groups"]
)
paths = st.sampled_from(
    [
        "active",
        "userName",
        "externalId",
        "name.givenName",
        "emails",
        'emails[type eq "work"].value',
        "members",
        'members[value eq "x"]',
        "displayName",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName",
        "a[b",
        "",
    ]
) | st.text(max_size=40)
operation = st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "Replace", "remove", "explode"]) | st.text(max_size=8)},
    optional={"path": paths | st.integers(), "value": value},
)
filters = st.sampled_from(
    [
        'userName eq "x"',
        'externalId eq "1" or displayName co "a"',
        "not (active eq true)",
        'meta.lastModified gt "2026-01-01T00:00:00Z"',
        "userName pr",
        'emails[type eq "work" and value ew "@x"]',
    ]
) | st.text(max_size=60)


def _state(org):
    with schema_context(org.schema):
        return (User.objects.count(), Team.objects.count(), AuditEvent.objects.count())


def _check(org, before, answer):
    assert answer.status_code < 500, answer.content[:300]
    if answer.status_code >= 400:
        error_of(answer)
        assert _state(org) == before


@FUZZ
@given(body=st.dictionaries(user_keys, value, max_size=6) | value)
def test_fuzzed_user_resources_never_fail_the_server(scim_acme, body):
    if isinstance(body, dict) and "schemas" not in body:
        body = {"schemas": [USER], **body}
    before = _state(scim_acme.org)
    _check(scim_acme.org, before, scim_acme.scim().post("/Users", json.dumps(body)))


@FUZZ
@given(operations=st.lists(operation, min_size=1, max_size=4))
def test_fuzzed_patches_never_fail_the_server(scim_acme, operations):
    scim = scim_acme.scim()
    with schema_context(scim_acme.schema):
        person = User.objects.filter(email="fuzz@acme.example").first()
        team = Team.objects.filter(name="Fuzz").first()
    if person is None:
        person_id = scim.post("/Users", okta_user("fuzz@acme.example")).json()["id"]
        team_id = scim.post("/Groups", {"schemas": [GROUP], "displayName": "Fuzz"}).json()["id"]
    else:
        person_id, team_id = str(person.uuid), str(team.uuid)
    for path in (f"/Users/{person_id}", f"/Groups/{team_id}"):
        before = _state(scim_acme.org)
        _check(scim_acme.org, before, scim.patch(path, patch_body(*operations)))


@FUZZ
@given(text=filters, start=st.text(max_size=6) | st.integers().map(str), count=st.text(max_size=6))
def test_fuzzed_filters_and_paging_never_fail_the_server(scim_acme, text, start, count):
    scim = scim_acme.scim()
    for path in ("/Users", "/Groups"):
        answer = scim.get(path, filter=text, startIndex=start, count=count)
        assert answer.status_code in (200, 400), (text, answer.content[:300])
        if answer.status_code == 400:
            error_of(answer)
