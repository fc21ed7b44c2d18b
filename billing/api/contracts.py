"""The input contract of Stripe's webhook: a genuine, well-formed Stripe event, or BadStripeEvent.

`stripe.Webhook.construct_event` checks the signature over the raw body (and the timestamp
tolerance) before anything is parsed; nothing is written for a delivery that fails here.
"""

import stripe
from django.conf import settings


class BadStripeEvent(Exception):
    """The delivery is not a genuine, well-formed Stripe event (bad signature, stale, garbage)."""


def stripe_event_verify(*, payload: bytes, signature: str | None) -> dict:
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise BadStripeEvent("Stripe webhooks are not configured on this installation.")
    try:
        event = stripe.Webhook.construct_event(
            payload,
            signature or "",
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=settings.STRIPE_WEBHOOK_TOLERANCE,
        )
    except stripe.SignatureVerificationError as exc:
        raise BadStripeEvent("The Stripe-Signature header does not match this payload.") from exc
    except ValueError as exc:
        raise BadStripeEvent("The payload is not a Stripe event.") from exc
    event = event.to_dict()
    if not event.get("id") or not event.get("type") or not isinstance(event.get("created"), int):
        raise BadStripeEvent("The payload is not a Stripe event.")
    return event
