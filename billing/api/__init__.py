"""Billing's one API endpoint: Stripe's webhook (public site)."""
