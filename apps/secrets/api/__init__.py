"""The secrets API (PactFlow's /secrets): `views.py`; values are write-only, never returned or logged."""
