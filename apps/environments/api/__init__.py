"""HTTP resources of environments, deployed versions and released versions (Pact Broker compatible):
`views.py` (thin: parse, call, render) and `contracts.py` (the request bodies they accept)."""
