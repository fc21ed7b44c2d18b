"""Pacts for verification: which pacts a provider build must verify (selectors, pending, WIP).

Read `selection.py` first: it explains the algorithm. Other apps call `metadata.py`
(`metadata_encode` / `metadata_decode`) to understand the pact URLs this package hands out.
"""
