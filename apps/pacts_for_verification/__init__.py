"""Pacts for verification: which pacts a provider build must verify (selectors, pending, WIP).

Read `selection.py` first: what a consumer version selector is (`Selector`, `Query`) and which pacts
the selectors pick (the algorithm, in prose). `api/contracts.py` parses and validates the request into
those types; `queries.py` puts selection, pending and WIP together. Other apps call `metadata.py`
(`metadata_encode` / `metadata_decode`) to understand the pact URLs this package hands out.
"""
