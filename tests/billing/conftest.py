"""Billing fixtures: a local Stripe (started once), the Stripe settings pointed at it, signed event
delivery to the public site's webhook, and a helper that publishes like the contracts API will."""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django_tenants.utils import schema_context, tenant_context

from tests.support.stripe_server import LocalStripe, event_payload, stripe_event, stripe_signature

WEBHOOK_SECRET = "whsec_test_not_a_real_secret"


@pytest.fixture(scope="session")
def stripe_server():
    server = LocalStripe().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def stripe_settings(settings, stripe_server):
    settings.STRIPE_API_BASE = stripe_server.url
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.BILLING_GRACE_DAYS = 7
    return settings


@pytest.fixture
def public():
    return Client(HTTP_HOST=settings.BASE_DOMAIN)


@pytest.fixture
def deliver(public):
    """POST an event to the webhook, signed with the endpoint secret (or another one)."""

    def send(event, *, secret=WEBHOOK_SECRET, timestamp=None, body=None, signature=None):
        payload = body if body is not None else event_payload(event)
        header = signature if signature is not None else stripe_signature(payload, secret, timestamp=timestamp)
        return public.post(
            "/stripe/webhook", data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        )

    return send


def browser_for(org, email=None, password="correct-horse-battery"):
    """A browser signed in on the organisation's host (sessions live in the tenant's schema)."""
    client = org.browser()
    response = client.post("/login", {"username": email or org.admin.email, "password": password})
    assert response.status_code == 302, response.content
    return client


def people_add(org, count, *, prefix="person"):
    from apps.accounts import services

    with schema_context(org.schema):
        for index in range(count):
            services.user_create(
                email=f"{prefix}{index}@{org.tenant.slug}.example",
                name=f"P{index}",
                password="correct-horse-battery",
                email_confirmed=True,
            )


def publish(org, consumer, provider):
    """Publish a pact for the pair through the contracts service, as `PUT /pacts/...` does: the plan's
    integration limit first, then the writes, in the request's transaction (the service raises
    IntegrationLimitExceeded, 402, and the transaction leaves nothing behind)."""
    from apps.contracts.services.pacts import pact_publish
    from tenants.models import Tenant
    from tests.support.factories import pact_content

    tenant = Tenant.objects.get(pk=org.tenant.pk)
    with tenant_context(tenant), transaction.atomic():
        pact_publish(
            consumer_name=consumer,
            provider_name=provider,
            consumer_version_number="1",
            doc=pact_content(consumer, provider),
        )


def integrations(org):
    from apps.contracts.models import Integration

    with schema_context(org.schema):
        return Integration.objects.count()


__all__ = ["stripe_event"]
