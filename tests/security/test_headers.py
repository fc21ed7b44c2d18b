"""Security headers by default: a strict Content-Security-Policy (no inline script or style, no
eval, never framed), nosniff, X-Frame-Options, and HSTS on requests that arrived over TLS."""

from pathlib import Path

import pytest
from django.test import Client, override_settings
from django_tenants.utils import schema_context

ROOT = Path(__file__).resolve().parents[2]
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def _policy(header: str) -> set[str]:
    """django-csp does not keep the directives' order; their set is what matters."""
    return {directive.strip() for directive in header.split(";")}


def _signed_in(org):
    browser = Client(HTTP_HOST=org.host)
    with schema_context(org.schema):
        browser.force_login(org.admin)
    return browser


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, status", [("/dashboard", 200), ("/account/tokens", 200), ("/organisation/users", 200), ("/login", 302)]
)  # the sign-in page sends a signed-in user home
def test_ui_pages_carry_the_strict_policy_and_frame_and_sniffing_protection(acme, path, status):
    response = _signed_in(acme).get(path)

    assert response.status_code == status
    assert _policy(response["Content-Security-Policy"]) == _policy(CSP)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_api_answers_carry_the_policy_too(acme):
    response = acme.client().get("/pacticipants")

    assert response.status_code == 200
    assert _policy(response["Content-Security-Policy"]) == _policy(CSP)
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_no_hsts_over_plain_http(acme, settings):
    settings.SECURE_HSTS_SECONDS = 31536000

    response = _signed_in(acme).get("/login")

    assert "Strict-Transport-Security" not in response


@pytest.mark.django_db
def test_hsts_over_tls(acme, settings):
    settings.SECURE_HSTS_SECONDS = 31536000

    response = Client(HTTP_HOST=acme.host).get("/login", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.django_db
def test_hsts_behind_a_trusted_tls_proxy_only(acme, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    proxied = {"HTTP_HOST": acme.host, "HTTP_X_FORWARDED_PROTO": "https"}

    untrusted = Client(**proxied).get("/login")
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        trusted = Client(**proxied).get("/login")

    assert "Strict-Transport-Security" not in untrusted
    assert trusted["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_is_on_by_default_outside_development():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("HSTS_SECONDS", "DEBUG", "BROKER_DEVELOPMENT")}
    env["SECRET_KEY"] = "x" * 50
    code = "import config.settings as s; print(s.SECURE_HSTS_SECONDS)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)

    assert out.stdout.strip() == "31536000"


def test_no_template_has_inline_script_style_or_event_handlers():
    import re

    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"<style\b",
            r"\sstyle=",
            r"\son[a-z]+=",
            r"hx-on",
            r"javascript:",
        ):
            if re.search(pattern, text, re.IGNORECASE):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern}")

    assert offenders == []
