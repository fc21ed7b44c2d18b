"""Property-based tests (Hypothesis) of webhook templates: `${pactbroker.*}` and `${user.*}` placeholders
mixed with arbitrary text, names and values.

- rendering never fails except for a missing secret; header values carry no CR/LF; a JSON body
  stays valid JSON; the URL carries no whitespace;
- redaction removes a secret value of any content from any text that contains it in any encoding;
- black-box: `POST /webhooks/execute` with arbitrary templates answers 200 or 400, never a 500, and
  never contains the secret's value, whatever the template does with it.
"""

import json
from types import SimpleNamespace

import pytest
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.secrets.services import secret_create
from apps.webhooks import rendering
from apps.webhooks.redaction import REDACTED, redact, value_forms
from tests.support.receiver import Receiver

SECRET_NAMES = ["TOKEN", "OTHER"]
PLACEHOLDERS = (
    [f"${{pactbroker.{name}}}" for name in rendering.PARAMETER_NAMES]
    + [f"${{user.{name}}}" for name in SECRET_NAMES]
    + ["${pactbroker.unknown}", "${user.MISSING}", "${", "}", "$"]
)

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
template = st.lists(st.one_of(text, st.sampled_from(PLACEHOLDERS)), max_size=8).map("".join)
# URL templates as typed: no whitespace or control characters of their own.
url_text = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), max_size=20)
url_template = st.lists(st.one_of(url_text, st.sampled_from(PLACEHOLDERS)), max_size=8).map("".join)
secret_value = st.text(st.characters(exclude_categories=("Cs",)), min_size=6, max_size=24).filter(
    lambda v: v.strip("*") != ""
)


def _webhook(*, url, headers, body, is_json, username=None, password=None):
    return SimpleNamespace(
        method="post",
        url=url,
        headers=headers,
        body=body,
        is_json_request_body=is_json,
        username=username,
        password=password,
    )


@settings(max_examples=150, deadline=None)
@given(
    url_tail=url_template,
    headers=st.dictionaries(text, template, max_size=4),
    body=template,
    json_body=st.booleans(),
    params=st.fixed_dictionaries({name: text for name in rendering.PARAMETER_NAMES}),
    secrets=st.fixed_dictionaries({name: secret_value for name in SECRET_NAMES}),
    password=template,
)
def test_rendering_any_template_is_safe(url_tail, headers, body, json_body, params, secrets, password):
    body_template = json.dumps({"value": body}) if json_body else body
    webhook = _webhook(
        url="https://ci.example.org/" + url_tail,
        headers=headers,
        body=body_template,
        is_json=json_body,
        username="ci",
        password=password,
    )
    try:
        rendered = rendering.request_render(webhook, params, secrets)
    except rendering.MissingSecret as exc:
        assert "MISSING" in str(exc)
        return
    for name, value in rendered.headers.items():
        assert "\r" not in name + value and "\n" not in name + value
    if json_body:
        assert isinstance(json.loads(rendered.body), dict)
    assert not any(c.isspace() or ord(c) < 32 for c in rendered.url)  # substituted values are URL-escaped
    used = rendering.secret_names(url_tail, headers, body, password)
    assert sorted(rendered.sensitive_values) == sorted(
        [secrets[n] for n in used if n in secrets] + ([rendered.password] if rendered.password else [])
    )


@settings(max_examples=200, deadline=None)
@given(value=secret_value, before=text, after=text, form=st.integers(min_value=0, max_value=20))
def test_redaction_removes_a_secret_in_any_of_its_forms(value, before, after, form):
    forms = sorted(value_forms(value))
    chosen = forms[form % len(forms)]

    redacted = redact(before + chosen + after, [value])

    assert value not in redacted and chosen not in redacted
    assert REDACTED in redacted


SECRET = 'fuzz-S3cr"et/+&=\u00fc'


@pytest.fixture
def fuzz_org(acme, local_webhooks):
    with schema_context(acme.schema):
        secret_create(name="TOKEN", value=SECRET)
    server = Receiver(response_body=json.dumps({"echo": SECRET}))
    yield acme, server
    server.stop()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=template,
    query=template,
    headers=st.dictionaries(st.text("abcXYZ-_", min_size=1, max_size=8), template, max_size=3),
    body=template,
    json_body=st.booleans(),
    password=st.one_of(st.none(), template),
)
@pytest.mark.django_db
def test_execute_with_any_template_never_fails_nor_shows_the_secret(
    fuzz_org, path, query, headers, body, json_body, password
):
    org, server = fuzz_org
    request = {
        "method": "POST",
        "url": f"http://127.0.0.1:{server.port}/{path}?{query}",
        "headers": headers,
        "body": {"value": body} if json_body else body,
    }
    if password is not None:
        request.update(username="ci", password=password)

    answer = org.client().post(
        "/webhooks/execute",
        {"events": [{"name": "contract_published"}], "request": request},
        content_type="application/json",
    )

    assert answer.status_code in (200, 400), answer.content[:500]
    content = answer.content.decode()
    for form in value_forms(SECRET):
        assert form not in content
