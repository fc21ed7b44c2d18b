"""Stripe's webhook on the public site: verify the delivery, apply the event (one service)."""

import logging

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.core.public import dangerously_public
from billing.api.contracts import BadStripeEvent, stripe_event_verify
from billing.services import stripe_event_process

logger = logging.getLogger(__name__)


@dangerously_public("Stripe's signature on the event is the credential")
@csrf_exempt  # Stripe cannot send a CSRF token; the signature check takes its place
@require_POST
def stripe_webhook(request):
    """Stripe's webhook endpoint (public site). 400 for anything not genuinely from Stripe; 500 on
    our own failure so that Stripe retries; 200 otherwise, replays included."""
    try:
        event = stripe_event_verify(payload=request.body, signature=request.headers.get("Stripe-Signature"))
    except BadStripeEvent as exc:
        logger.warning("refused a Stripe webhook delivery: %s", exc)
        return JsonResponse({"error": str(exc)}, status=400)
    outcome = stripe_event_process(event=event)
    return JsonResponse({"received": True, "outcome": outcome})
