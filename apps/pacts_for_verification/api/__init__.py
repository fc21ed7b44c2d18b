"""POST (and deprecated GET) /pacts/provider/{provider}/for-verification: `views.py`, and
`contracts.py`, the request (selectors and options) parsed and validated as the broker does."""
