"""Billing fixtures: a local Stripe (started once), the Stripe settings pointed at it, signed event
delivery to the public site's webhook, and a helper that publishes like the contracts API will."""
import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django_tenants.utils import schema_context

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
        return public.post("/stripe/webhook", data=payload, content_type="application/json",
                           HTTP_STRIPE_SIGNATURE=header)
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
            services.user_create(email=f"{prefix}{index}@{org.tenant.slug}.example", name=f"P{index}",
                                 password="correct-horse-battery", email_confirmed=True)


def publish(org, consumer, provider):
    """What the contracts API does when a publication names a consumer/provider pair: the limit
    check first, then the writes, all in one transaction."""
    from apps.contracts.models import Integration, Pacticipant
    from billing.limits import integration_limit_check
    from tenants.models import Tenant

    tenant = Tenant.objects.get(pk=org.tenant.pk)
    with schema_context(org.schema), transaction.atomic():
        integration_limit_check(tenant=tenant, consumer_name=consumer, provider_name=provider)
        c, _ = Pacticipant.objects.get_or_create(name=consumer)
        p, _ = Pacticipant.objects.get_or_create(name=provider)
        Integration.objects.get_or_create(consumer=c, provider=p)


def integrations(org):
    from apps.contracts.models import Integration

    with schema_context(org.schema):
        return Integration.objects.count()


__all__ = ["stripe_event"]
