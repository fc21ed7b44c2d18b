"""Billing's pages: Settings > Subscription (organisation hosts) and the platform admin (public site)."""
