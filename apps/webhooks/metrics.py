"""Prometheus counters of the webhooks app, served at `/-/metrics` with the platform's
(tenants/metrics.py reads the process registry, so it needs no import of this app).

Like every label there, none carries an organisation (the series would explode with thousands).
"""

from prometheus_client import Counter

DELIVERIES = Counter(
    "broker_webhook_deliveries_total",
    "Webhook delivery attempts recorded, by outcome (success or failure).",
    ["outcome"],
)


def delivery_attempt_count(*, success: bool) -> None:
    """One delivery attempt recorded (apps/webhooks/services/execution.py)."""
    DELIVERIES.labels("success" if success else "failure").inc()
