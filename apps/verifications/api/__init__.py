"""HTTP resources of verification results (all under the pact's URL, as in the broker):
`views.py` (thin: parse, call, render) and `contracts.py` (the request body they accept)."""
